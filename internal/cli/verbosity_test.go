package cli

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// -v is --verbose, never --version; -q silences progress, not reports or
// errors; both at once is a usage error. `pinready -v check` is check -v.
func TestVerboseAndQuiet(t *testing.T) {
	args := []string{"--only", "description", "--config", "../../testdata/configs/good.yaml"}
	code, plain, plainErr := runCLI(t, append([]string{"check"}, args...)...)
	if code != exitOK || !strings.Contains(plainErr, "pinready: description") {
		t.Fatalf("check: exit %d, stderr %q", code, plainErr)
	}
	for _, argv := range [][]string{append([]string{"check", "-v"}, args...), append([]string{"-v", "check"}, args...), append([]string{"check", "--verbose"}, args...)} {
		code, out, stderr := runCLI(t, argv...)
		if code != exitOK {
			t.Fatalf("%q: exit %d, %q", argv, code, stderr)
		}
		// Verbose lists every rule, the skipped ones too, and names the browser.
		if !strings.Contains(out, "privacy.url") || strings.Contains(plain, "privacy.url") {
			t.Errorf("%q: the report does not list every rule:\n%s", argv, out)
		}
		if !strings.Contains(stderr, "pinready: chromium: ") || !strings.Contains(stderr, "pinready: description") {
			t.Errorf("%q: stderr %q", argv, stderr)
		}
	}
	code, out, stderr := runCLI(t, append([]string{"check", "-q"}, args...)...)
	if code != exitOK || stderr != "" || out != plain {
		t.Errorf("check -q: exit %d, stderr %q, report changed: %v", code, stderr, out != plain)
	}
	// A quiet run still says why it failed.
	code, _, stderr = runCLI(t, "check", "-q", "--config", "no-such.yaml")
	if code != exitUsage || !strings.Contains(stderr, "no-such.yaml") {
		t.Errorf("check -q with a missing config: exit %d, %q", code, stderr)
	}
	code, _, stderr = runCLI(t, append([]string{"check", "-v", "-q"}, args...)...)
	if code != exitUsage || !strings.Contains(stderr, "choose one") {
		t.Errorf("check -v -q: exit %d, %q", code, stderr)
	}
	for _, cmd := range []string{"record", "pack", "example"} {
		if code, out, _ := runCLI(t, cmd, "--help"); code != exitOK || !strings.Contains(out, "--verbose, -v") || !strings.Contains(out, "--quiet, -q") {
			t.Errorf("%s --help lacks -v or -q:\n%s", cmd, out)
		}
	}
}

// --version has no short form; with --verbose it names the Chromium and
// ffmpeg a run would use, or why there is none and how to get one.
func TestVersionVerbose(t *testing.T) {
	code, out, _ := runCLI(t, "--version")
	if code != exitOK || strings.Count(out, "\n") != 1 {
		t.Fatalf("--version: exit %d, %q", code, out)
	}
	for _, argv := range [][]string{{"--version", "--verbose"}, {"-v", "--version"}} {
		code, out, _ := runCLI(t, argv...)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if code != exitOK || len(lines) != 3 || !strings.HasPrefix(lines[0], "pinready version "+Version) ||
			!strings.HasPrefix(lines[1], "chromium: ") || !strings.HasPrefix(lines[2], "ffmpeg: ") {
			t.Errorf("%q: exit %d, %q", argv, code, out)
		}
	}
	t.Setenv("PINREADY_FFMPEG", t.TempDir()+"/no-ffmpeg")
	_, out, _ = runCLI(t, "--version", "--verbose")
	if !strings.Contains(out, "ffmpeg: ffmpeg not found") || !strings.Contains(out, "or set PINREADY_FFMPEG") {
		t.Errorf("a missing PINREADY_FFMPEG: %q", out)
	}
	if code, _, _ := runCLI(t, "-V"); code != exitUsage {
		t.Errorf("-V: exit %d, want a usage error", code)
	}
}

// --ffmpeg and PINREADY_FFMPEG name the encoder; a wrong one fails before
// any browser starts, with the hint that names both.
func TestRecordFFmpegFlag(t *testing.T) {
	missing := t.TempDir() + "/no-ffmpeg"
	for _, c := range []struct {
		name string
		env  string
		args []string
	}{
		{"flag", "", []string{"--ffmpeg", missing}},
		{"environment", missing, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.env != "" {
				t.Setenv("PINREADY_FFMPEG", c.env)
			}
			args := append([]string{"record", "--config", "../../testdata/configs/good.yaml", "--out", t.TempDir()}, c.args...)
			code, _, stderr := runCLI(t, args...)
			if code != exitCannot || !strings.Contains(stderr, "ffmpeg not found") || !strings.Contains(stderr, missing) ||
				!strings.Contains(stderr, "PINREADY_FFMPEG") || strings.Contains(stderr, "oauth:") {
				t.Errorf("exit %d, stderr %q", code, stderr)
			}
		})
	}
}

// The release's stamp wins over what the Go toolchain records, which wins
// over the tree's release number.
func TestVersionStamp(t *testing.T) {
	installed := buildInfo{&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.4.0"}}, true}
	vcs := buildInfo{&debug.BuildInfo{GoVersion: "go1.26.8", Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "fedcba9876543210fedc"}, {Key: "vcs.time", Value: "2026-01-02T03:04:05Z"}, {Key: "vcs.modified", Value: "true"}}}, true}
	for _, c := range []struct{ stamped, want string }{{"v2.0.1", "2.0.1"}, {"2.0.1", "2.0.1"}, {"", "1.4.0"}} {
		if got := pickVersion(c.stamped, installed); got != c.want {
			t.Errorf("pickVersion(%q) = %q, want %q", c.stamped, got, c.want)
		}
	}
	if got := pickVersion("", buildInfo{}); got != release {
		t.Errorf("no build info: %q", got)
	}
	platform := runtime.GOOS + "/" + runtime.GOARCH
	for _, c := range []struct {
		commit, date string
		b            buildInfo
		want         string
	}{
		{"0123456789abcdef", "2026-11-30T10:00:00Z", vcs, "2.0.1 (commit 0123456789ab of 2026-11-30T10:00:00Z, built with go1.26.8, " + platform + ")"},
		{"", "", vcs, "2.0.1 (commit fedcba987654 (modified) of 2026-01-02T03:04:05Z, built with go1.26.8, " + platform + ")"},
		{"", "", installed, "2.0.1 (built with go1.26.8, " + platform + ")"},
	} {
		if got := formatVersion("2.0.1", c.commit, c.date, c.b); got != c.want {
			t.Errorf("formatVersion(%q, %q) =\n %q, want\n %q", c.commit, c.date, got, c.want)
		}
	}
}

// `pinready man` is a roff page with every command and the environment.
func TestManPage(t *testing.T) {
	code, page, _ := runCLI(t, "man")
	if code != exitOK || !strings.Contains(page, ".TH pinready 1") {
		t.Fatalf("man: exit %d, %.200q", code, page)
	}
	for _, want := range []string{".SH check", ".SH record", ".SH example", "--ffmpeg", "--quiet, -q", "PINREADY_CHROMIUM", "Exit codes"} {
		if !strings.Contains(page, want) {
			t.Errorf("the man page lacks %q", want)
		}
	}
}
