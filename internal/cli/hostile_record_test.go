package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/browser/browsertest"
)

// plantLinks puts a symbolic link to a victim file at each name under dir
// and returns a check that no victim changed and no name is still a link.
func plantLinks(t *testing.T, dir string, names ...string) func(t *testing.T) {
	t.Helper()
	victims := t.TempDir()
	for i, name := range names {
		victim := filepath.Join(victims, "victim-"+itoa(i))
		os.WriteFile(victim, []byte("precious "+name), 0o600)
		link := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(link), 0o755)
		if err := os.Symlink(victim, link); err != nil {
			t.Fatal(err)
		}
	}
	return func(t *testing.T) {
		t.Helper()
		for i, name := range names {
			if got, _ := os.ReadFile(filepath.Join(victims, "victim-"+itoa(i))); string(got) != "precious "+name {
				t.Errorf("the link at %s was followed: its target now holds %.40q", name, got)
			}
		}
	}
}

// Symbolic links planted in record's output folder (the storyboard, a step
// image, an evidence screenshot, the video and the name ffmpeg used to write
// to) are replaced, never followed, by pinready or by ffmpeg.
func TestHostileSymlinksInRecordOutput(t *testing.T) {
	browsertest.Require(t)
	requireFFmpeg(t)
	_, cfg, resolveArgs := startWorld(t)
	out := t.TempDir()
	untouched := plantLinks(t, out, "storyboard.png", "steps/01-open-app.png", "evidence/01-open-app.png",
		"demo.partial.mp4", "demo.mp4", "trace.json")
	code, _, stderr := runCLI(t, append([]string{"record", "--config", cfg, "--out", out, "--pace", "100ms"}, resolveArgs...)...)
	if code != 0 {
		t.Fatalf("record: exit %d\n%s", code, stderr)
	}
	untouched(t)
	for _, name := range []string{"storyboard.png", "demo.mp4", "steps/01-open-app.png", "evidence/01-open-app.png"} {
		if fi, err := os.Lstat(filepath.Join(out, name)); err != nil || !fi.Mode().IsRegular() {
			t.Errorf("%s is not a regular file of this run: %v %v", name, fi, err)
		}
	}

	// A subfolder planted as a link is refused, not written through.
	out2 := t.TempDir()
	elsewhere := t.TempDir()
	os.Symlink(elsewhere, filepath.Join(out2, "steps"))
	code, _, stderr = runCLI(t, append([]string{"record", "--config", cfg, "--out", out2, "--pace", "100ms"}, resolveArgs...)...)
	if code != exitCannot || !strings.Contains(stderr, "symbolic link") {
		t.Errorf("steps/ a link: exit %d, %q; want 3 naming the link", code, stderr)
	}
	if entries, _ := os.ReadDir(elsewhere); len(entries) != 0 {
		t.Errorf("record wrote through the steps/ link: %v", entries)
	}
}

// Links planted in --evidence and --output-dir are replaced, not followed.
func TestHostileSymlinksInCheckEvidence(t *testing.T) {
	browsertest.Require(t)
	_, cfg, resolveArgs := startWorld(t)
	evidence, reports := t.TempDir(), t.TempDir()
	untouchedEvidence := plantLinks(t, evidence, "privacy-policy.png", "01-open-app.png", "trace.json")
	untouchedReports := plantLinks(t, reports, "report.json", "report.html")
	args := append([]string{"check", "--config", cfg, "--only", "privacy,oauth", "--render", "always",
		"--evidence", evidence, "--format", "json,html", "--output-dir", reports}, resolveArgs...)
	code, _, stderr := runCLI(t, args...)
	if code != 0 && code != 1 {
		t.Fatalf("check: exit %d\n%s", code, stderr)
	}
	untouchedEvidence(t)
	untouchedReports(t)
	if fi, err := os.Lstat(filepath.Join(evidence, "01-open-app.png")); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("01-open-app.png is not this run's screenshot: %v", err)
	}
}

// Interrupted record: a signal as encoding starts is exit 130, leaves no
// video and no record.json (not this run's, not an earlier one's), and pack
// then refuses instead of shipping a stale video.
func TestHostileInterruptedRecordLeavesNoStaleVideo(t *testing.T) {
	browsertest.Require(t)
	requireFFmpeg(t)
	bin := buildBinary(t)
	_, cfg, resolveArgs := startWorld(t)
	out := t.TempDir()
	// An earlier, finished run's files.
	os.WriteFile(filepath.Join(out, "demo.mp4"), []byte("an older video"), 0o644)
	os.WriteFile(filepath.Join(out, "record.json"), []byte(`{"schema_version":1,"tool":{"name":"pinready"}}`), 0o644)

	tmp := t.TempDir()
	cmd := exec.Command(bin, append([]string{"record", "--config", cfg, "--out", out, "--pace", "300ms"}, resolveArgs...)...)
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	stderrPipe, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var seen bytes.Buffer
	signalled := false
	sc := bufio.NewScanner(stderrPipe)
	for sc.Scan() {
		seen.WriteString(sc.Text() + "\n")
		if !signalled && strings.Contains(sc.Text(), "encoding…") {
			cmd.Process.Signal(syscall.SIGINT)
			signalled = true
		}
	}
	io.Copy(io.Discard, stderrPipe)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !signalled {
		t.Fatalf("record never said encoding…\n%s", seen.String())
	}
	if !errors.As(err, &ee) || ee.ExitCode() != exitSignal {
		t.Fatalf("exit %v, want %d\n%s", err, exitSignal, seen.String())
	}
	for _, name := range []string{"demo.mp4", "record.json"} {
		if _, err := os.Stat(filepath.Join(out, name)); err == nil {
			t.Errorf("%s is left after the interrupted run", name)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(out, "*partial*")); len(left) > 0 {
		t.Errorf("a partial video is left: %v", left)
	}
	assertNothingLeft(t, tmp)

	code, _, stderr := runCLI(t, append([]string{"pack", "--config", cfg, "--from", out}, resolveArgs...)...)
	if code != exitCannot {
		t.Errorf("pack after an interrupted record: exit %d, want 3\n%s", code, stderr)
	}
}

// pack refuses a video that is not the one record.json describes (its
// SHA-256), and one with no record.json beside it.
func TestHostilePackRefusesAForeignVideo(t *testing.T) {
	browsertest.Require(t)
	requireFFmpeg(t)
	_, cfg, resolveArgs := startWorld(t)
	out := t.TempDir()
	code, _, stderr := runCLI(t, append([]string{"record", "--config", cfg, "--out", out, "--pace", "100ms"}, resolveArgs...)...)
	if code != 0 {
		t.Fatalf("record: exit %d\n%s", code, stderr)
	}
	var rec checks.Report
	data, _ := os.ReadFile(filepath.Join(out, "record.json"))
	if err := json.Unmarshal(data, &rec); err != nil {
		t.Fatal(err)
	}
	if len(rec.Artifacts) == 0 || rec.Artifacts[0].Kind != "video" || len(rec.Artifacts[0].SHA256) != 64 {
		t.Fatalf("record.json's video artifact has no SHA-256: %+v", rec.Artifacts)
	}
	video := filepath.Join(out, "demo.mp4")
	good, _ := os.ReadFile(video)
	os.WriteFile(video, append(append([]byte{}, good...), 0), 0o644) // another run's video
	code, _, stderr = runCLI(t, append([]string{"pack", "--config", cfg, "--from", out, "--out", filepath.Join(t.TempDir(), "sub")}, resolveArgs...)...)
	if code != exitCannot || !strings.Contains(stderr, "SHA-256 differs") {
		t.Errorf("a foreign video: exit %d, %q; want 3 saying the SHA-256 differs", code, stderr)
	}
	os.WriteFile(video, good, 0o644)
	os.Remove(filepath.Join(out, "record.json"))
	code, _, stderr = runCLI(t, append([]string{"pack", "--config", cfg, "--from", out, "--out", filepath.Join(t.TempDir(), "sub")}, resolveArgs...)...)
	if code != exitCannot || !strings.Contains(stderr, "no record.json") {
		t.Errorf("no record.json: exit %d, %q; want 3", code, stderr)
	}
}
