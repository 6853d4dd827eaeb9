package demo

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/outfile"
	"github.com/pinready/pinready/internal/terminal"
)

// Recorder records the flow. Its methods Tab, Step, Pointer, Click and Secret
// are oauthflow's Observer, and Highlight, Moment and Redirect its
// VideoObserver; they may be called from any goroutine and never wait for
// the encoder.
type Recorder struct {
	o        Options
	l        layout
	start    time.Time
	q        *queue
	st       *stage
	enc      *encoder
	partial  string // ffmpeg writes here (a file pinready created); renamed to final by Finish
	final    string
	stepsDir string
	ended    chan bool // the stage's result: true when it played evFinish

	mu      sync.Mutex
	tabs    []*capture
	secrets []string
	nextTab int
	steps   int
	done    bool // Finish or Abort began

	stopOnce sync.Once
	stopped  time.Time // when StopCapture ended the captures: the video's end

	shotWG sync.WaitGroup
	shotMu sync.Mutex
	shots  map[int]*shotOut
	// free holds frame-sized buffers of step pictures already written, for
	// the next ones: a recording needs two or three, however many steps.
	free chan *image.RGBA
}

type shotOut struct {
	Shot
	thumb *image.RGBA
	err   error
}

// NewRecorder starts ffmpeg and the title card. The flow's clock starts now:
// the video is the title card, then everything from this call to Finish.
func NewRecorder(ctx context.Context, o Options) (*Recorder, error) {
	o = o.withDefaults()
	if err := o.validate(); err != nil {
		return nil, err
	}
	ffmpeg, err := FindFFmpeg(o.FFmpeg)
	if err != nil {
		return nil, err
	}
	r := &Recorder{
		o:        o,
		l:        newLayout(o),
		q:        newQueue(),
		final:    filepath.Join(o.OutDir, "demo."+o.Format),
		stepsDir: filepath.Join(o.OutDir, "steps"),
		ended:    make(chan bool, 1),
		shots:    map[int]*shotOut{},
		free:     make(chan *image.RGBA, 2),
	}
	if err := outfile.MkdirNoFollow(r.stepsDir); err != nil {
		return nil, &checks.CannotRunError{What: "create the output directory", Err: err, Hint: "choose a writable --out directory"}
	}
	// Step pictures of an earlier run would mix with this run's.
	old, _ := filepath.Glob(filepath.Join(r.stepsDir, "[0-9][0-9]-*.png"))
	for _, p := range old {
		os.Remove(p)
	}
	cmd, part, err := ffmpegIntoNewFile(ctx, ffmpeg, o)
	if err != nil {
		return nil, &checks.CannotRunError{What: "create the video file", Err: err, Hint: "choose a writable --out directory"}
	}
	r.partial = part.Name()
	enc, err := startEncoder(cmd)
	part.Close() // ffmpeg has its own descriptor now
	if err != nil {
		os.Remove(r.partial)
		return nil, err
	}
	r.enc = enc
	title := titleCard(r.l, newFonts(), o)
	titleFrames := int(o.TitleCard * time.Duration(o.FPS) / time.Second)
	r.start = time.Now()
	r.st = newStage(r.l, clock{t0: r.start, fps: o.FPS}, newFrameSink(enc, o), title, titleFrames, o.Secrets)
	r.st.onShot = r.shot
	newBuf := r.st.getBuf
	r.st.getBuf = func() *image.RGBA {
		select {
		case b := <-r.free:
			return b
		default:
			return newBuf()
		}
	}
	r.secrets = slices.Clone(o.Secrets)
	go func() { r.ended <- r.st.run(r.q) }()
	r.progress("recording %s (%dx%d %s, %d fps)", r.final, o.Width, o.Height, codec(o.Format), o.FPS)
	return r, nil
}

func (r *Recorder) progress(format string, args ...any) {
	if r.o.Progress != nil {
		fmt.Fprintf(r.o.Progress, "demo: "+format+"\n", args...)
	}
}

// Tab starts capturing the tab of ctx (a chromedp context): the video shows
// it until it closes, then the tab before it. Call it before the flow acts
// in the tab: it sets the viewport and installs the masking script.
func (r *Recorder) Tab(ctx context.Context) error {
	if err := r.enc.exitedEarly(); err != nil {
		return err
	}
	r.mu.Lock()
	if r.done {
		r.mu.Unlock()
		return errors.New("record tab: the recording has ended")
	}
	// The driver going back to a tab already recorded brings it to the front.
	if cc := chromedp.FromContext(ctx); cc != nil && cc.Target != nil {
		for _, c := range r.tabs {
			if c.targetID == cc.Target.TargetID && !c.closed.Load() {
				r.mu.Unlock()
				r.q.push(event{kind: evTabOpen, at: time.Now(), tab: c.id})
				return nil
			}
		}
	}
	id := r.nextTab
	r.nextTab++
	secrets := slices.Clone(r.secrets)
	r.mu.Unlock()

	c, err := startCapture(ctx, id, r.l, r.q, secrets)
	if err != nil {
		return err
	}
	r.mu.Lock()
	if r.done {
		r.mu.Unlock()
		c.close()
		return errors.New("record tab: the recording has ended")
	}
	r.tabs = append(r.tabs, c)
	missed := len(r.secrets) != len(secrets) // a Secret arrived meanwhile
	secrets = slices.Clone(r.secrets)
	r.mu.Unlock()
	if missed {
		return c.setSecrets(secrets)
	}
	return nil
}

// Step begins a step: its caption shows until the next step.
func (r *Recorder) Step(name, caption string) {
	r.mu.Lock()
	r.steps++
	n := r.steps
	r.mu.Unlock()
	r.progress("step %d %s: %s (%.1fs)", n, name, r.maskedForLog(caption), time.Since(r.start).Seconds())
	r.q.push(event{kind: evStep, at: time.Now(), s1: name, s2: caption})
}

// Pointer moves the drawn cursor to (x, y), CSS px of the shown tab.
func (r *Recorder) Pointer(x, y float64) {
	r.q.push(event{kind: evPointer, at: time.Now(), x: x, y: y})
}

// Click draws a ripple at (x, y), where the driver is about to click.
func (r *Recorder) Click(x, y float64) {
	r.q.push(event{kind: evClick, at: time.Now(), x: x, y: y})
}

// Highlight outlines the control at (x, y) of size w×h, CSS px of the shown
// tab, that the cursor is about to act on; a zero size removes the outline.
// A new step or a new page removes it too.
func (r *Recorder) Highlight(x, y, w, h float64) {
	r.q.push(event{kind: evHighlight, at: time.Now(), x: x, y: y, w: w, h: h})
}

// Moment makes the frame now the current step's picture (its step image
// and storyboard tile): the moment of its action. The last Moment of a step
// wins; a step with none is pictured at its end.
func (r *Recorder) Moment() {
	r.q.push(event{kind: evMoment, at: time.Now()})
}

// Redirect reports that the shown tab requested rawURL and got status, a
// redirect, in answer. A browser never draws such an answer, so the address
// bar shows rawURL now, marked "redirect STATUS", for a couple of seconds
// (the code as a fingerprint, the state shortened), then the browser's own
// URL again. Call it only with a URL the browser really requested.
func (r *Recorder) Redirect(rawURL string, status int) {
	r.q.push(event{kind: evRedirect, at: time.Now(), s1: rawURL, n: status})
}

// TerminalScreen is what a terminal flow's terminal shows now, masked by
// the driver (internal/terminal masks every snapshot). The terminal window
// shows the latest screen.
func (r *Recorder) TerminalScreen(sc *terminal.Screen) {
	r.q.push(event{kind: evTermScreen, at: time.Now(), term: sc})
}

// ShowTerminal brings the terminal window, titled title, to the front of
// the video until the next Tab brings a browser tab there.
func (r *Recorder) ShowTerminal(title string) {
	r.q.push(event{kind: evTermShow, at: time.Now(), s1: title})
}

// HighlightTerminal outlines cells [x0, x1) of row y of the terminal: the
// line that shows live data, as a control is outlined before a click. The
// next step removes it.
func (r *Recorder) HighlightTerminal(y, x0, x1 int) {
	r.q.push(event{kind: evTermMark, at: time.Now(), x: float64(x0), y: float64(y), w: float64(x1)})
}

// Secret registers a value that must never be shown. The pages of every
// recorded tab are re-masked before Secret returns.
func (r *Recorder) Secret(v string) {
	if v == "" {
		return
	}
	r.mu.Lock()
	if slices.Contains(r.secrets, v) {
		r.mu.Unlock()
		return
	}
	r.secrets = append(r.secrets, v)
	secrets := slices.Clone(r.secrets)
	tabs := slices.Clone(r.tabs)
	r.mu.Unlock()
	r.q.push(event{kind: evSecret, at: time.Now(), s1: v})
	for _, c := range tabs {
		c.setSecrets(secrets) // a tab that is gone shows nothing more
	}
}

func (r *Recorder) maskedForLog(s string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var m masker
	m.add(r.secrets...)
	return m.text(s)
}

// Finish ends the recording: it stops the screencasts, writes the frames up
// to now, waits for ffmpeg, and writes the step pictures and the storyboard.
// A missing or empty video is an error.
func (r *Recorder) Finish() (*Result, error) {
	r.mu.Lock()
	if r.done {
		r.mu.Unlock()
		return nil, errors.New("finish the demo video: the recording has already ended")
	}
	r.done = true
	r.mu.Unlock()

	end := r.StopCapture()
	r.progress("encoding… (flow %.1fs)", end.Sub(r.start).Seconds())
	encStart := time.Now()
	r.q.push(event{kind: evFinish, at: end})
	<-r.ended
	r.q.close()
	encErr := r.enc.close()
	r.shotWG.Wait()
	fail := func(err error) (*Result, error) {
		os.Remove(r.partial)
		return nil, err
	}
	if encErr != nil {
		return fail(encErr)
	}
	if r.st.err != nil {
		return fail(r.enc.failure(fmt.Errorf("write frames: %w", r.st.err)))
	}
	fi, err := os.Stat(r.partial)
	if err != nil || fi.Size() == 0 || r.st.frames == 0 {
		return fail(&checks.CannotRunError{What: "record the demo video", Err: errNoVideo,
			Hint: "ffmpeg exited without writing " + r.final + "; check the disk and ffmpeg's codecs (libx264, libvpx)"})
	}
	if err := outfile.Place(r.partial, r.final); err != nil {
		return fail(&checks.CannotRunError{What: "write the demo video", Err: err})
	}

	res := &Result{Video: r.final, Storyboard: filepath.Join(r.o.OutDir, "storyboard.png"),
		Width: r.o.Width, Height: r.o.Height, Frames: r.st.frames, Codec: codec(r.o.Format),
		Duration:  time.Duration(r.st.frames) * time.Second / time.Duration(r.o.FPS),
		Redirects: r.st.hops}
	if r.o.Format == "gif" {
		res.Width, res.Height = gifSize(r.o)
	}
	var story []storyShot
	for i := 1; i <= len(r.shots); i++ {
		s := r.shots[i]
		if s == nil {
			continue
		}
		if s.err != nil {
			return nil, &checks.CannotRunError{What: "write a step picture", Err: s.err}
		}
		res.Steps = append(res.Steps, s.Shot)
		story = append(story, storyShot{caption: s.Caption, thumb: s.thumb})
	}
	if err := writeStoryboard(res.Storyboard, r.l, r.o, story); err != nil {
		return nil, &checks.CannotRunError{What: "write the storyboard", Err: err}
	}
	r.progress("wrote %s (%s, %.1fs, %d frames) in %.1fs after the flow", r.final, size(fi.Size()),
		res.Duration.Seconds(), res.Frames, time.Since(encStart).Seconds())
	return res, nil
}

// StopCapture stops every tab's screencast and returns the moment the
// video ends. After it the recorder needs nothing more of the browser, so
// the caller may close the browser while Finish encodes (pipeline.Record
// does: the two overlap). Finish calls it too; only the first call stops.
func (r *Recorder) StopCapture() time.Time {
	r.stopOnce.Do(func() {
		r.mu.Lock()
		tabs := r.tabs
		r.mu.Unlock()
		var wg sync.WaitGroup
		for _, c := range tabs {
			wg.Go(c.close)
		}
		wg.Wait()
		r.stopped = time.Now()
	})
	return r.stopped
}

// Abort ends a failed or interrupted recording: ffmpeg is killed and the
// partial video removed. It does nothing after Finish, and is safe to call
// more than once or deferred.
func (r *Recorder) Abort() {
	r.mu.Lock()
	if r.done {
		r.mu.Unlock()
		return
	}
	r.done = true
	tabs := r.tabs
	r.mu.Unlock()
	for _, c := range tabs {
		c.stop()
		c.done.Wait()
	}
	r.enc.kill()
	r.q.close()
	<-r.ended
	r.shotWG.Wait()
	os.Remove(r.partial)
	r.progress("recording aborted")
}

// shot runs on the stage: it hands the step's frame to a goroutine that
// writes the PNG and keeps a thumbnail for the storyboard.
func (r *Recorder) shot(step int, name, caption string, img *image.RGBA) {
	var m masker
	m.add(r.st.mask.secrets()...)
	s := &shotOut{Shot: Shot{Name: name, Caption: m.text(caption),
		Path: filepath.Join(r.stepsDir, fmt.Sprintf("%02d-%s.png", step, slug(name)))}}
	r.shotMu.Lock()
	r.shots[step] = s
	r.shotMu.Unlock()
	r.shotWG.Go(func() {
		s.err = writePNG(s.Path, img)
		s.thumb = thumbnail(r.l, img)
		select {
		case r.free <- img:
		default:
		}
	})
}

var nonSlug = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^a-z0-9]+`) })

// slug makes a step name safe as a file name.
func slug(name string) string {
	s := strings.Trim(nonSlug().ReplaceAllString(strings.ToLower(name), "-"), "-")
	if len(s) > 40 {
		s = strings.TrimRight(s[:40], "-")
	}
	if s == "" {
		s = "step"
	}
	return s
}

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

var _ io.Writer = (*encoder)(nil)
