package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/demo"
	"github.com/pinready/pinready/internal/browser"
	"github.com/pinready/pinready/internal/resolve"
	"github.com/pinready/pinready/oauthflow"
)

func recordCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "record",
		Usage: "drive the OAuth flow and record the demo video reviewers ask for",
		Flags: []cli.Flag{
			configFlag(),
			&cli.StringFlag{Name: "out", Usage: "output directory (default: demo.out of the config)"},
			&cli.StringFlag{Name: "video", Usage: "mp4, webm or gif (default: demo.video of the config)"},
			&cli.DurationFlag{Name: "pace", Value: 1500 * time.Millisecond, Usage: "how long each step stays on screen"},
			resolveFlag(), timeoutFlag(), rulesFlag(), failOnFlag(),
			&cli.BoolFlag{Name: "headful", Usage: "show the browser window while recording"},
			&cli.BoolFlag{Name: "no-color", Usage: "no colour in the text summary"},
		},
		Action: func(c *cli.Context) error { return runRecord(c.Context, e, c) },
	}
}

func runRecord(ctx context.Context, e *env, c *cli.Context) error {
	failOn, err := checks.ParseFailOn(c.String("fail-on"))
	if err != nil {
		return err
	}
	cfg, err := checks.LoadConfig(c.String("config"))
	if err != nil {
		return err
	}
	rs, err := loadRules(c.String("rules"))
	if err != nil {
		return err
	}
	m, err := resolve.ParseAll(c.StringSlice("resolve"))
	if err != nil {
		return &checks.UsageError{Msg: err.Error()}
	}
	out := firstNonEmpty(c.String("out"), cfg.Demo.Out)
	format := firstNonEmpty(c.String("video"), cfg.Demo.Video)
	if !slices.Contains([]string{"mp4", "webm", "gif"}, format) {
		return &checks.UsageError{Msg: "--video " + format + ": want mp4, webm or gif"}
	}
	if c.Duration("pace") < 0 || c.Duration("timeout") <= 0 {
		return &checks.UsageError{Msg: "--pace must not be negative and --timeout must be positive"}
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return &checks.CannotRunError{What: "create the output directory " + out, Err: err}
	}
	width, height, _ := cfg.Demo.Dimensions() // validated with the config
	opts := demo.Options{
		Width: width, Height: height, Format: format, OutDir: out,
		AppName: cfg.App.Name, AppID: cfg.App.ID, Date: time.Now(), Progress: e.stderr,
		// value_env secrets reach the recorder through Drive (Observer.Secret),
		// before the first frame of the flow.
	}
	vw, vh := demo.ViewportSize(opts)
	b, err := browser.Launch(ctx, browser.Options{Resolve: m, Headful: c.Bool("headful"),
		ProfileDir: cfg.OAuth.ProfileDir, Width: vw, Height: vh, DeviceScale: demo.DeviceScale(opts)})
	if err != nil {
		return err
	}
	defer b.Close()
	rec, err := demo.NewRecorder(ctx, opts)
	if err != nil {
		return err
	}
	trace, err := oauthflow.Drive(ctx, cfg, oauthflow.Options{
		Browser: b, Timeout: c.Duration("timeout"), Observer: rec, Pace: c.Duration("pace"),
		EvidenceDir: filepath.Join(out, "evidence"), Progress: e.stderr, Getenv: e.getenv,
	})
	if err != nil || ctx.Err() != nil {
		rec.Abort()
		if ctx.Err() != nil {
			return exitStatus(checks.ExitSignal)
		}
		return err
	}
	res, err := rec.Finish()
	if err != nil {
		return err // a CannotRunError with ffmpeg's own words and the hint
	}
	findings := append(pageTextUnjudged(oauthflow.Assess(cfg, rs, trace)), videoFinding(res, trace, rs.Get("demo.video").Params))
	artifacts := []checks.Artifact{{Kind: "video", Path: res.Video}, {Kind: "storyboard", Path: res.Storyboard}}
	for _, s := range res.Steps {
		artifacts = append(artifacts, checks.Artifact{Kind: "screenshot", Path: s.Path})
	}
	tracePath := filepath.Join(out, "trace.json")
	if err := writeJSON(tracePath, trace); err != nil {
		return &checks.CannotRunError{What: "write " + tracePath, Err: err}
	}
	artifacts = append(artifacts, checks.Artifact{Kind: "trace", Path: tracePath})
	completed := rs.Complete(findings, cfg, map[string]bool{"oauth": true, "record": true},
		map[string]string{"privacy": "run `pinready check` for this group", "description": "run `pinready check` for this group"})
	completed = checks.ApplyIgnores(completed, cfg, time.Now())
	rep := checks.NewReport(checks.Tool{Name: "pinready", Version: version},
		checks.AppRef{Name: cfg.App.Name, Config: cfg.File}, completed, artifacts)
	r := &checkRun{cfg: cfg, rules: rs}
	// record.json, not report.json: check's --output-dir may share the folder.
	if err := writeReports(e, rep, r, []string{"json"}, filepath.Join(out, "record.json"), "", true); err != nil {
		return err
	}
	if err := writeReports(e, rep, r, []string{"text"}, "", "", c.Bool("no-color")); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "pinready: video %s (%dx%d, %s, %d frames), storyboard %s\n",
		res.Video, res.Width, res.Height, res.Duration.Round(100*time.Millisecond), res.Frames, res.Storyboard)
	return exitStatus(rep.ExitCode(failOn))
}

// videoFinding judges the recorded video: written, long enough, at the
// configured size, and of the whole flow (not stopped part way).
func videoFinding(res *demo.Result, trace *oauthflow.Trace, p checks.Params) checks.Finding {
	min := time.Duration(p.Float("min_seconds") * float64(time.Second))
	switch {
	case res.Frames == 0:
		return checks.Fail("demo.video", "the video %s has no frames", res.Video)
	case res.Duration < min:
		return checks.Fail("demo.video", "the video is %s long; a reviewer needs at least %s to follow the flow", res.Duration.Round(100*time.Millisecond), min)
	case trace.Stalled != nil:
		return checks.Fail("demo.video", "the video shows only part of the flow: it stopped at step %s (%s)", trace.Stalled.Step, trace.Stalled.Reason)
	}
	return checks.Pass("demo.video", "%dx%d %s, %s, %d frames, one continuous take: %s",
		res.Width, res.Height, res.Codec, res.Duration.Round(100*time.Millisecond), res.Frames, res.Video).
		With(&checks.Evidence{Screenshot: res.Storyboard})
}

// pageTextUnjudged turns a passing oauth.token-exposure into a skip: while
// recording, the recorder masks tokens in every page before the driver reads
// its text, so a token the app prints cannot be seen here. URLs, storage,
// cookies and the console are read unmasked: a failure there still stands.
// `check` judges page text too, and pack prefers its verdict.
func pageTextUnjudged(fs []checks.Finding) []checks.Finding {
	for i, f := range fs {
		if f.Rule == "oauth.token-exposure" && f.Status == checks.StatusPass {
			fs[i] = checks.Skip(f.Rule, "no token in URLs, storage, cookies or the console; page text is masked while recording, so run `pinready check --only oauth` to judge it")
		}
	}
	return fs
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
