package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/browser/browsertest"
	"github.com/pinready/pinready/internal/fakepinterest"
	"github.com/pinready/pinready/internal/sampleapp"
	"github.com/pinready/pinready/internal/testenv"
)

// pinready sandbox serves the consent page for a registered app and stops
// cleanly (exit 0) when interrupted.
func TestSandboxServesTheFlow(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- runMain(t, ctx, []string{"pinready", "sandbox", "--addr", "127.0.0.1:0",
			"--app", "42:s3cret:http://localhost:3000/oauth/callback"}, pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	addr := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)`).FindStringSubmatch(line)
	if addr == nil {
		t.Fatalf("no address in %q", line)
	}
	q := url.Values{"client_id": {"42"}, "redirect_uri": {"http://localhost:3000/oauth/callback"},
		"response_type": {"code"}, "scope": {"boards:read,pins:read"}, "state": {"abcdefghijklmnop"}}
	resp, err := http.Get("http://" + addr[1] + "/oauth/?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Give access") {
		t.Fatalf("consent page: %d\n%.300s", resp.StatusCode, body)
	}
	q.Set("redirect_uri", "http://localhost:3000/elsewhere")
	resp, err = http.Get("http://" + addr[1] + "/oauth/?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("unregistered redirect_uri: %d, want 400", resp.StatusCode)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("sandbox exit %d after interrupt, want 0", code)
		}
	case <-time.After(testenv.Hang):
		t.Fatal("sandbox did not stop")
	}
}

func TestSandboxBadApp(t *testing.T) {
	code, _, stderr := runCLI(t, "sandbox", "--app", "42:nosecret")
	if code != 2 || !strings.Contains(stderr, "--app") {
		t.Fatalf("exit %d, %s", code, stderr)
	}
}

// syncBuffer is a bytes.Buffer safe for a server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startSandbox serves `pinready sandbox`'s fake Pinterest for apps on a
// loopback port, printing to out, until the test ends.
func startSandbox(t *testing.T, out io.Writer, apps ...fakepinterest.App) (addr string) {
	t.Helper()
	fake, calls, err := newSandboxFake(apps, out)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		serveSandbox(ctx, testEnv(t, out, io.Discard), ln, fake, apps, calls)
	}()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}

// pinready sandbox prints each request as it happens, and serves them as
// JSON for a user's CI: the app's token exchange in the sandbox, its calls
// with the new token, and a Trial app's code-29 refusal in production.
func TestSandboxPrintsAndServesItsWitness(t *testing.T) {
	var out syncBuffer
	app := fakepinterest.App{ID: "42", Secret: "s3cret", Name: "Acme", RedirectURIs: []string{"http://localhost:3000/cb"}}
	addr := startSandbox(t, &out, app)
	base := "http://" + addr
	q := url.Values{"client_id": {"42"}, "redirect_uri": {"http://localhost:3000/cb"}, "response_type": {"code"},
		"scope": {"boards:read,boards:write,pins:read,pins:write"}, "state": {"qW3e9RtY2uIo"}}
	resp, err := http.Get(base + "/oauth/?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	consent := regexp.MustCompile(`name="consent" value="([0-9a-f]+)"`).FindSubmatch(page)
	if consent == nil {
		t.Fatalf("no consent form:\n%s", page)
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = noRedirect.PostForm(base+"/oauth/", url.Values{"consent": {string(consent[1])}, "action": {"allow"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	req, _ := http.NewRequest("POST", base+"/sandbox/v5/oauth/token", strings.NewReader(url.Values{
		"grant_type": {"authorization_code"}, "code": {loc.Query().Get("code")}, "redirect_uri": {"http://localhost:3000/cb"}}.Encode()))
	req.SetBasicAuth("42", "s3cret")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	for _, path := range []string{"/sandbox/v5/boards", "/v5/pins"} {
		method := "GET"
		if path == "/v5/pins" {
			method = "POST"
		}
		req, _ := http.NewRequest(method, base+path, strings.NewReader(`{"board_id":"549755885175","media_source":{"source_type":"image_url","url":"http://a.test/x.png"}}`))
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}

	printed := out.String()
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`web +GET +/oauth/ +200 +app 42 +a1: consent page`),
		regexp.MustCompile(`web +POST +/oauth/ +302 +app 42 +a1: code \w{4}… sent to the redirect URI`),
		regexp.MustCompile(`sandbox +POST +/v5/oauth/token +200 +app 42 +authorization_code → t1, t2`),
		regexp.MustCompile(`sandbox +GET +/v5/boards +200 +app 42 +token t1 \(authorization_code, a1\)`),
		regexp.MustCompile(`production +POST +/v5/pins +403 +app 42 +token t1 \(authorization_code, a1\) +code 29: Apps with Trial access may not create Pins in production`),
	} {
		if !want.MatchString(printed) {
			t.Errorf("sandbox output lacks %s:\n%s", want, printed)
		}
	}
	if strings.Contains(printed, tok.AccessToken) || strings.Contains(printed, loc.Query().Get("code")) {
		t.Errorf("the sandbox printed a token or a code:\n%s", printed)
	}
	resp, err = http.Get(base + fakepinterest.WitnessPath + "?client_id=42")
	if err != nil {
		t.Fatal(err)
	}
	var witness struct {
		Calls []fakepinterest.Call `json:"calls"`
	}
	json.NewDecoder(resp.Body).Decode(&witness)
	resp.Body.Close()
	if n := len(witness.Calls); n != 5 || witness.Calls[4].Code != 29 || witness.Calls[3].Token != "t1" {
		t.Errorf("witness JSON: %+v", witness.Calls)
	}
}

// A user's CI: the app under test on localhost, `pinready sandbox` as its
// Pinterest, and `pinready check` pointed at the sandbox. check finds the
// witness by itself and cites what the app did with the new token; the
// sandbox printed the same calls as they happened.
func TestCheckReadsTheSandboxWitness(t *testing.T) {
	browsertest.Require(t)
	appLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	appURL := "http://localhost:" + strconv.Itoa(appLn.Addr().(*net.TCPAddr).Port)
	redirect := appURL + "/oauth/callback"
	var out syncBuffer
	sandbox := "http://" + startSandbox(t, &out, fakepinterest.App{ID: "1500001", Secret: "ci-secret", Name: "Acme Pin Planner",
		RedirectURIs: []string{redirect}, Access: fakepinterest.AccessTrial})
	app := &http.Server{Handler: sampleapp.New(sampleapp.Options{ClientID: "1500001", ClientSecret: "ci-secret", RedirectURI: redirect,
		AuthorizeURL: sandbox + "/oauth/", APIBase: sandbox + "/sandbox"})}
	go app.Serve(appLn)
	t.Cleanup(func() { app.Close() })

	cfg := filepath.Join(t.TempDir(), "pinready.yaml")
	os.WriteFile(cfg, []byte(fmt.Sprintf(`app:
  name: Acme Pin Planner
  id: "1500001"
  website: %s/
  scopes: [boards:read, boards:write, pins:read, pins:write, user_accounts:read]
  redirect_uris: [%s]
oauth:
  connect_selector: "#connect-pinterest"
  authorize_url: %s/oauth/
  success_text: Your boards
  after:
    - click: "#create-pin"
    - wait: "#pin-created"
`, appURL, redirect, sandbox)), 0o644)
	code, stdout, stderr := runCLI(t, "check", "--config", cfg, "--only", "oauth", "--format", "json")
	var rep checks.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("exit %d: %v\n%s", code, err, stderr)
	}
	found := map[string]checks.Finding{}
	for _, f := range rep.Findings {
		found[f.Rule] = f
	}
	if f := found["demo.live-integration"]; f.Status != checks.StatusPass || !strings.Contains(f.Message,
		"after the callback the app exchanged the code (POST /v5/oauth/token) and called GET /v5/user_account, GET /v5/boards and POST /v5/pins with the new token") {
		t.Errorf("demo.live-integration: %s %q", f.Status, f.Message)
	}
	if f := found["demo.trial-sandbox"]; f.Status != checks.StatusPass || !strings.Contains(f.Message, "wrote to the API sandbox (POST /v5/pins on 127.0.0.1)") {
		t.Errorf("demo.trial-sandbox: %s %q", f.Status, f.Message)
	}
	if !strings.Contains(stderr, "oauth: witness: the fake Pinterest at "+sandbox+fakepinterest.WitnessPath) {
		t.Errorf("check did not say where it read the witness:\n%s", stderr)
	}
	if !regexp.MustCompile(`sandbox +POST +/v5/pins +201 +app 1500001 +token t1 \(authorization_code, a\d\)`).MatchString(out.String()) {
		t.Errorf("the sandbox did not print the Pin's creation:\n%s", out.String())
	}
}
