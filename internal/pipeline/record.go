package pipeline

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/demo"
	"github.com/pinready/pinready/internal/browser"
	"github.com/pinready/pinready/internal/outfile"
	"github.com/pinready/pinready/internal/resolve"
	"github.com/pinready/pinready/oauthflow"
	"github.com/pinready/pinready/report"
)

// RecordOptions are the flags of `pinready record`.
type RecordOptions struct {
	Out     string // output folder (the config's demo.out when empty)
	Video   string // mp4 | webm | gif (the config's demo.video when empty)
	Pace    time.Duration
	Timeout time.Duration
	Resolve resolve.Map
	Headful bool
	// AllowPrivate (--allow-private): see CheckOptions.
	AllowPrivate bool
	// FFmpeg is the encoder (--ffmpeg, PINREADY_FFMPEG): a path, or a name
	// on PATH; "" is ffmpeg on PATH.
	FFmpeg string
}

// RecordResult is what record wrote and judged.
type RecordResult struct {
	Report     *checks.Report // also written as OUT/record.json
	Video      *demo.Result
	ReportPath string
}

// RecordRules are evaluated by Record, never by Check.
var RecordRules = []string{"demo.video"}

// RecordFile is record's report in its output folder: not report.json, which
// check's --output-dir may write into the same folder.
const RecordFile = "record.json"

// Record drives the OAuth flow while recording it, then writes the video,
// storyboard, step images, trace.json and record.json into the output
// folder, and returns its findings (oauth.* and demo.video).
func Record(ctx context.Context, env Env, cfg *checks.Config, opts RecordOptions) (*RecordResult, error) {
	out := firstNonEmpty(opts.Out, cfg.Demo.Out)
	format := firstNonEmpty(opts.Video, cfg.Demo.Video)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, &checks.CannotRunError{What: "create the output directory " + out, Err: err}
	}
	// What an earlier run wrote goes first: if this one is interrupted, no
	// older video or record.json is left beside its new step images for
	// pack to ship.
	if err := removeEarlierRecording(out); err != nil {
		return nil, &checks.CannotRunError{What: "remove the earlier recording in " + out, Err: err}
	}
	width, height, _ := cfg.Demo.Dimensions() // validated with the config
	dopts := demo.Options{
		Width: width, Height: height, Format: format, OutDir: out, FFmpeg: opts.FFmpeg,
		AppName: cfg.App.Name, AppID: cfg.App.ID, Date: time.Now(), Progress: env.Progress,
		// value_env secrets reach the recorder through Drive (Observer.Secret),
		// before the first frame of the flow.
	}
	// No browser starts for a video that no ffmpeg could encode.
	if _, err := demo.FindFFmpeg(dopts.FFmpeg); err != nil {
		return nil, err
	}
	vw, vh := demo.ViewportSize(dopts)
	policy := newEgressPolicy(env.Progress, opts.Resolve, opts.AllowPrivate, []*checks.Config{cfg})
	b, err := browser.Launch(ctx, browser.Options{Resolve: opts.Resolve, Headful: opts.Headful, Egress: policy,
		ProfileDir: cfg.OAuth.ProfileDir, Width: vw, Height: vh, DeviceScale: demo.DeviceScale(dopts)})
	if err != nil {
		return nil, err
	}
	defer b.Close()
	rec, err := demo.NewRecorder(ctx, dopts)
	if err != nil {
		return nil, err
	}
	evidence := filepath.Join(out, "evidence")
	if err := outfile.MkdirNoFollow(evidence); err != nil {
		rec.Abort()
		return nil, &checks.CannotRunError{What: "create " + evidence, Err: err}
	}
	witness := openWitness(ctx, cfg, opts.Resolve, policy, env.Progress)
	// record.json holds, at each moment, what a run killed from then on
	// leaves: cut short, with what was judged so far. A run that ends by
	// itself (an error, a signal) leaves none, as before; only the
	// finished run's replaces it.
	path := filepath.Join(out, RecordFile)
	tracePath := filepath.Join(out, "trace.json")
	finished := false
	defer func() {
		if !finished {
			os.Remove(path)
		}
	}()
	if err := writeRecordReport(path, env, cfg, nil, nil, "driving the OAuth flow"); err != nil {
		rec.Abort()
		return nil, err
	}
	trace, err := oauthflow.Drive(ctx, cfg, oauthflow.Options{
		Browser: b, Timeout: opts.Timeout, Observer: rec, Pace: opts.Pace,
		EvidenceDir: evidence, Progress: env.Progress, Getenv: env.Getenv,
	})
	noteRefusals(trace, policy.Refusals())
	readWitness(ctx, witness, trace, env.Progress)
	if err != nil || ctx.Err() != nil {
		rec.Abort()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	// The trace and the flow's findings are on disk before anything that
	// can hang: closing the browser, ffmpeg finishing the video.
	if err := outfile.WriteJSON(tracePath, trace); err != nil {
		rec.Abort()
		return nil, &checks.CannotRunError{What: "write " + tracePath, Err: err}
	}
	traceArt := checks.Artifact{Kind: "trace", Path: tracePath}
	if err := writeRecordReport(path, env, cfg, pageTextUnjudged(oauthflow.Assess(cfg, env.Rules, trace)),
		[]checks.Artifact{traceArt}, "encoding the video"); err != nil {
		rec.Abort()
		return nil, err
	}
	// Once the captures stop the browser is done with: it closes while
	// ffmpeg finishes the video, not after. The deferred b.Close above
	// waits for this one to end (Browser.Close runs once), and says if the
	// browser had to be killed.
	rec.StopCapture()
	go func() {
		if err := b.Close(); err != nil {
			fmt.Fprintf(env.Progress, "pinready: %v\n", err)
		}
	}()
	res, err := rec.Finish()
	if err != nil {
		return nil, err // a CannotRunError with ffmpeg's own words and the hint
	}
	if trace.Callback != nil {
		trace.Callback.Video = callbackInVideo(trace.Callback, res.Redirects)
	}
	findings := append(pageTextUnjudged(oauthflow.Assess(cfg, env.Rules, trace)), videoFinding(res, trace, env.Rules.Get("demo.video").Params))
	if ctx.Err() != nil { // a signal while encoding: the run did not finish
		os.Remove(res.Video)
		return nil, ctx.Err()
	}
	sum, err := fileSHA256(res.Video)
	if err != nil {
		return nil, &checks.CannotRunError{What: "read back the video " + res.Video, Err: err}
	}
	artifacts := []checks.Artifact{{Kind: "video", Path: res.Video, SHA256: sum}, {Kind: "storyboard", Path: res.Storyboard}}
	for _, s := range res.Steps {
		artifacts = append(artifacts, checks.Artifact{Kind: "screenshot", Path: s.Path})
	}
	// The trace again, now with what the video showed of the callback.
	if err := outfile.WriteJSON(tracePath, trace); err != nil {
		return nil, &checks.CannotRunError{What: "write " + tracePath, Err: err}
	}
	artifacts = append(artifacts, traceArt)
	rep := recordReport(env, cfg, findings, artifacts)
	if err := writeReport(path, "json", rep, env.Rules, cfg.File); err != nil {
		return nil, err
	}
	finished = true
	return &RecordResult{Report: rep, Video: res, ReportPath: path}, nil
}

// recordReport completes record's findings (oauth.* and demo.video) into
// its report; the other groups are check's.
func recordReport(env Env, cfg *checks.Config, findings []checks.Finding, artifacts []checks.Artifact) *checks.Report {
	completed := env.Rules.Complete(findings, cfg, map[string]bool{"oauth": true, "record": true},
		map[string]string{"privacy": "run `pinready check` for this group", "description": "run `pinready check` for this group"})
	completed = checks.ApplyIgnores(completed, cfg, time.Now())
	return checks.NewReport(env.Tool, checks.AppRef{Name: cfg.App.Name, Config: cfg.File}, completed, artifacts)
}

// writeRecordReport writes record.json as it stands while the run is
// doing something that may never end: the findings so far, every other
// rule of record's skipped as not reached, marked cut short. The finished
// run replaces it.
func writeRecordReport(path string, env Env, cfg *checks.Config, findings []checks.Finding, artifacts []checks.Artifact, doing string) error {
	notReached := "cut short: the run never finished (it was " + doing + "); this rule was not judged"
	judged := map[string]bool{}
	for _, f := range findings {
		judged[f.Rule] = true
	}
	for _, id := range append(slices.Clone(oauthflow.Rules), RecordRules...) {
		if !judged[id] {
			findings = append(findings, checks.Skip(id, "%s", notReached))
		}
	}
	rep := recordReport(env, cfg, findings, artifacts)
	rep.CutShort = true
	return writeReport(path, "json", rep, env.Rules, cfg.File)
}

// writeReport writes rep in one format to a file.
func writeReport(path, format string, rep *checks.Report, rules *checks.Ruleset, configPath string) error {
	w, err := report.New(format, report.Options{Rules: rules, ConfigPath: configPath, OutputPath: path})
	if err != nil {
		return err
	}
	if err := outfile.Write(path, func(f io.Writer) error { return w.Write(f, rep) }); err != nil {
		return &checks.CannotRunError{What: "write " + path, Err: err}
	}
	return nil
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

// callbackInVideo says what the video showed of the callback, from what the
// recorder drew, so oauth.callback claims no more than the video shows: a
// callback that answered 3xx is in the video only if the recorder drew that
// hop (the same URL, with a code when the callback had one) long enough to
// be read.
func callbackInVideo(cb *oauthflow.Callback, hops []demo.Redirect) string {
	if cb.Status < 300 || cb.Status >= 400 {
		return oauthflow.VideoPage // the page itself, under its URL
	}
	for _, h := range hops {
		if h.Shown >= oauthflow.MinHopShown && h.Status == cb.Status && sameEndpoint(h.URL, cb.URL) &&
			strings.Contains(h.URL, "code=") == cb.HasCode {
			return oauthflow.VideoRedirectHop
		}
	}
	return oauthflow.VideoNotShown
}

// sameEndpoint compares scheme, host and path, which both masked forms keep.
func sameEndpoint(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && ua.Scheme == ub.Scheme && strings.EqualFold(ua.Host, ub.Host) && ua.EscapedPath() == ub.EscapedPath()
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
