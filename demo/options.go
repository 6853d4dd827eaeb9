// Package demo records the OAuth demo video Pinterest's reviewers ask for:
// one continuous, real-time take of the flow, every frame drawn as a browser
// window with an address bar, a cursor and captions, tokens masked.
//
// A Recorder captures Chromium's screencast of each tab the OAuth driver
// hands it (it satisfies oauthflow.Observer structurally, so this package
// does not import oauthflow), composes the window around the page, and
// streams raw frames to ffmpeg as they are made.
package demo

import (
	"fmt"
	"image"
	"io"
	"math"
	"strings"
	"time"

	"github.com/pinready/pinready/checks"
)

// Options say what to record and where.
type Options struct {
	Width, Height  int           // output size; default 1920x1080
	FPS            int           // default 30
	Format         string        // "mp4" (H.264, default) | "webm" (VP9) | "gif"
	OutDir         string        // demo.<ext>, steps/NN-name.png, storyboard.png; default "."
	FFmpeg         string        // executable; default "ffmpeg" on PATH
	AppName, AppID string        // shown on the title card and storyboard
	Date           time.Time     // title card date; default today
	TitleCard      time.Duration // default 2.5s; negative means none
	Secrets        []string      // masked everywhere, with the token patterns
	Progress       io.Writer     // progress lines (stderr); nil: none
}

// Result describes what Finish wrote.
type Result struct {
	Video      string // path of demo.<ext>
	Storyboard string // path of storyboard.png
	Steps      []Shot
	// Width and Height of the video file (a GIF is scaled down).
	Width, Height int
	Frames        int           // frames written, title card included
	Duration      time.Duration // Frames / FPS
	Codec         string        // "h264", "vp9" or "gif"
	// Redirects are the hops the video drew in its address bar: URLs the
	// browser requested that answered with a redirect (Recorder.Redirect).
	Redirects []Redirect
}

// Redirect is a hop the video drew: a URL the browser really requested
// whose answer was a redirect, shown in the address bar marked as one
// ("↪ redirect 302") for Shown from At, then the browser's own URL.
type Redirect struct {
	URL    string        // as drawn: the code as a fingerprint, the state shortened
	Status int           // the 3xx answer
	At     time.Duration // from the start of the video, title card included
	Shown  time.Duration // how long the address bar showed it
	raw    string        // the URL as requested, to mask again while shown
}

// Shot is one step's picture: the composed frame at the moment of the
// step's action (Recorder.Moment), or at the end of the step when it had none.
type Shot struct {
	Name, Caption string
	Path          string // steps/NN-name.png
}

func (o Options) withDefaults() Options {
	if o.Width == 0 && o.Height == 0 {
		o.Width, o.Height = 1920, 1080
	}
	if o.FPS == 0 {
		o.FPS = 30
	}
	if o.Format == "" {
		o.Format = "mp4"
	}
	o.Format = strings.ToLower(o.Format)
	if o.OutDir == "" {
		o.OutDir = "."
	}
	if o.FFmpeg == "" {
		o.FFmpeg = "ffmpeg"
	}
	if o.Date.IsZero() {
		o.Date = time.Now()
	}
	if o.TitleCard == 0 {
		o.TitleCard = 2500 * time.Millisecond
	}
	if o.TitleCard < 0 {
		o.TitleCard = 0
	}
	return o
}

func (o Options) validate() error {
	switch o.Format {
	case "mp4", "webm", "gif":
	default:
		return &checks.UsageError{Msg: fmt.Sprintf("video format %q: want mp4, webm or gif", o.Format)}
	}
	// yuv420p (mp4, webm) needs even sizes; 320x180 is the least a caption fits in.
	if o.Width < 320 || o.Height < 180 || o.Width%2 != 0 || o.Height%2 != 0 {
		return &checks.UsageError{Msg: fmt.Sprintf("video size %dx%d: want even numbers, at least 320x180", o.Width, o.Height)}
	}
	if o.FPS < 1 || o.FPS > 60 {
		return &checks.UsageError{Msg: fmt.Sprintf("frame rate %d: want 1 to 60", o.FPS)}
	}
	return nil
}

// codec names the video codec as ffprobe reports it.
func codec(format string) string {
	switch format {
	case "webm":
		return "vp9"
	case "gif":
		return "gif"
	}
	return "h264"
}

// ViewportSize is the browser viewport, in CSS pixels, that fills the window
// below the drawn tab strip and toolbar. The page is rendered at the layout's
// scale (device pixel ratio 1.5 at 1080p), so a 1080p video shows a
// 1280-pixel-wide page – what a laptop shows – at full sharpness.
func ViewportSize(o Options) (w, h int) {
	l := newLayout(o.withDefaults())
	return l.ViewW, l.ViewH
}

// DeviceScale is the device pixel ratio pages are drawn at, so a viewport of
// ViewportSize CSS px fills the window sharp. Launch the browser with it
// (browser.Options.DeviceScale): Chromium drops the per-tab override around a
// screenshot, and frames then come back at the right scale, only off in size,
// which the recorder detects and refits.
func DeviceScale(o Options) float64 { return newLayout(o.withDefaults()).S }

// AddressBar is where the drawn address bar's text is in every frame of a
// video recorded with o, in output pixels: for tools and tests that read the
// video (OCR), as a reviewer would.
func AddressBar(o Options) image.Rectangle {
	l := newLayout(o.withDefaults())
	x0, y0, x1, y1 := omnibox(l)
	return image.Rect(int(x0+l.f(30)), int(y0), int(x1), int(y1))
}

// layout places the window's parts in output pixels. Chrome's measures at
// scale 1 are multiplied by S, which is Height/720.
type layout struct {
	W, H     int
	S        float64
	TabH     int // tab strip height
	ContentY int // top of the page area (tab strip + toolbar)
	ContentH int
	ViewW    int // browser viewport in CSS px
	ViewH    int
}

func newLayout(o Options) layout {
	s := float64(o.Height) / 720
	l := layout{W: o.Width, H: o.Height, S: s}
	l.TabH = l.px(40)
	l.ContentY = l.TabH + l.px(44)
	l.ContentH = l.H - l.ContentY
	l.ViewW = int(math.Round(float64(l.W) / s))
	l.ViewH = int(math.Round(float64(l.ContentH) / s))
	return l
}

// px scales a length given at scale 1.
func (l layout) px(v float64) int { return int(math.Round(v * l.S)) }

// f scales a length given at scale 1, unrounded, for vector drawing.
func (l layout) f(v float64) float64 { return v * l.S }

// toFrame maps a point in CSS px of the viewport to output pixels.
func (l layout) toFrame(x, y float64) (float64, float64) {
	return x * float64(l.W) / float64(l.ViewW), float64(l.ContentY) + y*float64(l.ContentH)/float64(l.ViewH)
}
