package oauthflow

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pinready/pinready/checks"
)

// loadRules reads the repository's rules.yaml, so these tests run against the
// parameters users get.
func loadRules(t *testing.T) *checks.Ruleset {
	t.Helper()
	rs, err := checks.ReadRules("../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func testConfig(t *testing.T) *checks.Config {
	t.Helper()
	cfg, err := checks.ParseConfig("pinready.yaml", []byte(`
app:
  name: Acme Pin Planner
  id: "1500001"
  website: https://acme.example/
  scopes: [boards:read, pins:read, pins:write]
  redirect_uris: [https://acme.example/oauth/callback]
oauth:
  steps:
    - fill: "#email"
      value: ann@acme.example
    - fill: "#password"
      value_env: ACME_PASSWORD
  success_text: Your boards
`))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

const goodState = "Zk3v9QpL2mXw8RtY"

// goodTrace is a compliant flow; each case below breaks one thing.
func goodTrace() *Trace {
	return &Trace{
		StartURL:     "https://acme.example/",
		AuthorizeURL: "https://www.pinterest.com/oauth/",
		Steps: []StepRecord{
			{Name: "open-app", Tab: "tab", URL: "https://acme.example/", Screenshot: "01-open-app.png"},
			{Name: "connect", Tab: "tab", URL: "https://acme.example/", Screenshot: "02-connect.png"},
			{Name: "consent", Tab: "tab", URL: "https://www.pinterest.com/oauth/?client_id=1500001", Screenshot: "03-consent.png"},
		},
		Navigations: []Navigation{
			{Tab: "tab", Step: "open-app", URL: "https://acme.example/", Status: 200, Initiator: "other"},
			{Tab: "tab", Step: "connect", URL: "https://acme.example/connect", Status: 302, Initiator: "parser"},
		},
		Authorize: &Authorize{
			Tab: "tab", URL: "https://www.pinterest.com/oauth/?client_id=1500001&…",
			ClientID: "1500001", RedirectURI: "https://acme.example/oauth/callback", ResponseType: "code",
			Scope: "boards:read,pins:read", State: goodState, HasState: true,
		},
		Consent:  Consent{Shown: true, Approved: true, URL: "https://www.pinterest.com/oauth/?client_id=1500001", Status: 200},
		Callback: &Callback{Tab: "tab", URL: "https://acme.example/oauth/callback?code=ab12…&state=" + goodState, Status: 200, HasCode: true, Code: "ab12…", State: goodState, HasState: true},
		Success:  Success{Proof: `text "Your boards"`, Found: true, URL: "https://acme.example/oauth/callback"},
		Pages: []PageText{
			{Tab: "tab", Step: "open-app", URL: "https://acme.example/", Text: "Acme Pin Planner. We never ask for your password.", BeforeAuthorize: true},
			{Tab: "tab", Step: "callback", URL: "https://acme.example/oauth/callback", Text: "Your boards: Dinners"},
		},
		Snapshots: []Snapshot{{When: "end", Origin: "https://acme.example", LocalStorage: map[string]string{"theme": "dark"}}},
	}
}

func TestAssess(t *testing.T) {
	rs := loadRules(t)
	cases := []struct {
		name   string
		edit   func(*Trace)
		rule   string
		status checks.Status
		msg    string // part of the message
	}{
		{"compliant passes authorize", nil, "oauth.authorize", checks.StatusPass, "authorize page"},
		{"popup is fine", func(t *Trace) { t.Popup = true }, "oauth.authorize", checks.StatusPass, "popup"},
		{"never reached authorize", func(t *Trace) {
			t.Authorize, t.Callback = nil, nil
			t.Stalled = &Stall{Step: "connect", URL: "https://acme.example/", Reason: "#connect did not appear within 2s", Screenshot: "02-connect.png"}
		}, "oauth.authorize", checks.StatusFail, "stopped at step connect at https://acme.example/: #connect did not appear"},
		{"wrong client_id", func(t *Trace) { t.Authorize.ClientID = "999" }, "oauth.client-id", checks.StatusFail, `client_id is "999"`},
		{"no client_id", func(t *Trace) { t.Authorize.ClientID = "" }, "oauth.client-id", checks.StatusFail, "no client_id"},
		{"right client_id", nil, "oauth.client-id", checks.StatusPass, "1500001"},
		{"implicit grant", func(t *Trace) { t.Authorize.ResponseType = "token" }, "oauth.response-type", checks.StatusFail, "implicit grant"},
		{"code grant", nil, "oauth.response-type", checks.StatusPass, "response_type=code"},
		{"unregistered redirect", func(t *Trace) { t.Authorize.RedirectURI = "https://acme.example/cb" }, "oauth.redirect-uri", checks.StatusFail, "not one of the registered"},
		{"trailing slash is a near miss", func(t *Trace) { t.Authorize.RedirectURI = "https://acme.example/oauth/callback/" }, "oauth.redirect-uri", checks.StatusFail, "trailing slash"},
		{"registered redirect", nil, "oauth.redirect-uri", checks.StatusPass, "is registered"},
		{"http public redirect", func(t *Trace) { t.Authorize.RedirectURI = "http://acme.example.com/cb" }, "oauth.redirect-https", checks.StatusFail, "plain HTTP on a public host"},
		{"http loopback redirect", func(t *Trace) { t.Authorize.RedirectURI = "http://localhost:8085/" }, "oauth.redirect-https", checks.StatusPass, "loopback"},
		{"http 127.0.0.1 redirect", func(t *Trace) { t.Authorize.RedirectURI = "http://127.0.0.1:8085/" }, "oauth.redirect-https", checks.StatusPass, "loopback"},
		{"http .test redirect", func(t *Trace) { t.Authorize.RedirectURI = "http://acme.test:8080/cb" }, "oauth.redirect-https", checks.StatusPass, "reserved test name"},
		{"https redirect", nil, "oauth.redirect-https", checks.StatusPass, "HTTPS"},
		{"no state", func(t *Trace) { t.Authorize.State, t.Authorize.HasState = "", false }, "oauth.state", checks.StatusFail, "no state"},
		{"short state", func(t *Trace) { t.Authorize.State = "abc123" }, "oauth.state", checks.StatusFail, "guessable: about 24 bits of randomness (6 characters from an alphabet of 16 (hexadecimal)); use at least 60"},
		{"static state", func(t *Trace) { t.SecondAuthorize = &Authorize{State: goodState, HasState: true} }, "oauth.state", checks.StatusFail, "same state"},
		{"fresh state twice", func(t *Trace) { t.SecondAuthorize = &Authorize{State: "another-random-value-42", HasState: true} }, "oauth.state", checks.StatusPass, "second connect"},
		{"state not echoed", func(t *Trace) { t.Callback.State = "other" }, "oauth.state", checks.StatusFail, "not the one sent"},
		{"state ok", nil, "oauth.state", checks.StatusPass, "came back unchanged"},
		{"space-separated scopes", func(t *Trace) { t.Authorize.Scope = "boards:read pins:read" }, "oauth.scopes", checks.StatusFail, "separated by spaces"},
		{"invalid scope", func(t *Trace) { t.Authorize.Scope = "boards:read,read_public" }, "oauth.scopes", checks.StatusFail, "not Pinterest v5 scopes: read_public"},
		{"undeclared scope", func(t *Trace) { t.Authorize.Scope = "boards:read,ads:read" }, "oauth.scopes", checks.StatusFail, "not in app.scopes: ads:read"},
		{"no scope", func(t *Trace) { t.Authorize.Scope = "" }, "oauth.scopes", checks.StatusFail, "no scope"},
		{"declared scopes", nil, "oauth.scopes", checks.StatusPass, "boards:read,pins:read"},
		{"password field", func(t *Trace) {
			t.Fields = []FormField{{Step: "connect", URL: "https://acme.example/connect", Type: "password", Field: "pinterest_password", FormText: "Sign in with your Pinterest account"}}
		}, "oauth.no-credentials", checks.StatusFail, "password field (pinterest_password)"},
		{"own sign-in filled by steps", func(t *Trace) {
			t.Fields = []FormField{{Step: "open-app", URL: "https://acme.example/login", Type: "password", Field: "password", FormText: "Sign in to Acme", FilledByStep: true}}
		}, "oauth.no-credentials", checks.StatusPass, "no app page"},
		{"own sign-in that names Pinterest", func(t *Trace) {
			t.Fields = []FormField{{Step: "open-app", URL: "https://acme.example/login", Type: "password", Field: "password", FormText: "Your Pinterest password", FilledByStep: true}}
		}, "oauth.no-credentials", checks.StatusFail, "password field"},
		{"session cookie prompt", func(t *Trace) {
			t.Fields = []FormField{{Step: "connect", URL: "https://acme.example/connect", Type: "textarea", Field: "cookie", FormText: "Paste your _pinterest_sess cookie here to connect"}}
		}, "oauth.no-credentials", checks.StatusFail, `asking for "_pinterest_sess"`},
		{"a reassurance in prose is fine", func(t *Trace) {
			t.Pages[0].Text = "We never ask for your Pinterest password"
			t.Fields = []FormField{{Step: "open-app", URL: "https://acme.example/", Type: "email", Field: "newsletter", FormText: "Get our newsletter"}}
		}, "oauth.no-credentials", checks.StatusPass, "no app page"},
		{"consent not shown", func(t *Trace) {
			t.Consent = Consent{URL: "https://www.pinterest.com/oauth/?x", Status: 400, Excerpt: "Invalid redirect_uri"}
			t.Callback = nil
		}, "oauth.consent", checks.StatusFail, "HTTP 400"},
		{"consent approved", nil, "oauth.consent", checks.StatusPass, "approved"},
		{"callback elsewhere", func(t *Trace) { t.Callback.URL = "https://evil.example/cb?code=ab12…" }, "oauth.callback", checks.StatusFail, "not a registered redirect URI"},
		{"callback without code", func(t *Trace) { t.Callback.HasCode, t.Callback.Error = false, "access_denied" }, "oauth.callback", checks.StatusFail, "error=access_denied"},
		{"callback wrong state", func(t *Trace) { t.Callback.State = "x" }, "oauth.callback", checks.StatusFail, "is not the state"},
		{"callback 500", func(t *Trace) { t.Callback.Status = 500 }, "oauth.callback", checks.StatusFail, "HTTP 500"},
		{"callback redirects on", func(t *Trace) {
			t.Callback.Status, t.Callback.RedirectedTo = 302, "https://acme.example/dashboard?tab=%20x"
		},
			"oauth.callback", checks.StatusPass, "and the same state; the callback answered 302 to /dashboard?tab=%20x"},
		{"callback hop in the video", func(t *Trace) {
			t.Callback.Status, t.Callback.RedirectedTo, t.Callback.Video = 302, "https://acme.example/dashboard", VideoRedirectHop
		}, "oauth.callback", checks.StatusPass, "the callback answered 302 to /dashboard; the video shows the redirect hop with the code"},
		{"callback hop not in the video", func(t *Trace) {
			t.Callback.Status, t.Callback.RedirectedTo, t.Callback.Video = 303, "https://acme.example/home", VideoNotShown
		}, "oauth.callback", checks.StatusPass, "the callback answered 303 to /home; the video does not show the callback URL with the code"},
		{"callback page in the video", func(t *Trace) { t.Callback.Video = VideoPage }, "oauth.callback", checks.StatusPass, "; the video shows the callback URL with the code in the address bar"},
		{"never came back", func(t *Trace) {
			t.Callback = nil
			t.Stalled = &Stall{Step: "approve", URL: "https://www.pinterest.com/oauth/", Reason: "no navigation within 2s"}
		}, "oauth.callback", checks.StatusFail, "stopped at step approve"},
		{"token in fragment", func(t *Trace) {
			t.Exposures = []Exposure{{Where: "url", URL: "https://acme.example/#access_token=•••", Pattern: "token-parameter"}}
		}, "oauth.token-exposure", checks.StatusFail, "url of https://acme.example/#access_token=•••"},
		{"token in a session endpoint", func(t *Trace) {
			t.Exposures = []Exposure{{Where: "response", URL: "https://acme.example/api/auth/session", Endpoint: "GET /api/auth/session", Path: "$.accessToken", Pattern: "pinterest-token"}}
		}, "oauth.token-exposure", checks.StatusFail, "fetch/XHR response GET /api/auth/session → $.accessToken"},
		{"token posted to the opener", func(t *Trace) {
			t.Exposures = []Exposure{{Where: "postMessage", URL: "https://acme.example/", Endpoint: "https://popup.acme.example", Path: "$.token", Pattern: "pinterest-token"}}
		}, "oauth.token-exposure", checks.StatusFail, "postMessage from https://popup.acme.example to https://acme.example/ → $.token"},
		{"no token", func(t *Trace) { t.Network = NetworkSeen{Responses: 3, Documents: 2, Frames: 1} },
			"oauth.token-exposure", checks.StatusPass, "no token in 2 URLs, 2 page texts, 2 HTML sources, 1 storage snapshots, 0 console messages, 3 fetch/XHR responses, 1 WebSocket frames or 0 postMessage payloads"},
		{"live data", nil, "demo.live-integration", checks.StatusPass, `text "Your boards"`},
		{"no live data", func(t *Trace) { t.Success.Found = false }, "demo.live-integration", checks.StatusFail, "never showed"},
		{"no proof configured", func(t *Trace) { t.Success = Success{} }, "demo.live-integration", checks.StatusFail, "success_text"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr := goodTrace()
			if c.edit != nil {
				c.edit(tr)
			}
			f := findingFor(t, Assess(testConfig(t), rs, tr), c.rule)
			if f.Status != c.status || !strings.Contains(f.Message, c.msg) {
				t.Errorf("%s: got %s %q, want %s containing %q", c.rule, f.Status, f.Message, c.status, c.msg)
			}
		})
	}
}

// The compliant trace passes every rule, and every rule has one finding.
func TestAssessCompliantPassesAll(t *testing.T) {
	got := Assess(testConfig(t), loadRules(t), goodTrace())
	var ids []string
	for _, f := range got {
		ids = append(ids, f.Rule)
		if f.Status != checks.StatusPass {
			t.Errorf("%s: %s %s", f.Rule, f.Status, f.Message)
		}
	}
	if !reflect.DeepEqual(ids, Rules) {
		t.Errorf("finding ids %v, want %v", ids, Rules)
	}
}

// A flow that stalled is one root cause: oauth.authorize fails with where
// it stopped, the screenshot and the config key that drives that step; every
// rule that needed the flow to go on is a skip blocked by it.
func TestAssessStalledSaysWhere(t *testing.T) {
	cfg := testConfig(t)
	tr := &Trace{AuthorizeURL: "https://www.pinterest.com/oauth/", Success: Success{Proof: `text "Your boards"`},
		Stalled: &Stall{Step: "step-2", URL: "https://acme.example/login", Reason: `"#password" did not appear within 2s`, Screenshot: "ev/02-step-2.png"}}
	for _, f := range Assess(cfg, loadRules(t), tr) {
		switch f.Rule {
		case "oauth.redirect-https":
			continue // judged from the registered URI, which needs no flow
		case "oauth.authorize":
			if f.Status != checks.StatusFail {
				t.Errorf("%s: %s, want fail", f.Rule, f.Status)
			}
			if f.Evidence == nil || f.Evidence.Screenshot != "ev/02-step-2.png" || !strings.Contains(f.Message, "step step-2 at https://acme.example/login") {
				t.Errorf("%s: %q evidence %+v does not say where", f.Rule, f.Message, f.Evidence)
			}
			if f.Field != "oauth.steps[1]" {
				t.Errorf("%s: field %q, want oauth.steps[1]", f.Rule, f.Field)
			}
		default:
			if f.Status != checks.StatusSkip || f.BlockedBy != "oauth.authorize" || f.Message != "not reached: oauth.authorize failed" {
				t.Errorf("%s: %s %q blocked by %q, want a skip blocked by oauth.authorize", f.Rule, f.Status, f.Message, f.BlockedBy)
			}
		}
	}
}

// Pinterest refusing the authorize request (HTTP 400) is one failure, of
// oauth.consent; what needed the consent is blocked by it, and what the
// authorize URL itself shows is still judged.
func TestAssessAuthorizeRefusedFailsConsentOnly(t *testing.T) {
	cfg := testConfig(t)
	tr := &Trace{AuthorizeURL: "https://www.pinterest.com/oauth/", Success: Success{Proof: `text "Your boards"`},
		Authorize: &Authorize{Tab: "tab", URL: "https://www.pinterest.com/oauth/?client_id=1500001&state=" + strings.Repeat(goodState, 28)[:435],
			ClientID: "1500001", RedirectURI: "https://acme.example/oauth/callback", ResponseType: "code",
			Scope: "boards:read,pins:read", State: strings.Repeat(goodState, 28)[:435], HasState: true},
		Consent: Consent{URL: "https://www.pinterest.com/oauth/", Status: 400, Excerpt: "Invalid request"},
		Stalled: &Stall{Step: "consent", URL: "https://www.pinterest.com/oauth/", Reason: "no approve control"}}
	failing := map[string]bool{}
	for _, f := range Assess(cfg, loadRules(t), tr) {
		switch f.Status {
		case checks.StatusFail:
			failing[f.Rule] = true
		case checks.StatusSkip:
			if f.BlockedBy != "oauth.consent" {
				t.Errorf("%s: skipped %q, want blocked by oauth.consent", f.Rule, f.Message)
			}
		}
	}
	if !failing["oauth.consent"] || len(failing) != 1 {
		t.Errorf("failing %v, want oauth.consent only", failing)
	}
}

// A user's extra pattern runs over the masked evidence, and the built-in
// grammar's exposures still count.
func TestAssessUserPattern(t *testing.T) {
	rs := loadRules(t)
	if err := rs.Extend("mine.yaml", []byte(`rules:
  - id: oauth.token-exposure
    params:
      patterns: ['\bacme_sess_[a-z0-9]{8,}']
`)); err != nil {
		t.Fatal(err)
	}
	tr := goodTrace()
	tr.Console = []ConsoleEntry{{Tab: "tab", Type: "log", Text: "session acme_sess_0123456789abcdef", URL: "https://acme.example/app.js"}}
	f := findingFor(t, Assess(testConfig(t), rs, tr), "oauth.token-exposure")
	if f.Status != checks.StatusFail || !strings.Contains(f.Message, "console of https://acme.example/app.js") {
		t.Errorf("the user's pattern did not run: %s %q", f.Status, f.Message)
	}
	tr.Exposures = []Exposure{{Where: "cookie", URL: "https://acme.example", Pattern: "pinterest-token"}}
	f = findingFor(t, Assess(testConfig(t), rs, tr), "oauth.token-exposure")
	if f.Status != checks.StatusFail || !strings.Contains(f.Message, "cookie of https://acme.example") {
		t.Errorf("the built-in grammar's exposure was dropped: %s %q", f.Status, f.Message)
	}
}

// oauth.state judges the state's randomness, not its length: estimated
// from its length and the smallest common alphabet that holds it, against
// rules.yaml's min_bits (60). django-allauth's 12 letters and digits pass
// (even a sample that lacks one letter case); 8 of them, a timestamp, a
// run of one character or a constant warn.
func TestAssessStateEntropy(t *testing.T) {
	for _, tt := range []struct {
		name, state, second string
		status              checks.Status
		msg                 string
	}{
		{"allauth's 12 letters and digits", "qW3e9RtY2uIo", "", checks.StatusPass, "12 characters (at least 60 bits"},
		{"12 letters and digits, one case missing", "k3j5h7g9f2d4", "", checks.StatusPass, "at least 60 bits"},
		{"16 hexadecimal", "9f86d081884c7d65", "", checks.StatusPass, "16 characters (at least 60 bits"},
		{"token_urlsafe(12)", "X2dT_9q-Lm0aZ8Rb", "", checks.StatusPass, "16 characters"},
		{"a UUID", "0b7e1a5c-3f2d-4c8e-9a1b-6d5f4e3c2b1a", "", checks.StatusPass, "36 characters"},
		{"8 letters and digits", "qW3e9RtY", "", checks.StatusFail, "about 48 bits of randomness (8 characters from an alphabet of 62 (letters and digits)); use at least 60"},
		{"a timestamp", "1732790400123", "", checks.StatusFail, "about 43 bits"},
		{"one repeated character", strings.Repeat("a", 24), "", checks.StatusFail, "about 0 bits"},
		{"a constant", "qW3e9RtY2uIo", "qW3e9RtY2uIo", checks.StatusFail, "same state"},
		{"two samples widen the alphabet", "k3j5h7g9f2d4", "Q8W2E4R6T1Y3", checks.StatusPass, "a second connect sent a different one"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tr := goodTrace()
			tr.Authorize.State, tr.Callback.State = tt.state, tt.state
			if tt.second != "" {
				tr.SecondAuthorize = &Authorize{State: tt.second, HasState: true}
			}
			f := findingFor(t, Assess(testConfig(t), loadRules(t), tr), "oauth.state")
			if f.Status != tt.status || !strings.Contains(f.Message, tt.msg) {
				t.Errorf("oauth.state: %s %q, want %s containing %q", f.Status, f.Message, tt.status, tt.msg)
			}
		})
	}
}

// Rules files written for pinready 0.1 set oauth.state's min_length: they
// still load, and the length they ask for is still required.
func TestAssessStateMinLengthStillHonoured(t *testing.T) {
	rs := loadRules(t)
	if err := rs.Extend("old.yaml", []byte("rules:\n  - id: oauth.state\n    params:\n      min_length: 16\n")); err != nil {
		t.Fatalf("a 0.1 rules file no longer loads: %v", err)
	}
	tr := goodTrace()
	tr.Authorize.State, tr.Callback.State = "qW3e9RtY2uIo", "qW3e9RtY2uIo"
	f := findingFor(t, Assess(testConfig(t), rs, tr), "oauth.state")
	if f.Status != checks.StatusFail || !strings.Contains(f.Message, "has 12 characters; use at least 16") {
		t.Errorf("oauth.state with min_length 16: %s %q", f.Status, f.Message)
	}
}

// defaultParams must say what rules.yaml says, since Assess falls back on them.
func TestDefaultParamsMatchRules(t *testing.T) {
	rs := loadRules(t)
	for id, want := range defaultParams() {
		got := rs.Get(id).Params
		for k, v := range want {
			if !reflect.DeepEqual(got[k], v) {
				t.Errorf("%s.%s: rules.yaml has %v, defaultParams %v", id, k, got[k], v)
			}
		}
	}
}

func findingFor(t *testing.T, fs []checks.Finding, rule string) checks.Finding {
	t.Helper()
	for _, f := range fs {
		if f.Rule == rule {
			return f
		}
	}
	t.Fatalf("no finding for %s", rule)
	return checks.Finding{}
}

// Chromium's network error codes reach the user in words, with the host.
func TestHumanReason(t *testing.T) {
	for in, want := range map[string]string{
		"could not open https://shop.example/: page load error net::ERR_NAME_NOT_RESOLVED": "could not open https://shop.example/: the host name shop.example does not resolve (DNS)",
		"could not open http://a.test:8080/x: page load error net::ERR_CONNECTION_REFUSED": "could not open http://a.test:8080/x: a.test refused the connection (nothing listens on that port)",
		`"#password" did not appear within 2s`:                                             `"#password" did not appear within 2s`,
		"page load error net::ERR_SOMETHING_NEW":                                           "page load error net::ERR_SOMETHING_NEW",
	} {
		if got := humanReason(in); got != want {
			t.Errorf("humanReason(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}

// PKCE without state (Auth.js's default) is named for what it is: Pinterest
// does not document PKCE, so state must still be sent; plain PKCE is called
// out, with or without state.
func TestAssessPKCE(t *testing.T) {
	cfg := testConfig(t)
	base := func(state string, pkce *PKCE) *Trace {
		return &Trace{AuthorizeURL: "https://www.pinterest.com/oauth/",
			Authorize: &Authorize{Tab: "tab", URL: "https://www.pinterest.com/oauth/?client_id=1500001", ClientID: "1500001",
				RedirectURI: "https://acme.example/oauth/callback", ResponseType: "code", Scope: "boards:read",
				State: state, HasState: state != "", PKCE: pkce},
			Consent:  Consent{Shown: true, Approved: true},
			Callback: &Callback{URL: "https://acme.example/oauth/callback?code=x", HasCode: true, Code: "•••", State: state, HasState: state != ""}}
	}
	for _, tt := range []struct {
		name   string
		tr     *Trace
		status checks.Status
		want   string
	}{
		{"S256 without state", base("", &PKCE{Method: "S256", Challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"}), checks.StatusFail, `checks: ["pkce", "state"]`},
		{"plain without state", base("", &PKCE{Method: "plain", Challenge: "abc"}), checks.StatusFail, "method plain"},
		{"state and S256", base(goodState+goodState, &PKCE{Method: "S256", Challenge: "x"}), checks.StatusPass, "PKCE (S256) is sent too"},
		{"state and plain", base(goodState+goodState, &PKCE{Method: "plain", Challenge: "x"}), checks.StatusPass, "use S256"},
		{"short state and S256", base("k3j5h7g9", &PKCE{Method: "S256", Challenge: "x"}), checks.StatusFail, "about 41 bits"},
		{"neither", base("", nil), checks.StatusFail, "nothing ties"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, f := range Assess(cfg, loadRules(t), tt.tr) {
				if f.Rule == "oauth.state" && (f.Status != tt.status || !strings.Contains(f.Message, tt.want)) {
					t.Errorf("oauth.state: %s %q, want %s containing %q", f.Status, f.Message, tt.status, tt.want)
				}
			}
		})
	}
	// The parser reads the challenge; a missing method means plain (RFC 7636).
	a := parseAuthorize("https://www.pinterest.com/oauth?client_id=1&code_challenge=abc", &masker{})
	if a.PKCE == nil || a.PKCE.Method != "plain" || a.PKCE.Challenge != "abc" {
		t.Errorf("PKCE parsed as %+v", a.PKCE)
	}
}

// The authorize parameters the rules compare are kept raw in the trace;
// what Assess reports is masked: no userinfo, no token in any message.
func TestAssessMasksMessages(t *testing.T) {
	tr := goodTrace()
	tr.Authorize.RedirectURI = "https://ann:hunter2pw@acme.example/oauth/callback?access_token=pina_RAWTOKEN1234567890"
	for _, f := range Assess(testConfig(t), loadRules(t), tr) {
		text := f.Message
		if f.Evidence != nil {
			text += f.Evidence.URL + f.Evidence.Excerpt
		}
		if strings.Contains(text, "hunter2pw") || strings.Contains(text, "RAWTOKEN") {
			t.Errorf("%s: %q", f.Rule, text)
		}
		if f.Rule == "oauth.redirect-uri" && (f.Status != checks.StatusFail || !strings.Contains(f.Message, "https://•••@acme.example")) {
			t.Errorf("oauth.redirect-uri: %s %q", f.Status, f.Message)
		}
	}
}

// The estimate behind oauth.state, state by state (bits rounded down).
func TestEstimateState(t *testing.T) {
	for _, tt := range []struct {
		samples []string
		bits    int
	}{
		{[]string{"qW3e9RtY2uIo"}, 71},                          // django-allauth: 12 of 62
		{[]string{"k3j5h7g9f2d4"}, 62},                          // the same lacking one case: 12 of 36
		{[]string{"k3j5h7g9f2d4", "Q8W2E4R6T1Y3"}, 71},          // two samples: 62 again
		{[]string{"9f86d081884c7d65"}, 64},                      // 16 hexadecimal
		{[]string{"X2dT_9q-Lm0aZ8Rb"}, 96},                      // base64url, 16 of 64
		{[]string{"0b7e1a5c-3f2d-4c8e-9a1b-6d5f4e3c2b1a"}, 122}, // UUID v4
		{[]string{"qW3e9RtY"}, 47},                              // 8 of 62
		{[]string{"1732790400123"}, 43},                         // a timestamp
		{[]string{"abababababababab"}, 16},                      // 2 characters repeated
		{[]string{"JBSWY3DPEHPK3PXP"}, 80},                      // base32
		{[]string{"state"}, 23},                                 // a word
		{[]string{"é€ü"}, 19},                                   // beyond ASCII: printable's 95
		{[]string{"YWJjZGVmZ2hpamtsbW5vcA=="}, 132},             // base64 with padding: 22 of 64
	} {
		if got := int(estimateState(tt.samples...).bits); got != tt.bits {
			t.Errorf("%v: %d bits (%s), want %d", tt.samples, got, estimateState(tt.samples...).how, tt.bits)
		}
	}
}
