package fakepinterest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestAuthorizeRejectsWithErrorPageAndNoRedirect(t *testing.T) {
	f := newFixture(t)
	good := authorizeQuery(trialApp, "boards:read,pins:read", "xyz")
	with := func(key, value string) url.Values {
		q := url.Values{}
		for k, v := range good {
			q[k] = v
		}
		q.Set(key, value)
		return q
	}
	tests := []struct {
		name  string
		query url.Values
		want  string
	}{
		{"unknown client_id", with("client_id", "999"), "Invalid client_id"},
		{"missing client_id", with("client_id", ""), "Invalid client_id"},
		{"unregistered redirect_uri", with("redirect_uri", "http://evil.test/oauth/callback"), "Invalid redirect_uri"},
		{"redirect_uri differs by a trailing slash", with("redirect_uri", "http://acme-pins.test/oauth/callback/"), "Invalid redirect_uri"},
		{"another app's redirect_uri", with("redirect_uri", standardApp.RedirectURIs[0]), "Invalid redirect_uri"},
		{"response_type token", with("response_type", "token"), "Invalid response_type"},
		{"response_type missing", with("response_type", ""), "Invalid response_type"},
		{"unknown scope", with("scope", "boards:read,pins:delete_everything"), "Invalid scope"},
		{"space-separated scopes", with("scope", "boards:read pins:read"), "Invalid scope"},
		{"no scope", with("scope", ""), "Invalid scope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := f.do("GET", DefaultWebHost, "/oauth/?"+tt.query.Encode(), nil, nil)
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("status %d, want 400", resp.StatusCode)
			}
			if loc := resp.Header.Get("Location"); loc != "" {
				t.Errorf("redirected to %s; an invalid request must stay on Pinterest", loc)
			}
			if !strings.Contains(body, tt.want) {
				t.Errorf("error page does not say %q:\n%s", tt.want, body)
			}
		})
	}
}

func TestConsentPageShowsAppScopesUserAndButtons(t *testing.T) {
	f := newFixture(t)
	scope := "boards:read,boards:write,pins:read,pins:write,user_accounts:read"
	resp, body := f.do("GET", DefaultWebHost, "/oauth/?"+authorizeQuery(trialApp, scope, "xyz").Encode(), nil, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200", resp.StatusCode)
	}
	for _, want := range []string{
		"<h1>Give access to Acme Pin Planner?</h1>",
		"Acme Pin Planner wants to access your Pinterest account",
		"Signed in as Ada Lovelace (@ada_pins)",
		"See your public boards, including group boards you join",
		"Create, update, or delete your public Pins",
		"See your user accounts and followers",
		`id="give-access" name="action" value="allow">Give access</button>`,
		`id="cancel" name="action" value="cancel">Cancel</button>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("consent page lacks %q", want)
		}
	}
	for _, external := range []string{"src=", "<link", "<script"} {
		if strings.Contains(body, external) {
			t.Errorf("consent page has %q; it must need no other resource and no JS", external)
		}
	}
}

func TestAcceptsEveryV5Scope(t *testing.T) {
	f := newFixture(t)
	all := "ads:read,ads:write,billing:read,billing:write,biz_access:read,biz_access:write,boards:read,boards:read_secret," +
		"boards:write,boards:write_secret,catalogs:read,catalogs:write,msot:write,pins:read,pins:read_secret,pins:write," +
		"pins:write_secret,user_accounts:read,user_accounts:write"
	resp, body := f.do("GET", DefaultWebHost, "/oauth/?"+authorizeQuery(trialApp, all, "").Encode(), nil, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200:\n%s", resp.StatusCode, body)
	}
	if n := strings.Count(body, `class="scope-id"`); n != 19 {
		t.Errorf("consent page lists %d scopes, want 19", n)
	}
}

func TestApproveRedirectsWithCodeAndSameState(t *testing.T) {
	f := newFixture(t)
	loc := f.answer(authorizeQuery(trialApp, "boards:read", "st&te=with/odd+chars"), "allow")
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != trialApp.RedirectURIs[0] {
		t.Errorf("redirected to %s, want %s", got, trialApp.RedirectURIs[0])
	}
	if loc.Query().Get("code") == "" {
		t.Errorf("no code in %s", loc)
	}
	if got := loc.Query().Get("state"); got != "st&te=with/odd+chars" {
		t.Errorf("state = %q, want it echoed unchanged", got)
	}
}

func TestApproveWithoutStateOmitsState(t *testing.T) {
	f := newFixture(t)
	loc := f.answer(authorizeQuery(trialApp, "boards:read", ""), "allow")
	if loc.Query().Has("state") {
		t.Errorf("redirect %s has a state the app never sent", loc)
	}
}

func TestCancelRedirectsWithAccessDenied(t *testing.T) {
	f := newFixture(t)
	loc := f.answer(authorizeQuery(trialApp, "boards:read", "abc"), "cancel")
	q := loc.Query()
	if q.Get("error") != "access_denied" || q.Get("state") != "abc" || q.Has("code") {
		t.Errorf("cancel redirected to %s, want error=access_denied&state=abc and no code", loc)
	}
}

func TestConsentFormIsSingleUse(t *testing.T) {
	f := newFixture(t)
	_, body := f.do("GET", DefaultWebHost, "/oauth/?"+authorizeQuery(trialApp, "boards:read", "abc").Encode(), nil, nil)
	form := url.Values{"consent": {consentField.FindStringSubmatch(body)[1]}, "action": {"allow"}}
	for i, want := range []int{http.StatusFound, http.StatusBadRequest} {
		resp, _ := f.do("POST", DefaultWebHost, "/oauth/", strings.NewReader(form.Encode()), formHeader())
		if resp.StatusCode != want {
			t.Errorf("answer %d: status %d, want %d", i+1, resp.StatusCode, want)
		}
	}
}

func TestForgedConsentIsRejected(t *testing.T) {
	f := newFixture(t)
	form := url.Values{"consent": {"0123456789abcdef"}, "action": {"allow"}}
	resp, _ := f.do("POST", DefaultWebHost, "/oauth/", strings.NewReader(form.Encode()), formHeader())
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
		t.Errorf("forged consent: status %d, Location %q; want 400 and no redirect", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestRoutesByHostThenByPath(t *testing.T) {
	f := newFixture(t)
	q := "/oauth/?" + authorizeQuery(trialApp, "boards:read", "").Encode()
	tests := []struct {
		name, host, path string
		want             int
	}{
		{"web host", DefaultWebHost, q, http.StatusOK},
		{"any www. host", "www.pinterest.com:8443", q, http.StatusOK},
		{"bare loopback, /oauth/", "127.0.0.1:8085", q, http.StatusOK},
		{"API host has no consent page", DefaultAPIHost, q, http.StatusNotFound},
		{"sandbox host has no consent page", DefaultSandboxHost, q, http.StatusNotFound},
		{"bare loopback, /v5/ is the API", "127.0.0.1:8085", "/v5/user_account", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, _ := f.do("GET", tt.host, tt.path, nil, nil)
			if resp.StatusCode != tt.want {
				t.Errorf("GET %s%s: status %d, want %d", tt.host, tt.path, resp.StatusCode, tt.want)
			}
		})
	}
}

// Pinterest's quickstart scripts send consumer_id instead of client_id,
// with a refreshable flag, and Pinterest accepts them: so does the fake.
func TestAcceptsTheQuickstartsConsumerID(t *testing.T) {
	f := newFixture(t)
	q := authorizeQuery(trialApp, "user_accounts:read", "")
	q.Set("consumer_id", q.Get("client_id"))
	q.Del("client_id")
	q.Set("refreshable", "True")
	loc := f.answer(q, "allow")
	if loc.Query().Get("code") == "" {
		t.Errorf("no code in %s", loc)
	}
}
