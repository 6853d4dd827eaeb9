package pipeline

import (
	"context"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/demo"
	"github.com/pinready/pinready/internal/browser/browsertest"
	"github.com/pinready/pinready/internal/example"
	"github.com/pinready/pinready/internal/ocrtest"
	"github.com/pinready/pinready/internal/sampleapp"
	"github.com/pinready/pinready/internal/terminal"
	"github.com/pinready/pinready/internal/testkit"
)

// recordTerminal records the terminal example, its script changed by edit.
func recordTerminal(t *testing.T, edit func(script string) string) (*RecordResult, *example.World, string) {
	t.Helper()
	browsertest.Require(t)
	ocrtest.RequireTools(t, "ffmpeg", "ffprobe", "tesseract", "python3")
	w := testkit.World(t, example.Options{Stack: example.StackTerminal})
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "pinready.yaml")
	if err := os.WriteFile(cfgPath, []byte(w.Config()), 0o644); err != nil {
		t.Fatal(err)
	}
	script := edit(string(sampleapp.PinToolsScript))
	if err := os.WriteFile(filepath.Join(dir, sampleapp.PinToolsName), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg, err := checks.LoadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	var progress strings.Builder
	env := Env{Rules: testkit.Rules(t), Tool: checks.Tool{Name: "pinready", Version: "test"}, Progress: &progress,
		Getenv: w.Getenv(func(string) string { return "" })}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	out := filepath.Join(dir, "out")
	res, err := Record(ctx, env, cfg, RecordOptions{Out: out, Pace: 600 * time.Millisecond, Timeout: 20 * time.Second, Resolve: w.Resolve})
	if err != nil {
		t.Fatalf("Record: %v\n%s", err, progress.String())
	}
	if strings.Contains(progress.String(), w.ClientSecret) {
		t.Error("the progress lines show the app secret")
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("progress:\n%s", progress.String())
		}
		if keep := os.Getenv("PINREADY_RECORD_KEEP"); keep != "" {
			dst := filepath.Join(keep, t.Name())
			os.RemoveAll(dst)
			os.MkdirAll(filepath.Dir(dst), 0o755)
			exec.Command("cp", "-r", out, dst).Run()
		}
	})
	return res, w, out
}

// `record` of an app with no web page: the terminal script's whole flow in
// one take, read back as a reviewer reads it. The command is typed at a
// prompt, the consent and the callback are in the browser, and the
// terminal shows the account the script read.
func TestRecordTerminalFlow(t *testing.T) {
	res, _, _ := recordTerminal(t, func(s string) string { return s })
	fs := map[string]checks.Finding{}
	for _, f := range res.Report.Findings {
		fs[f.Rule] = f
	}
	for _, id := range []string{"oauth.authorize", "oauth.client-id", "oauth.redirect-uri", "oauth.state", "oauth.consent",
		"oauth.callback", "oauth.no-credentials", "demo.live-integration", "demo.video"} {
		if fs[id].Status != checks.StatusPass {
			t.Errorf("%s: %s %q", id, fs[id].Status, fs[id].Message)
		}
	}
	steps := map[string]string{}
	var names []string
	for _, s := range res.Video.Steps {
		steps[s.Name] = s.Path
		names = append(names, s.Name)
	}
	if got := strings.Join(names, ","); got != "run,connect,consent,approve,callback,exchange,live-data" {
		t.Fatalf("steps %s", got)
	}
	imgs := make([]image.Image, len(names))
	for i, n := range names {
		imgs[i] = ocrtest.DecodePNG(t, steps[n])
	}
	for i := range imgs {
		for j := i + 1; j < len(imgs); j++ {
			if n := differingPixels(imgs[i], imgs[j], 1080-200); n < 400 {
				t.Errorf("step images %s and %s are the same picture above the caption", names[i], names[j])
			}
		}
	}
	area := demo.TerminalArea(demo.Options{}, terminal.DefaultCols, terminal.DefaultRows)
	run := flat(ocrtest.Region(t, imgs[0], area, "6"))
	if !strings.Contains(run, "$ python3 pin_tools.py") {
		t.Errorf("the run step does not show the command typed at a prompt:\n%s", run)
	}
	live := flat(ocrtest.Region(t, ocrtest.DecodePNG(t, steps["live-data"]), image.Rect(0, 0, 1920, 1080), "6"))
	for _, want := range []string{"Username: ada_pins", "Weeknight Dinners", "The script shows live data from the Pinterest API"} {
		if !strings.Contains(live, want) {
			t.Errorf("the live-data step image lacks %q:\n%s", want, live)
		}
	}
	bar := ocrtest.Squash(ocrtest.Region(t, ocrtest.DecodePNG(t, steps["callback"]), demo.AddressBar(demo.Options{}), "7"))
	if !regexp.MustCompile(`localhost:\d+/\?code=`).MatchString(bar) {
		t.Errorf("the callback step's address bar reads %q, want localhost:PORT/?code=", bar)
	}
	// The terminal is live in the video: a frame before the consent shows
	// the script waiting, without the account yet.
	texts := ocrTerminalFrames(t, res.Video.Video, area)
	waiting, account := -1, -1
	for i, s := range texts {
		if waiting < 0 && strings.Contains(s, "Waiting for Pinterest") && !strings.Contains(s, "Username") {
			waiting = i
		}
		if account < 0 && strings.Contains(s, "Username: ada_pins") {
			account = i
		}
	}
	if waiting < 0 || account <= waiting {
		t.Errorf("the video does not show the script waiting (frame %d) before it shows the account (frame %d)", waiting, account)
	}
}

// A script that prints its token in clear: oauth.token-exposure names the
// line, and no frame of the video shows the token.
func TestRecordTerminalMasksPrintedToken(t *testing.T) {
	res, w, out := recordTerminal(t, func(s string) string {
		return strings.Replace(s, `print("Username: "`, `print("clear text access token: " + access)
    print("Username: "`, 1)
	})
	var exposure checks.Finding
	for _, f := range res.Report.Findings {
		if f.Rule == "oauth.token-exposure" {
			exposure = f
		}
	}
	if exposure.Status != checks.StatusFail || !strings.Contains(exposure.Message, "printed in clear in the terminal (line 5)") {
		t.Errorf("oauth.token-exposure: %s %q, want a failure naming line 5", exposure.Status, exposure.Message)
	}
	tokens := w.Fake.IssuedTokens()
	if len(tokens) == 0 {
		t.Fatal("the fake issued no token")
	}
	area := demo.TerminalArea(demo.Options{}, terminal.DefaultCols, terminal.DefaultRows)
	seen := false
	for _, s := range ocrTerminalFrames(t, res.Video.Video, area) {
		// The token's line comes just before the account's: a frame that
		// shows the account shows where the token was printed. (OCR reads
		// the run of "•" as noise and its neighbours badly.)
		if strings.Contains(s, "Username: ada_pins") {
			seen = true
		}
		for _, tok := range tokens {
			// Any 6 characters of the token's body in a row: OCR may misread
			// a few, never all of a token shown whole.
			body := strings.TrimPrefix(tok, "pina_")
			for i := 0; i+6 <= len(body); i += 6 {
				if strings.Contains(ocrtest.Squash(s), body[i:i+6]) {
					t.Errorf("a frame shows part of the token (%q):\n%s", body[i:i+6], s)
				}
			}
		}
	}
	if !seen {
		t.Error("no frame shows the lines after the token: the test would prove nothing")
	}
	// Nor any file of the recording.
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".mp4") || strings.HasSuffix(p, ".png") {
			return nil
		}
		data, _ := os.ReadFile(p)
		for _, tok := range append(tokens, w.ClientSecret) {
			if strings.Contains(string(data), tok) {
				t.Errorf("%s holds a secret", p)
			}
		}
		return nil
	})
}

// ocrTerminalFrames reads the terminal's text in the video twice a second.
func ocrTerminalFrames(t *testing.T, video string, r image.Rectangle) []string {
	t.Helper()
	var texts []string
	for _, p := range ocrtest.Frames(t, video, fmt.Sprintf("fps=2,crop=%d:%d:%d:%d", r.Dx(), r.Dy(), r.Min.X, r.Min.Y)) {
		texts = append(texts, ocrtest.File(t, p, "6"))
	}
	return texts
}
