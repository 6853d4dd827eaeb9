package sampleapp_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pinready/pinready/internal/fakepinterest"
)

func TestConnectListBoardsAndCreatePinWithoutLeakingTokens(t *testing.T) {
	w := newWorld(t, fakepinterest.AccessTrial, fakepinterest.DefaultSandboxHost)

	resp, page := w.connect("allow")
	cb := resp.Request.URL
	if cb.Path != "/oauth/callback" || cb.Query().Get("code") == "" || len(cb.Query().Get("state")) < 32 {
		t.Fatalf("flow ended at %s; want the callback URL with its code and a ≥32-char state still in the address bar", cb)
	}
	for _, want := range []string{"Connected to Pinterest as @ada_pins", "Your boards", "Weeknight Dinners", "Small Garden Ideas", "Cosy Reading Corners", `id="create-pin"`} {
		if !strings.Contains(page, want) {
			t.Errorf("callback page lacks %q", want)
		}
	}

	form := url.Values{"csrf": {field(t, csrfField, page)}, "board_id": {"549755885176"}, "title": {"Herb ladder plan"}, "description": {"Basil and mint."}}
	resp, page = w.post(w.appURL+"/pins", form)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Pin created") || !strings.Contains(page, "Herb ladder plan") || !strings.Contains(page, "Small Garden Ideas") {
		t.Fatalf("create pin: %d\n%s", resp.StatusCode, page)
	}
	if _, page = w.get(w.appURL + "/dashboard"); !strings.Contains(page, "Your boards") {
		t.Errorf("dashboard after connecting does not list boards:\n%s", page)
	}

	secrets := append(w.fake.IssuedTokens(), "pina_", "pinr_", clientSecret)
	if len(secrets) < 5 {
		t.Fatalf("the fake issued %d tokens; the flow did not reach the token exchange", len(secrets)-3)
	}
	for _, exchange := range w.seen.all() {
		for _, s := range secrets {
			if strings.Contains(exchange, s) {
				t.Errorf("the browser saw %q in:\n%.600s", s, exchange)
			}
		}
		for _, line := range strings.Split(exchange, "\n") {
			if strings.HasPrefix(line, "Set-Cookie:") && !strings.Contains(line, "HttpOnly") {
				t.Errorf("cookie readable by scripts: %s", line)
			}
		}
	}
}

// /connect sends the browser to the authorize page the way x/oauth2 builds
// it: client_id first, Pinterest's comma-separated scope, state, and an S256
// PKCE challenge.
func TestAuthorizeRedirectCarriesTheParameters(t *testing.T) {
	w := newWorld(t, fakepinterest.AccessTrial, fakepinterest.DefaultSandboxHost)
	resp, err := w.noRedirects().Get(w.appURL + "/connect")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, "http://www.pinterest.test:"+w.fakePort+"/oauth/?client_id="+clientID+"&") {
		t.Fatalf("/connect: %d Location %q, want 302 to the authorize page", resp.StatusCode, loc)
	}
	u, _ := url.Parse(loc)
	q := u.Query()
	if q.Get("scope") != "boards:read,boards:write,pins:read,pins:write,user_accounts:read" || q.Get("response_type") != "code" ||
		len(q.Get("state")) < 16 || q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43 {
		t.Errorf("Location %q: want response_type=code, a comma-separated scope, a state, and an S256 challenge", loc)
	}
	if u.Query().Get("redirect_uri") != w.appURL+"/oauth/callback" {
		t.Errorf("redirect_uri = %q", u.Query().Get("redirect_uri"))
	}
	var cookie string
	for _, c := range resp.Header.Values("Set-Cookie") {
		cookie += c
	}
	if !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Lax") {
		t.Errorf("session cookie %q is not HttpOnly and SameSite=Lax", cookie)
	}
}

func TestCallbackRejectsStateMismatch(t *testing.T) {
	w := newWorld(t, fakepinterest.AccessTrial, fakepinterest.DefaultSandboxHost)
	if _, err := w.noRedirects().Get(w.appURL + "/connect"); err != nil { // a state now waits in the session
		t.Fatal(err)
	}
	resp, page := w.get(w.appURL + "/oauth/callback?code=abc&state=forged")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, "verify this sign-in") {
		t.Errorf("forged state: %d\n%s", resp.StatusCode, page)
	}
	if n := len(w.fake.IssuedTokens()); n != 0 {
		t.Errorf("the app exchanged a code despite a forged state (%d tokens issued)", n)
	}
}

func TestCallbackWithoutSessionIsRejected(t *testing.T) {
	w := newWorld(t, fakepinterest.AccessTrial, fakepinterest.DefaultSandboxHost)
	resp, _ := w.get(w.appURL + "/oauth/callback?code=abc&state=abc")
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("callback without a session: status %d, want 400", resp.StatusCode)
	}
}

func TestReplayedCallbackIsRejected(t *testing.T) {
	w := newWorld(t, fakepinterest.AccessTrial, fakepinterest.DefaultSandboxHost)
	resp, _ := w.connect("allow")
	again, _ := w.get(resp.Request.URL.String())
	if again.StatusCode != http.StatusBadRequest {
		t.Errorf("replayed callback: status %d, want 400 (a state answers once)", again.StatusCode)
	}
}

func TestCancelShowsNotConnected(t *testing.T) {
	w := newWorld(t, fakepinterest.AccessTrial, fakepinterest.DefaultSandboxHost)
	resp, page := w.connect("cancel")
	if resp.Request.URL.Query().Get("error") != "access_denied" || resp.StatusCode != http.StatusOK || !strings.Contains(page, "Pinterest was not connected") {
		t.Errorf("cancel ended at %s (%d):\n%s", resp.Request.URL, resp.StatusCode, page)
	}
	if strings.Contains(page, "Your boards") {
		t.Errorf("cancelled flow shows boards")
	}
}

func TestDashboardNeedsAConnection(t *testing.T) {
	w := newWorld(t, fakepinterest.AccessTrial, fakepinterest.DefaultSandboxHost)
	resp, page := w.get(w.appURL + "/dashboard")
	if resp.Request.URL.Path != "/" || !strings.Contains(page, "Connect Pinterest") {
		t.Errorf("unconnected /dashboard ended at %s", resp.Request.URL)
	}
}

func TestCreatePinNeedsTheFormToken(t *testing.T) {
	w := newWorld(t, fakepinterest.AccessTrial, fakepinterest.DefaultSandboxHost)
	w.connect("allow")
	resp, page := w.post(w.appURL+"/pins", url.Values{"board_id": {"549755885176"}, "title": {"x"}})
	if resp.StatusCode != http.StatusForbidden || strings.Contains(page, "Pin created") {
		t.Errorf("POST /pins without csrf: %d", resp.StatusCode)
	}
}

func TestDisconnectForgetsTheConnection(t *testing.T) {
	w := newWorld(t, fakepinterest.AccessTrial, fakepinterest.DefaultSandboxHost)
	_, page := w.connect("allow")
	w.post(w.appURL+"/disconnect", url.Values{"csrf": {field(t, csrfField, page)}})
	resp, _ := w.get(w.appURL + "/dashboard")
	if resp.Request.URL.Path != "/" {
		t.Errorf("after disconnecting, /dashboard ended at %s, want the homepage", resp.Request.URL)
	}
}

func TestTrialAppOnProductionShowsPinterestsError(t *testing.T) {
	w := newWorld(t, fakepinterest.AccessTrial, fakepinterest.DefaultAPIHost)
	_, page := w.connect("allow")
	_, page = w.post(w.appURL+"/pins", url.Values{"csrf": {field(t, csrfField, page)}, "board_id": {"549755885176"}, "title": {"x"}})
	if strings.Contains(page, "Pin created") || !strings.Contains(page, "Apps with Trial access may not create Pins in production") {
		t.Errorf("create on production with a Trial app did not show Pinterest's code 29 message:\n%s", page)
	}
}
