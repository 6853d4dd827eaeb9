// Package sampleapp is "Acme Pin Planner", a small web app that connects to
// Pinterest the way reviewers want to see it: a public homepage that says what
// the app does, a linked privacy policy, a "Connect Pinterest" button, the
// OAuth code flow (golang.org/x/oauth2, with state and S256 PKCE), tokens
// kept on the server, and a live API action
// (boards listed, a Pin created). pinready's example audits and records it.
package sampleapp

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Options configure the app. Every field has a default.
type Options struct {
	Name    string // default "Acme Pin Planner"
	Company string // default "Acme Inc."

	ClientID     string
	ClientSecret string
	// RedirectURI is registered with Pinterest; its path is served as the
	// OAuth callback. Default http://localhost:8085/oauth/callback.
	RedirectURI string
	// AuthorizeURL is Pinterest's authorize page. Default https://www.pinterest.com/oauth/.
	AuthorizeURL string
	// APIBase is where the token exchange and v5 calls go, without /v5.
	// Default https://api-sandbox.pinterest.com, where a Trial app may create Pins.
	APIBase string
	// HTTPClient makes the server-side API calls. Default: a client with a 15s timeout.
	HTTPClient *http.Client
	// Scopes requested, joined with commas. Default: what listing boards and
	// creating a Pin need, plus user_accounts:read for the username.
	Scopes []string
	// ContactEmail is the privacy contact. Default privacy@ the RedirectURI's host.
	ContactEmail string
	// Stack is how the app is built: StackGo (default) or StackAuthJS.
	Stack string
}

// DefaultScopes are the scopes the app asks for by default.
var DefaultScopes = []string{"boards:read", "boards:write", "pins:read", "pins:write", "user_accounts:read"}

// app is the handler behind New.
type app struct {
	opts           Options
	origin         string // scheme://host of RedirectURI, the app's public address
	rootIsCallback bool
	oauth          *oauth2.Config // authorize link and token exchange
	api            pinterestAPI   // the v5 calls made with the token
	sessions       *sessions
}

// New returns the app's handler.
func New(opts Options) http.Handler {
	if opts.Name == "" {
		opts.Name = "Acme Pin Planner"
	}
	if opts.Company == "" {
		opts.Company = "Acme Inc."
	}
	if opts.RedirectURI == "" {
		opts.RedirectURI = "http://localhost:8085/oauth/callback"
	}
	if opts.AuthorizeURL == "" {
		opts.AuthorizeURL = "https://www.pinterest.com/oauth/"
	}
	if opts.APIBase == "" {
		opts.APIBase = "https://api-sandbox.pinterest.com"
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: 15 * time.Second}
	}
	if len(opts.Scopes) == 0 {
		opts.Scopes = DefaultScopes
	}
	callbackPath := "/oauth/callback"
	origin := ""
	if u, err := url.Parse(opts.RedirectURI); err == nil {
		origin = u.Scheme + "://" + u.Host
		if u.Path != "" {
			callbackPath = u.Path
		}
		if opts.ContactEmail == "" {
			opts.ContactEmail = "privacy@" + u.Hostname()
		}
	}
	a := &app{
		opts:   opts,
		origin: origin,
		api: pinterestAPI{
			base: strings.TrimSuffix(opts.APIBase, "/"),
			http: opts.HTTPClient,
		},
		oauth:          oauthConfig(opts),
		sessions:       newSessions(),
		rootIsCallback: callbackPath == "/",
	}
	mux := http.NewServeMux()
	if opts.Stack == StackAuthJS {
		a.authJSRoutes(mux)
		return mux
	}
	mux.HandleFunc("GET /{$}", a.home)
	mux.HandleFunc("GET /privacy", a.privacy)
	mux.HandleFunc("GET /connect", a.connect)
	if callbackPath != "/" {
		mux.HandleFunc("GET "+callbackPath, a.callback)
	} // else home hands callbacks over, as a quickstart-style http://localhost:8085/ needs
	mux.HandleFunc("GET /dashboard", a.dashboard)
	mux.HandleFunc("POST /pins", a.createPin)
	mux.HandleFunc("POST /disconnect", a.disconnect)
	mux.HandleFunc("GET /static/planner-pin.svg", servePinImage)
	return mux
}
