package cli

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/pipeline"
	"github.com/pinready/pinready/report"
)

// PackOptions are the flags of `pinready pack`.
type PackOptions struct {
	Config    string
	RulesFile string
	Pack      pipeline.PackOptions
}

func newPackCommand(e *env) *cli.Command {
	opts := &PackOptions{}
	p := &opts.Pack
	return &cli.Command{
		Name:  "pack",
		Usage: "assemble the submission folder: video, storyboard, HTML report, description, policy URL and a checklist of the upgrade form",
		Flags: append([]cli.Flag{
			configFlag(&opts.Config),
			&cli.StringFlag{Name: "from", Usage: "where `pinready record` wrote the video (default: demo.out of the config)", Destination: &p.From},
			&cli.StringFlag{Name: "out", Usage: "the submission folder to write (default: FROM/submission)", Destination: &p.Out},
			resolveFlag(&p.Check.Resolve), allowPrivateFlag(&p.Check.AllowPrivate), timeoutFlag(&p.Check.Timeout),
			rulesFlag(&opts.RulesFile), failOnFlag(&p.FailOn),
		}, verbosityFlags(toolsVerbose)...),
		Before: e.beforeProgress(nil),
		Action: func(c *cli.Context) error { return e.runPack(c.Context, opts) },
	}
}

func (e *env) runPack(ctx context.Context, opts *PackOptions) error {
	cfg, rs, err := e.loadApp(ctx, opts.Config, opts.RulesFile, func(cfg *checks.Config) (outputFolder, error) {
		return packFolder(cfg, opts.Pack)
	})
	if err != nil {
		return err
	}
	return e.pack(ctx, rs, cfg, opts.Pack)
}

// pack writes the submission folder and prints its checklist.
func (e *env) pack(ctx context.Context, rs *checks.Ruleset, cfg *checks.Config, o pipeline.PackOptions) error {
	res, err := pipeline.Pack(ctx, e.pipelineEnv(rs), cfg, o)
	if err != nil {
		return err
	}
	for _, name := range []string{report.SubmissionReportHTML, report.SubmissionReportJSON} {
		fmt.Fprintf(e.Stderr, "pinready: wrote %s\n", filepath.Join(res.Out, name))
	}
	// The checklist quotes the config: printed safe for a terminal.
	fmt.Fprintf(e.Stdout, "Submission folder %s: %s\n", report.Printable(res.Out), report.VerdictLine(res.Report))
	for _, f := range res.Fields {
		fmt.Fprintf(e.Stdout, "  %s %-22s %s\n", f.Mark(), f.Name, report.Printable(f.Summary()))
	}
	fmt.Fprintf(e.Stdout, "Upload %s with the form; %s lists each field, %s has the details.\n", report.Printable(res.Video), report.SubmissionChecklist, report.SubmissionReportHTML)
	return afterReports(ctx, nil, o.FailOn, res.Report)
}

// packFolder is the submission folder pack writes, refused when it is
// the --from folder (through a link too): written next to what record
// wrote, never over it.
func packFolder(cfg *checks.Config, o pipeline.PackOptions) (outputFolder, error) {
	from := namedPath{"--from", o.From}
	if from.path == "" {
		from = namedPath{"demo.out", cfg.Demo.Out}
	}
	out := namedPath{"--out", o.Out}
	if out.path == "" {
		out = namedPath{"--out (default)", filepath.Join(from.path, "submission")}
	}
	if sameFolder(from.path, out.path) {
		return outputFolder{}, &checks.UsageError{Msg: fmt.Sprintf("%s %s is the %s folder %s: --out must differ from --from, the submission folder is written next to, not over, what record wrote",
			out.flag, out.path, from.flag, from.path)}
	}
	names := []string{report.SubmissionStoryboard, report.SubmissionReportHTML, report.SubmissionReportJSON,
		report.SubmissionDescription, report.SubmissionPolicyURL, report.SubmissionChecklist, "demo.mp4", "demo.webm", "demo.gif"}
	return outputFolder{namedPath: out, names: names}, nil
}
