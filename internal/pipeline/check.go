package pipeline

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/description"
	"github.com/pinready/pinready/internal/browser"
	"github.com/pinready/pinready/internal/egress"
	"github.com/pinready/pinready/internal/outfile"
	"github.com/pinready/pinready/internal/resolve"
	"github.com/pinready/pinready/oauthflow"
	"github.com/pinready/pinready/privacy"
	"github.com/pinready/pinready/report"
)

// CheckOptions are the flags of `pinready check` that shape an audit.
type CheckOptions struct {
	Only       []string // groups to run; empty means all
	Resolve    resolve.Map
	Timeout    time.Duration
	Evidence   string // folder for screenshots and the OAuth trace; "" for none
	Render     string // auto | always | never
	StateTwice bool
	Headful    bool
	Jobs       int // apps audited at once (several configs); 0 means 1
	// AllowPrivate (--allow-private) lets the HTTP client and the browser
	// reach internal addresses the configs and --resolve do not name.
	AllowPrivate bool
	// Shard (--shard K/N) audits only this shard's part of the configs;
	// the zero Shard audits them all.
	Shard Shard
	// Usage, when not nil, is filled with the run's CPU time (pinready's
	// and Chromium's) once every app is audited, before Finished runs.
	Usage *Usage
	// Checkpoint, if set, is handed each app's report as it stands before
	// each group runs (Report.CutShort set, the rules not yet judged
	// skipped), from the app's own goroutine. The CLI writes it to the
	// report files, so a run killed midway (out of memory, a CI job's time
	// limit) still leaves a report, marked as cut short.
	Checkpoint func(*AppResult)
	// Finished, if set, is called with every app's result once all are
	// audited and before the browser closes (which, past its bound, ends in
	// a kill): the CLI writes the reports there, so nothing that can hang
	// stands between an audit and its report. Its error is Check's.
	Finished func([]*AppResult) error
}

// AppResult is one app's audit.
type AppResult struct {
	Name   string // unique among the run's apps (every shard's), file-system safe
	Index  int    // position among the run's configs, every shard's
	Config *checks.Config
	Report *checks.Report
	Err    error // a selected check that could not run; the report holds the rest
	// Timing is where the app's wall time went. It is not evidence (it
	// changes from run to run) and stays out of the report; a run over
	// many apps shows it in its summary, to name the slow app and step.
	Timing report.Timing
}

// Group is one audit `check` can run; it reports exactly the ids in Rules.
type Group struct {
	Name  string
	Rules []string
	run   func(ctx context.Context, a *appRun) ([]checks.Finding, []checks.Artifact, error)
}

// Groups are the --only selections, in the order they run.
var Groups = []Group{
	{"privacy", privacy.Rules, runPrivacy},
	{"description", description.Rules, runDescription},
	{"oauth", oauthflow.Rules, runOAuth},
}

// GroupNames are the names --only accepts.
func GroupNames() []string {
	var names []string
	for _, g := range Groups {
		names = append(names, g.Name)
	}
	return names
}

// RenderModes are the values of --render: when the privacy policy is
// rendered in Chromium.
var RenderModes = []string{privacy.RenderAuto, privacy.RenderAlways, privacy.RenderNever}

// appRun is everything one app's audit needs.
type appRun struct {
	name    string // AppResult.Name
	env     Env
	opts    CheckOptions
	cfg     *checks.Config
	browser *browser.Lazy
	egress  *egress.Policy
	// alone: no other app is audited meanwhile, so the policy's refusals
	// during a group are this app's.
	alone bool
	// timing is filled as the groups run: each group's time, and the OAuth
	// flow's own steps in place of its group's.
	timing    report.Timing
	flowTimed bool // runOAuth put the flow's steps in timing
}

// Check audits each config with one shared browser (started only if a group
// needs it), at most opts.Jobs apps at once. With several apps, progress
// lines carry the app's name and evidence goes into a folder per app. With
// opts.Shard it audits only the shard's configs, named and audited as in one
// run over them all; a shard may have none.
func Check(ctx context.Context, env Env, cfgs []*checks.Config, opts CheckOptions) ([]*AppResult, error) {
	if len(cfgs) == 0 {
		return nil, &checks.UsageError{Msg: "no config to check"}
	}
	if len(opts.Only) == 0 {
		opts.Only = GroupNames()
	}
	if opts.Evidence != "" {
		if err := os.MkdirAll(opts.Evidence, 0o755); err != nil {
			return nil, &checks.CannotRunError{What: "create --evidence directory", Err: err}
		}
	}
	// Names and the profile rule are the whole run's, whichever shard runs.
	names := uniqueNames(cfgs)
	if err := sameProfile(cfgs); err != nil {
		return nil, err
	}
	var mine []int // positions of the configs this shard audits
	var mineCfgs []*checks.Config
	for i, cfg := range cfgs {
		if opts.Shard.Has(i) {
			mine, mineCfgs = append(mine, i), append(mineCfgs, cfg)
		}
	}
	results := make([]*AppResult, len(mine))
	if len(mine) == 0 {
		return results, finish(opts, results, nil, func() {})
	}
	policy := newEgressPolicy(env.Progress, opts.Resolve, opts.AllowPrivate, mineCfgs)
	lazy := browser.NewLazy(ctx, browser.Options{Resolve: opts.Resolve, Headful: opts.Headful, ProfileDir: cfgs[0].OAuth.ProfileDir, Egress: policy})
	closeBrowser := sync.OnceFunc(func() {
		if err := lazy.Close(); err != nil {
			fmt.Fprintf(env.Progress, "pinready: %v\n", err)
		}
	})
	defer closeBrowser()
	if len(cfgs) == 1 {
		a := &appRun{name: names[0], env: env, opts: opts, cfg: cfgs[0], browser: lazy, egress: policy, alone: true}
		rep, err := a.audit(ctx)
		results[0] = &AppResult{Name: names[0], Config: cfgs[0], Report: rep, Err: err, Timing: a.timing}
		return results, finish(opts, results, lazy, closeBrowser)
	}
	jobs := max(opts.Jobs, 1)
	var stderrMu sync.Mutex // one lock for every app's lines to the progress writer
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	for k, i := range mine {
		cfg := cfgs[i]
		a := &appRun{name: names[i], env: env, opts: opts, cfg: cfg, browser: lazy, egress: policy, alone: jobs == 1}
		a.env.Progress = &prefixWriter{mu: &stderrMu, w: env.Progress, prefix: "[" + names[i] + "] "}
		if a.opts.Evidence != "" {
			a.opts.Evidence = filepath.Join(a.opts.Evidence, names[i])
			if err := outfile.MkdirNoFollow(a.opts.Evidence); err != nil {
				return nil, &checks.CannotRunError{What: "create --evidence directory", Err: err}
			}
		}
		results[k] = &AppResult{Name: names[i], Index: i, Config: cfg}
		wg.Add(1)
		go func(res *AppResult) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			res.Report, res.Err = a.audit(ctx)
			res.Timing = a.timing
		}(results[k])
	}
	wg.Wait()
	return results, finish(opts, results, lazy, closeBrowser)
}

// finish measures the run's CPU time (with the browser still running),
// hands the results to opts.Finished, then closes the browser. lazy is nil
// when no browser was ever made (a shard with no configs).
func finish(opts CheckOptions, results []*AppResult, lazy *browser.Lazy, closeBrowser func()) error {
	if opts.Usage != nil {
		*opts.Usage = Usage{CPU: ownCPU()}
		if lazy != nil {
			*opts.Usage = measureUsage(lazy)
		}
	}
	var err error
	if opts.Finished != nil {
		err = opts.Finished(results)
	}
	closeBrowser()
	return err
}

// sameProfile holds the run to one browser profile: the run shares one
// browser, and a signed-in profile belongs to one app, so several apps must
// agree on it.
func sameProfile(cfgs []*checks.Config) error {
	profile := cfgs[0].OAuth.ProfileDir
	for _, cfg := range cfgs[1:] {
		if cfg.OAuth.ProfileDir != profile {
			return &checks.ConfigError{File: cfg.File, Line: cfg.Line("oauth.profile_dir"), Field: "oauth.profile_dir",
				Msg: "differs from " + cfgs[0].File + "'s; apps audited together share one browser profile: check them separately"}
		}
	}
	return nil
}

// audit runs the selected groups and returns the report. The error is the
// first check that could not run; its rules are reported as error, the rest
// as usual.
func (a *appRun) audit(ctx context.Context) (*checks.Report, error) {
	var findings []checks.Finding
	var artifacts []checks.Artifact
	var firstErr error
	ran := map[string]bool{}
	started := time.Now()
	defer func() { a.timing.Wall = time.Since(started) }()
	for _, g := range Groups {
		if !slices.Contains(a.opts.Only, g.Name) || ctx.Err() != nil {
			continue
		}
		a.checkpoint(findings, artifacts, ran, g.Name)
		start := time.Now()
		fmt.Fprintf(a.env.Progress, "pinready: %s…\n", g.Name)
		fs, arts, err := g.run(ctx, a)
		if !(g.Name == "oauth" && a.flowTimed) {
			// A flow that ran named its slowest step itself (runOAuth).
			a.timing.Consider(g.Name, time.Since(start))
		}
		if ctx.Err() != nil {
			// Interrupted while the group ran: what it returned was cut
			// short (pages that "did not load", a flow that "stopped"),
			// not judged. Its rules are skipped below, as not reached.
			fmt.Fprintf(a.env.Progress, "pinready: %s interrupted\n", g.Name)
			break
		}
		findings = append(findings, fs...)
		artifacts = append(artifacts, arts...)
		ran[g.Name] = true
		if err != nil && firstErr == nil && ctx.Err() == nil {
			firstErr = err
			for _, id := range g.Rules {
				if !slices.ContainsFunc(fs, func(f checks.Finding) bool { return f.Rule == id }) {
					findings = append(findings, checks.Errorf(id, "could not run: %v", err))
				}
			}
		}
		fmt.Fprintf(a.env.Progress, "pinready: %s done in %s\n", g.Name, time.Since(start).Round(10*time.Millisecond))
	}
	notReached := ""
	if ctx.Err() != nil {
		notReached = "interrupted: pinready was stopped before it judged this rule"
	}
	rep := a.report(findings, artifacts, ran, notReached)
	rep.Interrupted = ctx.Err() != nil
	return rep, firstErr
}

// report completes the findings of the groups that ran into a report: the
// selected groups that did not run are skipped with notReached ("" when
// none was left out), the others as not selected.
func (a *appRun) report(findings []checks.Finding, artifacts []checks.Artifact, ran map[string]bool, notReached string) *checks.Report {
	why := map[string]string{"record": "evaluated by `pinready record`"}
	if notReached != "" {
		for _, g := range Groups {
			if slices.Contains(a.opts.Only, g.Name) && !ran[g.Name] {
				why[g.Name] = notReached
			}
		}
	}
	completed := a.env.Rules.Complete(findings, a.cfg, ran, why)
	completed = checks.ApplyIgnores(completed, a.cfg, time.Now())
	return checks.NewReport(a.env.Tool, checks.AppRef{Name: a.cfg.App.Name, Config: a.cfg.File}, completed, artifacts)
}

// checkpoint hands opts.Checkpoint the report as it stands before group
// runs: what the finished groups judged, the rest skipped, marked cut
// short. It is the report a run killed from here on leaves behind.
func (a *appRun) checkpoint(findings []checks.Finding, artifacts []checks.Artifact, ran map[string]bool, group string) {
	if a.opts.Checkpoint == nil {
		return
	}
	rep := a.report(slices.Clone(findings), slices.Clone(artifacts), ran,
		"cut short: the run never finished (it was running the "+group+" checks); this rule was not judged")
	rep.CutShort = true
	a.opts.Checkpoint(&AppResult{Name: a.name, Config: a.cfg, Report: rep})
}

func runDescription(_ context.Context, a *appRun) ([]checks.Finding, []checks.Artifact, error) {
	return description.Audit(a.cfg, a.env.Rules), nil, nil
}

func runPrivacy(ctx context.Context, a *appRun) ([]checks.Finding, []checks.Artifact, error) {
	fs, err := privacy.Audit(ctx, a.cfg, a.env.Rules, privacy.Options{
		Resolve: a.opts.Resolve, Egress: a.egress, Browser: a.browser, Timeout: a.opts.Timeout, Render: a.opts.Render,
		EvidenceDir: a.opts.Evidence, Progress: a.env.Progress,
	})
	return fs, screenshots(fs), err
}

func runOAuth(ctx context.Context, a *appRun) ([]checks.Finding, []checks.Artifact, error) {
	b, err := a.browser.Get()
	if err != nil {
		return nil, nil, err
	}
	refusedBefore := len(a.egress.Refusals())
	witness := openWitness(ctx, a.cfg, a.opts.Resolve, a.egress, a.env.Progress)
	trace, err := oauthflow.Drive(ctx, a.cfg, oauthflow.Options{
		Browser: b, Timeout: a.opts.Timeout, StateTwice: a.opts.StateTwice,
		EvidenceDir: a.opts.Evidence, Progress: a.env.Progress, Getenv: a.env.Getenv,
	})
	if err != nil {
		return nil, nil, err
	}
	readWitness(ctx, witness, trace, a.env.Progress)
	if a.alone {
		noteRefusals(trace, a.egress.Refusals()[refusedBefore:])
	}
	if step, took, ok := trace.Slowest(); ok {
		a.timing.Consider("oauth "+step, took)
		a.flowTimed = true
	}
	fs := oauthflow.Assess(a.cfg, a.env.Rules, trace)
	arts := screenshots(fs)
	if a.opts.Evidence != "" {
		path := filepath.Join(a.opts.Evidence, "trace.json")
		if err := outfile.WriteJSON(path, trace); err != nil {
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

// AppNames are the names Check gives the apps of cfgs (AppResult.Name):
// their folders under --output-dir and --evidence.
func AppNames(cfgs []*checks.Config) []string { return uniqueNames(cfgs) }

// uniqueNames names each config by its file's base name, made safe as one
// folder name (safeName) and unique against every name already taken
// (a.yaml, x/a.yaml and a-2.yaml).
func uniqueNames(cfgs []*checks.Config) []string {
	taken := map[string]bool{}
	names := make([]string, len(cfgs))
	for i, cfg := range cfgs {
		base := safeName(strings.TrimSuffix(filepath.Base(cfg.File), filepath.Ext(cfg.File)))
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

// maxNameLen bounds a folder name derived from a config's file name.
const maxNameLen = 64

// safeName makes a name from a config file one harmless folder name under
// --output-dir and --evidence: letters, digits, '-', '_' and inner dots
// only, never "." or ".." (a config named `...yaml` would otherwise write
// its reports next to the output folder), never hidden, never empty.
func safeName(base string) string {
	var b strings.Builder
	for _, r := range base {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.':
			b.WriteRune(r)
		default:
			b.WriteRune('-')
		}
	}
	s := strings.Trim(b.String(), ".")
	if len(s) > maxNameLen {
		s = strings.ToValidUTF8(s[:maxNameLen], "")
	}
	if s == "" {
		s = "app"
	}
	return s
}
