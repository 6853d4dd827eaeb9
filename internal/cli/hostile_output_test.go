package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/testenv"
)

const goodConfig = "../../testdata/configs/good.yaml"

// privateDev runs the pinready binary as root in a private mount namespace
// whose /dev is a fresh tmpfs holding its own null, full and stdout: if a
// regression replaced a device node, only this throwaway copy would suffer,
// never the machine's /dev/null. script runs after the command and sees the
// same /dev. Impossible without root or unshare: skipped, except in CI.
func privateDev(t *testing.T, bin string, args []string, script string) (int, string, string) {
	t.Helper()
	unshare, err := exec.LookPath("unshare")
	if os.Geteuid() != 0 || err != nil {
		testenv.Missing(t, "a private mount namespace (root and unshare; CI runs as root with unshare)", fmt.Errorf("euid %d, %v", os.Geteuid(), err))
	}
	setup := `set -e
mount -t tmpfs tmpfs /dev
mknod -m 666 /dev/null c 1 3
mknod -m 666 /dev/full c 1 7
ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/1 /dev/stdout
ln -s /proc/self/fd/2 /dev/stderr
set +e
"$@"
code=$?
` + script + `
exit $code`
	cmd := exec.Command(unshare, append([]string{"-m", "--propagation", "private", "sh", "-c", setup, "sh", bin}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("unshare: %v", err)
	}
	code := 0
	if ee != nil {
		code = ee.ExitCode()
	}
	if strings.Contains(stderr.String(), "unshare: ") {
		testenv.Missing(t, "a private mount namespace", errors.New(stderr.String()))
	}
	return code, stdout.String(), stderr.String()
}

// Device outputs, as root: --output /dev/null, /dev/stdout and /dev/full are
// written in place, never replaced by a regular file (pinready used to
// rename a temporary file over the device node).
func TestHostileDeviceOutputs(t *testing.T) {
	bin := buildBinary(t)
	check := []string{"check", "--config", goodConfig, "--only", "description", "--format", "json"}
	// After the run, the script reports what each node has become.
	const stillDevices = `[ -c /dev/null ] && echo "null:char" >&2; [ -c /dev/full ] && echo "full:char" >&2; [ -L /dev/stdout ] && echo "stdout:link" >&2; true`

	t.Run("/dev/null", func(t *testing.T) {
		code, stdout, stderr := privateDev(t, bin, append(check, "--output", "/dev/null"), stillDevices)
		if code != 0 || stdout != "" || !strings.Contains(stderr, "null:char") {
			t.Fatalf("exit %d, stdout %q, stderr %q; want 0, nothing, and /dev/null still a device", code, stdout, stderr)
		}
	})
	t.Run("/dev/stdout", func(t *testing.T) {
		code, stdout, stderr := privateDev(t, bin, append(check, "--output", "/dev/stdout"), stillDevices)
		var rep checks.Report
		if code != 0 || json.Unmarshal([]byte(stdout), &rep) != nil || !strings.Contains(stderr, "stdout:link") {
			t.Fatalf("exit %d, stdout %.200q, stderr %q; want the report on stdout and /dev/stdout still a link", code, stdout, stderr)
		}
	})
	t.Run("/dev/full", func(t *testing.T) {
		code, _, stderr := privateDev(t, bin, append(check, "--output", "/dev/full"), stillDevices)
		if code != exitCannot || !strings.Contains(stderr, "no space left on device") || !strings.Contains(stderr, "full:char") {
			t.Fatalf("exit %d, stderr %q; want 3 (no space left on device) and /dev/full still a device", code, stderr)
		}
	})
}

// Without root, the real /dev/null is safe to name (it cannot be replaced):
// the report goes into it, exit 0 (it used to fail with exit 3). `-` is
// stdout, and a FIFO is written in place.
func TestHostileOutputTargetsInPlace(t *testing.T) {
	check := []string{"check", "--config", goodConfig, "--only", "description", "--format", "json"}
	if os.Geteuid() != 0 {
		code, stdout, stderr := runCLI(t, append(check, "--output", "/dev/null")...)
		if code != 0 || stdout != "" {
			t.Fatalf("--output /dev/null: exit %d, stdout %q, stderr %q", code, stdout, stderr)
		}
	}
	code, stdout, _ := runCLI(t, append(check, "--output", "-")...)
	var rep checks.Report
	if code != 0 || json.Unmarshal([]byte(stdout), &rep) != nil {
		t.Fatalf("--output -: exit %d, stdout %.200q; want the report on stdout", code, stdout)
	}
	if _, err := os.Stat("-"); err == nil {
		os.Remove("-")
		t.Fatal("--output - wrote a file named -")
	}

	fifo := filepath.Join(t.TempDir(), "report.fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	got := make(chan []byte, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- nil
			return
		}
		defer f.Close()
		b, _ := readAll(f)
		got <- b
	}()
	code, _, stderr := runCLI(t, append(check, "--output", fifo)...)
	if code != 0 {
		t.Fatalf("--output FIFO: exit %d, %s", code, stderr)
	}
	if err := json.Unmarshal(<-got, &rep); err != nil {
		t.Fatalf("the FIFO's reader got no report: %v", err)
	}
	if fi, _ := os.Lstat(fifo); fi.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("the FIFO became %v", fi.Mode())
	}
}

func readAll(f *os.File) ([]byte, error) {
	var buf bytes.Buffer
	_, err := buf.ReadFrom(f)
	return buf.Bytes(), err
}

// A config folder holding a config named `...yaml`: its report folder stays
// inside --output-dir.
func TestHostileConfigNameOutsideOutputDir(t *testing.T) {
	root := t.TempDir()
	configs := filepath.Join(root, "configs")
	os.MkdirAll(configs, 0o755)
	data, err := os.ReadFile(goodConfig)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"...yaml", "..yaml", "app.yaml"} {
		os.WriteFile(filepath.Join(configs, name), data, 0o644)
	}
	out := filepath.Join(root, "out", "reports")
	code, _, stderr := runCLI(t, "check", "--config", configs, "--only", "description", "--format", "json,text", "--output-dir", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && strings.HasPrefix(fi.Name(), "report.") && !strings.HasPrefix(p, out+string(filepath.Separator)) {
			t.Errorf("a report escaped --output-dir: %s", p)
		}
		return nil
	})
	for _, sub := range []string{"app", "app-2", "app-3"} {
		if _, err := os.Stat(filepath.Join(out, sub, "report.json")); err != nil {
			t.Errorf("missing %s/report.json: %v", sub, err)
		}
	}
}
