package oauthflow

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/fakepinterest"
	"github.com/pinready/pinready/internal/sampleapp"
	"github.com/pinready/pinready/internal/testenv"
)

// termWorld is a fake Pinterest that knows an app whose redirect URI is a
// loopback listener, as a terminal script registers it, and a folder with
// the script and its pinready.yaml.
type termWorld struct {
	t        *testing.T
	fake     *fakepinterest.Server
	port     int    // the script's loopback listener
	oauthURI string // http://www.pinterest.test:PORT
	apiURI   string // http://127.0.0.1:PORT: a script resolves no .test name
	landing  string // where a 301 from the listener sends the browser
	dir      string
}

func newTermWorld(t *testing.T) *termWorld {
	t.Helper()
	needBrowser(t)
	needPrograms(t, "bash", "python3", "nc", "curl")
	w := &termWorld{t: t, port: freePort(t), dir: t.TempDir()}
	fake, err := fakepinterest.New(fakepinterest.Options{Apps: []fakepinterest.App{{
		ID: clientID, Secret: clientSecret, Name: "Acme Pin Tools", RedirectURIs: []string{w.redirect()},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(fake)
	t.Cleanup(ts.Close)
	_, port, _ := net.SplitHostPort(ts.Listener.Addr().String())
	w.fake, w.oauthURI, w.apiURI = fake, "http://"+fakepinterest.DefaultWebHost+":"+port, "http://127.0.0.1:"+port
	landing := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		writePage(rw, "<h1>Your apps</h1><p>Acme Pin Tools</p>")
	}))
	t.Cleanup(landing.Close)
	_, lport, _ := net.SplitHostPort(landing.Listener.Addr().String())
	w.landing = "http://landing.test:" + lport + "/apps/"
	return w
}

func (w *termWorld) redirect() string { return fmt.Sprintf("http://localhost:%d/", w.port) }

// config writes a pinready.yaml for command into the world's folder;
// extra is more YAML under oauth:, env more variables for the command.
func (w *termWorld) config(command, extra string, env ...string) *checks.Config {
	w.t.Helper()
	vars := map[string]string{
		"PINTEREST_APP_ID": clientID, "PINTEREST_OAUTH_URI": w.oauthURI, "PINTEREST_API_URI": w.apiURI,
		"REDIRECT_PORT": strconv.Itoa(w.port), "REDIRECT_LANDING_URI": w.landing,
	}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	var b strings.Builder
	b.WriteString("  env:\n    - {name: PINTEREST_APP_SECRET, value_env: TEST_PIN_SECRET}\n")
	for _, k := range []string{"PINTEREST_APP_ID", "PINTEREST_OAUTH_URI", "PINTEREST_API_URI", "REDIRECT_PORT", "REDIRECT_LANDING_URI",
		"CLEARTEXT", "HANG", "CLIENT_CREDENTIALS", "PASSWORD_PROMPT", "PIDFILE", "PRINT_ONLY", "STATE"} {
		if v, ok := vars[k]; ok {
			fmt.Fprintf(&b, "    - {name: %s, value: %q}\n", k, v)
		}
	}
	data := fmt.Sprintf(`
app:
  name: Acme Pin Tools
  id: %q
  scopes: [boards:read, pins:read, user_accounts:read]
  redirect_uris: [%s]
oauth:
  command: %s
  authorize_url: %s/oauth/
%s%s`, clientID, w.redirect(), command, w.oauthURI, b.String(), extra)
	path := filepath.Join(w.dir, "pinready.yaml")
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		w.t.Fatal(err)
	}
	cfg, err := checks.ParseConfig(path, []byte(data))
	if err != nil {
		w.t.Fatal(err)
	}
	return cfg
}

// drive runs the flow with the app secret in the environment.
func (w *termWorld) drive(cfg *checks.Config, o Options) *Trace {
	w.t.Helper()
	if o.Getenv == nil {
		o.Getenv = func(k string) string {
			if k == "TEST_PIN_SECRET" {
				return clientSecret
			}
			return ""
		}
	}
	ww := &world{t: w.t}
	return ww.drive(cfg, o)
}

func (w *termWorld) copyScript(name string) {
	w.t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "terminal", name))
	if err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(w.dir, name), data, 0o755); err != nil {
		w.t.Fatal(err)
	}
}

func needPrograms(t *testing.T, names ...string) {
	t.Helper()
	for _, n := range names {
		testenv.Program(t, n)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// The Python sample (webbrowser, http.server, urllib): the whole flow
// passes, its output shows the account, and nothing secret is kept.
func TestTerminalPythonScript(t *testing.T) {
	w := newTermWorld(t)
	if _, err := sampleapp.WriteScript(w.dir); err != nil {
		t.Fatal(err)
	}
	cfg := w.config("[python3, pin_tools.py]", "  success_text: \"Username: \"\n")
	tr := w.drive(cfg, Options{})
	if tr.Stalled != nil {
		t.Fatalf("stalled: %+v\noutput: %+v", tr.Stalled, tr.Terminal)
	}
	fs := findingsOf(t, cfg, tr)
	for _, id := range Rules {
		if f := fs[id]; f.Status != checks.StatusPass {
			t.Errorf("%s: %s %s", id, f.Status, f.Message)
		}
	}
	want(t, fs, "oauth.authorize", checks.StatusPass, "through $BROWSER")
	want(t, fs, "demo.live-integration", checks.StatusPass, "Username: ada_pins")
	var steps []string
	for _, s := range tr.Steps {
		steps = append(steps, s.Name)
	}
	if got := strings.Join(steps, ","); got != "run,connect,consent,approve,callback,exchange,live-data" {
		t.Errorf("steps %s", got)
	}
	if tr.Terminal == nil || tr.Terminal.ExitCode == nil || *tr.Terminal.ExitCode != 0 {
		t.Fatalf("terminal %+v, want exit 0", tr.Terminal)
	}
	if tr.Terminal.Command != "python3 pin_tools.py" {
		t.Errorf("command shown as %q", tr.Terminal.Command)
	}
	assertNoSecret(t, tr, w.fake)
}

// The bash quickstart's ways: open, consumer_id, no state, nc's 301 with
// no body length, curl. The flow passes but for the missing state.
func TestTerminalBashQuickstart(t *testing.T) {
	w := newTermWorld(t)
	w.copyScript("quickstart.sh")
	cfg := w.config("[bash, quickstart.sh]", "  success_text: \"Username: ada_pins\"\n")
	tr := w.drive(cfg, Options{})
	if tr.Stalled != nil {
		t.Fatalf("stalled: %+v\noutput: %+v", tr.Stalled, tr.Terminal.Lines)
	}
	fs := findingsOf(t, cfg, tr)
	want(t, fs, "oauth.authorize", checks.StatusPass, "through open")
	want(t, fs, "oauth.client-id", checks.StatusPass, "sent as consumer_id")
	want(t, fs, "oauth.state", checks.StatusFail, "the authorize URL the command opened has no state")
	want(t, fs, "oauth.callback", checks.StatusPass, "answered 301")
	want(t, fs, "oauth.token-exposure", checks.StatusPass, "lines the command printed")
	want(t, fs, "demo.live-integration", checks.StatusPass, "Username: ada_pins")
	assertNoSecret(t, tr, w.fake)
}

// A token printed in clear is a finding naming its line, and the trace
// keeps it masked.
func TestTerminalTokenPrintedInClear(t *testing.T) {
	w := newTermWorld(t)
	w.copyScript("quickstart.sh")
	cfg := w.config("[bash, quickstart.sh]", "  success_text: \"Username: ada_pins\"\n", "CLEARTEXT=1")
	tr := w.drive(cfg, Options{})
	fs := findingsOf(t, cfg, tr)
	want(t, fs, "oauth.token-exposure", checks.StatusFail, "printed in clear in the terminal")
	line := 0
	for _, l := range tr.Terminal.Lines {
		if strings.HasPrefix(l.Text, "clear text access token:") {
			line = l.N
		}
	}
	if line == 0 {
		t.Fatalf("no clear-text line in %+v", tr.Terminal.Lines)
	}
	want(t, fs, "oauth.token-exposure", checks.StatusFail, fmt.Sprintf("line %d", line))
	assertNoSecret(t, tr, w.fake)
}

// Client credentials get a token without the user: no consent, and the
// finding says so in words a developer acts on.
func TestTerminalClientCredentials(t *testing.T) {
	w := newTermWorld(t)
	w.copyScript("quickstart.sh")
	cfg := w.config("[bash, quickstart.sh]", "  success_text: \"Username: ada_pins\"\n", "CLIENT_CREDENTIALS=1")
	tr := w.drive(cfg, Options{})
	fs := findingsOf(t, cfg, tr)
	want(t, fs, "oauth.authorize", checks.StatusFail, "ended (exit status 0) before it opened")
	want(t, fs, "oauth.authorize", checks.StatusFail, "client credentials")
	want(t, fs, "oauth.authorize", checks.StatusFail, `"Username: ada_pins"`)
	want(t, fs, "oauth.consent", checks.StatusSkip, "")
	want(t, fs, "demo.live-integration", checks.StatusSkip, "")
}

// A script that fails before opening Pinterest: its own message and its
// exit status reach the user.
func TestTerminalExitsEarly(t *testing.T) {
	w := newTermWorld(t)
	if _, err := sampleapp.WriteScript(w.dir); err != nil {
		t.Fatal(err)
	}
	cfg := w.config("[python3, pin_tools.py]", "  success_text: \"Username: \"\n")
	tr := w.drive(cfg, Options{Getenv: func(string) string { return "" }})
	fs := findingsOf(t, cfg, tr)
	want(t, fs, "oauth.authorize", checks.StatusFail, "TEST_PIN_SECRET is empty or unset")
	// With the variable given but the script's own variable missing, the
	// script's words reach the finding.
	cfg.OAuth.Env = cfg.OAuth.Env[1:]
	tr = w.drive(cfg, Options{})
	fs = findingsOf(t, cfg, tr)
	want(t, fs, "oauth.authorize", checks.StatusFail, "ended (exit status 1) before it opened")
	want(t, fs, "oauth.authorize", checks.StatusFail, "PINTEREST_APP_SECRET must be set in the environment")
	if f := fs["oauth.authorize"]; f.Field != "oauth.command" {
		t.Errorf("the finding points at %q, want oauth.command", f.Field)
	}
}

// A script that hangs after the callback ends within the timeout, with its
// last lines quoted, and leaves no process behind.
func TestTerminalHangsAfterCallback(t *testing.T) {
	w := newTermWorld(t)
	w.copyScript("quickstart.sh")
	pidfile := filepath.Join(w.dir, "script.pid")
	cfg := w.config("[bash, quickstart.sh]", "  success_text: \"Username: ada_pins\"\n", "HANG=1", "PIDFILE="+pidfile)
	tr := w.drive(cfg, Options{Timeout: 10 * time.Second}) // every step before the hang must fit it on a busy machine
	fs := findingsOf(t, cfg, tr)
	want(t, fs, "oauth.callback", checks.StatusPass, "")
	want(t, fs, "demo.live-integration", checks.StatusFail, "printed no text \"Username: ada_pins\" within 10s (it is still running)")
	want(t, fs, "demo.live-integration", checks.StatusFail, `"waiting for the network..."`)
	if !strings.HasPrefix(tr.Terminal.Exit, "ended by pinready") {
		t.Errorf("exit %q, want ended by pinready", tr.Terminal.Exit)
	}
	data, err := os.ReadFile(pidfile)
	if err != nil {
		t.Fatal(err)
	}
	pid := strings.TrimSpace(string(data))
	if stat, err := os.ReadFile("/proc/" + pid + "/stat"); err == nil && !strings.Contains(string(stat), ") Z ") {
		t.Errorf("the script (pid %s) is still running: %s", pid, stat)
	}
}

// A script that asks for the Pinterest password fails oauth.no-credentials
// and never gets one.
func TestTerminalAsksForPassword(t *testing.T) {
	w := newTermWorld(t)
	w.copyScript("quickstart.sh")
	cfg := w.config("[bash, quickstart.sh]", "  success_text: \"Username: ada_pins\"\n", "PASSWORD_PROMPT=1")
	tr := w.drive(cfg, Options{})
	fs := findingsOf(t, cfg, tr)
	want(t, fs, "oauth.no-credentials", checks.StatusFail, `asked for a password in the terminal (line 1: "Pinterest password:")`)
	want(t, fs, "oauth.authorize", checks.StatusFail, "asks for a password")
}

// A script that only prints the authorize URL for its user to open: the
// printed URL is driven. Run twice (--state-twice), its random state differs.
func TestTerminalPrintedURLAndStateTwice(t *testing.T) {
	w := newTermWorld(t)
	w.copyScript("quickstart.sh")
	cfg := w.config("[bash, quickstart.sh]", "  success_text: \"Username: ada_pins\"\n", "PRINT_ONLY=1", "STATE=1")
	tr := w.drive(cfg, Options{StateTwice: true})
	if tr.Stalled != nil {
		t.Fatalf("stalled: %+v\noutput: %+v", tr.Stalled, tr.Terminal.Lines)
	}
	fs := findingsOf(t, cfg, tr)
	want(t, fs, "oauth.authorize", checks.StatusPass, "it printed the URL on line 2")
	want(t, fs, "oauth.state", checks.StatusPass, "")
	want(t, fs, "demo.live-integration", checks.StatusPass, "Username: ada_pins")
	if tr.SecondAuthorize == nil || tr.SecondAuthorize.State == "" || tr.SecondAuthorize.State == tr.Authorize.State {
		t.Errorf("second authorize %+v, first state %q: want a second, different state", tr.SecondAuthorize, tr.Authorize.State)
	}
}

// Ctrl-C (the run's context ending) while the command runs: Drive returns
// at once and the command's whole process group is gone.
func TestTerminalCancelEndsTheCommand(t *testing.T) {
	w := newTermWorld(t)
	pidfile := filepath.Join(w.dir, "script.pid")
	script := "echo $$ > " + pidfile + "\n(sleep 600 &)\necho 'thinking...'\nsleep 600\n"
	if err := os.WriteFile(filepath.Join(w.dir, "slow.sh"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := w.config("[sh, slow.sh]", "  success_text: x\n")
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for {
			if _, err := os.Stat(pidfile); err == nil {
				cancel()
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	_, err := Drive(ctx, cfg, Options{Browser: needBrowser(t), Timeout: time.Minute, Getenv: func(string) string { return "x" }})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Drive = %v, want context.Canceled", err)
	}
	data, _ := os.ReadFile(pidfile)
	pid := strings.TrimSpace(string(data))
	if stat, err := os.ReadFile("/proc/" + pid + "/stat"); err == nil && !strings.Contains(string(stat), ") Z ") {
		t.Errorf("the command (pid %s) is still running: %s", pid, stat)
	}
	// Its background child, in the same process group, is gone too.
	out, _ := exec.Command("pgrep", "-g", pid).Output()
	for _, p := range strings.Fields(string(out)) {
		if stat, err := os.ReadFile("/proc/" + p + "/stat"); err == nil && !strings.Contains(string(stat), ") Z ") {
			t.Errorf("process %s of the command's group is still running: %s", p, stat)
		}
	}
}

// assertNoSecret checks the trace for every token the fake issued and the
// app secret.
func assertNoSecret(t *testing.T, tr *Trace, fake *fakepinterest.Server) {
	t.Helper()
	data := fmt.Sprintf("%+v %+v %+v", *tr, tr.Terminal, tr.Exposures)
	for _, s := range append(fake.IssuedTokens(), clientSecret) {
		if strings.Contains(data, s) {
			t.Errorf("the trace holds a secret %.9s…", s)
		}
	}
}

// A terminal script's API calls with the new token are what a reviewer
// wants cited: the witness names them in demo.live-integration, beside
// the line of output that proves them.
func TestTerminalWitnessed(t *testing.T) {
	w := newTermWorld(t)
	if _, err := sampleapp.WriteScript(w.dir); err != nil {
		t.Fatal(err)
	}
	cfg := w.config("[python3, pin_tools.py]", "  success_text: \"Username: \"\n")
	tr := driveWitnessed(t, cfg, func() *Trace { return w.drive(cfg, Options{}) })
	fs := findingsOf(t, cfg, tr)
	want(t, fs, "demo.live-integration", checks.StatusPass,
		`after the callback the command exchanged the code (POST /v5/oauth/token) and called GET /v5/user_account and GET /v5/boards with the new token; its output then showed text "Username: " (line`)
	want(t, fs, "demo.trial-sandbox", checks.StatusPass, "created no Pin or board on the production host")
	assertNoSecret(t, tr, w.fake)
}

// A script that gets its token with client credentials is named from the
// token endpoint's record: what it asked for and what it called with it.
func TestTerminalClientCredentialsWitnessed(t *testing.T) {
	w := newTermWorld(t)
	w.copyScript("quickstart.sh")
	cfg := w.config("[bash, quickstart.sh]", "  success_text: \"Username: ada_pins\"\n", "CLIENT_CREDENTIALS=1")
	tr := driveWitnessed(t, cfg, func() *Trace { return w.drive(cfg, Options{}) })
	fs := findingsOf(t, cfg, tr)
	want(t, fs, "oauth.authorize", checks.StatusFail,
		"The command got its token with client credentials: the witness saw POST /v5/oauth/token with grant_type=client_credentials (answered 200), then GET /v5/user_account with that token")
	if strings.Contains(fs["oauth.authorize"].Message, "if it got its token") {
		t.Errorf("the witnessed grant is still guessed at: %q", fs["oauth.authorize"].Message)
	}
}
