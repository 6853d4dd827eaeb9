package cli

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/pipeline"
)

// RecordOptions are the flags of `pinready record`.
type RecordOptions struct {
	Config    string
	RulesFile string
	FailOn    checks.FailOn
	NoColor   bool
	Record    pipeline.RecordOptions
}

func newRecordCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "record",
		Usage: "drive the OAuth flow and record the demo video reviewers ask for",
		Flags: append([]cli.Flag{
			configFlag(),
			&cli.StringFlag{Name: "out", Usage: "output directory (default: demo.out of the config)"},
			&cli.StringFlag{Name: "video", Usage: "mp4, webm or gif (default: demo.video of the config)"},
			&cli.DurationFlag{Name: "pace", Value: 1500 * time.Millisecond, Usage: "how long each step stays on screen"},
			resolveFlag(), allowPrivateFlag(), timeoutFlag(), rulesFlag(), failOnFlag(),
			&cli.BoolFlag{Name: "headful", Usage: "show the browser window while recording"},
			&cli.BoolFlag{Name: "no-color", Usage: "no colour in the text summary"},
			ffmpegFlag(),
		}, verbosityFlags(toolsVerbose)...),
		Action: func(c *cli.Context) error {
			failOn, err := checks.ParseFailOn(c.String("fail-on"))
			if err != nil {
				return err
			}
			m, err := parseResolve(c.StringSlice("resolve"))
			if err != nil {
				return err
			}
			opts := &RecordOptions{Config: c.String("config"), RulesFile: c.String("rules"), FailOn: failOn, NoColor: c.Bool("no-color"),
				Record: pipeline.RecordOptions{Out: c.String("out"), Video: c.String("video"), Pace: c.Duration("pace"),
					Timeout: c.Duration("timeout"), Resolve: m, Headful: c.Bool("headful"), AllowPrivate: c.Bool("allow-private"),
					FFmpeg: c.String("ffmpeg")}}
			return e.runRecord(c.Context, opts)
		},
	}
}

func (e *env) runRecord(ctx context.Context, opts *RecordOptions) error {
	cfg, err := checks.LoadConfigContext(ctx, opts.Config)
	if err != nil {
		return err
	}
	rs, err := e.loadRules(opts.RulesFile)
	if err != nil {
		return err
	}
	out := namedPath{"--out", opts.Record.Out}
	if out.path == "" {
		out = namedPath{"demo.out", cfg.Demo.Out}
	}
	if err := refuseEatenInputs([]namedPath{{"--config", cfg.File}, {"--rules", opts.RulesFile}}, nil,
		[]outputFolder{{namedPath: out, names: pipeline.RecordNames, subfolders: pipeline.RecordSubfolders}}); err != nil {
		return err
	}
	res, err := e.record(ctx, rs, cfg, opts.Record, opts.NoColor)
	if err != nil {
		return err
	}
	return afterReports(ctx, nil, opts.FailOn, res.Report)
}

// record validates the options, records, and prints the report: the JSON
// file, the text summary on stdout and the video's line on stderr.
func (e *env) record(ctx context.Context, rs *checks.Ruleset, cfg *checks.Config, o pipeline.RecordOptions, noColor bool) (*pipeline.RecordResult, error) {
	if format := firstNonEmpty(o.Video, cfg.Demo.Video); !slices.Contains([]string{"mp4", "webm", "gif"}, format) {
		return nil, &checks.UsageError{Msg: "--video " + format + ": want mp4, webm or gif"}
	}
	if o.Pace < 0 || o.Timeout <= 0 {
		return nil, &checks.UsageError{Msg: "--pace must not be negative and --timeout must be positive"}
	}
	res, err := pipeline.Record(ctx, e.pipelineEnv(rs), cfg, o)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(e.Stderr, "pinready: wrote %s\n", res.ReportPath)
	if err := e.writeReports(res.Report, rs, reportOutput{formats: []string{"text"}, noColor: noColor}); err != nil {
		return nil, err
	}
	v := res.Video
	fmt.Fprintf(e.Stderr, "pinready: video %s (%dx%d, %s, %d frames), storyboard %s\n",
		v.Video, v.Width, v.Height, v.Duration.Round(100*time.Millisecond), v.Frames, v.Storyboard)
	return res, nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
