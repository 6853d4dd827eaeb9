package pipeline

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

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/outfile"
	"github.com/pinready/pinready/internal/redact"
	"github.com/pinready/pinready/report"
)

// PackOptions are the flags of `pinready pack`.
type PackOptions struct {
	From   string // where record wrote the video (the config's demo.out when empty)
	Out    string // the submission folder (FROM/submission when empty)
	FailOn checks.FailOn
	// Check shapes the audit of any group no report in From covers.
	Check CheckOptions
}

// PackResult is the submission folder pack wrote.
type PackResult struct {
	Out    string
	Video  string // the video's file name in Out
	Report *checks.Report
	Fields []report.FormField
}

// Pack combines what record wrote (the video, the storyboard, its report)
// with check reports found in From, audits any group no report covers, and
// writes the folder a developer uploads from.
func Pack(ctx context.Context, env Env, cfg *checks.Config, opts PackOptions) (*PackResult, error) {
	from := firstNonEmpty(opts.From, cfg.Demo.Out)
	out := firstNonEmpty(opts.Out, filepath.Join(from, "submission"))
	if sameDir(from, out) {
		return nil, &checks.UsageError{Msg: "--out must differ from --from: the submission folder is written next to, not over, what record wrote"}
	}
	video, err := recordedVideo(env.Progress, from, cfg.Demo.Video, cfg.App.Name)
	if err != nil {
		return nil, err
	}
	reports, err := readReports(env.Progress, from, cfg.App.Name)
	if err != nil {
		return nil, err
	}
	if missing := uncoveredGroups(env.Rules, cfg, reports); len(missing) > 0 {
		fmt.Fprintf(env.Progress, "pinready: no check report covers %s; checking it now\n", strings.Join(missing, ", "))
		co := opts.Check
		co.Only = missing
		results, err := Check(ctx, env, []*checks.Config{cfg}, co)
		if err != nil {
			return nil, err
		}
		if results[0].Err != nil {
			return nil, results[0].Err
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		reports = append([]*checks.Report{results[0].Report}, reports...)
	}

	mkdir := outfile.MkdirNoFollow // FROM/submission is ours: not through a link
	if opts.Out != "" {
		mkdir = func(dir string) error { return os.MkdirAll(dir, 0o755) } // the user's --out
	}
	if err := mkdir(out); err != nil {
		return nil, &checks.CannotRunError{What: "create the submission folder " + out, Err: err}
	}
	videoOut := filepath.Join(out, filepath.Base(video))
	artifacts := []checks.Artifact{{Kind: "video", Path: videoOut}}
	if err := outfile.Copy(video, videoOut); err != nil {
		return nil, &checks.CannotRunError{What: "copy the video into " + out, Err: err}
	}
	storyboard := filepath.Join(from, report.SubmissionStoryboard)
	if fi, err := os.Lstat(storyboard); err == nil && fi.Mode().IsRegular() {
		if err := outfile.Copy(storyboard, filepath.Join(out, report.SubmissionStoryboard)); err != nil {
			return nil, &checks.CannotRunError{What: "copy the storyboard into " + out, Err: err}
		}
		artifacts = append(artifacts, checks.Artifact{Kind: "storyboard", Path: filepath.Join(out, report.SubmissionStoryboard)})
	} else {
		fmt.Fprintf(env.Progress, "pinready: no %s in %s; the submission has the video only\n", report.SubmissionStoryboard, from)
	}

	rep := combineReports(env, cfg, reports, artifacts)
	for _, w := range []struct{ name, format string }{{report.SubmissionReportHTML, "html"}, {report.SubmissionReportJSON, "json"}} {
		if err := writeReport(filepath.Join(out, w.name), w.format, rep, env.Rules, cfg.File); err != nil {
			return nil, err
		}
	}
	fields := report.Checklist(cfg, rep, opts.FailOn, filepath.Base(video))
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{report.SubmissionDescription, func(w io.Writer) error { _, err := io.WriteString(w, cfg.App.Description); return err }},
		{report.SubmissionPolicyURL, func(w io.Writer) error {
			_, err := io.WriteString(w, redact.URL(cfg.App.PrivacyPolicyURL)+"\n")
			return err
		}},
		{report.SubmissionChecklist, func(w io.Writer) error {
			return report.ChecklistMarkdown(w, cfg, rep, fields, filepath.Base(video), time.Now())
		}},
	}
	for _, f := range files {
		path := filepath.Join(out, f.name)
		if err := outfile.Write(path, f.write); err != nil {
			return nil, &checks.CannotRunError{What: "write " + path, Err: err}
		}
	}
	if cfg.App.PrivacyPolicyURL == "" {
		fmt.Fprintf(env.Progress, "pinready: app.privacy_policy_url is not set; %s is empty\n", report.SubmissionPolicyURL)
	}
	return &PackResult{Out: out, Video: filepath.Base(video), Report: rep, Fields: fields}, nil
}

// sameDir reports whether two paths name the same directory, through a
// link too.
func sameDir(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	if err1 == nil && err2 == nil {
		return os.SameFile(fa, fb)
	}
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
		if fi, err := os.Lstat(p); err == nil && fi.Mode().IsRegular() && fi.Size() > 0 {
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
func readReports(progress io.Writer, dir, app string) ([]*checks.Report, error) {
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
		if rep.CutShort {
			fmt.Fprintf(progress, "pinready: %s is from a run that never finished (cut short); not used\n", p)
			continue
		}
		if rep.App.Name != app {
			fmt.Fprintf(progress, "pinready: %s is a report on %q, not %q; not used\n", p, rep.App.Name, app)
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
	for _, g := range Groups {
		if slices.ContainsFunc(g.Rules, func(id string) bool { return !judged[id] }) {
			missing = append(missing, g.Name)
		}
	}
	return missing
}

// combineReports keeps, for each rule, the most telling finding among the
// reports: a failure over an error over a pass over a skip, the first report
// on ties. Rules no report judged are skipped with a reason.
func combineReports(env Env, cfg *checks.Config, reports []*checks.Report, artifacts []checks.Artifact) *checks.Report {
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
	for _, g := range append(GroupNames(), "record") {
		why[g] = "no report in the pack judged this rule"
	}
	// No config here: each finding keeps the location its run gave it.
	findings = env.Rules.Complete(findings, nil, nil, why)
	findings = checks.ApplyIgnores(findings, cfg, time.Now())
	return checks.NewReport(env.Tool, checks.AppRef{Name: cfg.App.Name, Config: cfg.File}, findings, artifacts)
}
