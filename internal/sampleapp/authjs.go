package sampleapp

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Stacks the sample app can be built like. The flows differ the way real
// apps' do, so pinready's judgement is tested against both shapes.
const (
	// StackGo is a server-rendered Go app: GET /connect redirects to
	// Pinterest, and the callback page itself shows the connected dashboard.
	StackGo = ""
	// StackAuthJS behaves like a Next.js app on Auth.js (NextAuth), the
	// commonest way JavaScript apps add "Connect Pinterest": the button posts
	// a form carrying a CSRF token (double-submit cookie) to
	// /api/auth/signin/pinterest, which redirects to Pinterest's authorize
	// page without its trailing slash; Pinterest calls back
	// /api/auth/callback/pinterest, which answers 302 to /dashboard; the
	// dashboard is a shell whose script reads /api/auth/session and the
	// boards with fetch. Tokens stay on the server: the session JSON carries
	// the user's name only.
	StackAuthJS = "authjs"
)

// AuthJSCallbackPath is where an Auth.js app registers its redirect URI.
const AuthJSCallbackPath = "/api/auth/callback/pinterest"

// csrfCookie holds the anonymous visitor's CSRF token, as Auth.js's
// authjs.csrf-token cookie does; the sign-in form posts it back.
const csrfCookie = "authjs.csrf-token"

func (a *app) authJSRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", a.home)
	mux.HandleFunc("GET /privacy", a.privacy)
	mux.HandleFunc("GET /api/auth/csrf", a.authJSCSRF)
	mux.HandleFunc("POST /api/auth/signin/pinterest", a.authJSSignIn)
	mux.HandleFunc("GET "+AuthJSCallbackPath, a.authJSCallback)
	mux.HandleFunc("GET /api/auth/session", a.authJSSession)
	mux.HandleFunc("GET /api/pinterest/boards", a.authJSBoards)
	mux.HandleFunc("GET /dashboard", a.authJSDashboard)
	mux.HandleFunc("GET /static/planner-pin.svg", servePinImage)
}

// csrfToken is the visitor's CSRF token, set as a cookie when it has none.
func csrfToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	t, err := randomString()
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: t, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	return t
}

func (a *app) authJSCSRF(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"csrfToken": csrfToken(w, r)})
}

// authJSSignIn checks the form's CSRF token against the cookie, binds a
// fresh state and PKCE verifier to the browser, and redirects to Pinterest.
func (a *app) authJSSignIn(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(csrfCookie)
	if err != nil || c.Value == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostFormValue("csrfToken"))) != 1 {
		a.message(w, http.StatusForbidden, "Please try again", "This sign-in form expired. Reload the page and press Connect Pinterest again.")
		return
	}
	a.connect(w, r)
}

// authJSCallback finishes the flow like Auth.js: verify, exchange, keep the
// tokens on the server, then 302 to the dashboard.
func (a *app) authJSCallback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	id, s, ok := a.sessions.get(r)
	if !ok || s.state == "" || subtle.ConstantTimeCompare([]byte(s.state), []byte(q.Get("state"))) != 1 {
		a.message(w, http.StatusBadRequest, "We couldn't verify this sign-in",
			"This Pinterest sign-in was not started from this browser, or it was already used. Please connect again from the start.")
		return
	}
	if q.Get("error") != "" || q.Get("code") == "" {
		a.sessions.update(id, func(s *session) { s.state, s.verifier = "", "" })
		http.Redirect(w, r, "/?error=OAuthCallback", http.StatusFound)
		return
	}
	ctx := context.WithValue(r.Context(), oauth2.HTTPClient, a.opts.HTTPClient)
	t, err := a.oauth.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(s.verifier))
	if err != nil {
		a.message(w, http.StatusBadGateway, "Pinterest could not connect", "exchange the authorization code: "+exchangeProblem(err))
		return
	}
	username, err := a.api.username(r.Context(), t.AccessToken)
	if err != nil {
		a.message(w, http.StatusBadGateway, "Pinterest could not connect", err.Error())
		return
	}
	csrf, err := randomString()
	if err != nil {
		a.message(w, http.StatusInternalServerError, "Something went wrong", "Please connect again.")
		return
	}
	if err := a.sessions.put(w, r, id, session{csrf: csrf, access: t.AccessToken, refresh: t.RefreshToken, username: username}); err != nil {
		a.message(w, http.StatusInternalServerError, "Something went wrong", "Please connect again.")
		return
	}
	http.Redirect(w, r, "/dashboard", http.StatusFound)
}

// authJSSession is what the page's script may read: who is signed in, never
// a token (the leak pinready's oauth.token-exposure looks for is putting
// accessToken here).
func (a *app) authJSSession(w http.ResponseWriter, r *http.Request) {
	_, s, ok := a.sessions.get(r)
	if !ok || !s.connected() {
		writeJSON(w, http.StatusOK, map[string]any{})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"user":    map[string]string{"name": s.username},
		"expires": time.Now().Add(sessionIdle).UTC().Format(time.RFC3339),
	})
}

// authJSBoards reads the boards on the server and hands the page their
// names only.
func (a *app) authJSBoards(w http.ResponseWriter, r *http.Request) {
	_, s, ok := a.sessions.get(r)
	if !ok || !s.connected() {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "not connected"})
		return
	}
	boards, err := a.api.boards(r.Context(), s.access)
	if err != nil {
		writeJSON(w, http.StatusBadGateway, map[string]string{"error": err.Error()})
		return
	}
	type item struct {
		Name     string `json:"name"`
		PinCount int    `json:"pin_count"`
	}
	items := []item{}
	for _, b := range boards {
		items = append(items, item{b.Name, b.PinCount})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// authJSDashboard is the client-rendered dashboard: the live data appears
// only once the script has read it.
func (a *app) authJSDashboard(w http.ResponseWriter, r *http.Request) {
	if _, s, ok := a.sessions.get(r); !ok || !s.connected() {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	p := a.page("Dashboard — " + a.opts.Name)
	a.render(w, http.StatusOK, "spa-dashboard.html", p)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// authorizeEndpoint is Pinterest's authorize URL as the stack writes it:
// Auth.js's Pinterest provider leaves the trailing slash out.
func authorizeEndpoint(o Options) string {
	if o.Stack == StackAuthJS {
		return strings.TrimSuffix(o.AuthorizeURL, "/")
	}
	return o.AuthorizeURL
}
