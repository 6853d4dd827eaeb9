package cli

import (
	"context"
	"fmt"
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
	opts := &RecordOptions{}
	r := &opts.Record
	return &cli.Command{
		Name:  "record",
		Usage: "drive the OAuth flow and record the demo video reviewers ask for",
		Flags: append([]cli.Flag{
			configFlag(&opts.Config),
			&cli.StringFlag{Name: "out", Usage: "output directory (default: demo.out of the config)", Destination: &r.Out},
			enumFlag(&cli.StringFlag{Name: "video", Usage: "mp4, webm or gif (default: demo.video of the config)"}, &r.Video, checks.VideoFormats),
			&cli.DurationFlag{Name: "pace", Value: 1500 * time.Millisecond, Usage: "how long each step stays on screen", Destination: &r.Pace,
				Action: func(_ *cli.Context, d time.Duration) error {
					if d < 0 {
						return &checks.UsageError{Msg: "--pace must not be negative"}
					}
					return nil
				}},
			resolveFlag(&r.Resolve), allowPrivateFlag(&r.AllowPrivate), timeoutFlag(&r.Timeout), rulesFlag(&opts.RulesFile), failOnFlag(&opts.FailOn),
			&cli.BoolFlag{Name: "headful", Usage: "show the browser window while recording", Destination: &r.Headful},
			&cli.BoolFlag{Name: "no-color", Usage: "no colour in the text summary", Destination: &opts.NoColor},
			ffmpegFlag(&r.FFmpeg),
		}, verbosityFlags(toolsVerbose)...),
		Before: e.beforeProgress(&r.FFmpeg),
		Action: func(c *cli.Context) error { return e.runRecord(c.Context, opts) },
	}
}

func (e *env) runRecord(ctx context.Context, opts *RecordOptions) error {
	cfg, rs, err := e.loadApp(ctx, opts.Config, opts.RulesFile, func(cfg *checks.Config) (outputFolder, error) {
		out := namedPath{"--out", opts.Record.Out}
		if out.path == "" {
			out = namedPath{"demo.out", cfg.Demo.Out}
		}
		return outputFolder{namedPath: out, names: pipeline.RecordNames, subfolders: pipeline.RecordSubfolders}, nil
	})
	if err != nil {
		return err
	}
	res, err := e.record(ctx, rs, cfg, opts.Record, opts.NoColor)
	if err != nil {
		return err
	}
	return afterReports(ctx, nil, opts.FailOn, res.Report)
}

// record records and prints the report: the JSON file, the text summary
// on stdout and the video's line on stderr. The flags checked the options
// (--video, --pace, --timeout), the config its demo.video.
func (e *env) record(ctx context.Context, rs *checks.Ruleset, cfg *checks.Config, o pipeline.RecordOptions, noColor bool) (*pipeline.RecordResult, error) {
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
