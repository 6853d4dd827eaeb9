package browser_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pinready/pinready/internal/browser"
)

// A browser no one watches is the headless shell when it is installed; a
// window to show (--headful) needs full Chromium; without the shell, full
// Chromium does both.
func TestFindPrefersTheHeadlessShell(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"chromium", "chromium-headless-shell"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", dir)
	t.Setenv("PINREADY_CHROMIUM", "")
	for _, c := range []struct {
		headful bool
		want    string
	}{{false, "chromium-headless-shell"}, {true, "chromium"}} {
		if got, err := browser.Find(c.headful); err != nil || filepath.Base(got) != c.want {
			t.Errorf("Find(headful=%t) = %q, %v; want %s", c.headful, got, err, c.want)
		}
	}
	os.Remove(filepath.Join(dir, "chromium-headless-shell"))
	if got, err := browser.Find(false); err != nil || filepath.Base(got) != "chromium" {
		t.Errorf("without the shell: Find = %q, %v; want chromium", got, err)
	}
}
