package cli

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/browser/browsertest"
	"github.com/pinready/pinready/internal/fakepinterest"
	"github.com/pinready/pinready/internal/testenv"
)

// hostileApp is an app whose homepage a test writes, with a fake Pinterest
// that knows it; /connect starts a correct flow, and the callback shows live
// boards. It is served under host (mapped to loopback with --resolve).
type hostileApp struct {
	config  string   // pinready.yaml
	resolve []string // --resolve arguments
}

func startHostileApp(t *testing.T, host, home string) *hostileApp {
	t.Helper()
	appTS := httptest.NewUnstartedServer(nil)
	_, appPort, _ := net.SplitHostPort(appTS.Listener.Addr().String())
	appURL := "http://" + host + ":" + appPort
	fake, err := fakepinterest.New(fakepinterest.Options{Apps: []fakepinterest.App{{
		ID: "1500001", Secret: "hostile-app-secret", Name: "Acme Pin Planner", RedirectURIs: []string{appURL + "/oauth/callback"},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	fakeTS := httptest.NewServer(fake)
	t.Cleanup(fakeTS.Close)
	_, fakePort, _ := net.SplitHostPort(fakeTS.Listener.Addr().String())
	authorize := "http://" + fakepinterest.DefaultWebHost + ":" + fakePort + "/oauth/"

	var mu sync.Mutex
	states := map[string]bool{}
	page := func(w http.ResponseWriter, body string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!doctype html><html><head><title>Acme Pin Planner</title></head><body>%s</body></html>", body)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { page(w, home) })
	mux.HandleFunc("GET /connect", func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 16)
		rand.Read(b)
		state := hex.EncodeToString(b)
		mu.Lock()
		states[state] = true
		mu.Unlock()
		q := url.Values{"client_id": {"1500001"}, "redirect_uri": {appURL + "/oauth/callback"}, "response_type": {"code"},
			"scope": {"boards:read,pins:read"}, "state": {state}}
		loc := authorize + "?" + q.Encode()
		if r.URL.Query().Has("bad-escape") {
			loc += "#%zz" // Chromium keeps it; url.Parse rejects it
		}
		http.Redirect(w, r, loc, http.StatusFound)
	})
	mux.HandleFunc("GET /oauth/callback", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		ok := states[r.URL.Query().Get("state")]
		mu.Unlock()
		if !ok || r.URL.Query().Get("code") == "" {
			http.Error(w, "state mismatch", http.StatusBadRequest)
			return
		}
		// A real app exchanges the code and reads the boards with the
		// token: the fake Pinterest's witness checks it did.
		if err := useCode(fakeTS.URL, appURL+"/oauth/callback", r.URL.Query().Get("code")); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		page(w, `<h1>Your boards</h1><ul><li>Weeknight dinners</li></ul><script>alert("Connected!")</script>`)
	})
	appTS.Config.Handler = mux
	appTS.Start()
	t.Cleanup(appTS.Close)

	cfg := filepath.Join(t.TempDir(), "pinready.yaml")
	yaml := fmt.Sprintf(`app:
  name: Acme Pin Planner
  id: "1500001"
  website: %s/
  scopes: [boards:read, pins:read]
  redirect_uris: [%s/oauth/callback]
oauth:
  connect_selector: "#connect-pinterest"
  authorize_url: %s
  approve_selector: "text=Give access"
  success_text: Your boards
`, appURL, appURL, authorize)
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return &hostileApp{config: cfg, resolve: []string{
		"--resolve", host + ":" + appPort + ":127.0.0.1",
		"--resolve", fakepinterest.DefaultWebHost + ":" + fakePort + ":127.0.0.1",
	}}
}

// useCode is the hostile app's server side of the callback: it exchanges
// the code at the fake Pinterest's token endpoint (HTTP Basic, as Pinterest
// requires) and lists the user's boards with the token.
func useCode(fakeURL, redirectURI, code string) error {
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI}}
	req, _ := http.NewRequest(http.MethodPost, fakeURL+"/v5/oauth/token", strings.NewReader(form.Encode()))
	req.Host = fakepinterest.DefaultAPIHost
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("1500001", "hostile-app-secret")
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := doJSON(req, &tok); err != nil {
		return fmt.Errorf("exchange the code: %w", err)
	}
	req, _ = http.NewRequest(http.MethodGet, fakeURL+"/v5/boards", nil)
	req.Host = fakepinterest.DefaultAPIHost
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	if err := doJSON(req, &struct{}{}); err != nil {
		return fmt.Errorf("list the boards: %w", err)
	}
	return nil
}

func doJSON(req *http.Request, v any) error {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %s", req.Method, req.URL.Path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// checkOAuth runs `check --only oauth` with the given timeout of each wait,
// inside a hang detector (testenv.Hang): pinready must end on its own.
func checkOAuth(t *testing.T, app *hostileApp, timeout time.Duration) (int, map[string]checks.Finding, string) {
	t.Helper()
	args := append([]string{"check", "--config", app.config, "--only", "oauth", "--format", "json",
		"--timeout", timeout.String(), "--evidence", t.TempDir()}, app.resolve...)
	type result struct {
		code           int
		stdout, stderr string
	}
	done := make(chan result, 1)
	go func() {
		code, stdout, stderr := runCLI(t, args...)
		done <- result{code, stdout, stderr}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(testenv.Hang):
		t.Fatalf("pinready check did not end within %s: it hangs", testenv.Hang)
	}
	var rep checks.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("exit %d, no JSON report: %v\nstderr: %s", r.code, err, r.stderr)
	}
	fs := map[string]checks.Finding{}
	for _, f := range rep.Findings {
		fs[f.Rule] = f
	}
	return r.code, fs, r.stderr
}

func TestHostileOAuthPages(t *testing.T) {
	browsertest.Require(t)
	type rule struct {
		status checks.Status
		msg    string
	}
	cases := []struct {
		name string
		home string
		code int
		want map[string]rule
	}{
		{
			name: "alert confirm and beforeunload on the app pages",
			home: `<h1>Acme Pin Planner</h1><p><a id="connect-pinterest" href="/connect">Connect Pinterest</a></p>
<script>alert("Welcome!"); confirm("Accept cookies?");
window.addEventListener("beforeunload", e => { e.preventDefault(); e.returnValue = "Leave?" });</script>`,
			code: 0,
			want: map[string]rule{"oauth.authorize": {checks.StatusPass, ""}, "oauth.consent": {checks.StatusPass, ""},
				"oauth.callback": {checks.StatusPass, ""}, "demo.live-integration": {checks.StatusPass, ""}},
		},
		{
			name: "a script that never ends on the homepage",
			home: `<h1>Acme Pin Planner</h1><a id="connect-pinterest" href="/connect">Connect Pinterest</a><script>for (;;) {}</script>`,
			code: 1,
			want: map[string]rule{"oauth.authorize": {checks.StatusFail, "the flow stopped at step"}},
		},
		{
			name: "connect opens 20 popups",
			home: `<h1>Acme Pin Planner</h1><a id="connect-pinterest" href="#"
onclick="for (let i = 0; i < 20; i++) window.open('/connect?i=' + i, 'pinterest' + i, 'width=600,height=700'); return false">Connect Pinterest</a>`,
			code: -1, // judged on the first popup; the app's state may not survive 20 connects
			want: map[string]rule{"oauth.authorize": {checks.StatusPass, ""}},
		},
		{
			name: "the authorize URL has a bad escape",
			home: `<h1>Acme Pin Planner</h1><a id="connect-pinterest" href="/connect?bad-escape=1">Connect Pinterest</a>`,
			code: 0,
			want: map[string]rule{"oauth.authorize": {checks.StatusPass, ""}, "oauth.client-id": {checks.StatusPass, ""},
				"oauth.consent": {checks.StatusPass, ""}, "oauth.callback": {checks.StatusPass, ""}},
		},
		{
			name: "connect goes to a javascript: URL",
			home: `<h1>Acme Pin Planner</h1><a id="connect-pinterest" href="javascript:void(0)">Connect Pinterest</a>`,
			code: 1,
			want: map[string]rule{"oauth.authorize": {checks.StatusFail, "did not lead to"}},
		},
		{
			name: "connect goes to a data: URL",
			home: `<h1>Acme Pin Planner</h1><a id="connect-pinterest" href="data:text/html,<h1>Connected to Pinterest</h1>">Connect Pinterest</a>`,
			code: 1,
			want: map[string]rule{"oauth.authorize": {checks.StatusFail, "did not lead to"}},
		},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// not parallel: runCLI runs one command at a time
			app := startHostileApp(t, fmt.Sprintf("hostile-%d.test", i), c.home)
			// Each wait may take 10s: the passing flows' pages load within
			// it on a busy machine (Chromium opening 20 windows at once is
			// slow), and the stopped ones wait all of it.
			code, fs, stderr := checkOAuth(t, app, 10*time.Second)
			t.Logf("exit %d", code)
			if strings.Contains(stderr, "panic") {
				t.Errorf("panic:\n%s", stderr)
			}
			if c.code >= 0 && code != c.code {
				t.Errorf("exit %d, want %d", code, c.code)
			}
			if c.code < 0 && code != 0 && code != 1 {
				t.Errorf("exit %d, want a verdict (0 or 1), not a crash", code)
			}
			for id, w := range c.want {
				if f := fs[id]; f.Status != w.status || !strings.Contains(f.Message, w.msg) {
					t.Errorf("%s: %s %q, want %s containing %q", id, f.Status, f.Message, w.status, w.msg)
				}
			}
			for id, f := range fs {
				if f.Status == checks.StatusError {
					t.Errorf("%s: status error: %s", id, f.Message)
				}
			}
			if t.Failed() || testing.Verbose() {
				for _, id := range []string{"oauth.authorize", "oauth.consent", "oauth.callback", "demo.live-integration"} {
					t.Logf("  %-22s %-5s %s", id, fs[id].Status, fs[id].Message)
				}
			}
		})
	}
}
