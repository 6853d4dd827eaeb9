package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/pinready/pinready/checks"
)

// Markdown is compact GitHub-flavoured Markdown for a pull-request comment or
// $GITHUB_STEP_SUMMARY: the verdict, a table per denial reason, the fixes for
// what failed and links to the artifacts. Status words, no emoji, so it reads
// the same in any renderer.
type Markdown struct {
	Rules      *checks.Ruleset // groups of rules not selected; nil falls back to id prefixes
	OutputPath string          // the file written, "" for stdout: artifact links are relative to its directory
	Verbose    bool            // a row for every rule: no folding of not-selected or blocked skips
}

var mdStatus = map[checks.Status]string{
	checks.StatusFail:  "**FAIL**",
	checks.StatusError: "**ERROR**",
	checks.StatusSkip:  "skip",
	checks.StatusPass:  "pass",
}

func (m Markdown) Write(w io.Writer, r *checks.Report) error {
	r = printableReport(redactedReport(r))
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "## pinready: %s\n\n", mdEscape(r.App.Name))
	fmt.Fprintf(b, "**%s** — config `%s`, pinready %s\n", mdEscape(VerdictLine(r)), mdCode(r.App.Config), mdEscape(r.Tool.Version))
	r, fo := fold(r, m.Rules, m.Verbose)
	if line := fo.notSelectedLine(); line != "" {
		fmt.Fprintf(b, "\n%s.\n", mdEscape(line))
	}
	for _, s := range sections(r) {
		if len(s.Findings) == 0 {
			continue
		}
		fmt.Fprintf(b, "\n### %s\n\n", mdEscape(s.Title))
		fmt.Fprintf(b, "%s failed, %s, %d skipped, %d passed (`%s`)\n", fmt.Sprint(s.Counts.Fail), plural(s.Counts.Error, "error"), s.Counts.Skip, s.Counts.Pass, s.Reason)
		// What needs attention is a table; passes fold away under <details>
		// so a comment on a healthy app stays short.
		var open, passed []checks.Finding
		for _, f := range s.Findings {
			if f.Status == checks.StatusPass {
				passed = append(passed, f)
			} else {
				open = append(open, f)
			}
		}
		if len(open) > 0 {
			b.WriteString("\n")
			mdTable(b, open)
			for _, f := range open {
				if line := fo.blockedLine(f.Rule); line != "" {
					fmt.Fprintf(b, "\n`%s` failed, so it %s.\n", mdCode(f.Rule), mdEscape(strings.TrimPrefix(line, "not judged because of this: ")+" were not judged"))
				}
			}
		}
		if len(passed) > 0 {
			fmt.Fprintf(b, "\n<details><summary>%d passed</summary>\n\n", len(passed))
			mdTable(b, passed)
			b.WriteString("\n</details>\n")
		}
		var fixes []checks.Finding
		for _, f := range s.Findings {
			if (f.Status == checks.StatusFail || f.Status == checks.StatusError) && f.Fix != "" {
				fixes = append(fixes, f)
			}
		}
		if len(fixes) > 0 {
			b.WriteString("\n**Fixes**\n\n")
			for _, f := range fixes {
				where := ""
				if loc := location(f); loc != "" {
					where = fmt.Sprintf(" (`%s`)", mdCode(loc))
				}
				fmt.Fprintf(b, "- `%s`%s: %s\n", mdCode(f.Rule), where, mdEscape(oneLine(f.Fix)))
			}
		}
	}
	if len(r.Artifacts) > 0 {
		b.WriteString("\n### Artifacts\n\n")
		for _, a := range r.Artifacts {
			p := linkPath(m.OutputPath, a.Path)
			fmt.Fprintf(b, "- %s: [%s](%s)\n", mdEscape(a.Kind), mdEscape(p), mdLink(p))
		}
	}
	return b.Flush()
}

func mdTable(b *bufio.Writer, findings []checks.Finding) {
	b.WriteString("| rule | status | message |\n|---|---|---|\n")
	for _, f := range findings {
		status := mdStatus[f.Status]
		if f.Status == checks.StatusFail || f.Status == checks.StatusError {
			status += " " + string(f.Severity)
		}
		fmt.Fprintf(b, "| `%s` | %s | %s |\n", mdCode(f.Rule), status, mdCell(f.Message))
	}
}

// mdEscape keeps text literal: GitHub renders inline HTML and Markdown
// emphasis, and a finding's message quotes pages we do not control.
func mdEscape(s string) string {
	return mdReplacer.Replace(s)
}

var mdReplacer = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", "&lt;", ">", "&gt;", "&", "&amp;", "|", `\|`, "#", `\#`,
)

// mdCell is one table cell: escaped, on one line.
func mdCell(s string) string { return mdEscape(oneLine(s)) }

// mdCode is text inside a code span, where only backticks and pipes matter
// (GitHub splits table cells on | even inside code).
func mdCode(s string) string {
	return strings.NewReplacer("`", "'", "|", `\|`).Replace(s)
}

// mdLink makes a relative artifact path a valid link target.
func mdLink(p string) string {
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29").Replace(p)
}
