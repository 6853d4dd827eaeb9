// Package fakepinterest is an in-memory Pinterest: the OAuth authorize and
// consent page, the v5 token endpoint and a small v5 API subset, on one
// http.Handler that tells Pinterest's hosts apart by the request Host.
//
// It follows Pinterest's documented behaviour, the facts rules.yaml cites in
// its source fields (exact redirect_uri match, comma-separated
// scopes, Basic client auth, token prefixes and lifetimes, Trial apps refused
// Pin creation on the production host) so that pinready's checks, its example
// and its tests exercise the same rules a real review does.
package fakepinterest

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Default host names, the .test twins of www.pinterest.com, api.pinterest.com
// and api-sandbox.pinterest.com.
const (
	DefaultWebHost     = "www.pinterest.test"
	DefaultAPIHost     = "api.pinterest.test"
	DefaultSandboxHost = "api-sandbox.pinterest.test"
)

// Access tiers an App can hold (App.Access).
const (
	AccessTrial    = "trial"
	AccessStandard = "standard"
)

// App is a registered Pinterest app.
type App struct {
	ID     string // the OAuth client_id
	Secret string
	Name   string // shown on the consent page
	// RedirectURIs are matched against redirect_uri as exact strings.
	RedirectURIs []string
	Access       string // AccessTrial (the default when empty) or AccessStandard
}

// Options configure a Server. The zero value of every field has a default.
type Options struct {
	Apps  []App
	Clock func() time.Time // default time.Now; decides code and token expiry
	Rand  io.Reader        // default crypto/rand.Reader; source of codes and tokens

	WebHost     string // default DefaultWebHost
	APIHost     string // default DefaultAPIHost
	SandboxHost string // default DefaultSandboxHost

	// OnCall hears every request the fake answered, once answered (the
	// witness, witness.go): `pinready sandbox` prints them as they happen.
	// It runs on the request's goroutine and must not block.
	OnCall func(Call)
}

// Server is the fake Pinterest. Create it with New; it is safe for concurrent use.
type Server struct {
	clock                    func() time.Time
	rand                     io.Reader
	webHost, apiHost, sbHost string
	web, production, sandbox http.Handler

	mu       sync.Mutex
	apps     map[string]App
	consents map[string]authRequest // consent pages shown, keyed by their form token
	codes    map[string]authCode
	access   map[string]grant // access tokens, both pina_ and pinc_
	refresh  map[string]grant // refresh tokens
	issued   []string         // every token ever issued, in order
	stores   map[env]*store

	// The witness (witness.go): every request answered, numbered.
	onCall func(Call)
	seq    int64 // the number of the last request that arrived
	calls  []Call
	authzs int // authorize requests seen, for their ids
	labels int // tokens issued, for their labels
}

// env is the API environment a request reached: production or sandbox data.
type env int

const (
	production env = iota
	sandbox
)

// New builds a Server; it fails when an app is incomplete or registered twice.
func New(opts Options) (*Server, error) {
	s := &Server{
		clock:    opts.Clock,
		rand:     opts.Rand,
		webHost:  strings.ToLower(opts.WebHost),
		apiHost:  strings.ToLower(opts.APIHost),
		sbHost:   strings.ToLower(opts.SandboxHost),
		apps:     make(map[string]App),
		consents: make(map[string]authRequest),
		codes:    make(map[string]authCode),
		access:   make(map[string]grant),
		refresh:  make(map[string]grant),
		stores:   map[env]*store{production: seedStore(1), sandbox: seedStore(2)},
		onCall:   opts.OnCall,
	}
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.rand == nil {
		s.rand = rand.Reader
	}
	if s.webHost == "" {
		s.webHost = DefaultWebHost
	}
	if s.apiHost == "" {
		s.apiHost = DefaultAPIHost
	}
	if s.sbHost == "" {
		s.sbHost = DefaultSandboxHost
	}
	for _, app := range opts.Apps {
		if err := s.register(app); err != nil {
			return nil, err
		}
	}
	s.web = s.webMux()
	s.production = s.apiMux(production)
	s.sandbox = s.apiMux(sandbox)
	return s, nil
}

func (s *Server) register(app App) error {
	if app.ID == "" || app.Secret == "" {
		return fmt.Errorf("fake Pinterest app %q: id and secret are required", app.ID)
	}
	if len(app.RedirectURIs) == 0 {
		return fmt.Errorf("fake Pinterest app %s: register at least one redirect URI", app.ID)
	}
	switch app.Access {
	case "":
		app.Access = AccessTrial
	case AccessTrial, AccessStandard:
	default:
		return fmt.Errorf("fake Pinterest app %s: access %q is not %q or %q", app.ID, app.Access, AccessTrial, AccessStandard)
	}
	if app.Name == "" {
		app.Name = "App " + app.ID
	}
	if _, dup := s.apps[app.ID]; dup {
		return fmt.Errorf("fake Pinterest app %s is registered twice", app.ID)
	}
	s.apps[app.ID] = app
	return nil
}

// ServeHTTP routes by Host: the web host (or any www. host) serves the
// authorize page, the API and sandbox hosts serve /v5. An unknown host, such
// as a bare 127.0.0.1, is routed by path so the fake works without DNS tricks:
// /v5/… is the production API and /sandbox/v5/… the sandbox's. Every
// request but the witness's own is recorded (witness.go).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	host := strings.ToLower(r.Host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	switch {
	case r.URL.Path == WitnessPath:
		s.serveWitness(w, r)
	case host == s.webHost || strings.HasPrefix(host, "www."):
		s.witnessed(w, r, host, APIWeb, s.web)
	case host == s.apiHost:
		s.witnessed(w, r, host, APIProduction, s.production)
	case host == s.sbHost:
		s.witnessed(w, r, host, APISandbox, s.sandbox)
	case strings.HasPrefix(r.URL.Path, "/v5/"):
		s.witnessed(w, r, host, APIProduction, s.production)
	case strings.HasPrefix(r.URL.Path, sandboxPrefix+"/v5/"):
		s.witnessed(w, withPath(r, strings.TrimPrefix(r.URL.Path, sandboxPrefix)), host, APISandbox, s.sandbox)
	default:
		s.witnessed(w, r, host, APIWeb, s.web)
	}
}

// sandboxPrefix is the sandbox API's base path on a host that is neither
// of the API hosts (`pinready sandbox` on 127.0.0.1): a base URL of
// http://127.0.0.1:8085/sandbox reaches it as api-sandbox.pinterest.com.
const sandboxPrefix = "/sandbox"

// withPath is a shallow copy of r for another path, as http.StripPrefix makes.
func withPath(r *http.Request, path string) *http.Request {
	r2 := new(http.Request)
	*r2 = *r
	u := *r.URL
	u.Path, u.RawPath = path, ""
	r2.URL = &u
	return r2
}

// IssuedTokens returns every access, refresh and client-credentials token
// issued so far, so a test or the recorder can search its output for them.
func (s *Server) IssuedTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.issued...)
}

// secret returns prefix + 48 random base32 characters. The caller holds s.mu,
// because an injected Rand (a seeded math/rand, say) need not be safe for
// concurrent use.
func (s *Server) secret(prefix string) (string, error) {
	b := make([]byte, 30)
	if _, err := io.ReadFull(s.rand, b); err != nil {
		return "", fmt.Errorf("fake Pinterest: read random bytes: %w", err)
	}
	return prefix + base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b), nil
}
