package cli

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current output")

// The text report of `check --only description` folds the rules outside
// --only into one line: no "not selected" line per rule.
func TestGoldenOnlyDescription(t *testing.T) {
	code, stdout, stderr := runCLI(t, "check", "--config", "../../testdata/configs/good.yaml", "--only", "description", "--no-color")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	got := strings.Replace(stdout, "pinready "+Version+" —", "pinready VERSION —", 1)
	if strings.Count(got, "not selected") != 1 {
		t.Errorf("want exactly one not-selected line:\n%s", got)
	}
	golden := filepath.Join("..", "..", "testdata", "golden", "check-only-description.text")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("text report differs from %s (go test -run TestGolden -update rewrites it):\n%s", golden, got)
	}
	_, verbose, _ := runCLI(t, "check", "--config", "../../testdata/configs/good.yaml", "--only", "description", "--no-color", "--verbose")
	if n := strings.Count(verbose, "not selected (--only)"); n != 29 {
		t.Errorf("--verbose lists %d not-selected rules, want every one (29)", n)
	}
}
