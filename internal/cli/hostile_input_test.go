package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pinready/pinready/internal/browser/browsertest"
	"github.com/pinready/pinready/internal/testenv"
)

// Terminal escape injection: a button label from a remote page and the
// config's app.name carry an OSC 52 clipboard write, a clear-screen and a
// right-to-left override; none reaches stdout or stderr.
func TestHostileTerminalEscapes(t *testing.T) {
	browsertest.Require(t)
	app := startHostileApp(t, "hostile-escapes.test", `<h1>Acme Pin Planner</h1><a id="connect-pinterest" href="/connect">Connect</a>
<script>document.getElementById("connect-pinterest").textContent = "Connect \x1b]52;c;ZWNobyBwd25lZA==\x07 Pinterest \x1b[2J\u202etxt.exe";</script>`)
	data, _ := os.ReadFile(app.config)
	os.WriteFile(app.config, bytes.Replace(data, []byte("name: Acme Pin Planner"), []byte(`name: "Acme \e[2J\e]52;c;cm0gLXJmIH4=\a Pin \u202eRennalP"`), 1), 0o644)
	args := append([]string{"check", "--config", app.config, "--only", "oauth,description", "--format", "text", "--timeout", "8s"}, app.resolve...)
	code, stdout, stderr := runCLI(t, args...)
	if code != 0 && code != 1 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "Connect") || !strings.Contains(stdout, "Acme") {
		t.Fatalf("the label or the name never reached the output; the test would be blind:\nstdout %q\nstderr %q", stdout, stderr)
	}
	for where, text := range map[string]string{"stdout": stdout, "stderr": stderr} {
		for _, bad := range []string{"\x1b", "\x07", "\u202e"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s carries %q", where, bad)
			}
		}
	}
}

// A config over 1 MiB, a URL over 8 KiB and a second YAML document are
// usage errors (exit 2) naming the file, and the line and field where there
// is one.
func TestHostileConfigLimits(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o644)
		return p
	}
	big := write("big.yaml", "app:\n  name: A\n  description: |\n"+strings.Repeat("    "+strings.Repeat("word ", 20)+"\n", 1<<20/100))
	multi := write("multi.yaml", "app:\n  name: A\n---\napp:\n  name: B\n")
	longURL := write("url.yaml", "app:\n  name: A\n  website: https://acme.example/"+strings.Repeat("a", 200<<10)+"\n")
	for _, tt := range []struct {
		path string
		want []string
	}{
		{big, []string{big, "larger than 1048576 bytes"}},
		{multi, []string{multi + ":3", "second YAML document"}},
		{longURL, []string{longURL + ":3", "app.website", "at most 8192"}},
	} {
		for _, cmd := range []string{"check", "record", "pack"} {
			code, stdout, stderr := runCLI(t, cmd, "--config", tt.path)
			if code != exitUsage {
				t.Errorf("%s %s: exit %d, want 2", cmd, filepath.Base(tt.path), code)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("%s %s: stderr %q lacks %q", cmd, filepath.Base(tt.path), stderr, w)
				}
			}
			if len(stdout)+len(stderr) > 4096 {
				t.Errorf("%s %s: %d bytes of output for one error", cmd, filepath.Base(tt.path), len(stdout)+len(stderr))
			}
		}
	}
}

// --config /dev/stdin from a pipe that never closes: SIGINT and SIGTERM end
// pinready at once with 130.
func TestHostileConfigFromStdinThatNeverCloses(t *testing.T) {
	bin := buildBinary(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(bin, "check", "--config", "/dev/stdin", "--only", "description")
			stdin, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			defer stdin.Close()
			var stderr lockedBuffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			fmt.Fprint(stdin, "app:\n  name: Acme\n") // and never more, never closed
			time.Sleep(500 * time.Millisecond)        // let it block in the read
			cmd.Process.Signal(sig)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				var ee *exec.ExitError
				if !errors.As(err, &ee) || ee.ExitCode() != exitSignal {
					t.Fatalf("exit %v, want %d\n%s", err, exitSignal, stderr.String())
				}
				// The read itself heard the signal: pinready did not wait
				// out interruptGrace and give up on it.
				if strings.Contains(stderr.String(), "gave up waiting") {
					t.Fatalf("the config read ignored %s; pinready gave up on it after its grace:\n%s", sig, stderr.String())
				}
			case <-time.After(testenv.Hang):
				cmd.Process.Kill()
				t.Fatalf("pinready ignored %s while reading its config\n%s", sig, stderr.String())
			}
		})
	}
}
