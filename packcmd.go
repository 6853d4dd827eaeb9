package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/report"
)

func packCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "pack",
		Usage: "assemble the submission folder: video, storyboard, HTML report, description, policy URL and a checklist of the upgrade form",
		Flags: []cli.Flag{
			configFlag(),
			&cli.StringFlag{Name: "from", Usage: "where `pinready record` wrote the video (default: demo.out of the config)"},
			&cli.StringFlag{Name: "out", Usage: "the submission folder to write (default: FROM/submission)"},
			resolveFlag(), timeoutFlag(), rulesFlag(), failOnFlag(),
		},
		Action: func(c *cli.Context) error { return runPack(c.Context, e, c) },
	}
}

// Files of the submission folder besides the video.
const (
	packStoryboard  = "storyboard.png"
	packReportHTML  = "report.html"
	packReportJSON  = "report.json"
	packDescription = "description.txt"
	packPolicyURL   = "privacy-policy-url.txt"
	packChecklist   = "CHECKLIST.md"
)

// runPack combines what record wrote (the video, the storyboard, its report)
// with a check report, running the check for any group no report in --from
// covers, and writes the folder a developer uploads from.
func runPack(ctx context.Context, e *env, c *cli.Context) error {
	failOn, err := checks.ParseFailOn(c.String("fail-on"))
	if err != nil {
		return err
	}
	cfg, err := checks.LoadConfig(c.String("config"))
	if err != nil {
		return err
	}
	rs, err := loadRules(c.String("rules"))
	if err != nil {
		return err
	}
	from := firstNonEmpty(c.String("from"), cfg.Demo.Out)
	out := firstNonEmpty(c.String("out"), filepath.Join(from, "submission"))
	if same(from, out) {
		return &checks.UsageError{Msg: "--out must differ from --from: the submission folder is written next to, not over, what record wrote"}
	}
	video, err := findVideo(from, cfg.Demo.Video)
	if err != nil {
		return err
	}
	reports, err := readReports(e, from, cfg.App.Name)
	if err != nil {
		return err
	}
	if missing := uncoveredGroups(rs, cfg, reports); len(missing) > 0 {
		rep, err := packCheck(ctx, e, c, missing)
		if err != nil {
			return err
		}
		reports = append([]*checks.Report{rep}, reports...)
	}

	if err := os.MkdirAll(out, 0o755); err != nil {
		return &checks.CannotRunError{What: "create the submission folder " + out, Err: err}
	}
	videoOut := filepath.Join(out, filepath.Base(video))
	artifacts := []checks.Artifact{{Kind: "video", Path: videoOut}}
	if err := copyFile(video, videoOut); err != nil {
		return &checks.CannotRunError{What: "copy the video into " + out, Err: err}
	}
	storyboard := filepath.Join(from, packStoryboard)
	if _, err := os.Stat(storyboard); err == nil {
		if err := copyFile(storyboard, filepath.Join(out, packStoryboard)); err != nil {
			return &checks.CannotRunError{What: "copy the storyboard into " + out, Err: err}
		}
		artifacts = append(artifacts, checks.Artifact{Kind: "storyboard", Path: filepath.Join(out, packStoryboard)})
	} else {
		fmt.Fprintf(e.stderr, "pinready: no %s in %s; the submission has the video only\n", packStoryboard, from)
	}

	rep := combineReports(rs, cfg, reports, artifacts)
	r := &checkRun{cfg: cfg, rules: rs}
	for _, name := range []string{packReportHTML, packReportJSON} {
		format := map[string]string{packReportHTML: "html", packReportJSON: "json"}[name]
		path := filepath.Join(out, name)
		if err := writeReports(e, rep, r, []string{format}, path, "", true); err != nil {
			return err
		}
	}
	fields := checklist(cfg, rep, failOn, filepath.Base(video))
	texts := []struct{ name, text string }{
		{packDescription, cfg.App.Description},
		{packPolicyURL, cfg.App.PrivacyPolicyURL + "\n"},
		{packChecklist, checklistMarkdown(cfg, rep, fields, filepath.Base(video))},
	}
	for _, t := range texts {
		path := filepath.Join(out, t.name)
		if err := writeFile(path, func(w io.Writer) error { _, err := io.WriteString(w, t.text); return err }); err != nil {
			return &checks.CannotRunError{What: "write " + path, Err: err}
		}
	}
	if cfg.App.PrivacyPolicyURL == "" {
		fmt.Fprintf(e.stderr, "pinready: app.privacy_policy_url is not set; %s is empty\n", packPolicyURL)
	}
	fmt.Fprintf(e.stdout, "Submission folder %s: %s\n", out, report.VerdictLine(rep))
	for _, f := range fields {
		fmt.Fprintf(e.stdout, "  %s %-22s %s\n", f.mark(), f.Name, f.summary())
	}
	fmt.Fprintf(e.stdout, "Upload %s with the form; %s lists each field, %s has the details.\n", filepath.Base(video), packChecklist, packReportHTML)
	return exitStatus(rep.ExitCode(failOn))
}

// same reports whether two paths name the same directory.
func same(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == bb
}

// findVideo is record's video in dir, the configured format first.
func findVideo(dir, preferred string) (string, error) {
	formats := []string{preferred}
	for _, f := range []string{"mp4", "webm", "gif"} {
		if f != preferred {
			formats = append(formats, f)
		}
	}
	for _, f := range formats {
		p := filepath.Join(dir, "demo."+f)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Size() > 0 {
			return p, nil
		}
	}
	return "", &checks.CannotRunError{What: "pack the submission",
		Err:  fmt.Errorf("no demo video (demo.mp4, demo.webm or demo.gif) in %s", dir),
		Hint: "run `pinready record` first (it writes the video into demo.out), or point --from at the folder it wrote"}
}

// readReports loads every pinready JSON report at the top of dir (record's
// record.json, a check report saved there); other JSON (trace.json) and
// reports of another app are passed over.
func readReports(e *env, dir, app string) ([]*checks.Report, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, &checks.UsageError{Msg: fmt.Sprintf("--from %s: %v", dir, err)}
	}
	var out []*checks.Report
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, &checks.CannotRunError{What: "read " + p, Err: err}
		}
		var rep checks.Report
		if json.Unmarshal(data, &rep) != nil || rep.Tool.Name != "pinready" || rep.SchemaVersion != checks.SchemaVersion || len(rep.Findings) == 0 {
			continue
		}
		if rep.App.Name != app {
			fmt.Fprintf(e.stderr, "pinready: %s is a report on %q, not %q; not used\n", p, rep.App.Name, app)
			continue
		}
		out = append(out, &rep)
	}
	return out, nil
}

// uncoveredGroups are the check groups with a rule no report judged (record
// judges oauth.* but may leave oauth.token-exposure to check).
func uncoveredGroups(rs *checks.Ruleset, cfg *checks.Config, reports []*checks.Report) []string {
	judged := map[string]bool{}
	for _, rep := range reports {
		for _, f := range rep.Findings {
			if f.Status != checks.StatusSkip {
				judged[f.Rule] = true
			}
		}
	}
	// A rule the user disabled or baselined is skipped by choice: judged.
	for _, r := range rs.Rules {
		judged[r.ID] = judged[r.ID] || r.Disabled
	}
	for _, ig := range cfg.Ignore {
		judged[ig.Rule] = true
	}
	var missing []string
	for _, g := range groups {
		if slices.ContainsFunc(g.rules, func(id string) bool { return !judged[id] }) {
			missing = append(missing, g.name)
		}
	}
	return missing
}

// packCheck runs `pinready check` for the groups no report covers, through
// the same code path as the check command, and reads back its JSON report.
func packCheck(ctx context.Context, e *env, c *cli.Context, only []string) (*checks.Report, error) {
	tmp, err := os.MkdirTemp("", "pinready-pack-")
	if err != nil {
		return nil, &checks.CannotRunError{What: "create a temporary directory", Err: err}
	}
	defer os.RemoveAll(tmp)
	path := filepath.Join(tmp, "check.json")
	args := []string{"pinready", "check", "--config", c.String("config"), "--only", strings.Join(only, ","),
		"--format", "json", "--output", path, "--fail-on", "never", "--timeout", c.Duration("timeout").String()}
	if c.String("rules") != "" {
		args = append(args, "--rules", c.String("rules"))
	}
	for _, r := range c.StringSlice("resolve") {
		args = append(args, "--resolve", r)
	}
	fmt.Fprintf(e.stderr, "pinready: no check report covers %s; running %s\n", strings.Join(only, ", "), strings.Join(args, " "))
	if code := run(ctx, args, e.stdout, e.stderr); code != checks.ExitOK {
		return nil, exitStatus(code) // check has said why
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &checks.CannotRunError{What: "read the check report", Err: err}
	}
	var rep checks.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, &checks.CannotRunError{What: "read the check report", Err: err}
	}
	return &rep, nil
}

// combineReports keeps, for each rule, the most telling finding among the
// reports: a failure over an error over a pass over a skip, the first report
// on ties. Rules no report judged are skipped with a reason.
func combineReports(rs *checks.Ruleset, cfg *checks.Config, reports []*checks.Report, artifacts []checks.Artifact) *checks.Report {
	rank := map[checks.Status]int{checks.StatusFail: 0, checks.StatusError: 1, checks.StatusPass: 2, checks.StatusSkip: 3}
	best := map[string]checks.Finding{}
	var order []string
	for _, rep := range reports {
		for _, f := range rep.Findings {
			old, ok := best[f.Rule]
			if !ok {
				order = append(order, f.Rule)
			}
			if !ok || rank[f.Status] < rank[old.Status] {
				best[f.Rule] = f
			}
		}
	}
	var findings []checks.Finding
	for _, id := range order {
		findings = append(findings, best[id])
	}
	why := map[string]string{}
	for _, g := range append(groupNames(), "record") {
		why[g] = "no report in the pack judged this rule"
	}
	// No config here: each finding keeps the location its run gave it.
	findings = rs.Complete(findings, nil, nil, why)
	findings = checks.ApplyIgnores(findings, cfg, time.Now())
	return checks.NewReport(checks.Tool{Name: "pinready", Version: version},
		checks.AppRef{Name: cfg.App.Name, Config: cfg.File}, findings, artifacts)
}

// formField is one field of Pinterest's Standard-access upgrade form and
// what the reports say about it.
type formField struct {
	Name    string
	Value   string
	Status  string           // ready | failing | unchecked
	Failing []checks.Finding // at or above the threshold: the field is not ready
	Notes   []checks.Finding // failing below the threshold: worth a look
	Skipped []string         // rule ids no report judged
	Comment string           // for fields no rule covers
}

func (f formField) mark() string {
	switch f.Status {
	case "ready":
		return "✓"
	case "failing":
		return "✗"
	}
	return "?"
}

func (f formField) summary() string {
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

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// formRules map each field of the upgrade form (KNOWLEDGE.md) to the rules
// that judge it.
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

// checklist judges each form field from the combined report. A field fails
// on a failing finding at or above --fail-on (blockers when it is never);
// lesser failures are notes.
func checklist(cfg *checks.Config, rep *checks.Report, failOn checks.FailOn, video string) []formField {
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
		"Description":        fmt.Sprintf("%d words (%s)", len(strings.Fields(cfg.App.Description)), packDescription),
		"Privacy policy URL": cfg.App.PrivacyPolicyURL,
		"Redirect URIs":      strings.Join(cfg.App.RedirectURIs, ", "),
		"Scopes":             strings.Join(cfg.App.Scopes, ", "),
		"Demo video":         video,
	}
	var out []formField
	for _, fr := range formRules {
		f := formField{Name: fr.name, Value: values[fr.name]}
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
	tier := formField{Name: "Current tier", Value: cfg.App.Access, Status: "ready", Comment: "Trial: the form upgrades it to Standard"}
	if cfg.App.Access == "standard" {
		tier.Status, tier.Comment = "unchecked", "app.access says Standard already: this form is for Trial apps"
	}
	return append(out, tier)
}

// checklistMarkdown is CHECKLIST.md: the form's fields in order, each with
// its value, its status and, when it is not ready, the failing rules and
// their fixes.
func checklistMarkdown(cfg *checks.Config, rep *checks.Report, fields []formField, video string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Standard access: upgrade form checklist for %s\n\n", cfg.App.Name)
	fmt.Fprintf(&b, "pinready %s, %s. Verdict: **%s**\n\n", version, time.Now().Format("2006-01-02"), report.VerdictLine(rep))
	b.WriteString("✓ ready · ✗ needs a fix before you submit · ? not checked\n\n")
	b.WriteString("Files in this folder: `" + video + "` (the demo video to upload), `" + packStoryboard + "`, `" +
		packReportHTML + "` (the full audit; `" + packReportJSON + "` for machines), `" + packDescription + "` (paste into the form), `" + packPolicyURL + "`.\n")
	for _, f := range fields {
		fmt.Fprintf(&b, "\n## %s %s\n\n", f.mark(), f.Name)
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
	return b.String()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// copyFile copies src to dst through writeFile (never a half file at dst).
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return writeFile(dst, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}
