// Package tooltest is the one policy for tests that need a program outside
// Go: Chromium, ffmpeg, tesseract, or anything else found on PATH.
//
//   - Under `go test -short` (the inner loop while editing) the slow ones
//     skip: Chromium, ffmpeg and OCR take minutes, the rest of the suite
//     under a minute.
//   - When a program is missing and CI is set, the test fails: the gate
//     (`make test`, which installs them) must run every test.
//   - When it is missing elsewhere, the test skips and says how to get it.
//
// Only tests import it.
package tooltest

import (
	"os"
	"os/exec"
	"strconv"
	"testing"
)

// CI reports whether the tests run as the gate: CI set to anything but a
// false value ("CI=true" on GitHub Actions, "CI=1" by hand).
func CI() bool {
	v := os.Getenv("CI")
	if v == "" {
		return false
	}
	on, err := strconv.ParseBool(v)
	return err != nil || on
}

// SkipShort skips the test under `go test -short`: it runs what (a browser,
// ffmpeg, OCR, a long wait), which the inner loop leaves to `make test`.
// -short wins over CI: CI runs the whole suite without it.
func SkipShort(tb testing.TB, what string) {
	tb.Helper()
	if testing.Short() {
		tb.Skipf("-short: this test runs %s (make test runs it)", what)
	}
}

// Missing fails the test when CI is set and skips it elsewhere: what the
// test needs (a program, root, a loopback address) is not here.
func Missing(tb testing.TB, what string, err error) {
	tb.Helper()
	if CI() {
		tb.Fatalf("CI is set and %s is missing (make test-deps installs the programs): %v", what, err)
	}
	tb.Skipf("%s is missing (make test-deps installs the programs; with CI set this fails): %v", what, err)
}

// Program returns the path of the named program on PATH, or ends the test
// as Missing does. It does not skip under -short: quick programs (bash,
// python3) run in the inner loop.
func Program(tb testing.TB, name string) string {
	tb.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(tb, name, err)
	}
	return p
}

// Slow is Program for a program whose tests are slow (ffmpeg, tesseract):
// the test skips under -short before it looks.
func Slow(tb testing.TB, name string) string {
	tb.Helper()
	SkipShort(tb, name)
	return Program(tb, name)
}
