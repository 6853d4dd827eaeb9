// Package browsertest gives tests a real headless Chromium. When Chromium is
// missing the test is skipped on a developer's machine but fails in CI
// (CI set): browser tests must run there.
package browsertest

import (
	"context"
	"os"
	"testing"

	"github.com/pinready/pinready/internal/browser"
)

// Require fails (in CI) or skips (elsewhere) when Chromium is missing.
func Require(tb testing.TB) {
	tb.Helper()
	if _, err := browser.Find(); err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("CI is set and Chromium is missing: %v", err)
		}
		tb.Skipf("Chromium missing (set CI=1 to make this a failure): %v", err)
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
