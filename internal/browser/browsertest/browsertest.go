// Package browsertest gives tests a real headless Chromium. Under
// `go test -short` browser tests skip; when Chromium is missing they skip on
// a developer's machine but fail in CI (CI set): they must run there
// (internal/testenv's policy).
package browsertest

import (
	"context"
	"os"
	"testing"

	"github.com/pinready/pinready/internal/browser"
	"github.com/pinready/pinready/internal/testenv"
)

// Require skips under -short, and fails (in CI) or skips (elsewhere) when
// Chromium is missing.
func Require(tb testing.TB) {
	tb.Helper()
	testenv.SkipShort(tb, "Chromium")
	if _, err := browser.Find(); err != nil {
		testenv.Missing(tb, "Chromium", err)
	}
}

// Launch starts a browser for the test and stops it, checking that no
// process and no profile directory is left behind, when the test ends.
func Launch(tb testing.TB, o browser.Options) *browser.Browser {
	tb.Helper()
	Require(tb)
	b, err := browser.Launch(context.Background(), o)
	if err != nil {
		tb.Fatalf("launch Chromium: %v", err)
	}
	tb.Cleanup(func() {
		b.Close()
		if n := len(b.Processes()); n > 0 {
			tb.Errorf("%d Chromium processes still use %s after Close", n, b.ProfileDir())
		}
		if _, err := os.Stat(b.ProfileDir()); err == nil && o.ProfileDir == "" {
			tb.Errorf("temporary profile %s left behind", b.ProfileDir())
		}
	})
	return b
}

// ProcessesUsing counts live processes whose command line mentions dir, and
// the other processes of the groups they lead (browser.ProcessesUsing).
func ProcessesUsing(dir string) int { return len(browser.ProcessesUsing(dir)) }
