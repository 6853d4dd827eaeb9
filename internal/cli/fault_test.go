package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/browser/browsertest"
	"github.com/pinready/pinready/internal/testenv"
)

// Without Chromium, check says how to install it, exits 3, and still reports
// the groups that need no browser (a server-rendered policy, the description).
func TestChromiumMissing(t *testing.T) {
	_, cfg, resolveArgs := startWorld(t)
	t.Setenv("PINREADY_CHROMIUM", "/nonexistent/chromium")
	code, stdout, stderr := runCLI(t, append([]string{"check", "--config", cfg, "--format", "json"}, resolveArgs...)...)
	if code != exitCannot || !strings.Contains(stderr, "apt-get install -y chromium") {
		t.Fatalf("exit %d, stderr %q; want 3 and the install hint", code, stderr)
	}
	var rep checks.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("no report on stdout: %v", err)
	}
	for _, f := range rep.Findings {
		switch {
		case strings.HasPrefix(f.Rule, "oauth.") || f.Rule == "demo.live-integration":
			if f.Status != checks.StatusError {
				t.Errorf("%s: %s, want error (the browser is missing)", f.Rule, f.Status)
			}
		case strings.HasPrefix(f.Rule, "description.") || f.Rule == "privacy.is-policy" || f.Rule == "privacy.linked":
			if f.Status != checks.StatusPass {
				t.Errorf("%s: %s (%s), want pass without a browser", f.Rule, f.Status, f.Message)
			}
		}
	}
}

// buildBinary compiles the pinready command (package main at the root),
// once for the test binary.
func buildBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "pinready-cli-test-"); built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "pinready")
		built.out, built.err = exec.Command("go", "build", "-o", built.bin, "github.com/pinready/pinready").CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("go build: %v\n%s", built.err, built.out)
	}
	return built.bin
}

// built is the pinready binary, linked once for every test that runs it as
// a process (a link takes seconds); TestMain removes it.
var built struct {
	once     sync.Once
	dir, bin string
	out      []byte
	err      error
}

// interrupt starts pinready with its own TMPDIR, waits until Chromium runs,
// sends SIGINT and returns the exit code, stdout and the TMPDIR.
func interrupt(t *testing.T, bin string, wait func(tmp string) bool, args ...string) (int, string, string, string) {
	t.Helper()
	tmp := t.TempDir()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	var stdout bytes.Buffer
	var stderr lockedBuffer // read on a timeout while the child still writes
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(testenv.Hang)
	for !wait(tmp) {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("what the test waits for never started\nstderr: %s", stderr.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		code := 0
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		}
		return code, stdout.String(), stderr.String(), tmp
	case <-time.After(testenv.Hang): // pinready bounds its own wind-down (interruptGrace)
		cmd.Process.Kill()
		t.Fatalf("pinready did not stop within %s of SIGINT\nstderr: %s", testenv.Hang, stderr.String())
	}
	return 0, "", "", ""
}

// assertNothingLeft checks that no process and no temporary profile of the
// run survives it.
func assertNothingLeft(t *testing.T, tmp string) {
	t.Helper()
	// A leftover lives for ever: waiting testenv.Hang for the last ones
	// to go catches it, and a busy machine's slow exits do not fail.
	deadline := time.Now().Add(testenv.Hang)
	for browsertest.ProcessesUsing(tmp) > 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if n := browsertest.ProcessesUsing(tmp); n > 0 {
		t.Errorf("%d processes (Chromium or ffmpeg) of the run survive it", n)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "pinready-tmp-*")); len(left) > 0 {
		t.Errorf("Chromium's TMPDIR left behind: %v", left)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "org.chromium.Chromium.*")); len(left) > 0 {
		t.Errorf("Chromium's temporary folders left in the run's TMPDIR: %v", left)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "pinready-chromium-*")); len(left) > 0 {
		var files []string
		filepath.Walk(left[0], func(p string, _ os.FileInfo, _ error) error { files = append(files, p); return nil })
		t.Errorf("temporary profiles left behind: %v holding %v", left, files[:min(len(files), 10)])
	}
}

func chromiumRunning(tmp string) bool { return browsertest.ProcessesUsing(tmp) > 0 }

// Ctrl-C while the OAuth flow waits: exit 130, the report of what finished
// is flushed, and no Chromium survives.
func TestInterruptCheck(t *testing.T) {
	browsertest.Require(t)
	bin := buildBinary(t)
	w, _, resolveArgs := startWorld(t)
	stalled := filepath.Join(t.TempDir(), "stalled.yaml")
	os.WriteFile(stalled, []byte(strings.Replace(w.Config(), `connect_selector: "#connect-pinterest"`, `connect_selector: "#never-there"`, 1)), 0o644)
	// A --timeout far beyond the test's hang detector: only the interrupt
	// can end this run in time.
	args := append([]string{"check", "--config", stalled, "--format", "json", "--timeout", "10m"}, resolveArgs...)
	code, stdout, stderr, tmp := interrupt(t, bin, chromiumRunning, args...)
	if code != exitSignal {
		t.Fatalf("exit %d, want %d\nstderr: %s", code, exitSignal, stderr)
	}
	var rep checks.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("no report flushed on interrupt: %v\n%s", err, stdout)
	}
	if !rep.Interrupted {
		t.Error("the report does not say it was interrupted")
	}
	for _, f := range rep.Findings {
		if f.Rule == "description.length" && f.Status != checks.StatusPass {
			t.Errorf("finished group lost: %s %s", f.Rule, f.Status)
		}
		// The flow was waiting when the signal came: its rules were not
		// reached, so they are skipped as interrupted, not failed.
		if strings.HasPrefix(f.Rule, "oauth.") && (f.Status != checks.StatusSkip || !strings.Contains(f.Message, "interrupted")) {
			t.Errorf("%s: %s %q, want skip saying interrupted", f.Rule, f.Status, f.Message)
		}
	}
	assertNothingLeft(t, tmp)
}

// Ctrl-C while recording: exit 130, no Chromium or ffmpeg survives, and no
// half-written video is left where a finished one would be.
func TestInterruptRecord(t *testing.T) {
	browsertest.Require(t)
	requireFFmpeg(t)
	bin := buildBinary(t)
	_, cfg, resolveArgs := startWorld(t)
	out := t.TempDir()
	ffmpegRunning := func(tmp string) bool { return ffmpegProcesses(tmp) > 0 && chromiumRunning(tmp) }
	args := append([]string{"record", "--config", cfg, "--out", out, "--pace", "2s"}, resolveArgs...)
	code, _, stderr, tmp := interrupt(t, bin, ffmpegRunning, args...)
	if code != exitSignal {
		t.Fatalf("exit %d, want %d\nstderr: %s", code, exitSignal, stderr)
	}
	assertNothingLeft(t, tmp)
	if n := ffmpegProcesses(tmp); n > 0 {
		t.Errorf("%d ffmpeg processes survive", n)
	}
	if _, err := os.Stat(filepath.Join(out, "demo.mp4")); err == nil {
		t.Error("an interrupted recording left demo.mp4 behind")
	}
}

// ffmpegProcesses counts the live ffmpeg processes of a run started with
// TMPDIR=tmp: ffmpeg writes to a descriptor (/dev/fd/3), so its command line
// names no folder, but it inherits the run's environment.
func ffmpegProcesses(tmp string) int {
	n := 0
	comms, _ := filepath.Glob("/proc/[0-9]*/comm")
	for _, c := range comms {
		if b, err := os.ReadFile(c); err != nil || strings.TrimSpace(string(b)) != "ffmpeg" {
			continue
		}
		env, err := os.ReadFile(filepath.Join(filepath.Dir(c), "environ"))
		if err == nil && bytes.Contains(env, []byte("\x00TMPDIR="+tmp+"\x00")) || bytes.HasPrefix(env, []byte("TMPDIR="+tmp+"\x00")) {
			n++
		}
	}
	return n
}
