package report

import (
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"os"
	"sync"

	"github.com/pinready/pinready/checks"
)

// HTML is one self-contained page to attach to a CI run or open locally: no
// script, no external resource; screenshots and the storyboard are embedded
// as data: URIs so the file still shows them when moved or mailed. The
// template escapes every string (html/template), since findings quote pages
// we do not control.
type HTML struct {
	Rules      *checks.Ruleset // stable rule titles; nil falls back to finding titles
	OutputPath string          // the file written, "" for stdout: linked paths are relative to its directory
	Verbose    bool            // every rule on its own line: no folding of not-selected or blocked skips
}

//go:embed html.tmpl
var htmlSource string

//go:embed html.css
var htmlCSS string

// htmlTemplate is parsed on first use: most runs write no HTML.
var htmlTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Parse(htmlSource))
})

// maxEmbed caps an embedded image: a storyboard is a few hundred KB; anything
// far larger would make the report unwieldy, so it is linked instead.
const maxEmbed = 8 << 20

type htmlPage struct {
	R           *checks.Report
	CSS         template.CSS
	Headline    string // "Likely denied"
	VerdictLine string
	NotSelected string // "29 rules not selected: privacy, oauth", or ""
	Sections    []htmlSection
	Images      []htmlArtifact // storyboards and screenshots, embedded
	Files       []htmlArtifact // videos, traces, anything else: linked
}

type htmlSection struct {
	section
	State    string // fail | error | skip | pass: the worst status in it
	Problems []htmlFinding
	Skips    []htmlFinding
	Passes   []htmlFinding
}

type htmlFinding struct {
	checks.Finding
	Blocks    string // "not judged because of this: …" under a root cause
	RuleTitle string
	Loc       string
	Shot      template.URL // evidence screenshot as a data: URI, if readable
}

type htmlArtifact struct {
	checks.Artifact
	Data template.URL // data: URI for an image that could be read
}

var headlines = map[checks.Verdict]string{
	checks.VerdictReady:        "Ready to apply",
	checks.VerdictAtRisk:       "At risk",
	checks.VerdictLikelyDenied: "Likely denied",
}

func (h *HTML) Write(w io.Writer, r *checks.Report) error {
	r = printableReport(redactedReport(r)) // control characters are HTML parse errors
	p := htmlPage{R: r, CSS: template.CSS(htmlCSS), Headline: headlines[r.Verdict], VerdictLine: VerdictLine(r)}
	shown, fo := fold(r, h.Rules, h.Verbose)
	p.NotSelected = fo.notSelectedLine()
	if p.Headline == "" {
		p.Headline = string(r.Verdict)
	}
	for _, s := range sections(shown) {
		if len(s.Findings) == 0 {
			continue
		}
		hs := htmlSection{section: s, State: "pass"}
		switch {
		case s.Counts.Fail > 0:
			hs.State = "fail"
		case s.Counts.Error > 0:
			hs.State = "error"
		case s.Counts.Pass == 0:
			hs.State = "skip"
		}
		for _, f := range s.Findings {
			hf := htmlFinding{Finding: f, RuleTitle: ruleTitle(h.Rules, f), Loc: location(f), Blocks: fo.blockedLine(f.Rule)}
			switch f.Status {
			case checks.StatusFail, checks.StatusError:
				if f.Evidence != nil && f.Evidence.Screenshot != "" {
					hf.Shot, _ = embedImage(f.Evidence.Screenshot)
					ev := *f.Evidence
					ev.Screenshot = linkPath(h.OutputPath, ev.Screenshot)
					hf.Evidence = &ev
				}
				hs.Problems = append(hs.Problems, hf)
			case checks.StatusSkip:
				hs.Skips = append(hs.Skips, hf)
			default:
				hs.Passes = append(hs.Passes, hf)
			}
		}
		p.Sections = append(p.Sections, hs)
	}
	for _, a := range r.Artifacts {
		// The file is read where the run wrote it; the page names it as
		// seen from the report's own directory.
		ha := htmlArtifact{Artifact: checks.Artifact{Kind: a.Kind, Path: linkPath(h.OutputPath, a.Path)}}
		if a.Kind == "storyboard" || a.Kind == "screenshot" {
			if data, ok := embedImage(a.Path); ok {
				ha.Data = data
				p.Images = append(p.Images, ha)
				continue
			}
		}
		p.Files = append(p.Files, ha)
	}
	if err := htmlTemplate().Execute(w, p); err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	return nil
}

// embedImage reads an image file into a data: URI. It returns false when the
// file is missing, too large or not an image a browser shows; the page then
// names the path instead. The URI is built here from bytes we encoded, which
// is why it may be trusted as template.URL.
func embedImage(path string) (template.URL, bool) {
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() || st.Size() > maxEmbed {
		return "", false
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", false
	}
	switch ct := http.DetectContentType(data); ct {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return template.URL("data:" + ct + ";base64," + base64.StdEncoding.EncodeToString(data)), true
	}
	return "", false
}
