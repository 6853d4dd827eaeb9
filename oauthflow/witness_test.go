package oauthflow

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/fakepinterest"
	"github.com/pinready/pinready/internal/sampleapp"
)

// witnessClient reaches the fake's .test names on loopback, as pinready's
// client does with --resolve.
func witnessClient() *http.Client {
	return testClient(5 * time.Second)
}

// sampleWorld is the compliant sample app on host, whose API calls go to
// the fake's apiHost (the sandbox's, as it should, or production's).
func sampleWorld(t *testing.T, host, apiHost string) *world {
	t.Helper()
	return newWorld(t, host, func(w *world) http.Handler {
		return sampleapp.New(sampleapp.Options{
			ClientID: clientID, ClientSecret: clientSecret, RedirectURI: w.redirect,
			AuthorizeURL: w.authorize, APIBase: "http://" + apiHost + ":" + w.fakePort,
			HTTPClient: testClient(10 * time.Second),
		})
	})
}

// driveWitnessed marks the start of the run at the fake Pinterest behind
// cfg's authorize page, drives the flow and puts what the fake saw into the
// trace, as pinready's pipeline does.
func driveWitnessed(t *testing.T, cfg *checks.Config, drive func() *Trace) *Trace {
	t.Helper()
	wr, err := OpenWitness(context.Background(), witnessClient(), cfg.OAuth.AuthorizeURL, cfg.App.ID)
	if err != nil || wr == nil {
		t.Fatalf("the fake Pinterest at %s is no witness: %v", cfg.OAuth.AuthorizeURL, err)
	}
	tr := drive()
	if tr.Witness, err = wr.Read(context.Background()); err != nil {
		t.Fatal(err)
	}
	return tr
}

// An origin that is not a fake Pinterest's is no witness, and asking it
// is not an error.
func TestOpenWitnessElsewhere(t *testing.T) {
	w := newWorld(t, "acme-pins.test", func(w *world) http.Handler { return (&badApp{w: w}).handler() })
	wr, err := OpenWitness(context.Background(), witnessClient(), w.appURL+"/oauth/", clientID)
	if wr != nil || err != nil {
		t.Errorf("the app's origin answered as a witness: %v, %v", wr, err)
	}
}

// The witness sees the sample app's calls: the exchange in the sandbox,
// the account and the boards read with the new token, the Pin created in
// the sandbox. demo.live-integration cites them, demo.trial-sandbox passes,
// and nothing secret is in what the witness said.
func TestWitnessSeesTheSampleAppsCalls(t *testing.T) {
	w := sampleWorld(t, "acme-pins.test", fakepinterest.DefaultSandboxHost)
	cfg := w.config("  approve_selector: \"text=Give access\"\n  after:\n    - click: \"#create-pin\"\n    - wait: \"#pin-created\"\n")
	tr := driveWitnessed(t, cfg, func() *Trace { return w.drive(cfg, Options{}) })
	var seen []string
	for _, c := range tr.Witness.Calls {
		if apiCall(c) || c.Path == "/v5/oauth/token" {
			seen = append(seen, fmt.Sprintf("%s %s %s %d %s", c.API, c.Method, c.Path, c.Status, c.Authorization))
		}
	}
	wantSeen := "sandbox POST /v5/oauth/token 200 a1|sandbox GET /v5/user_account 200 a1|sandbox GET /v5/boards 200 a1|sandbox POST /v5/pins 201 a1|sandbox GET /v5/boards 200 a1"
	if strings.Join(seen, "|") != wantSeen {
		t.Errorf("the witness saw\n%s\nwant\n%s", strings.Join(seen, "|"), wantSeen)
	}
	fs := findingsOf(t, cfg, tr)
	want2 := `after the callback the app exchanged the code (POST /v5/oauth/token) and called GET /v5/user_account, GET /v5/boards and POST /v5/pins with the new token; the page then showed text "Your boards"`
	want(t, fs, "demo.live-integration", checks.StatusPass, want2)
	want(t, fs, "demo.trial-sandbox", checks.StatusPass, "wrote to the API sandbox (POST /v5/pins on api-sandbox.pinterest.test)")
	sameFields(t, "http://www.pinterest.test:"+w.fakePort+WitnessPath+"?client_id="+clientID, tr.Witness.Calls)
	raw, _ := json.Marshal(tr)
	for _, s := range append(w.fake.IssuedTokens(), clientSecret) {
		if strings.Contains(string(raw), s) {
			t.Errorf("the trace holds a secret %.9s…", s)
		}
	}
}

// sameFields reads the fake's own JSON and checks that every call has the
// fields oauthflow.WitnessCall reads it into, no more and no fewer: the fake
// and pinready speak one format.
func sameFields(t *testing.T, witnessURL string, calls []WitnessCall) {
	t.Helper()
	resp, err := witnessClient().Get(witnessURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var raw struct {
		Calls []map[string]any `json:"calls"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	bySeq := map[int64]map[string]any{}
	for _, c := range raw.Calls {
		bySeq[int64(c["seq"].(float64))] = c
	}
	for _, c := range calls {
		b, _ := json.Marshal(c)
		var ours map[string]any
		json.Unmarshal(b, &ours)
		theirs := bySeq[c.Seq]
		for k := range theirs {
			if _, ok := ours[k]; !ok {
				t.Errorf("the fake's call %d has %q, which oauthflow.WitnessCall does not read", c.Seq, k)
			}
		}
		for k := range ours {
			if _, ok := theirs[k]; !ok {
				t.Errorf("oauthflow.WitnessCall has %q, which the fake's call %d lacks", k, c.Seq)
			}
		}
	}
}

// tokenApp connects like a real app (golang.org/x/oauth2: state, the code
// exchanged with Basic auth in the sandbox) and then shows the page show
// makes with the token it got.
type tokenApp struct {
	w     *world
	show  func(ctx context.Context, token string) string
	mu    sync.Mutex
	state string
}

func (a *tokenApp) oauth() *oauth2.Config {
	return &oauth2.Config{ClientID: clientID, ClientSecret: clientSecret, RedirectURL: a.w.redirect, Scopes: []string{"boards:read,pins:read"},
		Endpoint: oauth2.Endpoint{AuthURL: a.w.authorize, TokenURL: a.sandbox() + "/v5/oauth/token", AuthStyle: oauth2.AuthStyleInHeader}}
}

func (a *tokenApp) sandbox() string { return "http://api-sandbox.pinterest.test:" + a.w.fakePort }

func (a *tokenApp) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		writePage(w, `<h1>Acme Pin Planner</h1><p><a id="connect-pinterest" href="/connect">Connect Pinterest</a></p>`)
	})
	mux.HandleFunc("GET /connect", func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		a.state = oauth2.GenerateVerifier()[:24]
		state := a.state
		a.mu.Unlock()
		http.Redirect(w, r, a.oauth().AuthCodeURL(state), http.StatusFound)
	})
	mux.HandleFunc("GET /oauth/callback", func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		ok := r.URL.Query().Get("state") == a.state
		a.mu.Unlock()
		if !ok {
			http.Error(w, "state mismatch", http.StatusBadRequest)
			return
		}
		ctx := context.WithValue(r.Context(), oauth2.HTTPClient, witnessClient())
		tok, err := a.oauth().Exchange(ctx, r.URL.Query().Get("code"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		writePage(w, a.show(r.Context(), tok.AccessToken))
	})
	return mux
}

// boardNames reads the boards with token and lists them under "Your boards".
func (a *tokenApp) boardNames(ctx context.Context, token string) string {
	req, _ := http.NewRequestWithContext(ctx, "GET", a.sandbox()+"/v5/boards", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := witnessClient().Do(req)
	if err != nil {
		return "<p>Pinterest is not answering</p>"
	}
	defer resp.Body.Close()
	var page struct {
		Items []struct {
			Name string `json:"name"`
		} `json:"items"`
	}
	json.NewDecoder(resp.Body).Decode(&page)
	var b strings.Builder
	b.WriteString("<h1>Your boards</h1><ul>")
	for _, it := range page.Items {
		b.WriteString("<li>" + it.Name + "</li>")
	}
	return b.String() + "</ul>"
}

// clientCredentials is the app's own token, got once at start: what an app
// that shows a fixed demo account uses for everyone.
func clientCredentials(t *testing.T, sandbox string) string {
	t.Helper()
	req, _ := http.NewRequest("POST", sandbox+"/v5/oauth/token", strings.NewReader(url.Values{"grant_type": {"client_credentials"}}.Encode()))
	req.SetBasicAuth(clientID, clientSecret)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := witnessClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("client credentials: %d %v", resp.StatusCode, err)
	}
	return tok.AccessToken
}

// Three apps that all show "Your boards" after connecting, and each fails
// demo.live-integration or demo.trial-sandbox with its own reason: one
// never uses the token it was issued, one shows a fixed account's boards
// with its own client-credentials token, one creates its Pin on the
// production host with Trial access (code 29). Without the witness, the
// last one still fails the trap rule: its page shows Pinterest's words.
func TestWitnessedMistakes(t *testing.T) {
	t.Run("never uses the token", func(t *testing.T) {
		w := newWorld(t, "nodata.test", func(w *world) http.Handler {
			return (&tokenApp{w: w, show: func(context.Context, string) string { return boardsPage }}).handler()
		})
		cfg := w.config("")
		tr := driveWitnessed(t, cfg, func() *Trace { return w.drive(cfg, Options{}) })
		fs := findingsOf(t, cfg, tr)
		want(t, fs, "demo.live-integration", checks.StatusFail,
			`after the callback the app exchanged the code but never called the Pinterest API with the new token, so what it shows is not live data from the connected account; the page's text "Your boards" is therefore no proof`)
		// Without the witness only the page's text could be judged, and it
		// passed: the witness is what tells.
		want(t, findingsOf(t, cfg, stripWitness(tr)), "demo.live-integration", checks.StatusPass, `after connecting, the app shows text "Your boards"`)
	})
	t.Run("shows a fixed account", func(t *testing.T) {
		w := newWorld(t, "session.test", func(w *world) http.Handler {
			app := &tokenApp{w: w}
			fixed := clientCredentials(t, app.sandbox()) // once, at start: the fake already runs
			app.show = func(ctx context.Context, _ string) string { return app.boardNames(ctx, fixed) }
			return app.handler()
		})
		cfg := w.config("")
		tr := driveWitnessed(t, cfg, func() *Trace { return w.drive(cfg, Options{}) })
		want(t, findingsOf(t, cfg, tr), "demo.live-integration", checks.StatusFail,
			"exchanged the code but never called the Pinterest API with the new token, so what it shows is not live data from the connected account; "+
				"it called GET /v5/boards with a client-credentials token (the app's own account) instead: a fixed demo account shows every user the same data")
	})
	t.Run("creates its Pin in production on Trial", func(t *testing.T) {
		w := sampleWorld(t, "static.test", fakepinterest.DefaultAPIHost) // production, not the sandbox
		cfg := w.config("  approve_selector: \"text=Give access\"\n  after:\n    - click: \"#create-pin\"\n")
		tr := driveWitnessed(t, cfg, func() *Trace { return w.drive(cfg, Options{}) })
		fs := findingsOf(t, cfg, tr)
		want(t, fs, "demo.trial-sandbox", checks.StatusFail,
			`the app called POST /v5/pins on the production host (api.pinterest.test) with Trial access, and Pinterest refused it (HTTP 403, code 29: "Apps with Trial access may not create Pins in production`)
		want(t, fs, "demo.live-integration", checks.StatusPass, "POST /v5/pins (403, code 29) with the new token")
		// A real run has no witness: the dashboard shows Pinterest's words.
		fs = findingsOf(t, cfg, stripWitness(tr))
		want(t, fs, "demo.trial-sandbox", checks.StatusFail, "shows Pinterest's refusal of a Trial app in production (code 29)")
		if fix := loadRules(t).Get("demo.trial-sandbox").Fix; !strings.Contains(fix, "api-sandbox.pinterest.com") || !strings.Contains(fix, "the video must show the Pin being created") {
			t.Errorf("the fix should name the sandbox host and the video: %q", fix)
		}
	})
}

// stripWitness is the trace as a run on the real Pinterest would have it.
func stripWitness(tr *Trace) *Trace {
	c := *tr
	c.Witness = nil
	return &c
}

// An OAuth library's failure page after the callback (HTTP 200) fails
// oauth.callback in the page's own words, and demo.live-integration is
// blocked by it. django-allauth's page, and an Auth.js-style redirect to an
// error page with ?error= in its address.
func TestFailurePageAfterCallback(t *testing.T) {
	t.Run("django-allauth", func(t *testing.T) {
		w := newWorld(t, "landing.test", func(w *world) http.Handler {
			return (&badApp{w: w, callback: `<h1>Social Network Login Failure</h1><p>An error occurred while attempting to login via your social network account.</p>`}).handler()
		})
		cfg := w.config("")
		fs := findingsOf(t, cfg, w.drive(cfg, Options{}))
		want(t, fs, "oauth.callback", checks.StatusFail,
			`after the callback the app showed a failure page, not the connected app: its heading says "Social Network Login Failure" ("An error occurred while attempting to login via your social network account."); the callback answered 200`)
		if f := fs["demo.live-integration"]; f.Status != checks.StatusSkip || f.BlockedBy != "oauth.callback" {
			t.Errorf("demo.live-integration: %s %q blocked by %q, want blocked by oauth.callback", f.Status, f.Message, f.BlockedBy)
		}
	})
	t.Run("Auth.js error page", func(t *testing.T) {
		w := newWorld(t, "captions-page.test", func(w *world) http.Handler {
			app := &badApp{w: w, afterConnect: "/api/auth/error?error=Configuration"}
			mux := http.NewServeMux()
			mux.Handle("/", app.handler())
			mux.HandleFunc("GET /api/auth/error", func(rw http.ResponseWriter, r *http.Request) {
				writePage(rw, `<div class="card"><h1>Server error</h1><div class="message"><p>There is a problem with the server configuration.</p></div></div>`)
			})
			return mux
		})
		cfg := w.config("")
		fs := findingsOf(t, cfg, w.drive(cfg, Options{}))
		want(t, fs, "oauth.callback", checks.StatusFail,
			`its heading says "Server error", and its address carries error=Configuration ("There is a problem with the server configuration."); the callback answered 302 and the page is /api/auth/error?error=Configuration`)
		if f := fs["demo.live-integration"]; f.BlockedBy != "oauth.callback" {
			t.Errorf("demo.live-integration: %s %q, want blocked by oauth.callback", f.Status, f.Message)
		}
	})
}
