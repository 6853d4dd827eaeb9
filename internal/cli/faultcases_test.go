package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/browser"
	"github.com/pinready/pinready/internal/browser/browsertest"
	"github.com/pinready/pinready/internal/testenv"
)

// Chromium killed in the middle of the OAuth flow: pinready ends promptly,
// exits 3 saying the browser is gone, reports the oauth rules as error, and
// leaves no process or profile behind.
func TestChromiumKilledMidFlow(t *testing.T) {
	browsertest.Require(t)
	bin := buildBinary(t)
	w, _, resolveArgs := startWorld(t)
	stalled := filepath.Join(t.TempDir(), "stalled.yaml")
	os.WriteFile(stalled, []byte(strings.Replace(w.Config(), `connect_selector: "#connect-pinterest"`, `connect_selector: "#never-there"`, 1)), 0o644)
	tmp := t.TempDir()
	// A --timeout far beyond the test's hang detector: pinready must end
	// because Chromium died, not because the flow's wait ran out.
	cmd := exec.Command(bin, append([]string{"check", "--config", stalled, "--only", "oauth", "--format", "json", "--timeout", "10m"}, resolveArgs...)...)
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	var stdout bytes.Buffer
	var stderr lockedBuffer // read while the child still writes to it
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer assertNothingLeft(t, tmp)
	defer cmd.Process.Kill()
	// The browser process is the one without --type= (renderers, GPU and
	// zygote carry one); wait until the flow is waiting for the control.
	var victim int
	deadline := time.Now().Add(testenv.Hang)
	for victim == 0 && time.Now().Before(deadline) {
		if strings.Contains(stderr.String(), "oauth: open-app") {
			for _, pid := range browser.ProcessesUsing(tmp) {
				cmdline, _ := os.ReadFile("/proc/" + itoa(pid) + "/cmdline")
				if !bytes.Contains(cmdline, []byte("--type=")) {
					victim = pid
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if victim == 0 {
		t.Fatalf("the flow never started\nstderr: %s", stderr.String())
	}
	time.Sleep(time.Second)
	syscall.Kill(victim, syscall.SIGKILL)
	killed := time.Now()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(testenv.Hang):
		t.Fatalf("pinready still runs %s after Chromium was killed (its --timeout is 10m)\nstderr: %s", testenv.Hang, stderr.String())
	}
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	}
	t.Logf("ended %s after the kill with exit %d", time.Since(killed).Round(100*time.Millisecond), code)
	if code != exitCannot || !strings.Contains(strings.ToLower(stderr.String()), "browser") {
		t.Errorf("exit %d, want 3 with a message about the browser\nstderr: %s", code, stderr.String())
	}
	var rep checks.Report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("no report: %v\n%s", err, stdout.String())
	}
	for _, f := range rep.Findings {
		if strings.HasPrefix(f.Rule, "oauth.") && f.Status != checks.StatusError {
			t.Errorf("%s: %s %q, want error (the browser died)", f.Rule, f.Status, f.Message)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// pathWithout is a PATH holding only the named executables, each linked from
// where the real PATH finds it, plus extra files written into it.
func pathWith(t *testing.T, names []string, extra map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range names {
		p, err := exec.LookPath(n)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(p, filepath.Join(dir, n)); err != nil {
			t.Fatal(err)
		}
	}
	for n, body := range extra {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// record without ffmpeg, and with an ffmpeg that fails: exit 3 with the
// install hint or ffmpeg's own words, and no Chromium left behind.
func TestRecordFFmpegFaults(t *testing.T) {
	browsertest.Require(t)
	requireFFmpeg(t)
	chromium, err := browser.Find()
	if err != nil {
		t.Fatal(err)
	}
	chromium, _ = filepath.EvalSymlinks(chromium)
	for _, c := range []struct {
		name  string
		path  string
		wants []string
	}{
		{"ffmpeg missing", pathWith(t, []string{"sh", "dirname", "cat", "readlink"}, nil),
			[]string{"ffmpeg not found", "apt-get install -y ffmpeg"}},
		{"ffmpeg fails", pathWith(t, []string{"sh", "dirname", "cat", "readlink"}, map[string]string{
			"ffmpeg": "#!/bin/sh\necho 'fake-ffmpeg: Unknown encoder libx264' >&2\nexit 1\n"}),
			[]string{"fake-ffmpeg: Unknown encoder libx264"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, cfg, resolveArgs := startWorld(t)
			tmp := t.TempDir()
			t.Setenv("PATH", c.path)
			t.Setenv("TMPDIR", tmp)
			t.Setenv("PINREADY_CHROMIUM", chromium)
			out := t.TempDir()
			code, _, stderr := runCLI(t, append([]string{"record", "--config", cfg, "--out", out, "--pace", "100ms", "--timeout", "10s"}, resolveArgs...)...)
			if code != exitCannot {
				t.Errorf("exit %d, want 3\nstderr: %s", code, stderr)
			}
			for _, w := range c.wants {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if _, err := os.Stat(filepath.Join(out, "demo.mp4")); err == nil {
				t.Error("a failed recording left demo.mp4")
			}
			assertNothingLeft(t, tmp)
		})
	}
}

// Output that cannot be written: exit 3 with a message naming it.
func TestUnwritableOutput(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(file, []byte("not a directory"), 0o644)
	t.Run("check --output", func(t *testing.T) {
		code, stdout, stderr := runCLI(t, "check", "--config", "../../testdata/configs/good.yaml", "--only", "description",
			"--format", "json", "--output", filepath.Join(file, "report.json"))
		if code != exitCannot || !strings.Contains(stderr, "write the report") || !strings.Contains(stderr, "not a directory") {
			t.Errorf("exit %d, stderr %q; want 3 naming the report and the cause", code, stderr)
		}
		if stdout != "" {
			t.Errorf("the report went to stdout instead: %.100s", stdout)
		}
	})
	t.Run("record --out", func(t *testing.T) {
		code, _, stderr := runCLI(t, "record", "--config", "../../testdata/configs/good.yaml", "--out", filepath.Join(file, "out"))
		if code != exitCannot || !strings.Contains(stderr, "output directory") || !strings.Contains(stderr, "not a directory") {
			t.Errorf("exit %d, stderr %q; want 3 naming the output directory and the cause", code, stderr)
		}
	})
}

// lockedBuffer is a bytes.Buffer safe to read while a child process writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
