package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// URL userinfo quoted by a config error never reaches stderr: every line
// pinready writes there goes through internal/redact.
func TestStderrHidesURLUserinfo(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "pinready.yaml")
	yaml := "app:\n  name: Acme\n  website: https://ann:hunter2pw@acme.example/\n  privacy_policy_url: \"https://ann:hunter2pw@acme.example/%zz\"\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "check", "--config", cfg, "--only", "description")
	if code != exitUsage {
		t.Fatalf("exit %d, want 2 for the malformed URL\n%s", code, stderr)
	}
	if strings.Contains(stderr+stdout, "hunter2pw") {
		t.Errorf("the password reached the output:\n%s%s", stdout, stderr)
	}
	if !strings.Contains(stderr, "privacy_policy_url") {
		t.Errorf("the error no longer names the field:\n%s", stderr)
	}
}
