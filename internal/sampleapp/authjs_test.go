package sampleapp_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pinready/pinready/internal/fakepinterest"
	"github.com/pinready/pinready/internal/sampleapp"
)

var signInCSRF = regexp.MustCompile(`name="csrfToken" value="([^"]+)"`)

// The Auth.js-like app: a CSRF-guarded POST starts the flow, the authorize
// URL has no trailing slash and carries state and S256 PKCE, the callback
// answers 302 to the dashboard, and the session JSON the page reads holds
// no token.
func TestAuthJSStackFlow(t *testing.T) {
	w := newStackWorld(t, fakepinterest.AccessTrial, fakepinterest.DefaultSandboxHost, sampleapp.StackAuthJS)
	_, home := w.get(w.appURL + "/")
	token := field(t, signInCSRF, home)
	if !strings.Contains(home, `action="/api/auth/signin/pinterest"`) || !strings.Contains(home, `id="connect-pinterest"`) {
		t.Fatalf("the homepage's Connect Pinterest is not a sign-in form:\n%s", home)
	}

	if resp, _ := w.post(w.appURL+"/api/auth/signin/pinterest", url.Values{"csrfToken": {"forged"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a sign-in without the CSRF token answered %d, want 403", resp.StatusCode)
	}
	resp, err := w.noRedirects().PostForm(w.appURL+"/api/auth/signin/pinterest", url.Values{"csrfToken": {token}, "callbackUrl": {"/dashboard"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	q := loc.Query()
	if resp.StatusCode != http.StatusFound || loc.Path != "/oauth" || len(q.Get("state")) < 32 || q.Get("code_challenge_method") != "S256" {
		t.Fatalf("sign-in: %d to %s; want 302 to /oauth (no slash) with state and S256 PKCE", resp.StatusCode, loc)
	}

	// Pinterest's consent page, approved; the fake sends /oauth on to /oauth/.
	resp, consent := w.get(loc.String())
	form := url.Values{"consent": {field(t, consentField, consent)}, "action": {"allow"}}
	approve, err := w.noRedirects().PostForm(resp.Request.URL.Scheme+"://"+resp.Request.URL.Host+"/oauth/", form)
	if err != nil {
		t.Fatal(err)
	}
	approve.Body.Close()
	cb := approve.Header.Get("Location")
	if !strings.Contains(cb, sampleapp.AuthJSCallbackPath+"?code=") {
		t.Fatalf("approval sent the browser to %q, want the Auth.js callback with a code", cb)
	}
	back, err := w.noRedirects().Get(cb)
	if err != nil {
		t.Fatal(err)
	}
	back.Body.Close()
	if back.StatusCode != http.StatusFound || back.Header.Get("Location") != "/dashboard" {
		t.Fatalf("callback answered %d to %q, want 302 to /dashboard", back.StatusCode, back.Header.Get("Location"))
	}

	_, session := w.get(w.appURL + "/api/auth/session")
	var s struct {
		User struct{ Name string } `json:"user"`
	}
	if err := json.Unmarshal([]byte(session), &s); err != nil || s.User.Name != "ada_pins" {
		t.Fatalf("session %s: %v", session, err)
	}
	_, boards := w.get(w.appURL + "/api/pinterest/boards")
	if !strings.Contains(boards, "Weeknight Dinners") {
		t.Errorf("boards: %s", boards)
	}
	for _, exchange := range w.seen.all() {
		for _, secret := range append(w.fake.IssuedTokens(), clientSecret) {
			if strings.Contains(exchange, secret) {
				t.Errorf("the browser saw a secret in:\n%.600s", exchange)
			}
		}
	}
}
