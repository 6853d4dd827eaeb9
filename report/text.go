package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/fatih/color"

	"github.com/pinready/pinready/checks"
)

// Text is the terminal format: one block per denial reason, failures in full
// with their fix, passes one line each, and a closing verdict line.
type Text struct {
	// Each colour is set on or off explicitly in NewText: fatih/color's
	// package-level NoColor looks at os.Stdout, which is not where we write
	// when --output is used, and main has already made the decision.
	bold, faint, fail, errc, skip, pass *color.Color
	width                               int // of the longest rule id, to align titles
	rules                               *checks.Ruleset
	verbose                             bool
	folded                              folded // of the report being written
}

// NewText returns the text writer; colour is on only when o.Color.
func NewText(o Options) *Text {
	mk := func(attrs ...color.Attribute) *color.Color {
		c := color.New(attrs...)
		if o.Color {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
		return c
	}
	return &Text{
		rules: o.Rules, verbose: o.Verbose,
		bold:  mk(color.Bold),
		faint: mk(color.Faint),
		fail:  mk(color.FgRed, color.Bold),
		errc:  mk(color.FgMagenta, color.Bold),
		skip:  mk(color.FgYellow),
		pass:  mk(color.FgGreen),
	}
}

func (t *Text) paint(c *color.Color, s string) string { return c.Sprint(s) }

// marks are the status columns; they are words as well as colours so the
// output reads the same without colour.
var marks = map[checks.Status]string{
	checks.StatusFail:  "✗ FAIL ",
	checks.StatusError: "! ERROR",
	checks.StatusSkip:  "- skip ",
	checks.StatusPass:  "✓ pass ",
}

func (t *Text) statusColor(s checks.Status) *color.Color {
	switch s {
	case checks.StatusFail:
		return t.fail
	case checks.StatusError:
		return t.errc
	case checks.StatusSkip:
		return t.skip
	}
	return t.pass
}

func (t *Text) Write(w io.Writer, r *checks.Report) error {
	r = redactedReport(r)
	b := bufio.NewWriter(w)
	tw := *t // Write may run concurrently; the width is per report
	tw.width = 0
	for _, f := range r.Findings {
		tw.width = max(tw.width, len(f.Rule))
	}
	// Findings quote web pages: strip what a terminal would obey.
	r = printableReport(r)
	var shown *checks.Report
	shown, tw.folded = fold(r, tw.rules, tw.verbose)
	return tw.write(b, shown)
}

func (t *Text) write(b *bufio.Writer, r *checks.Report) error {
	fmt.Fprintf(b, "%s %s — %s (%s)\n", t.paint(t.bold, "pinready"), r.Tool.Version, r.App.Name, r.App.Config)
	if r.Interrupted {
		fmt.Fprintf(b, "%s\n", t.paint(t.fail, "INTERRUPTED: pinready was stopped before it finished; rules it did not reach are skipped, not judged"))
	}
	if r.CutShort {
		fmt.Fprintf(b, "%s\n", t.paint(t.fail, "CUT SHORT: written while pinready was still running, and the run never finished; rules it did not reach are skipped, not judged"))
	}
	for _, s := range sections(r) {
		if len(s.Findings) == 0 {
			continue
		}
		fmt.Fprintf(b, "\n%s  %s\n", t.paint(t.bold, s.Title), t.paint(t.faint, "["+string(s.Reason)+"]"))
		for _, f := range s.Findings {
			t.finding(b, f)
		}
	}
	if line := t.folded.notSelectedLine(); line != "" {
		fmt.Fprintf(b, "\n  %s %s\n", t.paint(t.skip, "-"), t.paint(t.faint, line+" (--verbose lists them)"))
	}
	if len(r.Artifacts) > 0 {
		fmt.Fprintf(b, "\n%s\n", t.paint(t.bold, "Artifacts"))
		for _, a := range r.Artifacts {
			fmt.Fprintf(b, "  %-10s %s\n", a.Kind, a.Path)
		}
	}
	fmt.Fprintf(b, "\n%s\n", t.paint(t.verdictColor(r.Verdict), VerdictLine(r)))
	return b.Flush()
}

func (t *Text) verdictColor(v checks.Verdict) *color.Color {
	switch v {
	case checks.VerdictLikelyDenied:
		return t.fail
	case checks.VerdictAtRisk:
		return t.skip
	}
	return t.pass
}

// indent lines up detail lines under the title, past the status column.
const indent = "            "

func (t *Text) finding(b *bufio.Writer, f checks.Finding) {
	mark := t.paint(t.statusColor(f.Status), marks[f.Status])
	switch f.Status {
	case checks.StatusPass:
		fmt.Fprintf(b, "  %s %-*s  %s\n", mark, t.width, f.Rule, t.paint(t.faint, f.Title))
		return
	case checks.StatusSkip:
		fmt.Fprintf(b, "  %s %-*s  %s\n", mark, t.width, f.Rule, t.paint(t.faint, "skipped: "+oneLine(f.Message)))
		return
	}
	fmt.Fprintf(b, "  %s %s  %s %s\n", mark, t.paint(t.bold, fmt.Sprintf("%-*s", t.width, f.Rule)), f.Title, t.paint(t.faint, "("+string(f.Severity)+")"))
	detail := func(label, text string) {
		if text == "" {
			return
		}
		// Continuation lines align under the first line's text.
		pad := ""
		if label != "" {
			pad = strings.Repeat(" ", len(label)+1)
		}
		for i, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
			switch {
			case label == "":
				fmt.Fprintf(b, "%s%s\n", indent, line)
			case i == 0:
				fmt.Fprintf(b, "%s%s %s\n", indent, t.paint(t.faint, label), line)
			default:
				fmt.Fprintf(b, "%s%s%s\n", indent, pad, line)
			}
		}
	}
	detail("", f.Message)
	if e := f.Evidence; e != nil {
		u := e.URL
		if e.Status != 0 {
			u = fmt.Sprintf("%s (HTTP %d)", u, e.Status)
		}
		detail("url:", u)
		if len(e.Redirects) > 0 {
			detail("via:", strings.Join(e.Redirects, " → "))
		}
		if e.Excerpt != "" {
			detail("seen:", "“"+oneLine(e.Excerpt)+"”")
		}
		detail("shot:", e.Screenshot)
	}
	detail("at:", location(f))
	detail("fix:", f.Fix)
	if line := t.folded.blockedLine(f.Rule); line != "" {
		detail("", t.paint(t.faint, line))
	}
}

// oneLine folds whitespace so an excerpt or skip reason stays on its line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
