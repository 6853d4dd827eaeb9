package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// A rules file written for pinready 0.1 still loads: privacy.public's
// challenge_markers parameter was replaced by finer ones but is kept.
func TestRulesFileOfVersion01StillLoads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	old := "rules:\n  - id: privacy.public\n    params:\n      challenge_markers: [\"Just a moment...\", \"Checking your browser\"]\n"
	if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, "rules", "--rules", path); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
}
