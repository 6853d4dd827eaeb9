package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/report"
)

// MergeOptions are the flags and arguments of `pinready merge`.
type MergeOptions struct {
	Summaries []string // the shards' summaries (summary.json, or check's JSON on stdout)
	RulesFile string
	FailOn    checks.FailOn
	Output    reportOutput
}

func newMergeCommand(e *env) *cli.Command {
	opts := &MergeOptions{}
	return &cli.Command{
		Name:      "merge",
		Usage:     "combine the summaries of `check --shard K/N` (one per shard) into one run's summary and reports, with its exit code",
		ArgsUsage: "SUMMARY.json…",
		Flags: []cli.Flag{
			formatFlag(&opts.Output.formats), outputFlag(&opts.Output.file), outputDirFlag(&opts.Output.dir),
			failOnFlag(&opts.FailOn), rulesFlag(&opts.RulesFile), noColorFlag(&opts.Output.noColor),
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "list every rule on its own line in the human formats"},
		},
		Action: func(c *cli.Context) error {
			opts.Output.verbose = isSet(c, "verbose")
			if err := opts.Output.check(); err != nil {
				return err
			}
			if !c.Args().Present() {
				return &checks.UsageError{Msg: "merge: name the summaries to merge (each shard's summary.json)"}
			}
			opts.Summaries = c.Args().Slice()
			return e.runMerge(c.Context, opts)
		},
	}
}

// runMerge reads the shards' summaries, puts every app back in its place
// in the run, and writes what one `check` over all the configs writes, in
// every format asked for, ending with that run's exit code.
func (e *env) runMerge(ctx context.Context, opts *MergeOptions) error {
	rs, err := e.loadRules(opts.RulesFile)
	if err != nil {
		return err
	}
	if err := checkManyOutput(opts.Output); err != nil {
		return err
	}
	parts := make([]*report.Combined, len(opts.Summaries))
	for i, path := range opts.Summaries {
		if parts[i], err = readSummary(path); err != nil {
			return err
		}
	}
	apps, cpu, err := report.MergeShards(opts.Summaries, parts)
	if err != nil {
		return &checks.UsageError{Msg: "merge: " + err.Error()}
	}
	for i, p := range parts[1:] {
		if p.Tool != parts[0].Tool {
			fmt.Fprintf(e.Stderr, "pinready: %s was written by %s %s, %s by %s %s: merged anyway\n",
				opts.Summaries[i+1], p.Tool.Name, p.Tool.Version, opts.Summaries[0], parts[0].Tool.Name, parts[0].Tool.Version)
		}
	}
	run := manyApps{apps: apps, cpu: cpu}
	for _, a := range apps {
		switch {
		case a.Report.Interrupted:
			// One shard was stopped: as one run stopped, the reports hold
			// what finished (exit 130).
			run.err = errInterruptedAfterReport
		case a.Incomplete && run.err == nil:
			run.err = &checks.CannotRunError{What: "audit " + a.Report.App.Config,
				Err: fmt.Errorf("a selected check could not run (its report names it)")}
		}
	}
	if err := e.writeMany(rs, run, opts.Output); err != nil {
		return err
	}
	return afterReports(ctx, run.err, opts.FailOn, run.reports()...)
}

// readSummary reads one shard's summary; a file that is not one is a
// usage error naming it.
func readSummary(path string) (*report.Combined, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &checks.ConfigError{File: path, Msg: err.Error()}
	}
	var c report.Combined
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, &checks.ConfigError{File: path, Msg: "not a pinready summary: " + err.Error()}
	}
	if c.Apps == nil || c.Reports == nil {
		return nil, &checks.ConfigError{File: path, Msg: "not a pinready summary (no \"apps\" and \"reports\"): merge reads summary.json, or check's --format json of several apps"}
	}
	return &c, nil
}
