package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pinready/pinready/checks"
)

// section is one denial reason with the findings filed under it. Reviewers
// deny by reason, so every human-facing format is laid out this way.
type section struct {
	Reason   checks.Reason
	Title    string // Pinterest's words (checks.ReasonTitles)
	Findings []checks.Finding
	Counts   counts
}

type counts struct{ Fail, Error, Skip, Pass int }

// sections groups findings by reason, in checks.Reasons order, then any reason
// outside the five (a custom rules file could carry one) in first-seen order.
// Within a section, findings that need attention come first: fail, error,
// skip, pass; rules.yaml order is kept inside each status.
func sections(r *checks.Report) []section {
	var out []section
	index := map[checks.Reason]int{}
	add := func(reason checks.Reason) int {
		if i, ok := index[reason]; ok {
			return i
		}
		title := checks.ReasonTitles[reason]
		if title == "" {
			title = string(reason)
		}
		out = append(out, section{Reason: reason, Title: title})
		index[reason] = len(out) - 1
		return len(out) - 1
	}
	for _, reason := range checks.Reasons {
		add(reason)
	}
	for _, f := range r.Findings {
		s := &out[add(f.Reason)]
		s.Findings = append(s.Findings, f)
		switch f.Status {
		case checks.StatusFail:
			s.Counts.Fail++
		case checks.StatusError:
			s.Counts.Error++
		case checks.StatusSkip:
			s.Counts.Skip++
		case checks.StatusPass:
			s.Counts.Pass++
		}
	}
	for i := range out {
		slices.SortStableFunc(out[i].Findings, func(a, b checks.Finding) int {
			return statusOrder(a.Status) - statusOrder(b.Status)
		})
	}
	return out
}

func statusOrder(s checks.Status) int {
	switch s {
	case checks.StatusFail:
		return 0
	case checks.StatusError:
		return 1
	case checks.StatusSkip:
		return 2
	}
	return 3
}

// VerdictLine is the one-line summary every human format (and pack's
// checklist) ends or starts with, e.g. "likely-denied: 3 blockers, 1
// warning, 30 passed, 2 skipped". Info failures are mentioned only when
// there are some: they never decide the verdict.
func VerdictLine(r *checks.Report) string {
	s := r.Summary
	parts := []string{plural(s.Blocker, "blocker"), plural(s.Warning, "warning")}
	if s.Info > 0 {
		parts = append(parts, fmt.Sprintf("%d info", s.Info))
	}
	parts = append(parts, fmt.Sprintf("%d passed", s.Passed), fmt.Sprintf("%d skipped", s.Skipped))
	line := fmt.Sprintf("%s: %s", r.Verdict, strings.Join(parts, ", "))
	if r.Interrupted {
		line += " (interrupted: the rules it did not reach are skipped)"
	}
	if r.CutShort {
		line += " (cut short: the run never finished; the rules it did not reach are skipped)"
	}
	return line
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// ruleTitle is the rule's passing title when the ruleset is known: test
// names and headings stay the same whether the rule passed or failed, so CI
// history tracks one test per rule. Without rules it is the finding's title.
func ruleTitle(rules *checks.Ruleset, f checks.Finding) string {
	if rules != nil {
		if r := rules.Get(f.Rule); r != nil {
			return r.Title
		}
	}
	return f.Title
}

// location renders "file:line", or "" when the finding has no location.
func location(f checks.Finding) string {
	if f.Location == nil {
		return ""
	}
	if f.Location.Line > 0 {
		return fmt.Sprintf("%s:%d", f.Location.File, f.Location.Line)
	}
	return f.Location.File
}

// printable replaces control characters (other than tab and newline) and
// bidirectional overrides and isolates with U+FFFD. Messages and excerpts
// quote pages we do not control, names come from configs: an escape sequence
// must not drive the user's terminal (an OSC 52 clipboard write, ESC[2J),
// a right-to-left override must not make a title or a file name read
// backwards in a terminal, an HTML page or a Markdown heading (the "Trojan
// Source" characters), and XML 1.0 forbids most control characters
// outright, even in CDATA.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n':
			return r
		case r < 0x20 || (r >= 0x7f && r < 0xa0) || r == 0xfffe || r == 0xffff || isBidiControl(r):
			return '\uFFFD'
		}
		return r
	}, s)
}

// isBidiControl reports the characters that reorder the text around them:
// the embeddings and overrides U+202A–U+202E and the isolates U+2066–U+2069.
// The plain marks (U+200E, U+200F) only nudge neutral characters; right-to-
// left text needs them and keeps them.
func isBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// printableReport is a copy of r whose strings went through printable; r is
// left alone (the caller may render it again in another format).
func printableReport(r *checks.Report) *checks.Report {
	c := *r
	c.App.Name, c.App.Config = printable(r.App.Name), printable(r.App.Config)
	c.Findings = make([]checks.Finding, len(r.Findings))
	for i, f := range r.Findings {
		f.Rule, f.Title, f.Message, f.Fix = printable(f.Rule), printable(f.Title), printable(f.Message), printable(f.Fix)
		if l := f.Location; l != nil {
			f.Location = &checks.Location{File: printable(l.File), Line: l.Line}
		}
		if e := f.Evidence; e != nil {
			ec := *e
			ec.URL, ec.Excerpt, ec.Screenshot = printable(e.URL), printable(e.Excerpt), printable(e.Screenshot)
			ec.Redirects = make([]string, len(e.Redirects))
			for j, u := range e.Redirects {
				ec.Redirects[j] = printable(u)
			}
			f.Evidence = &ec
		}
		c.Findings[i] = f
	}
	c.Artifacts = make([]checks.Artifact, len(r.Artifacts))
	for i, a := range r.Artifacts {
		c.Artifacts[i] = checks.Artifact{Kind: printable(a.Kind), Path: printable(a.Path), SHA256: a.SHA256}
	}
	return &c
}

// folded is what the human formats say once instead of rule by rule: the
// rules outside --only, and the rules each root cause kept from being judged.
type folded struct {
	NotSelected int      // how many rules --only left out
	Groups      []string // their groups, in rules.yaml order
	Blocked     map[string][]string
}

// fold returns a copy of r without the skips it folds away: skips of rules
// not selected, and skips blocked by a root cause that is itself in the
// report (they are listed under it). verbose folds nothing.
func fold(r *checks.Report, rules *checks.Ruleset, verbose bool) (*checks.Report, folded) {
	fo := folded{Blocked: map[string][]string{}}
	if verbose {
		return r, fo
	}
	present := map[string]bool{}
	for _, f := range r.Findings {
		present[f.Rule] = f.Status == checks.StatusFail || f.Status == checks.StatusError
	}
	c := *r
	c.Findings = nil
	for _, f := range r.Findings {
		switch {
		case f.Status == checks.StatusSkip && f.Message == checks.NotSelected:
			fo.NotSelected++
			g := groupOf(rules, f.Rule)
			if !slices.Contains(fo.Groups, g) {
				fo.Groups = append(fo.Groups, g)
			}
		case f.Status == checks.StatusSkip && f.BlockedBy != "" && present[f.BlockedBy]:
			fo.Blocked[f.BlockedBy] = append(fo.Blocked[f.BlockedBy], f.Rule)
		default:
			c.Findings = append(c.Findings, f)
		}
	}
	return &c, fo
}

// notSelectedLine is "29 rules not selected: privacy, oauth", or "".
func (fo folded) notSelectedLine() string {
	if fo.NotSelected == 0 {
		return ""
	}
	return fmt.Sprintf("%s not selected: %s", plural(fo.NotSelected, "rule"), strings.Join(fo.Groups, ", "))
}

// blockedLine is "not judged because of this: a, b", or "".
func (fo folded) blockedLine(root string) string {
	ids := fo.Blocked[root]
	if len(ids) == 0 {
		return ""
	}
	return "not judged because of this: " + strings.Join(ids, ", ")
}

// groupOf is the rule's --only group (rules.yaml), or its id's prefix.
func groupOf(rules *checks.Ruleset, id string) string {
	if rules != nil {
		if r := rules.Get(id); r != nil && r.Group != "" {
			return r.Group
		}
	}
	g, _, _ := strings.Cut(id, ".")
	return g
}
