package browser_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pinready/pinready/internal/browser"
)

// macOS is not testable on Linux: the lists Find walks are, per system.
func TestCandidatesPerSystem(t *testing.T) {
	mac := browser.Candidates("darwin", "/Users/ann")
	for _, want := range []string{
		"/Applications/Chromium.app/Contents/MacOS/Chromium",
		"/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
		"/Applications/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing",
		"/Users/ann/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
		"chromium", "google-chrome",
	} {
		if !slices.Contains(mac, want) {
			t.Errorf("darwin candidates lack %q: %q", want, mac)
		}
	}
	// The system-wide install wins over the user's, and both over PATH.
	if i, j, k := slices.Index(mac, "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"),
		slices.Index(mac, "/Users/ann/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"),
		slices.Index(mac, "chromium"); !(i < j && j < k) {
		t.Errorf("darwin order: /Applications %d, ~/Applications %d, PATH %d", i, j, k)
	}
	if got := browser.Candidates("darwin", ""); slices.ContainsFunc(got, func(p string) bool { return strings.HasPrefix(p, "Applications") }) {
		t.Errorf("no home: a relative ~/Applications path slipped in: %q", got)
	}
	linux := browser.Candidates("linux", "/home/ann")
	if linux[0] != "chromium" || slices.ContainsFunc(linux, func(p string) bool { return strings.Contains(p, ".app/") }) {
		t.Errorf("linux candidates: %q", linux)
	}
}

// The install hint names the platform's package manager, and always the
// variable that points pinready at a browser anywhere.
func TestInstallHintPerSystem(t *testing.T) {
	for goos, want := range map[string]string{
		"darwin":  "brew install --cask google-chrome",
		"linux":   "sudo apt-get install -y chromium",
		"freebsd": "install Chromium or Google Chrome",
	} {
		hint := browser.InstallHint(goos)
		if !strings.Contains(hint, want) || !strings.Contains(hint, "PINREADY_CHROMIUM") {
			t.Errorf("%s: hint %q lacks %q or PINREADY_CHROMIUM", goos, hint, want)
		}
	}
	if strings.Contains(browser.InstallHint("darwin"), "apt-get") {
		t.Error("the macOS hint speaks of apt-get")
	}
}

// PINREADY_CHROMIUM wins over every candidate, even at a path with spaces
// (a macOS .app bundle's: here the real Chromium linked into one), and
// Version asks it there; a wrong one is an error that says so.
func TestFindPrefersPinreadyChromium(t *testing.T) {
	real, err := browser.Find()
	if err != nil {
		t.Skip(err)
	}
	dir := filepath.Join(t.TempDir(), "Google Chrome.app", "Contents", "MacOS")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "Google Chrome")
	if err := os.Symlink(real, exe); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PINREADY_CHROMIUM", exe)
	got, err := browser.Find()
	if err != nil || got != exe {
		t.Fatalf("Find() = %q, %v; want %q", got, err, exe)
	}
	if v, err := browser.Version(context.Background(), got); err != nil || !regexp.MustCompile(`\d+\.\d+\.\d+\.\d+`).MatchString(v) {
		t.Errorf("Version = %q, %v", v, err)
	}
	t.Setenv("PINREADY_CHROMIUM", filepath.Join(dir, "nope"))
	if _, err := browser.Find(); err == nil || !strings.Contains(err.Error(), "PINREADY_CHROMIUM=") {
		t.Errorf("a missing PINREADY_CHROMIUM: %v", err)
	}
}

// Version asks the real browser without starting it.
func TestVersionOfRealChromium(t *testing.T) {
	path, err := browser.Find()
	if err != nil {
		t.Skip(err)
	}
	v, err := browser.Version(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^(Chromium|Google Chrome[A-Za-z ]*|Chrome[A-Za-z ]*) \d+\.\d+\.\d+\.\d+`).MatchString(v) {
		t.Errorf("Version = %q, want a browser name and a four-part version", v)
	}
}

// A browser no one watches is the headless shell when it is installed; a
// window to show (--headful) needs full Chromium; without the shell, full
// Chromium does both; PINREADY_CHROMIUM wins over all.
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
		name string
		find func() (string, error)
		want string
	}{{"Find", browser.Find, "chromium-headless-shell"}, {"FindHeadful", browser.FindHeadful, "chromium"}} {
		if got, err := c.find(); err != nil || filepath.Base(got) != c.want {
			t.Errorf("%s = %q, %v; want %s", c.name, got, err, c.want)
		}
	}
	t.Setenv("PINREADY_CHROMIUM", filepath.Join(dir, "chromium"))
	if got, err := browser.Find(); err != nil || filepath.Base(got) != "chromium" {
		t.Errorf("PINREADY_CHROMIUM names full Chromium: Find = %q, %v", got, err)
	}
	t.Setenv("PINREADY_CHROMIUM", "")
	os.Remove(filepath.Join(dir, "chromium-headless-shell"))
	if got, err := browser.Find(); err != nil || filepath.Base(got) != "chromium" {
		t.Errorf("without the shell: Find = %q, %v; want chromium", got, err)
	}
}
