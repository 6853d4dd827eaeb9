// Package testenv is what a test needs of the machine it runs on, in one
// place for every package.
//
// Programs outside Go (Chromium, ffmpeg, tesseract, or anything on PATH):
//
//   - Under `go test -short` (the inner loop while editing) the slow ones
//     skip: Chromium, ffmpeg and OCR take minutes, the rest of the suite
//     under a minute.
//   - When a program is missing and CI is set, the test fails: the gate
//     (`make test`, which installs them) must run every test.
//   - When it is missing elsewhere, the test skips and says how to get it.
//
// Time: a test asserts events (a channel, a count, the deadline the code
// reports), never how long something took. Where it must stop waiting for
// something that should end, it waits Hang: a hang detector that a busy
// machine never mistakes for slowness.
//
// Only tests import it.
package testenv

import (
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// Hang is how long a test waits for something that must end (a page to
// load, a flow or a process to finish, a cancelled call to return) before
// it calls it hung. The things waited for take seconds on an idle machine,
// and a shared CI runner with every core busy is several times slower: a
// bound of seconds there fails at random, and a gate that fails at random
// teaches people to ignore it. Minutes still catch a hang, with the test's
// own message, long before go test's -timeout.
const Hang = 3 * time.Minute

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

// SlowProgram is Program for a program whose tests are slow (ffmpeg,
// tesseract): the test skips under -short before it looks.
func SlowProgram(tb testing.TB, name string) string {
	tb.Helper()
	SkipShort(tb, name)
	return Program(tb, name)
}
