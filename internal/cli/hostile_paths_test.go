package cli

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Outputs never eat inputs: an --output, --output-dir, --evidence, --out or
// --from that names (or would write, or remove) the config, the rules file
// or another output of the same run is a usage error naming both, and the
// input is untouched. A run whose outputs are clear of its inputs goes on.
func TestOutputsCannotEatInputs(t *testing.T) {
	good, err := os.ReadFile(goodConfig)
	if err != nil {
		t.Fatal(err)
	}
	rules := []byte("rules:\n  - id: privacy.updated\n    disabled: true\n")
	cases := []struct {
		name string
		// prepare writes the inputs under dir and returns the arguments and
		// the input that must survive.
		prepare func(dir string) ([]string, string)
		names   []string // words the message must hold (the two paths)
	}{
		{"--output names the --config file", func(dir string) ([]string, string) {
			cfg := write(t, dir, "pinready.yaml", good)
			return []string{"check", "--config", cfg, "--only", "description", "--output", cfg}, cfg
		}, []string{"--output", "--config", "pinready.yaml"}},
		{"--output is a link to the --config file", func(dir string) ([]string, string) {
			cfg := write(t, dir, "pinready.yaml", good)
			link := filepath.Join(dir, "report.txt")
			os.Symlink(cfg, link)
			return []string{"check", "--config", cfg, "--only", "description", "--output", link}, cfg
		}, []string{"--output", "report.txt", "pinready.yaml"}},
		{"--output names the --rules file", func(dir string) ([]string, string) {
			cfg := write(t, dir, "pinready.yaml", good)
			r := write(t, dir, "rules.yaml", rules)
			return []string{"check", "--config", cfg, "--rules", r, "--only", "description", "--output", r}, r
		}, []string{"--output", "--rules", "rules.yaml"}},
		{"--output-dir would write the --config file", func(dir string) ([]string, string) {
			cfg := write(t, filepath.Join(dir, "out"), "report.json", good)
			return []string{"check", "--config", cfg, "--only", "description", "--format", "json,text", "--output-dir", filepath.Join(dir, "out")}, cfg
		}, []string{"--output-dir", "report.json", "--config"}},
		{"--evidence would write the --config file", func(dir string) ([]string, string) {
			cfg := write(t, filepath.Join(dir, "ev"), "trace.json", good)
			return []string{"check", "--config", cfg, "--only", "description", "--evidence", filepath.Join(dir, "ev")}, cfg
		}, []string{"--evidence", "trace.json", "--config"}},
		{"--output is a file --evidence writes", func(dir string) ([]string, string) {
			cfg := write(t, dir, "pinready.yaml", good)
			return []string{"check", "--config", cfg, "--only", "description", "--evidence", filepath.Join(dir, "ev"),
				"--output", filepath.Join(dir, "ev", "trace.json")}, cfg
		}, []string{"--evidence", "--output", "trace.json"}},
		{"record --out would remove the --config file", func(dir string) ([]string, string) {
			cfg := write(t, filepath.Join(dir, "out"), "record.json", good)
			return []string{"record", "--config", cfg, "--out", filepath.Join(dir, "out")}, cfg
		}, []string{"--out", "record.json", "--config"}},
		{"record's demo.out fills the --config file's folder", func(dir string) ([]string, string) {
			cfg := write(t, filepath.Join(dir, "out", "steps"), "pinready.yaml", append(append([]byte{}, good...),
				[]byte("demo:\n  out: "+filepath.Join(dir, "out")+"\n")...))
			return []string{"record", "--config", cfg}, cfg
		}, []string{"demo.out", "steps", "--config"}},
		{"pack --out would write the --config file", func(dir string) ([]string, string) {
			cfg := write(t, filepath.Join(dir, "sub"), "CHECKLIST.md", good)
			return []string{"pack", "--config", cfg, "--from", filepath.Join(dir, "from"), "--out", filepath.Join(dir, "sub")}, cfg
		}, []string{"--out", "CHECKLIST.md", "--config"}},
		{"pack --out is a link to --from", func(dir string) ([]string, string) {
			cfg := write(t, dir, "pinready.yaml", good)
			video := write(t, filepath.Join(dir, "from"), "demo.mp4", []byte("the recorded video"))
			os.Symlink(filepath.Join(dir, "from"), filepath.Join(dir, "sub"))
			return []string{"pack", "--config", cfg, "--from", filepath.Join(dir, "from"), "--out", filepath.Join(dir, "sub")}, video
		}, []string{"--out", "--from", "sub", "from"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			args, input := c.prepare(dir)
			before, _ := os.ReadFile(input)
			code, _, stderr := runCLI(t, args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d\nstderr: %s", code, exitUsage, stderr)
			}
			for _, w := range c.names {
				if !strings.Contains(stderr, w) {
					t.Errorf("the message does not name %q:\n%s", w, stderr)
				}
			}
			if after, err := os.ReadFile(input); err != nil || !bytes.Equal(after, before) {
				t.Errorf("the input %s was changed or removed (%v)", input, err)
			}
		})
	}

	// Outputs beside the inputs, not over them, are fine: the report in the
	// config's own folder.
	dir := t.TempDir()
	cfg := write(t, dir, "pinready.yaml", good)
	code, _, stderr := runCLI(t, "check", "--config", cfg, "--only", "description", "--format", "json,text", "--output-dir", dir)
	if code != exitOK {
		t.Errorf("--output-dir holding the config (not as a file pinready writes): exit %d\n%s", code, stderr)
	}
	if after, _ := os.ReadFile(cfg); !bytes.Equal(after, good) {
		t.Error("the config changed")
	}
}

func write(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A closed standard output (`pinready check … >&-`) is an error, exit 3
// with a message saying why, never a silent success: Go's runtime puts
// /dev/null there, so the write itself would "succeed". A standard output
// sent to /dev/null on purpose still succeeds.
func TestClosedStdoutIsAnError(t *testing.T) {
	bin := buildBinary(t)
	run := func(redirect string, args ...string) (int, string) {
		cmd := exec.Command("sh", append([]string{"-c", `exec "$0" "$@" ` + redirect, bin}, args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
		if ee != nil {
			return ee.ExitCode(), stderr.String()
		}
		return 0, stderr.String()
	}
	for _, args := range [][]string{
		{"check", "--config", goodConfig, "--only", "description"},
		{"check", "--config", goodConfig, "--only", "description", "--format", "json"},
		{"rules"},
	} {
		code, stderr := run(">&-", args...)
		if code != exitCannot || !strings.Contains(stderr, "standard output is closed") {
			t.Errorf("%v >&-: exit %d, want %d saying standard output is closed\n%s", args, code, exitCannot, stderr)
		}
		if code, stderr := run(">/dev/null", args...); code != exitOK {
			t.Errorf("%v >/dev/null: exit %d, want 0\n%s", args, code, stderr)
		}
	}
	// With the report in a file, stdout is not needed.
	out := filepath.Join(t.TempDir(), "report.json")
	if code, stderr := run(">&-", "check", "--config", goodConfig, "--only", "description", "--format", "json", "--output", out); code != exitOK {
		t.Errorf("--output with stdout closed: exit %d\n%s", code, stderr)
	}
}
