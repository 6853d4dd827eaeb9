package pipeline

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pinready/pinready/checks"
)

// A report folder named after a config stays inside --output-dir, whatever
// the config's file is called.
func TestReportFolderNamesAreSafe(t *testing.T) {
	files := []string{"configs/...yaml", "configs/..yaml", "configs/.hidden.yaml", "configs/a b\x1b[2J.yaml",
		"configs/\u202eyaml.exe.yaml", "configs/" + strings.Repeat("x", 300) + ".yaml", "configs/.yaml"}
	var cfgs []*checks.Config
	for _, f := range files {
		cfgs = append(cfgs, &checks.Config{File: f})
	}
	names := uniqueNames(cfgs)
	for i, n := range names {
		joined := filepath.Join("out", n)
		if filepath.Dir(joined) != "out" || n == "." || n == ".." || strings.HasPrefix(n, ".") || len(n) > maxNameLen {
			t.Errorf("%q → %q escapes or hides in the output folder", files[i], n)
		}
		if strings.ContainsFunc(n, func(r rune) bool { return r < 0x20 || r == 0x202e || r == ' ' }) {
			t.Errorf("%q → %q keeps a control, bidi or space character", files[i], n)
		}
	}
	if want := []string{"app", "app-2", "hidden", "a-b--2J", "-yaml.exe", strings.Repeat("x", maxNameLen), "app-3"}; !slices.Equal(names, want) {
		t.Errorf("names = %q, want %q", names, want)
	}
}
