package oauthflow

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/browser"
	"github.com/pinready/pinready/internal/browser/browsertest"
	"github.com/pinready/pinready/internal/fakepinterest"
	"github.com/pinready/pinready/internal/testenv"
	"github.com/pinready/pinready/internal/testkit"
)

// shared is the one Chromium every browser test of the package uses.
var shared *browser.Browser

// testHosts are mapped to loopback in the browser; each app gets its own
// name so their cookies never mix.
var testHosts = []string{
	fakepinterest.DefaultWebHost, fakepinterest.DefaultAPIHost, fakepinterest.DefaultSandboxHost,
	"acme-pins.test", "popup.test", "implicit.test", "static.test", "property.test", "fragment.test", "storage.test", "shown.test",
	"password.test", "unregistered.test", "nodata.test", "noconnect.test", "login.test",
	"session.test", "safe-session.test", "nextdata.test", "socket.test", "message.test", "literal.test",
	"captions.test", "captions-page.test", "landing.test",
	// A terminal script's loopback listener: pinready's egress policy lets
	// the browser reach it because the config names it as a redirect URI;
	// this test browser's policy is --resolve's.
	"localhost",
}

// testResolve maps testHosts, on any port (the servers start later), to
// loopback: the browser's --resolve, and the test clients' (testClient).
var testResolve = testkit.LoopbackResolve(testHosts...)

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	flag.Parse()
	if f := flag.Lookup("test.fuzzworker"); f != nil && f.Value.String() == "true" {
		return m.Run() // a fuzz worker runs only the fuzz target: no browser
	}
	if testing.Short() {
		return m.Run() // -short: the browser tests skip themselves (browsertest.Require)
	}
	if _, err := browser.Find(); err != nil {
		if testenv.CI() {
			fmt.Fprintln(os.Stderr, "CI is set and Chromium is missing:", err)
			return 1
		}
		return m.Run() // the browser tests skip themselves
	}
	b, err := browser.Launch(context.Background(), browser.Options{Resolve: testResolve})
	if err != nil {
		fmt.Fprintln(os.Stderr, "launch Chromium:", err)
		return 1
	}
	shared = b
	code := m.Run()
	// Every tab and popup Drive opened must be closed by now: only the
	// browser's own first tab may remain.
	if targets, err := chromedp.Targets(b.Context()); err == nil {
		var pages []string
		for _, t := range targets {
			if t.Type == "page" {
				pages = append(pages, t.URL)
			}
		}
		if len(pages) > 1 {
			fmt.Fprintf(os.Stderr, "Drive left tabs open: %v\n", pages)
			code = 1
		}
	}
	b.Close()
	if n := len(b.Processes()); n > 0 {
		fmt.Fprintf(os.Stderr, "%d Chromium processes left after Close\n", n)
		code = 1
	}
	if _, err := os.Stat(b.ProfileDir()); err == nil {
		fmt.Fprintf(os.Stderr, "profile %s left behind\n", b.ProfileDir())
		code = 1
	}
	return code
}

func needBrowser(t *testing.T) *browser.Browser {
	t.Helper()
	if shared == nil {
		browsertest.Require(t) // skips under -short; fails in CI, skips elsewhere
		t.Skip("no browser")
	}
	return shared
}

const (
	clientID     = "1500001"
	clientSecret = "acme-app-secret-7f3a9c"
)

// world is one app and a fake Pinterest, both on loopback under .test names.
type world struct {
	t         *testing.T
	fake      *fakepinterest.Server
	fakePort  string
	appURL    string // http://HOST:PORT
	redirect  string // the registered redirect URI
	authorize string // the fake's authorize URL
}

// newWorld starts a fake Pinterest that knows the app, then the app, whose
// handler is built once every address is known.
func newWorld(t *testing.T, host string, build func(w *world) http.Handler) *world {
	t.Helper()
	appTS := httptest.NewUnstartedServer(nil)
	_, appPort, _ := net.SplitHostPort(appTS.Listener.Addr().String())
	w := &world{t: t, appURL: "http://" + host + ":" + appPort}
	w.redirect = w.appURL + "/oauth/callback"
	fake, err := fakepinterest.New(fakepinterest.Options{Apps: []fakepinterest.App{{
		ID: clientID, Secret: clientSecret, Name: "Acme Pin Planner", RedirectURIs: []string{w.redirect},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	fakeTS := httptest.NewServer(fake)
	t.Cleanup(fakeTS.Close)
	_, w.fakePort, _ = net.SplitHostPort(fakeTS.Listener.Addr().String())
	w.fake = fake
	w.authorize = "http://" + fakepinterest.DefaultWebHost + ":" + w.fakePort + "/oauth/"
	appTS.Config.Handler = build(w)
	appTS.Start()
	t.Cleanup(appTS.Close)
	return w
}

// config is the pinready.yaml a user of this app would write; extra is
// more YAML under oauth:.
func (w *world) config(extra string) *checks.Config {
	w.t.Helper()
	connect := "  connect_selector: \"#connect-pinterest\"\n"
	if strings.Contains(extra, "connect_selector:") {
		connect = ""
	}
	cfg, err := checks.ParseConfig("pinready.yaml", []byte(fmt.Sprintf(`
app:
  name: Acme Pin Planner
  id: %q
  website: %s/
  scopes: [boards:read, boards:write, pins:read, pins:write, user_accounts:read]
  redirect_uris: [%s]
oauth:
%s  authorize_url: %s
  success_text: Your boards
%s`, clientID, w.appURL, w.redirect, connect, w.authorize, extra)))
	if err != nil {
		w.t.Fatal(err)
	}
	return cfg
}

// drive runs Drive with a short timeout and checks it left no error.
func (w *world) drive(cfg *checks.Config, o Options) *Trace {
	w.t.Helper()
	o.Browser = needBrowser(w.t)
	if o.Timeout == 0 {
		o.Timeout = 10 * time.Second
	}
	if o.EvidenceDir == "" {
		o.EvidenceDir = w.t.TempDir()
	}
	// Drive bounds each wait by o.Timeout itself; this context is only a
	// hang detector (testenv.Hang), which no busy machine reaches.
	ctx, cancel := context.WithTimeout(context.Background(), testenv.Hang)
	defer cancel()
	tr, err := Drive(ctx, cfg, o)
	if ctx.Err() != nil {
		w.t.Fatalf("Drive did not end within %s: it hangs (%v)", testenv.Hang, err)
	}
	if err != nil {
		w.t.Fatalf("Drive: %v", err)
	}
	return tr
}

// badApp is a small app whose flow goes wrong in one chosen way.
type badApp struct {
	w            *world
	home         string // the homepage's body; default a #connect-pinterest link to /connect
	responseType string // default "code"
	staticState  string // a fixed state instead of a random one
	redirectURI  string // default the registered one
	connectPage  string // served at /connect instead of redirecting to Pinterest
	callback     string // the callback page's body; default the user's boards
	afterConnect string // where the callback redirects instead of serving a page

	mu    sync.Mutex
	state string
}

func (a *badApp) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		body := a.home
		if body == "" {
			body = `<h1>Acme Pin Planner</h1><p><a id="connect-pinterest" href="/connect">Connect Pinterest</a></p>`
		}
		writePage(w, body)
	})
	mux.HandleFunc("GET /connect", func(w http.ResponseWriter, r *http.Request) {
		if a.connectPage != "" {
			writePage(w, a.connectPage)
			return
		}
		http.Redirect(w, r, a.authorizeURL(), http.StatusFound)
	})
	mux.HandleFunc("GET /oauth/callback", func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		want := a.state
		a.mu.Unlock()
		if r.URL.Query().Get("state") != want || r.URL.Query().Get("code") == "" {
			http.Error(w, "state mismatch", http.StatusBadRequest)
			return
		}
		if a.afterConnect != "" {
			http.Redirect(w, r, a.afterConnect, http.StatusFound)
			return
		}
		body := a.callback
		if body == "" {
			body = boardsPage
		}
		writePage(w, body)
	})
	mux.HandleFunc("GET /dashboard", func(w http.ResponseWriter, r *http.Request) { writePage(w, boardsPage) })
	return mux
}

const boardsPage = `<h1>Your boards</h1><ul><li>Weeknight dinners</li><li>Garden ideas</li></ul>`

func (a *badApp) authorizeURL() string {
	state := a.staticState
	if state == "" {
		b := make([]byte, 16)
		rand.Read(b)
		state = hex.EncodeToString(b)
	}
	a.mu.Lock()
	a.state = state
	a.mu.Unlock()
	rt := a.responseType
	if rt == "" {
		rt = "code"
	}
	redirect := a.redirectURI
	if redirect == "" {
		redirect = a.w.redirect
	}
	q := url.Values{"client_id": {clientID}, "redirect_uri": {redirect}, "response_type": {rt},
		"scope": {"boards:read,pins:read"}, "state": {state}}
	return a.w.authorize + "?" + q.Encode()
}

func writePage(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<!doctype html><html><head><title>Acme Pin Planner</title></head><body>%s</body></html>", body)
}

// findingsOf assesses a trace against the repository's rules.yaml.
func findingsOf(t *testing.T, cfg *checks.Config, tr *Trace) map[string]checks.Finding {
	t.Helper()
	out := map[string]checks.Finding{}
	for _, f := range Assess(cfg, loadRules(t), tr) {
		out[f.Rule] = f
	}
	return out
}

// want asserts one rule's status and a part of its message.
func want(t *testing.T, fs map[string]checks.Finding, rule string, status checks.Status, msg string) {
	t.Helper()
	f := fs[rule]
	if f.Status != status || !strings.Contains(f.Message, msg) {
		t.Errorf("%s: got %s %q, want %s containing %q", rule, f.Status, f.Message, status, msg)
	}
}
