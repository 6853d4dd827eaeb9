package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/redact"
)

// The files of the submission folder `pinready pack` writes, besides the
// video. CHECKLIST.md names them, so they are defined beside it.
const (
	SubmissionStoryboard  = "storyboard.png"
	SubmissionReportHTML  = "report.html"
	SubmissionReportJSON  = "report.json"
	SubmissionDescription = "description.txt"
	SubmissionPolicyURL   = "privacy-policy-url.txt"
	SubmissionChecklist   = "CHECKLIST.md"
)

// FormField is one field of Pinterest's Standard-access upgrade form and
// what the reports say about it.
type FormField struct {
	Name    string
	Value   string
	Status  string           // ready | failing | unchecked
	Failing []checks.Finding // at or above the threshold: the field is not ready
	Notes   []checks.Finding // failing below the threshold: worth a look
	Skipped []string         // rule ids no report judged
	Comment string           // for fields no rule covers
}

// Mark is the field's one-character status: ✓, ✗ or ?.
func (f FormField) Mark() string {
	switch f.Status {
	case "ready":
		return "✓"
	case "failing":
		return "✗"
	}
	return "?"
}

// Summary is the field's status in a few words, for the terminal.
func (f FormField) Summary() string {
	switch {
	case f.Status == "failing":
		var ids []string
		for _, x := range f.Failing {
			ids = append(ids, x.Rule)
		}
		return "fails " + strings.Join(ids, ", ")
	case f.Comment != "":
		return f.Comment
	case f.Status == "unchecked":
		return "not checked"
	case len(f.Notes) > 0:
		return fmt.Sprintf("ready (%s)", plural(len(f.Notes), "warning"))
	}
	return "ready"
}

// formRules map each field of the upgrade form (the fields the Standard
// access request asks for) to the rules that judge it.
var formRules = []struct {
	name  string
	rules []string
}{
	{"App name", []string{"app.name"}},
	{"App ID", []string{"oauth.client-id"}},
	{"Description", []string{"description.length", "description.placeholder", "description.pinterest-use",
		"description.scopes", "description.audience", "description.red-flags", "site.homepage"}},
	{"Privacy policy URL", []string{"privacy.url", "privacy.reachable", "privacy.public", "privacy.renders",
		"privacy.https", "privacy.format", "privacy.hosting", "privacy.domain", "privacy.is-policy",
		"privacy.placeholder", "privacy.names-app", "privacy.topics", "privacy.pinterest", "privacy.updated", "privacy.linked"}},
	{"Redirect URIs", []string{"oauth.redirect-uri", "oauth.redirect-https", "oauth.callback"}},
	{"Scopes", []string{"oauth.scopes", "description.scopes"}},
	{"Demo video", []string{"demo.video", "oauth.authorize", "oauth.response-type", "oauth.state",
		"oauth.no-credentials", "oauth.consent", "oauth.callback", "oauth.token-exposure", "demo.live-integration"}},
}

// Checklist judges each form field from the combined report. A field fails
// on a failing finding at or above failOn (blockers when it is never);
// lesser failures are notes.
func Checklist(cfg *checks.Config, rep *checks.Report, failOn checks.FailOn, video string) []FormField {
	threshold := checks.FailOnBlocker
	if failOn == checks.FailOnWarning {
		threshold = failOn
	}
	byRule := map[string]checks.Finding{}
	for _, f := range rep.Findings {
		byRule[f.Rule] = f
	}
	values := map[string]string{
		"App name":           cfg.App.Name,
		"App ID":             cfg.App.ID,
		"Description":        fmt.Sprintf("%d words (%s)", len(strings.Fields(cfg.App.Description)), SubmissionDescription),
		"Privacy policy URL": redact.URL(cfg.App.PrivacyPolicyURL),
		"Redirect URIs":      redactAll(cfg.App.RedirectURIs),
		"Scopes":             strings.Join(cfg.App.Scopes, ", "),
		"Demo video":         video,
	}
	var out []FormField
	for _, fr := range formRules {
		f := FormField{Name: fr.name, Value: values[fr.name]}
		judged := 0
		for _, id := range fr.rules {
			x, ok := byRule[id]
			switch {
			case !ok || x.Status == checks.StatusSkip:
				f.Skipped = append(f.Skipped, id)
				continue
			case x.Status == checks.StatusFail || x.Status == checks.StatusError:
				if threshold.Fails(x) {
					f.Failing = append(f.Failing, x)
				} else if x.Severity != checks.SeverityInfo {
					f.Notes = append(f.Notes, x)
				}
			}
			judged++
		}
		switch {
		case len(f.Failing) > 0:
			f.Status = "failing"
		case judged == 0:
			f.Status = "unchecked"
		default:
			f.Status = "ready"
		}
		if f.Value == "" && fr.name != "Demo video" {
			f.Status, f.Comment = "failing", "not set in "+cfg.File
			if len(f.Failing) > 0 {
				f.Comment = ""
			}
		}
		out = append(out, f)
	}
	tier := FormField{Name: "Current tier", Value: cfg.App.Access, Status: "ready", Comment: "Trial: the form upgrades it to Standard"}
	if cfg.App.Access == "standard" {
		tier.Status, tier.Comment = "unchecked", "app.access says Standard already: this form is for Trial apps"
	}
	return append(out, tier)
}

// redactAll is the URLs as any output may show them, comma-separated.
func redactAll(urls []string) string {
	out := make([]string, len(urls))
	for i, u := range urls {
		out[i] = redact.URL(u)
	}
	return strings.Join(out, ", ")
}

// ChecklistMarkdown writes CHECKLIST.md: the form's fields in order, each
// with its value, its status and, when it is not ready, the failing rules and
// their fixes.
func ChecklistMarkdown(w io.Writer, cfg *checks.Config, rep *checks.Report, fields []FormField, video string, date time.Time) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Standard access: upgrade form checklist for %s\n\n", cfg.App.Name)
	fmt.Fprintf(&b, "pinready %s, %s. Verdict: **%s**\n\n", rep.Tool.Version, date.Format("2006-01-02"), VerdictLine(rep))
	b.WriteString("✓ ready · ✗ needs a fix before you submit · ? not checked\n\n")
	b.WriteString("Files in this folder: `" + video + "` (the demo video to upload), `" + SubmissionStoryboard + "`, `" +
		SubmissionReportHTML + "` (the full audit; `" + SubmissionReportJSON + "` for machines), `" + SubmissionDescription + "` (paste into the form), `" + SubmissionPolicyURL + "`.\n")
	for _, f := range fields {
		fmt.Fprintf(&b, "\n## %s %s\n\n", f.Mark(), f.Name)
		if f.Value != "" {
			fmt.Fprintf(&b, "Value: `%s`\n\n", strings.ReplaceAll(f.Value, "`", "'"))
		}
		switch {
		case f.Comment != "":
			fmt.Fprintf(&b, "%s.\n", f.Comment)
		case f.Status == "ready":
			b.WriteString("Ready.\n")
		case f.Status == "unchecked":
			fmt.Fprintf(&b, "Not checked: no report judged %s. Run `pinready check` and `pinready record`, then pack again.\n", strings.Join(f.Skipped, ", "))
		}
		for _, x := range f.Failing {
			fmt.Fprintf(&b, "- ✗ `%s` (%s): %s\n", x.Rule, x.Severity, oneLine(x.Message))
			if x.Fix != "" {
				fmt.Fprintf(&b, "  - Fix: %s\n", oneLine(x.Fix))
			}
		}
		for _, x := range f.Notes {
			fmt.Fprintf(&b, "- warning `%s`: %s\n", x.Rule, oneLine(x.Message))
			if x.Fix != "" {
				fmt.Fprintf(&b, "  - Fix: %s\n", oneLine(x.Fix))
			}
		}
		if f.Status != "unchecked" && len(f.Skipped) > 0 {
			fmt.Fprintf(&b, "- not checked: %s\n", strings.Join(f.Skipped, ", "))
		}
	}
	// The config's and the findings' text is the user's and the pages':
	// no control or bidi override reaches the file (printable).
	_, err := io.WriteString(w, printable(b.String()))
	return err
}
