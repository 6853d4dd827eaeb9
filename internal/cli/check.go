package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/outfile"
	"github.com/pinready/pinready/internal/pipeline"
	"github.com/pinready/pinready/report"
)

// CheckOptions are the flags of `pinready check`.
type CheckOptions struct {
	Configs   []string // files or folders of configs
	RulesFile string
	FailOn    checks.FailOn
	Output    reportOutput
	Audit     pipeline.CheckOptions
}

func newCheckCommand(e *env) *cli.Command {
	opts := &CheckOptions{}
	a := &opts.Audit
	return &cli.Command{
		Name:  "check",
		Usage: "audit the app against Pinterest's denial reasons",
		Flags: append([]cli.Flag{
			stringsFlag(&cli.StringSliceFlag{Name: "config", EnvVars: []string{"PINREADY_CONFIG"},
				Usage: "the app's pinready.yaml (default ./pinready.yaml); repeat it, or name a directory, to audit several apps"}, &opts.Configs),
			&cli.IntFlag{Name: "jobs", Value: 4, Usage: "with several configs: how many apps to audit at once", Destination: &a.Jobs},
			&cli.StringFlag{Name: "shard", Usage: "K/N: audit only part K of N of the configs (one job of a CI matrix; `pinready merge` combines the parts' summaries)",
				Action: func(_ *cli.Context, v string) (err error) {
					a.Shard, err = pipeline.ParseShard(v)
					return err
				}},
			&cli.StringSliceFlag{Name: "only", Usage: "groups to run: privacy, description, oauth (comma-separated)",
				Action: func(_ *cli.Context, v []string) (err error) {
					a.Only, err = enumList("--only", v, pipeline.GroupNames())
					return err
				}},
			formatFlag(&opts.Output.formats), outputFlag(&opts.Output.file), outputDirFlag(&opts.Output.dir),
			failOnFlag(&opts.FailOn), resolveFlag(&a.Resolve), allowPrivateFlag(&a.AllowPrivate), timeoutFlag(&a.Timeout),
			&cli.StringFlag{Name: "evidence", Usage: "write screenshots and the OAuth trace into DIR", Destination: &a.Evidence},
			rulesFlag(&opts.RulesFile),
			noColorFlag(&opts.Output.noColor),
			enumFlag(&cli.StringFlag{Name: "render", Value: "auto", Usage: "render the privacy policy in Chromium: auto (when the page needs JavaScript), always or never"},
				&a.Render, pipeline.RenderModes),
			&cli.BoolFlag{Name: "state-twice", Usage: "connect twice and check that state differs", Destination: &a.StateTwice},
			&cli.BoolFlag{Name: "headful", Usage: "show the browser window (sign in to Pinterest or solve a challenge by hand)", Destination: &a.Headful},
		}, verbosityFlags("list every rule on its own line (rules outside --only, and rules a failure kept from being judged, are otherwise summed up); "+toolsVerbose)...),
		Before: e.beforeProgress(nil),
		Action: func(c *cli.Context) error {
			if len(opts.Configs) == 0 {
				opts.Configs = []string{"pinready.yaml"}
			}
			opts.Output.verbose = isSet(c, "verbose")
			if err := opts.Output.check(); err != nil {
				return err
			}
			return e.runCheck(c.Context, opts)
		},
	}
}

func (e *env) runCheck(ctx context.Context, opts *CheckOptions) error {
	rs, err := e.loadRules(opts.RulesFile)
	if err != nil {
		return err
	}
	cfgs, err := loadConfigs(ctx, opts.Configs)
	if err != nil {
		return err
	}
	// A shard writes a summary, whatever its number of apps, for merge.
	many := len(cfgs) > 1 || opts.Audit.Shard.Sharded()
	if many {
		if opts.Audit.Jobs < 1 {
			return &checks.UsageError{Msg: "--jobs must be at least 1"}
		}
		if err := checkManyOutput(opts.Output); err != nil {
			return err
		}
	}
	if err := refuseCheckEatingInputs(cfgs, opts, many); err != nil {
		return err
	}
	// The reports are written before the browser closes (Finished), and
	// the report files hold the report as it stands before each group
	// (Checkpoint): neither a browser that will not close nor a kill
	// midway leaves the run without a report.
	var usage pipeline.Usage
	audit := opts.Audit
	audit.Usage = &usage
	audit.Checkpoint = e.checkpointWriter(rs, opts.Output, many)
	var run manyApps
	audit.Finished = func(results []*pipeline.AppResult) error {
		if !many {
			return e.writeReports(results[0].Report, rs, opts.Output)
		}
		run = manyAppsOf(results, usage, opts.Audit.Shard, len(cfgs))
		return e.writeMany(rs, run, opts.Output)
	}
	results, err := pipeline.Check(ctx, e.pipelineEnv(rs), cfgs, audit)
	if err != nil {
		return err
	}
	if !many {
		return afterReports(ctx, results[0].Err, opts.FailOn, results[0].Report)
	}
	return afterReports(ctx, run.err, opts.FailOn, run.reports()...)
}

// manyAppsOf is a run's summary from its results: each app's outcome, the
// first check that could not run, the CPU time and, for a shard, its part.
func manyAppsOf(results []*pipeline.AppResult, usage pipeline.Usage, shard pipeline.Shard, all int) manyApps {
	run := manyApps{apps: make([]report.AppOutcome, len(results)), cpu: report.NewCPUTime(usage.CPU, usage.Chromium)}
	for i, res := range results {
		run.apps[i] = report.AppOutcome{Name: res.Name, Report: res.Report, Incomplete: res.Err != nil, Timing: res.Timing}
		if res.Err != nil && run.err == nil {
			run.err = fmt.Errorf("%s: %w", res.Config.File, res.Err)
		}
	}
	if shard.Sharded() {
		run.shard = &report.ShardPart{K: shard.K, N: shard.N, Apps: all, Positions: []int{}}
		for _, res := range results {
			run.shard.Positions = append(run.shard.Positions, res.Index)
		}
	}
	return run
}

// refuseCheckEatingInputs refuses a report, summary or evidence file that
// would be a config or the rules file, or another output of the run.
func refuseCheckEatingInputs(cfgs []*checks.Config, opts *CheckOptions, many bool) error {
	var inputs []namedPath
	for _, c := range cfgs {
		inputs = append(inputs, namedPath{"--config", c.File})
	}
	inputs = append(inputs, namedPath{"--rules", opts.RulesFile})
	o := opts.Output
	var files []namedPath
	if o.dir == "" && o.file != "" {
		files = append(files, namedPath{"--output", o.file})
	}
	var folders []outputFolder
	var apps []string
	if many {
		apps = pipeline.AppNames(cfgs)
	}
	if o.dir != "" {
		dir := outputFolder{namedPath: namedPath{"--output-dir", o.dir}, subfolders: apps}
		for _, f := range o.formats {
			dir.names = append(dir.names, report.FileName(f))
		}
		if many {
			dir.names = append(dir.names, "summary.json")
		}
		folders = append(folders, dir)
	}
	if opts.Audit.Evidence != "" {
		folders = append(folders, outputFolder{namedPath: namedPath{"--evidence", opts.Audit.Evidence},
			names: pipeline.EvidenceNames, subfolders: apps})
	}
	// An output may not be another's file either (--output into the
	// evidence folder as trace.json).
	return refuseEatenInputs(append(inputs, files...), files, folders)
}

// loadConfigs reads every --config value; a directory stands for the YAML
// files in it.
func loadConfigs(ctx context.Context, values []string) ([]*checks.Config, error) {
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
		cfg, err := checks.LoadConfigContext(ctx, p)
		if err != nil {
			return nil, err
		}
		cfgs = append(cfgs, cfg)
	}
	return cfgs, nil
}

// checkManyOutput refuses outputs that cannot hold several apps' reports.
func checkManyOutput(o reportOutput) error {
	switch {
	case o.dir == "" && o.file != "":
		return &checks.UsageError{Msg: "several configs write several reports: use --output-dir instead of --output"}
	case o.dir == "" && o.formats[0] != "text" && o.formats[0] != "json":
		return &checks.UsageError{Msg: "several configs with --format " + o.formats[0] + " need --output-dir"}
	}
	return nil
}

// manyApps is a run over several configs as its summary tells it: each
// app's outcome in the run's order, the first check that could not run,
// the run's CPU time, and, for a shard, its part of the run.
type manyApps struct {
	apps  []report.AppOutcome
	err   error
	cpu   *report.CPUTime
	shard *report.ShardPart
}

// writeMany writes one report per app and the combined summary: into
// --output-dir (a folder per app and summary.json, the table on stderr), or
// on stdout (the combined JSON, or each text report then the table).
func (e *env) writeMany(rs *checks.Ruleset, run manyApps, o reportOutput) error {
	tool := checks.Tool{Name: "pinready", Version: Version}
	combined := func(outputs map[string]string) *report.Combined {
		c := report.NewCombined(tool, run.apps, outputs)
		c.CPU, c.Shard = run.cpu, run.shard
		return c
	}
	switch {
	case o.dir != "":
		outputs := map[string]string{}
		for _, a := range run.apps {
			sub := filepath.Join(o.dir, a.Name)
			if err := outfile.MkdirNoFollow(sub); err != nil {
				return &checks.CannotRunError{What: "write the report", Err: err}
			}
			if err := e.writeReports(a.Report, rs, reportOutput{formats: o.formats, dir: sub, noColor: true, verbose: o.verbose}); err != nil {
				return err
			}
			outputs[a.Name] = sub
		}
		if err := outfile.WriteJSON(filepath.Join(o.dir, "summary.json"), combined(outputs)); err != nil {
			return &checks.CannotRunError{What: "write the summary", Err: err}
		}
		report.WriteSummaryTable(e.Stderr, run.apps)
		report.WriteCPULine(e.Stderr, run.cpu)
	case o.formats[0] == "json":
		if err := combined(nil).WriteJSON(e.Stdout); err != nil {
			return &checks.CannotRunError{What: "write the report", Err: err}
		}
	default:
		for _, a := range run.apps {
			if err := e.writeReports(a.Report, rs, reportOutput{formats: o.formats, noColor: o.noColor, verbose: o.verbose}); err != nil {
				return err
			}
			fmt.Fprintln(e.Stdout)
		}
		if err := report.WriteSummaryTable(e.Stdout, run.apps); err != nil {
			return &checks.CannotRunError{What: "write the report", Err: err}
		}
		if err := report.WriteCPULine(e.Stdout, run.cpu); err != nil {
			return &checks.CannotRunError{What: "write the report", Err: err}
		}
	}
	return nil
}

// reports are the run's reports, in its order.
func (run manyApps) reports() []*checks.Report {
	reps := make([]*checks.Report, len(run.apps))
	for i, a := range run.apps {
		reps[i] = a.Report
	}
	return reps
}

// checkpointWriter writes an app's report as it stands (cut short) to the
// report files the run will write: --output-dir (a folder per app with
// several configs), or an --output that is a regular file or not there
// yet. Never stdout, a device or a FIFO: what is written there cannot be
// taken back. The finished run's reports replace these; a failed write is
// left to that final write to report.
func (e *env) checkpointWriter(rs *checks.Ruleset, o reportOutput, many bool) func(*pipeline.AppResult) {
	switch {
	case o.dir != "":
	case o.file != "":
		if fi, err := os.Stat(o.file); err == nil && !fi.Mode().IsRegular() {
			return nil
		}
	default:
		return nil
	}
	return func(res *pipeline.AppResult) {
		out := reportOutput{formats: o.formats, file: o.file, dir: o.dir, noColor: true, verbose: o.verbose, checkpoint: true}
		if many {
			out.dir = filepath.Join(o.dir, res.Name)
			if outfile.MkdirNoFollow(out.dir) != nil {
				return
			}
		}
		e.writeReports(res.Report, rs, out)
	}
}
