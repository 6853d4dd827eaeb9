package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/example"
	"github.com/pinready/pinready/internal/pipeline"
	"github.com/pinready/pinready/report"
)

// ExampleOptions are the flags of `pinready example`.
type ExampleOptions struct {
	Out      string
	NoRecord bool
	// Stack is how the sample app is built: "go" (a server-rendered app on
	// golang.org/x/oauth2, whose callback serves the dashboard) or "authjs"
	// (a Next.js app on Auth.js, whose callback answers 302, as most OAuth
	// libraries do: the video then shows that redirect hop), or "terminal"
	// (an app with no web page: a script runs the flow from a terminal).
	Stack string
	// FFmpeg is --ffmpeg (PINREADY_FFMPEG): the encoder of the recording.
	FFmpeg string
}

func newExampleCommand(e *env) *cli.Command {
	opts := &ExampleOptions{}
	return &cli.Command{
		Name:  "example",
		Usage: "offline: serve the sample app and a fake Pinterest, then run the full check and record the demo",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "out", Value: "example-out", Usage: "where to write pinready.yaml, the reports and the video", Destination: &opts.Out},
			&cli.BoolFlag{Name: "no-record", Usage: "run the check only", Destination: &opts.NoRecord},
			enumFlag(&cli.StringFlag{Name: "stack", Value: "go", Usage: "how the sample app is built: go (its callback serves the dashboard), authjs (its callback redirects, as Auth.js, Passport and most OAuth libraries do) or terminal (no web flow: a Python script runs the OAuth flow from a terminal)"},
				&opts.Stack, example.StackNames),
			ffmpegFlag(&opts.FFmpeg),
		}, verbosityFlags(toolsVerbose)...),
		Before: e.beforeProgress(&opts.FFmpeg),
		Action: func(c *cli.Context) error { return e.runExample(c.Context, opts) },
	}
}

// runExample serves the example world and runs check, record and pack on
// it, as a user would run the three commands (each step prints the command
// line that does the same on its own).
func (e *env) runExample(ctx context.Context, opts *ExampleOptions) error {
	stack := example.Stacks[cmp.Or(opts.Stack, "go")] // --stack checked it
	out := opts.Out
	if err := os.MkdirAll(out, 0o755); err != nil {
		return &checks.CannotRunError{What: "create --out directory", Err: err}
	}
	w, err := example.Start(example.Options{Stack: stack})
	if err != nil {
		return &checks.CannotRunError{What: "start the sample app and the fake Pinterest", Err: err}
	}
	defer w.Close()
	cfgPath := filepath.Join(out, "pinready.yaml")
	if err := os.WriteFile(cfgPath, []byte(w.Config()), 0o644); err != nil {
		return &checks.CannotRunError{What: "write " + cfgPath, Err: err}
	}
	if err := w.WriteFiles(out); err != nil {
		return &checks.CannotRunError{What: "write the terminal script into " + out, Err: err}
	}
	// The terminal script's app secret comes from pinready's environment
	// (value_env), as a user's would: the example puts it there.
	e.Getenv = w.Getenv(e.Getenv)
	fmt.Fprintf(e.Stderr, "pinready: sample app at %s, fake Pinterest at %s (both on loopback)\n", w.AppURL, w.AuthorizeURL)
	cfg, err := checks.LoadConfig(cfgPath)
	if err != nil {
		return err
	}
	rs, err := e.loadRules("")
	if err != nil {
		return err
	}
	m, err := parseResolve(w.ResolveFlags())
	if err != nil {
		return err
	}
	resolveArgs := ""
	for _, r := range w.ResolveFlags() {
		resolveArgs += " --resolve " + r
	}
	const timeout = 15 * time.Second
	audit := pipeline.CheckOptions{Resolve: m, Timeout: timeout, Render: "auto", Evidence: filepath.Join(out, "evidence")}
	formats := []string{"text", "json", "html", "markdown", "junit", "sarif"}
	fmt.Fprintf(e.Stderr, "pinready: pinready check --config %s --format %s --output-dir %s --evidence %s%s\n",
		cfgPath, strings.Join(formats, ","), out, audit.Evidence, resolveArgs)
	results, err := pipeline.Check(ctx, e.pipelineEnv(rs), []*checks.Config{cfg}, audit)
	if err != nil {
		return err
	}
	rep := results[0].Report
	if err := e.writeReports(rep, rs, reportOutput{formats: formats, dir: out}); err != nil {
		return err
	}
	checkErr := afterReports(ctx, results[0].Err, checks.FailOnBlocker, rep)
	if checkErr != nil && !errors.Is(checkErr, errFindings) {
		return checkErr
	}
	if err := e.writeReports(rep, rs, reportOutput{formats: []string{"text"}}); err != nil {
		return err
	}
	if !opts.NoRecord {
		ro := pipeline.RecordOptions{Out: out, Pace: time.Second, Timeout: timeout, Resolve: m, FFmpeg: opts.FFmpeg}
		fmt.Fprintf(e.Stderr, "pinready: pinready record --config %s --out %s --pace 1s%s\n", cfgPath, out, resolveArgs)
		res, err := e.record(ctx, rs, cfg, ro, false)
		if err != nil {
			return err
		}
		if err := afterReports(ctx, nil, checks.FailOnBlocker, res.Report); err != nil {
			return err
		}
		po := pipeline.PackOptions{From: out, Out: filepath.Join(out, "submission"), FailOn: checks.FailOnBlocker, Check: audit}
		fmt.Fprintf(e.Stderr, "pinready: pinready pack --config %s --from %s --out %s%s\n", cfgPath, po.From, po.Out, resolveArgs)
		if err := e.pack(ctx, rs, cfg, po); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.Stdout, "\nExample done. Reports: %s/report.{txt,json,html,md,junit.xml,sarif}\n", out)
	if !opts.NoRecord {
		fmt.Fprintf(e.Stdout, "Demo video: %s/demo.mp4  storyboard: %s/%s  steps: %s/steps/\n", out, out, report.SubmissionStoryboard, out)
		fmt.Fprintf(e.Stdout, "Submission folder: %s/submission/ (%s, demo.mp4, %s, …)\n", out, report.SubmissionChecklist, report.SubmissionReportHTML)
	}
	return checkErr
}
