package oauthflow

import (
	"strings"
	"testing"

	"github.com/pinready/pinready/checks"
)

// witnessed is goodTrace with what a fake Pinterest saw of it: the consent,
// its answer (the code goodTrace's callback carries), the exchange, and the
// app's calls with the new token. Each case below changes the calls.
func witnessed() *Trace {
	tr := goodTrace()
	tr.Witness = &Witness{URL: "http://www.pinterest.test:8080/_pinready/witness?client_id=1500001", Since: 10, Calls: []WitnessCall{
		{Seq: 10, API: "web", Method: "GET", Path: "/oauth/", Status: 200, ClientID: "1500001", Access: "trial", Authorization: "a1"},
		{Seq: 11, API: "web", Method: "POST", Path: "/oauth/", Status: 302, ClientID: "1500001", Access: "trial", Authorization: "a1", CodeIssued: "ab12…"},
		{Seq: 12, API: "sandbox", Host: "api-sandbox.pinterest.test", Method: "POST", Path: "/v5/oauth/token", Status: 200, ClientID: "1500001",
			Access: "trial", Authorization: "a1", GrantType: "authorization_code", Issued: []string{"t1", "t2"}},
		{Seq: 13, API: "sandbox", Host: "api-sandbox.pinterest.test", Method: "GET", Path: "/v5/user_account", Status: 200, ClientID: "1500001",
			Access: "trial", Authorization: "a1", Token: "t1", TokenGrant: "authorization_code", TokenSeq: 12},
		{Seq: 14, API: "sandbox", Host: "api-sandbox.pinterest.test", Method: "GET", Path: "/v5/boards", Status: 200, ClientID: "1500001",
			Access: "trial", Authorization: "a1", Token: "t1", TokenGrant: "authorization_code", TokenSeq: 12},
	}}
	return tr
}

// withCalls keeps the witness's first n calls and adds more.
func withCalls(tr *Trace, n int, more ...WitnessCall) *Trace {
	tr.Witness.Calls = append(tr.Witness.Calls[:n], more...)
	return tr
}

// demo.live-integration cites what the witness saw the app do with the new
// token, and fails, saying why, when the app never used it, used another
// one (a fixed demo account), or never got one.
func TestAssessLiveIntegrationWitnessed(t *testing.T) {
	fixed := WitnessCall{Seq: 13, API: "sandbox", Method: "GET", Path: "/v5/boards", Status: 200, ClientID: "1500001",
		Token: "t0", TokenGrant: "client_credentials", TokenSeq: 3}
	earlier := WitnessCall{Seq: 13, API: "sandbox", Method: "GET", Path: "/v5/boards", Status: 200, ClientID: "1500001",
		Token: "t9", TokenGrant: "authorization_code", TokenSeq: 4, Authorization: "a0"}
	unknown := WitnessCall{Seq: 13, API: "production", Method: "GET", Path: "/v5/boards", Status: 401, Code: 2, Token: "unknown"}
	for _, tt := range []struct {
		name   string
		tr     *Trace
		status checks.Status
		msg    string
	}{
		{"used the new token", witnessed(), checks.StatusPass,
			`after the callback the app exchanged the code (POST /v5/oauth/token) and called GET /v5/user_account and GET /v5/boards with the new token; the page then showed text "Your boards"`},
		{"never used it", withCalls(witnessed(), 3), checks.StatusFail,
			`exchanged the code but never called the Pinterest API with the new token, so what it shows is not live data from the connected account; the page's text "Your boards" is therefore no proof`},
		{"a fixed client-credentials token", withCalls(witnessed(), 3, fixed), checks.StatusFail,
			"it called GET /v5/boards with a client-credentials token (the app's own account) instead: a fixed demo account"},
		{"a token from an earlier connect", withCalls(witnessed(), 3, earlier), checks.StatusFail,
			"with a token issued before this connect instead"},
		{"a token from elsewhere", withCalls(witnessed(), 3, unknown), checks.StatusFail,
			"GET /v5/boards (401, code 2) with a token this Pinterest never issued"},
		{"never exchanged the code", withCalls(witnessed(), 2), checks.StatusFail, "never exchanged the authorization code"},
		{"the exchange failed", withCalls(witnessed(), 2, WitnessCall{Seq: 12, API: "production", Method: "POST", Path: "/v5/oauth/token", Status: 401,
			Code: 2, Message: "Authentication failed. Send the app id and secret with HTTP Basic authentication.", ClientID: "1500001", GrantType: "authorization_code", Authorization: "a1"}),
			checks.StatusFail, "could not exchange the code: POST /v5/oauth/token answered 401: Authentication failed. Send the app id and secret with HTTP Basic"},
		{"every call failed", withCalls(witnessed(), 3, WitnessCall{Seq: 13, API: "sandbox", Method: "GET", Path: "/v5/boards", Status: 403, Code: 3,
			Authorization: "a1", Token: "t1", TokenGrant: "authorization_code", TokenSeq: 12}), checks.StatusFail,
			"every call failed: GET /v5/boards (403, code 3)"},
		{"another connect of the same run is not this one's", withCalls(witnessed(), 5, WitnessCall{Seq: 20, API: "sandbox", Method: "GET", Path: "/v5/pins", Status: 200,
			Authorization: "a2", Token: "t5", TokenGrant: "authorization_code", TokenSeq: 19},
			WitnessCall{Seq: 18, API: "web", Method: "POST", Path: "/oauth/", Status: 302, Authorization: "a2", CodeIssued: "zz99…"}), checks.StatusPass,
			"called GET /v5/user_account and GET /v5/boards with the new token; the page"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := findingFor(t, Assess(testConfig(t), loadRules(t), tt.tr), "demo.live-integration")
			if f.Status != tt.status || !strings.Contains(f.Message, tt.msg) {
				t.Errorf("demo.live-integration: %s %q\nwant %s containing %q", f.Status, f.Message, tt.status, tt.msg)
			}
		})
	}
}

// Without the proof configured, the witness still says what the app did,
// so the user knows what to look for.
func TestAssessLiveIntegrationWitnessedWithoutProof(t *testing.T) {
	tr := witnessed()
	tr.Success = Success{}
	cfg := testConfig(t)
	cfg.OAuth.SuccessText = ""
	f := findingFor(t, Assess(cfg, loadRules(t), tr), "demo.live-integration")
	if f.Status != checks.StatusFail || !strings.Contains(f.Message, "the witness saw that after the callback the app exchanged the code") {
		t.Errorf("%s %q", f.Status, f.Message)
	}
}

// Trial's production trap: seen by the witness (a code-29 answer, a write
// on the production host), or without it wherever the app passed
// Pinterest's words on. Writes in the sandbox pass.
func TestAssessTrialSandbox(t *testing.T) {
	pin29 := WitnessCall{Seq: 15, API: "production", Host: "api.pinterest.test", Method: "POST", Path: "/v5/pins", Status: 403, Code: 29,
		Message:  "Apps with Trial access may not create Pins in production https://api.pinterest.com - use API Sandbox https://api-sandbox.pinterest.com instead.",
		ClientID: "1500001", Access: "trial", Authorization: "a1", Token: "t1", TokenGrant: "authorization_code", TokenSeq: 12}
	board := WitnessCall{Seq: 15, API: "production", Host: "api.pinterest.test", Method: "POST", Path: "/v5/boards", Status: 201,
		ClientID: "1500001", Access: "trial", Authorization: "a1", Token: "t1", TokenSeq: 12}
	sandboxPin := WitnessCall{Seq: 15, API: "sandbox", Host: "api-sandbox.pinterest.test", Method: "POST", Path: "/v5/pins", Status: 201,
		ClientID: "1500001", Access: "trial", Authorization: "a1", Token: "t1", TokenSeq: 12}
	noWitness := func(edit func(*Trace)) *Trace {
		tr := goodTrace()
		edit(tr)
		return tr
	}
	const words = "Pinterest answered 403 (code 29): Apps with Trial access may not create Pins in production https://api.pinterest.com - use API Sandbox https://api-sandbox.pinterest.com instead."
	for _, tt := range []struct {
		name   string
		tr     *Trace
		status checks.Status
		msg    string
	}{
		{"code 29 witnessed", withCalls(witnessed(), 5, pin29), checks.StatusFail,
			`the app called POST /v5/pins on the production host (api.pinterest.test) with Trial access, and Pinterest refused it (HTTP 403, code 29: "Apps with Trial access may not create Pins in production`},
		{"a board written in production", withCalls(witnessed(), 5, board), checks.StatusFail, "created entities on the production host (POST /v5/boards on api.pinterest.test)"},
		{"a Pin created in the sandbox", withCalls(witnessed(), 5, sandboxPin), checks.StatusPass, "wrote to the API sandbox (POST /v5/pins on api-sandbox.pinterest.test)"},
		{"no write witnessed", witnessed(), checks.StatusPass, "created no Pin or board on the production host"},
		{"the page shows code 29", noWitness(func(tr *Trace) {
			tr.Pages = append(tr.Pages, PageText{Tab: "tab", Step: "after-2", URL: "https://acme.example/pins", Text: "Your boards\nCould not create the Pin: " + words})
		}), checks.StatusFail, `the page /pins shows Pinterest's refusal of a Trial app in production (code 29): "`},
		{"the console shows code 29", noWitness(func(tr *Trace) {
			tr.Console = []ConsoleEntry{{Tab: "tab", Type: "error", Text: `posting on pinterest {"code":29,"message":"Apps with Trial access may not create Pins in production"}`, URL: "https://acme.example/app.js"}}
		}), checks.StatusFail, "a console error message shows Pinterest's refusal"},
		{"a response shows code 29", noWitness(func(tr *Trace) {
			tr.TrialRefusals = []TrialRefusal{{Where: "response", URL: "https://acme.example/api/pins", Endpoint: "POST /api/pins", Excerpt: words}}
		}), checks.StatusFail, "fetch/XHR response POST /api/pins shows Pinterest's refusal"},
		{"nothing shows it", goodTrace(), checks.StatusPass, "no page text, console message, fetch/XHR response or terminal line showed"},
		{"never connected", noWitness(func(tr *Trace) {
			tr.Callback = nil
			tr.Stalled = &Stall{Step: "approve", Reason: "no callback"}
		}), checks.StatusSkip, "not reached"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := findingFor(t, Assess(testConfig(t), loadRules(t), tt.tr), "demo.trial-sandbox")
			if f.Status != tt.status || !strings.Contains(f.Message, tt.msg) {
				t.Errorf("demo.trial-sandbox: %s %q\nwant %s containing %q", f.Status, f.Message, tt.status, tt.msg)
			}
		})
	}
}

// A terminal script that got its token with client credentials is named
// precisely from the token endpoint's record, not guessed.
func TestAssessClientCredentialsWitnessed(t *testing.T) {
	code := 0
	tr := &Trace{AuthorizeURL: "http://www.pinterest.test:8080/oauth/",
		Terminal: &TerminalRun{Command: "bash quickstart.sh", Exit: "exit status 0", ExitCode: &code},
		Stalled:  &Stall{Step: "connect", Tab: "terminal", Reason: "the command ended (exit status 0) before it opened http://www.pinterest.test:8080/oauth/"},
		Witness: &Witness{Since: 1, Calls: []WitnessCall{
			{Seq: 1, API: "production", Method: "POST", Path: "/v5/oauth/token", Status: 200, ClientID: "1500001", GrantType: "client_credentials", Issued: []string{"t1"}},
			{Seq: 2, API: "production", Method: "GET", Path: "/v5/user_account", Status: 200, ClientID: "1500001", Token: "t1", TokenGrant: "client_credentials", TokenSeq: 1},
		}}}
	f := findingFor(t, Assess(testConfig(t), loadRules(t), tr), "oauth.authorize")
	want := "The command got its token with client credentials: the witness saw POST /v5/oauth/token with grant_type=client_credentials (answered 200), then GET /v5/user_account with that token"
	if f.Status != checks.StatusFail || !strings.Contains(f.Message, want) || strings.Contains(f.Message, "if it got its token") {
		t.Errorf("oauth.authorize: %s %q", f.Status, f.Message)
	}
}

// A page after the callback that is an OAuth library's failure page fails
// oauth.callback in the page's own words, and demo.live-integration names
// it as its root cause. The library's page is recognised by its heading,
// its title, an alert box, an error parameter in its address or a
// library's own message; a page with the proof on it never is.
func TestAssessFailurePageAfterCallback(t *testing.T) {
	failed := func(status int, page PageText) *Trace {
		tr := goodTrace()
		tr.Callback.Status = status
		tr.Success = Success{Proof: `text "Your boards"`, URL: page.URL}
		tr.Stalled = &Stall{Step: "live-data", URL: page.URL, Reason: `text "Your boards" did not appear after connecting`}
		page.Tab, page.Step = "tab", "callback"
		tr.Pages = append(tr.Pages[:1], page)
		return tr
	}
	const cb = "https://acme.example/accounts/pinterest/login/callback/?code=ab12…&state=" + goodState
	for _, tt := range []struct {
		name string
		tr   *Trace
		msg  string // "" when oauth.callback passes
	}{
		{"django-allauth", failed(200, PageText{URL: cb, Title: "Social Network Login Failure", Heading: "Social Network Login Failure",
			Text: "Social Network Login Failure\nAn error occurred while attempting to login via your social network account."}),
			`after the callback the app showed a failure page, not the connected app: its heading says "Social Network Login Failure" ("An error occurred while attempting to login via your social network account."); the callback answered 200`},
		{"django-allauth 0.56+", failed(200, PageText{URL: cb, Title: "Third-Party Login Failure", Heading: "Third-Party Login Failure"}),
			`its heading says "Third-Party Login Failure"`},
		{"Auth.js error page", failed(302, PageText{URL: "https://acme.example/api/auth/error?error=Configuration", Title: "Error", Heading: "Server error",
			Text: "Server error\nThere is a problem with the server configuration."}),
			`its heading says "Server error", and its address carries error=Configuration`},
		{"Auth.js default error", failed(302, PageText{URL: "https://acme.example/api/auth/error", Title: "Error | Acme", Heading: "Error"}),
			`its heading says "Error"`},
		{"Auth.js sign-in page", failed(302, PageText{URL: "https://acme.example/login?error=OAuthCallbackError", Title: "Sign in",
			Alerts: []string{"Try signing in with a different account."}}),
			`an alert says "Try signing in with a different account.", and its address carries error=OAuthCallbackError`},
		{"Passport failureRedirect", failed(302, PageText{URL: "https://acme.example/login", Title: "Log in — Acme", Heading: "Log in",
			Text: "Log in\nFailed to obtain access token\nEmail\nPassword"}),
			`its text says "Log in Failed to obtain access token Email Password"`},
		{"a dashboard without the configured text", failed(200, PageText{URL: cb, Title: "Dashboard", Heading: "Welcome back", Text: "Welcome back\nYour Pins"}), ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fs := map[string]checks.Finding{}
			for _, f := range Assess(testConfig(t), loadRules(t), tt.tr) {
				fs[f.Rule] = f
			}
			cbf, live := fs["oauth.callback"], fs["demo.live-integration"]
			if tt.msg == "" {
				if cbf.Status != checks.StatusPass || live.Status != checks.StatusFail {
					t.Errorf("oauth.callback %s %q, demo.live-integration %s %q: want pass, fail", cbf.Status, cbf.Message, live.Status, live.Message)
				}
				return
			}
			if cbf.Status != checks.StatusFail || !strings.Contains(cbf.Message, tt.msg) {
				t.Errorf("oauth.callback: %s %q\nwant fail containing %q", cbf.Status, cbf.Message, tt.msg)
			}
			if live.Status != checks.StatusSkip || live.BlockedBy != "oauth.callback" || !strings.Contains(live.Message, "failure page") {
				t.Errorf("demo.live-integration: %s %q blocked by %q, want skip blocked by oauth.callback", live.Status, live.Message, live.BlockedBy)
			}
		})
	}
	// With the witness, the failure names the root cause the page hides.
	tr := failed(200, PageText{URL: cb, Title: "Third-Party Login Failure", Heading: "Third-Party Login Failure"})
	tr.Witness = withCalls(witnessed(), 2, WitnessCall{Seq: 12, API: "production", Method: "POST", Path: "/v5/oauth/token", Status: 401, Code: 2,
		Message: "Authentication failed. Send the app id and secret with HTTP Basic authentication.", ClientID: "1500001", GrantType: "authorization_code", Authorization: "a1"}).Witness
	f := findingFor(t, Assess(testConfig(t), loadRules(t), tr), "oauth.callback")
	if !strings.Contains(f.Message, "the witness saw why: POST /v5/oauth/token answered 401: Authentication failed. Send the app id and secret with HTTP Basic") {
		t.Errorf("oauth.callback with the witness: %q", f.Message)
	}
}
