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
	"github.com/pinready/pinready/internal/browser"
	"github.com/pinready/pinready/internal/resolve"
	"github.com/pinready/pinready/oauthflow"
	"github.com/pinready/pinready/privacy"
	"github.com/pinready/pinready/report"
)

func checkCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "check",
		Usage: "audit the app against Pinterest's denial reasons",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "config", EnvVars: []string{"PINREADY_CONFIG"},
				Usage: "the app's pinready.yaml (default ./pinready.yaml); repeat it, or name a directory, to audit several apps"},
			&cli.IntFlag{Name: "jobs", Value: 4, Usage: "with several configs: how many apps to audit at once"},
			&cli.StringSliceFlag{Name: "only", Usage: "groups to run: privacy, description, oauth (comma-separated)"},
			&cli.StringFlag{Name: "format", Value: "text", Usage: "text, json, junit, sarif, markdown or html; several comma-separated with --output-dir"},
			&cli.StringFlag{Name: "output", Usage: "write the report to FILE instead of stdout"},
			&cli.StringFlag{Name: "output-dir", Usage: "write one report per --format into DIR (report.txt, report.json, …)"},
			failOnFlag(), resolveFlag(), timeoutFlag(),
			&cli.StringFlag{Name: "evidence", Usage: "write screenshots and the OAuth trace into DIR"},
			rulesFlag(),
			&cli.BoolFlag{Name: "no-color", Usage: "no colour in text output (NO_COLOR is honoured too)"},
			&cli.StringFlag{Name: "render", Value: "auto", Usage: "render the privacy policy in Chromium: auto (when the page needs JavaScript), always or never"},
			&cli.BoolFlag{Name: "state-twice", Usage: "connect twice and check that state differs"},
			&cli.BoolFlag{Name: "headful", Usage: "show the browser window (sign in to Pinterest or solve a challenge by hand)"},
		},
		Action: func(c *cli.Context) error { return runCheck(c.Context, e, c) },
	}
}

// checkRun is everything one audit needs, from flags and config.
type checkRun struct {
	cfg        *checks.Config
	rules      *checks.Ruleset
	only       []string // groups to run
	resolve    resolve.Map
	timeout    time.Duration
	evidence   string
	render     string
	stateTwice bool
	headful    bool
	progress   io.Writer
	getenv     func(string) string // value_env lookups (injected for tests)
}

// group is one audit `check` can run; it reports exactly the ids in rules.
type group struct {
	name  string
	rules []string
	run   func(ctx context.Context, r *checkRun, b *browser.Lazy) ([]checks.Finding, []checks.Artifact, error)
}

// groups are the --only selections, in the order they run. The rules of the
// "record" group are evaluated by `pinready record`.
var groups = []group{
	{"privacy", privacy.Rules, runPrivacy},
	{"description", checks.DescriptionRules, runDescription},
	{"oauth", oauthflow.Rules, runOAuth},
}

// recordRules are evaluated by `pinready record`, never by check.
var recordRules = []string{"demo.video"}

func groupNames() []string {
	var names []string
	for _, g := range groups {
		names = append(names, g.name)
	}
	return names
}

func runCheck(ctx context.Context, e *env, c *cli.Context) error {
	failOn, err := checks.ParseFailOn(c.String("fail-on"))
	if err != nil {
		return err
	}
	formats := splitList([]string{c.String("format")})
	for _, f := range formats {
		if !slices.Contains(report.Formats, f) {
			return &checks.UsageError{Msg: fmt.Sprintf("--format %s: want one of %s", f, strings.Join(report.Formats, ", "))}
		}
	}
	if len(formats) > 1 && c.String("output-dir") == "" {
		return &checks.UsageError{Msg: "several --format values need --output-dir"}
	}
	base, err := newCheckRun(e, c)
	if err != nil {
		return err
	}
	configs := c.StringSlice("config")
	if len(configs) == 0 {
		configs = []string{"pinready.yaml"}
	}
	cfgs, err := loadConfigs(configs)
	if err != nil {
		return err
	}
	lazy, err := sharedBrowser(ctx, base, cfgs)
	if err != nil {
		return err
	}
	defer lazy.Close()
	if len(cfgs) > 1 {
		return checkMany(ctx, e, c, base, cfgs, lazy, formats, failOn)
	}
	r := base.forApp(cfgs[0])
	rep, runErr := r.audit(ctx, lazy)
	if err := writeReports(e, rep, r, formats, c.String("output"), c.String("output-dir"), c.Bool("no-color")); err != nil {
		return err
	}
	return exitStatus(finalCode(e, ctx, runErr, rep.ExitCode(failOn)))
}

// finalCode ranks the ways a run ends: interrupted, a check that could not
// run, then the findings' own code.
func finalCode(e *env, ctx context.Context, runErr error, findings int) int {
	switch {
	case ctx.Err() != nil:
		fmt.Fprintln(e.stderr, "pinready: interrupted; the report holds what finished")
		return checks.ExitSignal
	case runErr != nil:
		fmt.Fprintf(e.stderr, "pinready: %v\n", runErr)
		return checks.ExitCannot
	}
	return findings
}

// newCheckRun reads the rules and the flags shared by every app of a run.
func newCheckRun(e *env, c *cli.Context) (*checkRun, error) {
	rs, err := loadRules(c.String("rules"))
	if err != nil {
		return nil, err
	}
	m, err := resolve.ParseAll(c.StringSlice("resolve"))
	if err != nil {
		return nil, &checks.UsageError{Msg: err.Error()}
	}
	r := &checkRun{rules: rs, resolve: m, timeout: c.Duration("timeout"), progress: e.stderr, getenv: e.getenv,
		evidence: c.String("evidence"), render: c.String("render"), stateTwice: c.Bool("state-twice"), headful: c.Bool("headful")}
	if r.timeout <= 0 {
		return nil, &checks.UsageError{Msg: "--timeout must be positive"}
	}
	if r.render == "" {
		r.render = "auto"
	}
	if !slices.Contains([]string{"auto", "always", "never"}, r.render) {
		return nil, &checks.UsageError{Msg: "--render " + r.render + ": want auto, always or never"}
	}
	r.only = splitList(c.StringSlice("only"))
	for _, g := range r.only {
		if !slices.Contains(groupNames(), g) {
			return nil, &checks.UsageError{Msg: fmt.Sprintf("--only %s: want some of %s", g, strings.Join(groupNames(), ", "))}
		}
	}
	if len(r.only) == 0 {
		r.only = groupNames()
	}
	if r.evidence != "" {
		if err := os.MkdirAll(r.evidence, 0o755); err != nil {
			return nil, &checks.CannotRunError{What: "create --evidence directory", Err: err}
		}
	}
	return r, nil
}

// forApp is the run for one config.
func (r *checkRun) forApp(cfg *checks.Config) *checkRun {
	app := *r
	app.cfg = cfg
	return &app
}

// loadConfigs reads every --config value; a directory stands for the YAML
// files in it.
func loadConfigs(values []string) ([]*checks.Config, error) {
	var paths []string
	for _, v := range values {
		fi, err := os.Stat(v)
		if err != nil || !fi.IsDir() {
			paths = append(paths, v)
			continue
		}
		for _, pattern := range []string{"*.yaml", "*.yml"} {
			found, _ := filepath.Glob(filepath.Join(v, pattern))
			paths = append(paths, found...)
		}
	}
	if len(paths) == 0 {
		return nil, &checks.UsageError{Msg: "no config: --config names no file, and the directory has no .yaml files"}
	}
	cfgs := make([]*checks.Config, 0, len(paths))
	for _, p := range paths {
		cfg, err := checks.LoadConfig(p)
		if err != nil {
			return nil, err
		}
		cfgs = append(cfgs, cfg)
	}
	return cfgs, nil
}

// sharedBrowser is the one browser of a run, started only if a group needs
// it. A signed-in profile belongs to one app, so several apps must agree on it.
func sharedBrowser(ctx context.Context, r *checkRun, cfgs []*checks.Config) (*browser.Lazy, error) {
	profile := cfgs[0].OAuth.ProfileDir
	for _, cfg := range cfgs[1:] {
		if cfg.OAuth.ProfileDir != profile {
			return nil, &checks.ConfigError{File: cfg.File, Line: cfg.Line("oauth.profile_dir"), Field: "oauth.profile_dir",
				Msg: "differs from " + cfgs[0].File + "'s; apps audited together share one browser profile: check them separately"}
		}
	}
	return browser.NewLazy(ctx, browser.Options{Resolve: r.resolve, Headful: r.headful, ProfileDir: profile}), nil
}

// loadRules reads the embedded rules and applies a user's --rules file.
func loadRules(path string) (*checks.Ruleset, error) {
	const embedded = "rules.yaml (embedded)"
	rs, err := checks.ParseRules(embedded, defaultRules)
	if err != nil {
		return nil, fmt.Errorf("embedded rules: %w", err) // a bug in the build, not the user's input
	}
	file := embedded
	if path != "" {
		file = path
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, &checks.ConfigError{File: path, Msg: err.Error()}
		}
		if err := rs.Extend(path, data); err != nil {
			return nil, err
		}
	}
	if err := rs.CompilePatterns(file); err != nil {
		return nil, err
	}
	return rs, nil
}

// audit runs the selected groups with one shared browser (started only if a
// group needs it) and returns the report. The error is the first check that
// could not run; its rules are reported as error, the rest as usual.
func (r *checkRun) audit(ctx context.Context, lazy *browser.Lazy) (*checks.Report, error) {
	var findings []checks.Finding
	var artifacts []checks.Artifact
	var firstErr error
	ran := map[string]bool{}
	for _, g := range groups {
		if !slices.Contains(r.only, g.name) || ctx.Err() != nil {
			continue
		}
		start := time.Now()
		fmt.Fprintf(r.progress, "pinready: %s…\n", g.name)
		fs, arts, err := g.run(ctx, r, lazy)
		findings = append(findings, fs...)
		artifacts = append(artifacts, arts...)
		ran[g.name] = true
		if err != nil && firstErr == nil && ctx.Err() == nil {
			firstErr = err
			for _, id := range g.rules {
				if !slices.ContainsFunc(fs, func(f checks.Finding) bool { return f.Rule == id }) {
					findings = append(findings, checks.Errorf(id, "could not run: %v", err))
				}
			}
		}
		fmt.Fprintf(r.progress, "pinready: %s done in %s\n", g.name, time.Since(start).Round(10*time.Millisecond))
	}
	why := map[string]string{"record": "evaluated by `pinready record`"}
	if ctx.Err() != nil {
		for _, g := range groups {
			if slices.Contains(r.only, g.name) && !ran[g.name] {
				why[g.name] = "interrupted before this group ran"
			}
		}
	}
	completed := r.rules.Complete(findings, r.cfg, ran, why)
	completed = checks.ApplyIgnores(completed, r.cfg, time.Now())
	return checks.NewReport(checks.Tool{Name: "pinready", Version: version},
		checks.AppRef{Name: r.cfg.App.Name, Config: r.cfg.File}, completed, artifacts), firstErr
}

func runDescription(_ context.Context, r *checkRun, _ *browser.Lazy) ([]checks.Finding, []checks.Artifact, error) {
	return checks.Describe(r.cfg, r.rules), nil, nil
}

func runPrivacy(ctx context.Context, r *checkRun, b *browser.Lazy) ([]checks.Finding, []checks.Artifact, error) {
	fs, err := privacy.Audit(ctx, r.cfg, r.rules, privacy.Options{
		Resolve: r.resolve, Browser: b, Timeout: r.timeout, Render: r.render,
		EvidenceDir: r.evidence, Progress: r.progress,
	})
	return fs, screenshots(fs), err
}

func runOAuth(ctx context.Context, r *checkRun, lazy *browser.Lazy) ([]checks.Finding, []checks.Artifact, error) {
	b, err := lazy.Get()
	if err != nil {
		return nil, nil, err
	}
	trace, err := oauthflow.Drive(ctx, r.cfg, oauthflow.Options{
		Browser: b, Timeout: r.timeout, StateTwice: r.stateTwice,
		EvidenceDir: r.evidence, Progress: r.progress, Getenv: r.getenv,
	})
	if err != nil {
		return nil, nil, err
	}
	fs := oauthflow.Assess(r.cfg, r.rules, trace)
	arts := screenshots(fs)
	if r.evidence != "" {
		path := filepath.Join(r.evidence, "trace.json")
		if err := writeJSON(path, trace); err != nil {
			return fs, arts, &checks.CannotRunError{What: "write the OAuth trace", Err: err}
		}
		arts = append(arts, checks.Artifact{Kind: "trace", Path: path})
	}
	return fs, arts, nil
}

// screenshots lists the evidence screenshots of findings as artifacts.
func screenshots(fs []checks.Finding) []checks.Artifact {
	var out []checks.Artifact
	seen := map[string]bool{}
	for _, f := range fs {
		if f.Evidence != nil && f.Evidence.Screenshot != "" && !seen[f.Evidence.Screenshot] {
			seen[f.Evidence.Screenshot] = true
			out = append(out, checks.Artifact{Kind: "screenshot", Path: f.Evidence.Screenshot})
		}
	}
	return out
}

// writeReports renders the report in each format: one format to --output or
// stdout, several into --output-dir.
func writeReports(e *env, rep *checks.Report, r *checkRun, formats []string, output, dir string, noColor bool) error {
	color := e.isTerminal && output == "" && dir == "" && !noColor && e.getenv("NO_COLOR") == ""
	for _, format := range formats {
		path := output
		if dir != "" {
			path = filepath.Join(dir, "report"+reportExt[format])
		}
		w, err := report.New(format, report.Options{Color: color, Rules: r.rules, ConfigPath: r.cfg.File, OutputPath: path})
		if err != nil {
			return &checks.UsageError{Msg: err.Error()}
		}
		if path == "" {
			if err := w.Write(e.stdout, rep); err != nil {
				return &checks.CannotRunError{What: "write the report", Err: err}
			}
			continue
		}
		if err := writeFile(path, func(f io.Writer) error { return w.Write(f, rep) }); err != nil {
			return &checks.CannotRunError{What: "write the report", Err: err}
		}
		fmt.Fprintf(e.stderr, "pinready: wrote %s\n", path)
	}
	return nil
}

// writeJSON writes v as indented JSON (the trace is masked when it is made).
func writeJSON(path string, v any) error {
	return writeFile(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	})
}

var reportExt = map[string]string{"text": ".txt", "json": ".json", "junit": ".junit.xml", "sarif": ".sarif", "markdown": ".md", "html": ".html"}

// writeFile writes through a temporary file in the same directory, so a
// failed write never leaves a half report where CI expects a whole one.
func writeFile(path string, write func(io.Writer) error) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
