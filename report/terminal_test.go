package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/pinready/pinready/checks"
)

// hostileText is what a page or a config may hold: an OSC 52 clipboard
// write, a clear-screen, a C1 control, and a right-to-left override.
const hostileText = "Connect \x1b]52;c;ZWNobyBwd25lZA==\x07Pinterest \x1b[2J\u009b31m \u202etxt.exe\u202c \u2067isolate\u2069"

func assertInert(t *testing.T, where, s string) {
	t.Helper()
	for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u202e", "\u202c", "\u2067", "\u2069"} {
		if strings.Contains(s, bad) {
			t.Errorf("%s keeps %q: %q", where, bad, s)
		}
	}
}

// The stderr wrapper strips what a terminal would obey, and keeps a
// character cut across two writes whole.
func TestTerminalWriter(t *testing.T) {
	var buf bytes.Buffer
	w := TerminalWriter(&buf)
	w.Write([]byte("oauth: connect: " + hostileText + "\n"))
	euro := []byte("€ 5\n")
	w.Write(euro[:1])
	w.Write(euro[1:])
	got := buf.String()
	assertInert(t, "stderr", got)
	if !strings.Contains(got, "Connect") || !strings.Contains(got, "Pinterest") || !strings.HasSuffix(got, "€ 5\n") {
		t.Errorf("the readable text was lost: %q", got)
	}
}

// Every human format neutralises the same characters in the app name (the
// HTML title, the Markdown heading), messages and excerpts.
func TestHumanFormatsNeutraliseBidiAndControls(t *testing.T) {
	rs := loadRules(t)
	fs := []checks.Finding{checks.Fail("oauth.authorize", "the button %q did nothing", hostileText).
		With(&checks.Evidence{URL: "https://acme.example/\u202e", Excerpt: hostileText})}
	rep := checks.NewReport(checks.Tool{Name: "pinready", Version: "test"},
		checks.AppRef{Name: "Acme \u202eenalP niP", Config: "conf\x1b[2J.yaml"}, rs.Complete(fs, nil, nil, nil), nil)
	for _, format := range []string{"text", "markdown", "html", "junit"} {
		w, err := New(format, Options{Rules: rs})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := w.Write(&buf, rep); err != nil {
			t.Fatal(err)
		}
		assertInert(t, format, buf.String())
	}
	cfg := &checks.Config{App: checks.App{Name: "Acme \u202eenalP niP", Description: hostileText}}
	var buf bytes.Buffer
	if err := ChecklistMarkdown(&buf, cfg, rep, Checklist(cfg, rep, checks.FailOnBlocker, "demo.mp4"), "demo.mp4", time.Now()); err != nil {
		t.Fatal(err)
	}
	assertInert(t, "CHECKLIST.md", buf.String())
}

// An interrupted report says so in every human format, and in JSON.
func TestInterruptedReportSaysSo(t *testing.T) {
	rs := loadRules(t)
	rep := checks.NewReport(checks.Tool{Name: "pinready", Version: "test"}, checks.AppRef{Name: "Acme"},
		rs.Complete(nil, nil, nil, map[string]string{"privacy": "interrupted: pinready was stopped before it judged this rule"}), nil)
	rep.Interrupted = true
	for format, want := range map[string]string{"text": "INTERRUPTED", "markdown": "interrupted", "html": "interrupted", "json": `"interrupted": true`} {
		w, _ := New(format, Options{Rules: rs})
		var buf bytes.Buffer
		if err := w.Write(&buf, rep); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), want) {
			t.Errorf("%s does not say %q", format, want)
		}
	}
}
