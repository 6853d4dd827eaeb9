package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/browser/browsertest"
	"github.com/pinready/pinready/internal/example"
	"github.com/pinready/pinready/internal/sampleapp"
	"github.com/pinready/pinready/internal/testenv"
	"github.com/pinready/pinready/internal/testkit"
)

// requireFFmpeg skips under -short, and fails in CI and skips elsewhere
// when ffmpeg is missing.
func requireFFmpeg(t *testing.T) {
	t.Helper()
	testenv.SlowProgram(t, "ffmpeg")
}

// startWorld serves the sample app and the fake Pinterest, writes the
// example's pinready.yaml and returns it with the --resolve arguments.
func startWorld(t *testing.T) (*example.World, string, []string) {
	t.Helper()
	return startWorldWith(t, example.Options{})
}

// startWorldWith is startWorld with the world's options.
func startWorldWith(t *testing.T, o example.Options) (*example.World, string, []string) {
	t.Helper()
	w := testkit.World(t, o)
	cfg := filepath.Join(t.TempDir(), "pinready.yaml")
	if err := os.WriteFile(cfg, []byte(w.Config()), 0o644); err != nil {
		t.Fatal(err)
	}
	var args []string
	for _, r := range w.ResolveFlags() {
		args = append(args, "--resolve", r)
	}
	return w, cfg, args
}

// The whole product on the compliant sample app: check passes every blocker,
// record writes the video, and no secret reaches any output.
func TestSampleAppEndToEnd(t *testing.T) {
	browsertest.Require(t)
	requireFFmpeg(t)
	w, cfg, resolveArgs := startWorld(t)
	out := t.TempDir()
	evidence := filepath.Join(out, "evidence")

	args := append([]string{"check", "--config", cfg, "--format", "json", "--evidence", evidence, "--state-twice"}, resolveArgs...)
	code, stdout, stderr := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("check: exit %d\nstderr: %s\nstdout: %s", code, stderr, stdout)
	}
	var rep checks.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		switch {
		case f.Rule == "demo.video":
			if f.Status != checks.StatusSkip {
				t.Errorf("demo.video in check: %s, want skip", f.Status)
			}
		case f.Rule == "privacy.https":
			// the example is served over plain HTTP (its .test redirect URI
			// can never be public, so oauth.redirect-https passes)
			if f.Status != checks.StatusFail {
				t.Errorf("%s: %s, want the plain-HTTP warning", f.Rule, f.Status)
			}
		case f.Status != checks.StatusPass:
			t.Errorf("%s: %s: %s", f.Rule, f.Status, f.Message)
		}
	}

	recordArgs := append([]string{"record", "--config", cfg, "--out", out, "--pace", "300ms"}, resolveArgs...)
	code, stdout2, stderr2 := runCLI(t, recordArgs...)
	if code != 0 {
		t.Fatalf("record: exit %d\nstderr: %s\nstdout: %s", code, stderr2, stdout2)
	}
	for _, f := range []string{"demo.mp4", "storyboard.png", "trace.json", "record.json"} {
		if fi, err := os.Stat(filepath.Join(out, f)); err != nil || fi.Size() == 0 {
			t.Errorf("record did not write %s: %v", f, err)
		}
	}

	secrets := append([]string{w.ClientSecret}, w.Fake.IssuedTokens()...)
	if len(secrets) < 3 {
		t.Fatalf("the fake issued %d tokens; the secret scan would be blind", len(secrets)-1)
	}
	texts := map[string]string{"check stdout": stdout, "check stderr": stderr, "record stdout": stdout2, "record stderr": stderr2}
	filepath.Walk(out, func(path string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			data, _ := os.ReadFile(path)
			texts[path] = string(data)
		}
		return nil
	})
	for where, text := range texts {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("secret %.8s… found in %s", s, where)
			}
		}
	}
}

// `pinready example` is what `make example` runs: offline, exit 0, reports and video.
func TestExampleCommand(t *testing.T) {
	browsertest.Require(t)
	requireFFmpeg(t)
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "example", "--out", out)
	if code != 0 {
		t.Fatalf("example: exit %d\nstderr: %s\nstdout: %s", code, stderr, stdout)
	}
	for _, f := range []string{"pinready.yaml", "report.txt", "report.json", "report.html", "report.sarif", "report.junit.xml", "report.md",
		"demo.mp4", "storyboard.png", "record.json", "submission/CHECKLIST.md", "submission/demo.mp4", "submission/description.txt"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("example did not write %s", f)
		}
	}
	if !strings.Contains(stdout, "Demo video:") || !strings.Contains(stdout, "at-risk") {
		t.Errorf("example output lacks the verdict or the video path:\n%s", stdout)
	}
	// The check's report survives the recording in the same folder.
	var rep checks.Report
	data, _ := os.ReadFile(filepath.Join(out, "report.json"))
	if err := json.Unmarshal(data, &rep); err != nil || rep.Summary.Passed < 30 {
		t.Errorf("report.json is not the full check report (%v, %d passed)", err, rep.Summary.Passed)
	}
	checklist, _ := os.ReadFile(filepath.Join(out, "submission", "CHECKLIST.md"))
	if strings.Contains(string(checklist), "## ✗") || strings.Count(string(checklist), "## ✓") < 8 {
		t.Errorf("the sample app's checklist should be all ✓:\n%s", checklist)
	}
}

// `pinready example --stack authjs` builds the sample app the way most OAuth
// libraries work (its callback answers 302), and an unknown stack is a usage
// error.
func TestExampleStack(t *testing.T) {
	if code, _, stderr := runCLI(t, "example", "--out", t.TempDir(), "--stack", "rails"); code != exitUsage || !strings.Contains(stderr, "--stack rails: want one of go, authjs, terminal") {
		t.Errorf("--stack rails: exit %d, %s", code, stderr)
	}
	browsertest.Require(t)
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "example", "--out", out, "--no-record", "--stack", "authjs")
	if code != 0 {
		t.Fatalf("exit %d\nstderr: %s\nstdout: %s", code, stderr, stdout)
	}
	var rep checks.Report
	data, _ := os.ReadFile(filepath.Join(out, "report.json"))
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		if f.Rule == "oauth.callback" && (f.Status != checks.StatusPass || f.Evidence == nil || f.Evidence.Status != 302 ||
			!strings.Contains(f.Evidence.URL, "/api/auth/callback/pinterest?code=")) {
			t.Errorf("oauth.callback: %s %q %+v", f.Status, f.Message, f.Evidence)
		}
	}
}

// Apps built on the mainstream stacks pass every OAuth rule: the Go app on
// golang.org/x/oauth2 (state, S256 PKCE, the callback shows the dashboard)
// and the Auth.js-like app (a CSRF-guarded POST before Pinterest, /oauth
// without its slash, a callback that answers 302, a dashboard its script
// fills from a session endpoint).
func TestOAuthRulesPassOnMainstreamStacks(t *testing.T) {
	browsertest.Require(t)
	for _, stack := range []string{sampleapp.StackGo, sampleapp.StackAuthJS} {
		t.Run("stack="+stack, func(t *testing.T) {
			_, cfg, resolveArgs := startWorldWith(t, example.Options{Stack: stack})
			code, stdout, stderr := runCLI(t, append([]string{"check", "--config", cfg, "--only", "oauth", "--format", "json", "--state-twice"}, resolveArgs...)...)
			var rep checks.Report
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatalf("exit %d: %v\n%s", code, err, stderr)
			}
			for _, f := range rep.Findings {
				oauth := strings.HasPrefix(f.Rule, "oauth.") || f.Rule == "demo.live-integration" || f.Rule == "demo.trial-sandbox"
				if oauth && f.Status != checks.StatusPass {
					t.Errorf("%s: %s %q", f.Rule, f.Status, f.Message)
				}
				// The example's fake Pinterest witnesses the run: the
				// judgement cites the calls made with the new token.
				if f.Rule == "demo.live-integration" && !strings.Contains(f.Message, "GET /v5/boards") {
					t.Errorf("demo.live-integration does not cite the witnessed calls: %q", f.Message)
				}
			}
			if code != exitOK {
				t.Errorf("exit %d\n%s", code, stderr)
			}
		})
	}
}
