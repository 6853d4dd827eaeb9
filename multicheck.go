package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/browser"
)

// appResult is one app's outcome in a run over several configs.
type appResult struct {
	name   string // unique, file-system safe: the config's base name
	run    *checkRun
	report *checks.Report
	err    error // a check that could not run
}

// combined is the JSON of a run over several configs: each app's report as
// the contract gives it, and a summary of verdicts.
type combined struct {
	SchemaVersion int               `json:"schema_version"`
	Tool          checks.Tool       `json:"tool"`
	Summary       map[string]int    `json:"summary"` // apps, ready, at-risk, likely-denied, errors
	Reports       []*checks.Report  `json:"reports"`
	Outputs       map[string]string `json:"outputs,omitempty"` // app -> its report directory
}

// checkMany audits several apps concurrently with a bounded pool of workers
// sharing one browser, then writes one report per app and a combined summary.
func checkMany(ctx context.Context, e *env, c *cli.Context, base *checkRun, cfgs []*checks.Config,
	lazy *browser.Lazy, formats []string, failOn checks.FailOn) error {
	jobs := c.Int("jobs")
	if jobs < 1 {
		return &checks.UsageError{Msg: "--jobs must be at least 1"}
	}
	dir := c.String("output-dir")
	if dir == "" && c.String("output") != "" {
		return &checks.UsageError{Msg: "several configs write several reports: use --output-dir instead of --output"}
	}
	if dir == "" && formats[0] != "text" && formats[0] != "json" {
		return &checks.UsageError{Msg: "several configs with --format " + formats[0] + " need --output-dir"}
	}
	results := make([]*appResult, len(cfgs))
	names := uniqueNames(cfgs)
	var stderrMu sync.Mutex // one lock for every app's lines to stderr
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	for i, cfg := range cfgs {
		r := base.forApp(cfg)
		r.progress = &prefixWriter{mu: &stderrMu, w: e.stderr, prefix: "[" + names[i] + "] "}
		if r.evidence != "" {
			r.evidence = filepath.Join(r.evidence, names[i])
		}
		results[i] = &appResult{name: names[i], run: r}
		wg.Add(1)
		go func(res *appResult) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			res.report, res.err = res.run.audit(ctx, lazy)
		}(results[i])
	}
	wg.Wait()

	code := checks.ExitOK
	var runErr error
	for _, res := range results {
		code = max(code, res.report.ExitCode(failOn))
		if res.err != nil && runErr == nil {
			runErr = fmt.Errorf("%s: %w", res.run.cfg.File, res.err)
		}
	}
	sum := summarize(results)
	switch {
	case dir != "":
		outputs := map[string]string{}
		for _, res := range results {
			sub := filepath.Join(dir, res.name)
			if err := writeReports(e, res.report, res.run, formats, "", sub, true); err != nil {
				return err
			}
			outputs[res.name] = sub
		}
		if err := writeJSON(filepath.Join(dir, "summary.json"), combinedOf(results, sum, outputs)); err != nil {
			return &checks.CannotRunError{What: "write the summary", Err: err}
		}
		writeSummaryText(e.stderr, results)
	case formats[0] == "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(combinedOf(results, sum, nil)); err != nil {
			return &checks.CannotRunError{What: "write the report", Err: err}
		}
	default:
		for _, res := range results {
			if err := writeReports(e, res.report, res.run, formats, "", "", c.Bool("no-color")); err != nil {
				return err
			}
			fmt.Fprintln(e.stdout)
		}
		writeSummaryText(e.stdout, results)
	}
	return exitStatus(finalCode(e, ctx, runErr, code))
}

func combinedOf(results []*appResult, sum map[string]int, outputs map[string]string) *combined {
	c := &combined{SchemaVersion: checks.SchemaVersion, Tool: checks.Tool{Name: "pinready", Version: version}, Summary: sum, Outputs: outputs}
	for _, res := range results {
		c.Reports = append(c.Reports, res.report)
	}
	return c
}

func summarize(results []*appResult) map[string]int {
	sum := map[string]int{"apps": len(results), string(checks.VerdictReady): 0, string(checks.VerdictAtRisk): 0, string(checks.VerdictLikelyDenied): 0, "errors": 0}
	for _, res := range results {
		sum[string(res.report.Verdict)]++
		if res.err != nil {
			sum["errors"]++
		}
	}
	return sum
}

// writeSummaryText is the one table a person reads after a multi-app run.
func writeSummaryText(w io.Writer, results []*appResult) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "app\tconfig\tverdict\tblockers\twarnings\tpassed")
	for _, res := range results {
		s := res.report.Summary
		verdict := string(res.report.Verdict)
		if res.err != nil {
			verdict += " (incomplete)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\n", res.run.cfg.App.Name, res.run.cfg.File, verdict, s.Blocker, s.Warning, s.Passed)
	}
	tw.Flush()
}

// uniqueNames names each config by its file's base name, made unique
// against every name already taken (a.yaml, x/a.yaml and a-2.yaml).
func uniqueNames(cfgs []*checks.Config) []string {
	taken := map[string]bool{}
	names := make([]string, len(cfgs))
	for i, cfg := range cfgs {
		base := strings.TrimSuffix(filepath.Base(cfg.File), filepath.Ext(cfg.File))
		n := base
		for k := 2; taken[n]; k++ {
			n = fmt.Sprintf("%s-%d", base, k)
		}
		taken[n] = true
		names[i] = n
	}
	return names
}

// prefixWriter prefixes each progress line with the app it is about, so
// concurrent apps' lines stay readable. Every writer to the same w shares mu.
type prefixWriter struct {
	mu     *sync.Mutex
	w      io.Writer
	prefix string
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	lines := strings.SplitAfter(string(b), "\n")
	var sb strings.Builder
	for _, l := range lines {
		if l != "" {
			sb.WriteString(p.prefix + l)
		}
	}
	if _, err := io.WriteString(p.w, sb.String()); err != nil {
		return 0, err
	}
	return len(b), nil
}
