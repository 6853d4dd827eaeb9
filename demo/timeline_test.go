package demo

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"slices"
	"strings"
	"testing"
	"time"
)

// frameLog is a sink that keeps, per frame, the colour at the middle of the
// page area: enough to tell which screencast frame a tick showed.
type frameLog struct {
	l      layout
	colors []color.RGBA
}

func (f *frameLog) writeFrame(img *image.RGBA, _ image.Rectangle) error {
	p := img.Pix
	if len(p) != f.l.W*f.l.H*4 {
		panic("partial frame written")
	}
	x, y := f.l.W/2, f.l.ContentY+f.l.ContentH/3
	i := y*f.l.W*4 + x*4
	f.colors = append(f.colors, color.RGBA{p[i], p[i+1], p[i+2], p[i+3]})
	return nil
}

// named maps a sampled colour to the name of the solid page it came from.
func named(c color.RGBA) string {
	near := func(a, b uint8) bool { d := int(a) - int(b); return d > -5 && d < 5 }
	for name, want := range map[string]color.RGBA{"white": {255, 255, 255, 255}, "red": {255, 0, 0, 255}, "blue": {0, 0, 255, 255}, "green": {0, 255, 0, 255}, "title": {0xF8, 0xF9, 0xFA, 255}} {
		if near(c.R, want.R) && near(c.G, want.G) && near(c.B, want.B) {
			return name
		}
	}
	return "other"
}

func solidJPEG(t *testing.T, l layout, c color.RGBA) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, l.W, l.ContentH))
	draw.Draw(img, img.Rect, image.NewUniform(c), image.Point{}, draw.Src)
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// runStage plays events (at offsets from t0) through a stage and returns the
// frame log. Small frames keep the test fast.
func runStage(t *testing.T, fps, titleFrames int, evs []event, offsets []time.Duration) (*frameLog, *stage) {
	t.Helper()
	o := Options{Width: 320, Height: 180, FPS: fps}.withDefaults()
	l := newLayout(o)
	t0 := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	log := &frameLog{l: l}
	title := image.NewRGBA(image.Rect(0, 0, l.W, l.H))
	draw.Draw(title, title.Rect, image.NewUniform(rgb(0xF8F9FA)), image.Point{}, draw.Src)
	s := newStage(l, clock{t0: t0, fps: fps}, log, title, titleFrames, nil)
	s.ptr.Visible = false // the sample point must see the page, not the cursor
	q := newQueue()
	for i, e := range evs {
		e.at = t0.Add(offsets[i])
		q.push(e)
	}
	if !s.run(q) {
		t.Fatal("stage did not reach evFinish")
	}
	return log, s
}

func TestClockFramesBefore(t *testing.T) {
	c := clock{t0: time.Unix(100, 0), fps: 30}
	for _, tt := range []struct {
		d    time.Duration
		want int
	}{{0, 0}, {-time.Second, 0}, {time.Nanosecond, 1}, {time.Second, 30}, {time.Second + time.Nanosecond, 31}, {2500 * time.Millisecond, 75}, {time.Hour, 108000}} {
		if got := c.framesBefore(c.t0.Add(tt.d)); got != tt.want {
			t.Errorf("framesBefore(t0+%v) = %d, want %d", tt.d, got, tt.want)
		}
		// framesBefore agrees with the ticks at() produces.
		if n := c.framesBefore(c.t0.Add(tt.d)); n > 0 && tt.d > 0 && (!c.at(n-1).Before(c.t0.Add(tt.d)) || c.at(n).Before(c.t0.Add(tt.d))) {
			t.Errorf("at() and framesBefore disagree at %v", tt.d)
		}
	}
}

// Frames are held until the next by timestamp: the video has one frame per
// tick of the flow's wall time, whatever the number of screencast frames.
func TestTimelineHoldsFramesByTimestamp(t *testing.T) {
	l := newLayout(Options{Width: 320, Height: 180}.withDefaults())
	red, blue, green := solidJPEG(t, l, color.RGBA{255, 0, 0, 255}), solidJPEG(t, l, color.RGBA{0, 0, 255, 255}), solidJPEG(t, l, color.RGBA{0, 255, 0, 255})
	ms := time.Millisecond
	log, s := runStage(t, 30, 5, []event{
		{kind: evTabOpen, tab: 1, s1: "http://acme.test/"},
		{kind: evFrame, tab: 1, jpeg: red},
		{kind: evFrame, tab: 1, jpeg: blue},
		{kind: evFrame, tab: 1, jpeg: green}, // 3 ms later: never shown alone
		{kind: evFrame, tab: 1, jpeg: red},
		{kind: evFinish},
	}, []time.Duration{0, 100 * ms, 1050 * ms, 1053 * ms, 1055 * ms, 2000 * ms})

	if want := 5 + 60; len(log.colors) != want || s.frames != want {
		t.Fatalf("wrote %d frames (stage counted %d), want %d: 5 title + 2 s at 30 fps", len(log.colors), s.frames, want)
	}
	// Tick k of the flow is at k/30 s; an event at t shows from the first tick at or after t.
	want := func(k int) string {
		switch {
		case k < 5:
			return "title"
		case k-5 < 3: // ticks at 0, 33, 67 ms: before the first frame
			return "white"
		case k-5 < 32: // 100 ms .. 1033 ms
			return "red"
		}
		return "red" // from 1067 ms: the last of the three frames at 1050..1055 ms
	}
	for k, c := range log.colors {
		if got := named(c); got != want(k) {
			t.Errorf("frame %d shows %s (%v), want %s", k, got, c, want(k))
		}
	}
}

// Blue and green arrive between two ticks: neither is ever shown, and
// neither is decoded (decoding only what a tick shows keeps up with 60 Hz
// screencasts).
func TestTimelineSwitchesTabsAndKeepsHiddenFrames(t *testing.T) {
	l := newLayout(Options{Width: 320, Height: 180}.withDefaults())
	red, blue, green := solidJPEG(t, l, color.RGBA{255, 0, 0, 255}), solidJPEG(t, l, color.RGBA{0, 0, 255, 255}), solidJPEG(t, l, color.RGBA{0, 255, 0, 255})
	ms := time.Millisecond
	log, _ := runStage(t, 10, 0, []event{
		{kind: evTabOpen, tab: 1},
		{kind: evFrame, tab: 1, jpeg: red},
		{kind: evStep, s1: "open"},
		{kind: evTabOpen, tab: 2}, // a popup: shown, blank until its first frame
		{kind: evFrame, tab: 2, jpeg: blue},
		{kind: evFrame, tab: 1, jpeg: green}, // the opener paints behind the popup
		{kind: evTabClose, tab: 2},           // back to the opener, as it is now
		{kind: evFinish},
	}, []time.Duration{0, 0, 0, 250 * ms, 450 * ms, 600 * ms, 750 * ms, 1000 * ms})
	got := ""
	for _, c := range log.colors {
		got += named(c)[:1]
	}
	// 10 fps: ticks at 0,100,...,900 ms.
	if want := "rrrwwbbbgg"; got != want {
		t.Fatalf("frames %q, want %q (r red, w blank, b popup, g opener's newer frame)", got, want)
	}
}

// A step's picture is the frame at the end of the step, and every step gets one.
func TestStepShots(t *testing.T) {
	l := newLayout(Options{Width: 320, Height: 180}.withDefaults())
	red, blue := solidJPEG(t, l, color.RGBA{255, 0, 0, 255}), solidJPEG(t, l, color.RGBA{0, 0, 255, 255})
	ms := time.Millisecond
	o := Options{Width: 320, Height: 180, FPS: 10}.withDefaults()
	log := &frameLog{l: l}
	t0 := time.Now()
	s := newStage(l, clock{t0: t0, fps: 10}, log, nil, 0, nil)
	s.ptr.Visible = false
	type shot struct {
		n             int
		name, caption string
		color         string
	}
	var shots []shot
	s.onShot = func(n int, name, caption string, img *image.RGBA) {
		c := img.RGBAAt(o.Width/2, l.ContentY+l.ContentH/3)
		shots = append(shots, shot{n, name, caption, named(c)})
	}
	q := newQueue()
	for _, e := range []event{
		{kind: evTabOpen, tab: 1, at: t0},
		{kind: evStep, s1: "one", s2: "First", at: t0},
		{kind: evFrame, tab: 1, jpeg: red, at: t0.Add(100 * ms)},
		{kind: evStep, s1: "two", s2: "Second", at: t0.Add(300 * ms)},
		{kind: evFrame, tab: 1, jpeg: blue, at: t0.Add(400 * ms)},
		{kind: evFinish, at: t0.Add(500 * ms)},
	} {
		q.push(e)
	}
	s.run(q)
	want := []shot{{1, "one", "First", "red"}, {2, "two", "Second", "blue"}}
	if len(shots) != len(want) {
		t.Fatalf("shots %v, want %v", shots, want)
	}
	for i := range want {
		if shots[i] != want[i] {
			t.Errorf("shot %d = %v, want %v", i, shots[i], want[i])
		}
	}
}

// The driver going back to a tab brings it to the front as it is now; the
// last tab closing (the driver's cleanup) leaves it on screen.
func TestTimelineRefocusAndLastTabClose(t *testing.T) {
	l := newLayout(Options{Width: 320, Height: 180}.withDefaults())
	red, blue, green := solidJPEG(t, l, color.RGBA{255, 0, 0, 255}), solidJPEG(t, l, color.RGBA{0, 0, 255, 255}), solidJPEG(t, l, color.RGBA{0, 255, 0, 255})
	ms := time.Millisecond
	log, s := runStage(t, 10, 0, []event{
		{kind: evTabOpen, tab: 1},
		{kind: evFrame, tab: 1, jpeg: red},
		{kind: evTabOpen, tab: 2},
		{kind: evFrame, tab: 2, jpeg: blue},
		{kind: evFrame, tab: 1, jpeg: green},
		{kind: evTabOpen, tab: 1}, // Tab() again for tab 1
		{kind: evTabClose, tab: 2},
		{kind: evTabClose, tab: 1}, // the last one
		{kind: evFinish},
	}, []time.Duration{0, 0, 200 * ms, 200 * ms, 300 * ms, 400 * ms, 500 * ms, 600 * ms, 800 * ms})
	got := ""
	for _, c := range log.colors {
		got += named(c)[:1]
	}
	if want := "rrbbgggg"; got != want {
		t.Fatalf("frames %q, want %q", got, want)
	}
	if len(s.tabs) != 1 || s.tabs[0].id != 1 || !s.tabs[0].gone {
		t.Fatalf("tabs after the last close: %+v", s.tabs)
	}
}

// keyLog is a sink that keeps what the window's chrome showed in each frame.
type keyLog struct {
	s    *stage
	keys []string
}

func (k *keyLog) writeFrame(*image.RGBA, image.Rectangle) error {
	k.keys = append(k.keys, k.s.comp.chromeKey)
	return nil
}

// A callback that answers 302 is drawn in the address bar from the moment
// of the hop, marked as a redirect, with the code as a fingerprint and the
// state shortened, for redirectHold; then the browser's own URL, which
// arrived meanwhile.
func TestRedirectHopShownThenRealURL(t *testing.T) {
	o := Options{Width: 320, Height: 180, FPS: 10}.withDefaults()
	l := newLayout(o)
	t0 := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	log := &keyLog{}
	s := newStage(l, clock{t0: t0, fps: 10}, log, nil, 0, nil)
	log.s = s
	ms := time.Millisecond
	q := newQueue()
	callback := "http://acme.test/api/auth/callback/pinterest?code=ABCD1234EFGH5678&state=0123456789abcdef"
	for _, e := range []event{
		{kind: evTabOpen, tab: 1, s1: "http://www.pinterest.test/oauth/?client_id=1", at: t0},
		{kind: evRedirect, s1: callback, n: 302, at: t0.Add(1000 * ms)},
		{kind: evURL, tab: 1, s1: "http://acme.test/dashboard", at: t0.Add(1100 * ms)},
		{kind: evFinish, at: t0.Add(4000 * ms)},
	} {
		q.push(e)
	}
	s.run(q)
	if len(log.keys) != 40 {
		t.Fatalf("%d frames, want 40", len(log.keys))
	}
	for k, key := range log.keys {
		at := time.Duration(k) * 100 * ms
		hop := at >= 1000*ms && at < 1000*ms+redirectHold
		switch {
		case at < 1000*ms:
			if !strings.Contains(key, "pinterest.test/oauth/") || strings.Contains(key, "redirect") {
				t.Errorf("frame at %v shows %q, want the consent page's URL", at, key)
			}
		case hop:
			if !strings.Contains(key, "acme.test/api/auth/callback/pinterest?code=ABCD…&state=012345…") || !strings.Contains(key, "redirect 302") {
				t.Errorf("frame at %v shows %q, want the hop with the code's fingerprint, marked as a redirect", at, key)
			}
			if strings.Contains(key, "ABCD1") || strings.Contains(key, "0123456") {
				t.Errorf("frame at %v shows more of the code or state than it should: %q", at, key)
			}
		default:
			if !strings.Contains(key, "acme.test/dashboard") || strings.Contains(key, "redirect") {
				t.Errorf("frame at %v shows %q, want the browser's own URL", at, key)
			}
		}
	}
	if len(s.hops) != 1 || s.hops[0].Shown != redirectHold || s.hops[0].At != 1000*ms || s.hops[0].Status != 302 ||
		s.hops[0].URL != "http://acme.test/api/auth/callback/pinterest?code=ABCD…&state=012345…" || s.hops[0].raw != "" {
		t.Errorf("hops %+v", s.hops)
	}
}

// A step's picture is its last Moment when it has one, its end otherwise.
func TestMomentIsTheStepPicture(t *testing.T) {
	o := Options{Width: 320, Height: 180, FPS: 10}.withDefaults()
	l := newLayout(o)
	red, blue, green := solidJPEG(t, l, color.RGBA{255, 0, 0, 255}), solidJPEG(t, l, color.RGBA{0, 0, 255, 255}), solidJPEG(t, l, color.RGBA{0, 255, 0, 255})
	t0 := time.Now()
	s := newStage(l, clock{t0: t0, fps: 10}, &frameLog{l: l}, nil, 0, nil)
	s.ptr.Visible = false
	var shots []string
	s.onShot = func(n int, name, caption string, img *image.RGBA) {
		shots = append(shots, name+":"+named(img.RGBAAt(l.W/2, l.ContentY+l.ContentH/3)))
	}
	ms := time.Millisecond
	q := newQueue()
	for _, e := range []event{
		{kind: evTabOpen, tab: 1, at: t0},
		{kind: evStep, s1: "one", at: t0},
		{kind: evFrame, tab: 1, jpeg: red, at: t0.Add(100 * ms)},
		{kind: evMoment, at: t0.Add(150 * ms)},
		{kind: evFrame, tab: 1, jpeg: blue, at: t0.Add(200 * ms)},
		{kind: evMoment, at: t0.Add(250 * ms)}, // the last Moment wins
		{kind: evFrame, tab: 1, jpeg: red, at: t0.Add(300 * ms)},
		{kind: evStep, s1: "two", at: t0.Add(400 * ms)},
		{kind: evFrame, tab: 1, jpeg: green, at: t0.Add(500 * ms)},
		{kind: evFinish, at: t0.Add(600 * ms)},
	} {
		q.push(e)
	}
	s.run(q)
	if want := []string{"one:blue", "two:green"}; !slices.Equal(shots, want) {
		t.Fatalf("shots %v, want %v", shots, want)
	}
}

// A click's ripple and the outline of its control belong to the page they
// were on: a new page clears them, the same page keeps them.
func TestNewPageClearsRippleAndHighlight(t *testing.T) {
	o := Options{Width: 320, Height: 180, FPS: 10}.withDefaults()
	l := newLayout(o)
	for _, navigates := range []bool{true, false} {
		t0 := time.Now()
		s := newStage(l, clock{t0: t0, fps: 10}, &frameLog{l: l}, nil, 0, nil)
		ms := time.Millisecond
		evs := []event{
			{kind: evTabOpen, tab: 1, s1: "http://acme.test/", at: t0},
			{kind: evHighlight, x: 10, y: 10, w: 80, h: 20, at: t0.Add(100 * ms)},
			{kind: evClick, x: 50, y: 20, at: t0.Add(200 * ms)},
		}
		if navigates {
			evs = append(evs, event{kind: evURL, tab: 1, s1: "http://www.pinterest.test/oauth/", at: t0.Add(300 * ms)})
		} else {
			evs = append(evs, event{kind: evURL, tab: 1, s1: "http://acme.test/", at: t0.Add(300 * ms)})
		}
		q := newQueue()
		for _, e := range append(evs, event{kind: evFinish, at: t0.Add(350 * ms)}) {
			q.push(e)
		}
		s.run(q)
		if cleared := s.ptr.ClickAt.IsZero() && s.comp.mark.Empty(); cleared != navigates {
			t.Errorf("navigated %t: ripple at %v, outline %v; want them cleared only by a new page", navigates, s.ptr.ClickAt, s.comp.mark)
		}
	}
}

// A Moment that comes before the new page's first frame reached the video
// is taken with that frame, not with the page before.
func TestMomentWaitsForTheNewPage(t *testing.T) {
	o := Options{Width: 320, Height: 180, FPS: 10}.withDefaults()
	l := newLayout(o)
	red, green := solidJPEG(t, l, color.RGBA{255, 0, 0, 255}), solidJPEG(t, l, color.RGBA{0, 255, 0, 255})
	t0 := time.Now()
	s := newStage(l, clock{t0: t0, fps: 10}, &frameLog{l: l}, nil, 0, nil)
	s.ptr.Visible = false
	var shots []string
	s.onShot = func(n int, name, caption string, img *image.RGBA) {
		shots = append(shots, name+":"+named(img.RGBAAt(l.W/2, l.ContentY+l.ContentH/3)))
	}
	ms := time.Millisecond
	q := newQueue()
	for _, e := range []event{
		{kind: evTabOpen, tab: 1, s1: "http://www.pinterest.test/oauth/", at: t0},
		{kind: evFrame, tab: 1, jpeg: red, at: t0.Add(50 * ms)},
		{kind: evStep, s1: "callback", at: t0.Add(100 * ms)},
		{kind: evURL, tab: 1, s1: "http://acme.test/oauth/callback?code=x", at: t0.Add(150 * ms)},
		{kind: evMoment, at: t0.Add(200 * ms)},
		{kind: evFrame, tab: 1, jpeg: green, at: t0.Add(190 * ms)}, // painted before the Moment, arrived after it
		{kind: evStep, s1: "next", at: t0.Add(400 * ms)},
		{kind: evURL, tab: 1, s1: "http://acme.test/elsewhere", at: t0.Add(450 * ms)},
		{kind: evMoment, at: t0.Add(500 * ms)}, // its page never paints: the step's end
		{kind: evFinish, at: t0.Add(700 * ms)},
	} {
		q.push(e)
	}
	s.run(q)
	if want := []string{"callback:green", "next:green"}; !slices.Equal(shots, want) {
		t.Fatalf("shots %v, want %v", shots, want)
	}
}
