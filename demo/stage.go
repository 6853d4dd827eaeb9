package demo

import (
	"fmt"
	"image"
	"slices"
	"time"
)

// redirectHold is how long the address bar shows a redirect hop: a browser
// never draws a 3xx answer, so the video holds the URL it requested (with
// the code) long enough to be read, marked as a redirect, then shows where
// the browser really is.
const redirectHold = 2 * time.Second

// stage is the one goroutine that owns what the video shows: the tabs, their
// latest screencast frames, the caption, the pointer. For each event it first
// emits every tick of the frame clock before the event's time, with the state
// as it was, then applies the event; so a frame is held until the next by
// timestamp, and frames stream to the encoder as they are made.
type stage struct {
	l     layout
	clk   clock
	comp  *compositor
	sink  frameSink // to ffmpeg's stdin
	title *image.RGBA
	// titleFrames play before the flow's first tick.
	titleFrames int

	mask        masker
	tabs        []*tabView // open tabs in opening order; the last is shown
	chromeDirty bool
	step        int
	stepName    string
	caption     string
	ptr         pointer
	hop         *hopView   // the redirect hop the address bar shows, until its time is up
	hops        []Redirect // every hop drawn, for the Result

	next   int   // next flow tick
	frames int   // frames written
	err    error // first write error: later frames are dropped

	// pending is the current step's picture, copied at its last Moment;
	// nil until then (the step is then pictured at its end).
	pending *image.RGBA
	// momentWaits is set by a Moment that came before the page it meant
	// reached the video (the tab navigated, no frame of the new page yet):
	// the picture is taken with that page's first frame.
	momentWaits bool
	// getBuf gives a frame-sized buffer for a step picture: the recorder
	// hands back the buffers of pictures it has written.
	getBuf func() *image.RGBA
	// onShot receives the picture of each step (steps from 1); the buffer
	// is then the receiver's.
	onShot func(step int, name, caption string, img *image.RGBA)
}

// hopView is a redirect hop on screen.
type hopView struct {
	url         shownURL
	chip        string
	from, until time.Time
	index       int // into stage.hops
}

type tabView struct {
	id         int
	url, title string
	jpeg       []byte // latest screencast frame
	fresh      bool   // jpeg not yet decoded into the page area
	gone       bool   // closed, but the last tab: still shown
	// unpainted: the tab moved to another URL and no frame came since. The
	// browser sends a page's first frame after the navigation's event, so
	// the order of arrival says which page a frame is of.
	unpainted bool
}

func newStage(l layout, clk clock, sink frameSink, title *image.RGBA, titleFrames int, secrets []string) *stage {
	s := &stage{l: l, clk: clk, comp: newCompositor(l), sink: sink, title: title, titleFrames: titleFrames, chromeDirty: true}
	s.getBuf = func() *image.RGBA { return image.NewRGBA(image.Rect(0, 0, l.W, l.H)) }
	s.mask.add(secrets...)
	// The pointer rests right of centre until the driver moves it.
	x, y := l.toFrame(float64(l.ViewW)*0.62, float64(l.ViewH)*0.55)
	s.ptr = pointer{X: x, Y: y, Visible: true}
	return s
}

// run plays the title card, then the flow's events until evFinish or until
// the queue closes (Abort). It reports whether the flow finished.
func (s *stage) run(q *queue) bool {
	for i := range s.titleFrames {
		damage := image.Rectangle{}
		if i == 0 {
			damage = s.title.Rect
		}
		s.write(s.title, damage)
	}
	s.title = nil
	var buf []event
	for {
		var ok bool
		buf, ok = q.take(buf)
		if !ok {
			return false
		}
		for i := range buf {
			e := &buf[i]
			s.advance(e.at)
			if e.kind == evFinish {
				s.endStep(e.at)
				if s.hop != nil {
					s.endHop(e.at)
				}
				return true
			}
			s.apply(e)
			e.jpeg = nil
		}
	}
}

// advance emits the ticks before t. An event later than ticks already
// written (a frame swapped a few ms before it reached us) applies to the
// next tick.
func (s *stage) advance(t time.Time) {
	if s.err != nil { // ffmpeg is gone: skip the drawing, keep the clock
		s.next = max(s.next, s.clk.framesBefore(t))
		return
	}
	for s.clk.at(s.next).Before(t) {
		img := s.render(s.clk.at(s.next))
		s.write(img, s.comp.takeDamage())
		s.next++
	}
}

func (s *stage) write(img *image.RGBA, damage image.Rectangle) {
	if s.err != nil {
		return
	}
	if err := s.sink.writeFrame(img, damage); err != nil {
		s.err = err
		return
	}
	s.frames++
}

func (s *stage) shown() *tabView {
	if len(s.tabs) == 0 {
		return nil
	}
	return s.tabs[len(s.tabs)-1]
}

// render brings the compositor up to date and draws the frame at t.
func (s *stage) render(t time.Time) *image.RGBA {
	if s.hop != nil && !t.Before(s.hop.until) {
		s.endHop(s.hop.until)
	}
	if s.chromeDirty {
		st := chromeState{}
		for _, tv := range s.tabs {
			title := tv.title
			if title == "" {
				title = tv.url
			}
			st.Titles = append(st.Titles, s.mask.text(title))
		}
		st.Active = len(s.tabs) - 1
		if tv := s.shown(); tv != nil {
			st.URL = s.mask.displayURL(tv.url)
		}
		if s.hop != nil {
			st.URL, st.Chip = s.hop.url, s.hop.chip
		}
		s.comp.setChrome(st)
		s.chromeDirty = false
	}
	if tv := s.shown(); tv != nil && tv.fresh {
		tv.fresh = false
		// A frame that does not decode is skipped: the last good one stays.
		s.comp.setPage(tv.jpeg)
	}
	if s.comp.termOn {
		return s.comp.frame(pointer{}, t) // no mouse in a terminal
	}
	return s.comp.frame(s.ptr, t)
}

func (s *stage) tab(id int) *tabView {
	for _, tv := range s.tabs {
		if tv.id == id {
			return tv
		}
	}
	return nil
}

func (s *stage) apply(e *event) {
	switch e.kind {
	case evFrame:
		if tv := s.tab(e.tab); tv != nil {
			tv.jpeg, tv.fresh, tv.unpainted = e.jpeg, true, false
			if s.momentWaits && tv == s.shown() {
				s.momentWaits = false
				s.takeShot(e.at)
			}
		}
	case evTabOpen:
		s.pageChanged()
		s.comp.setTerminal(false, "")
		s.tabs = slices.DeleteFunc(s.tabs, func(tv *tabView) bool { return tv.gone })
		if i := slices.IndexFunc(s.tabs, func(tv *tabView) bool { return tv.id == e.tab }); i >= 0 {
			// Back to a tab already open: it comes to the front as it is now.
			tv := s.tabs[i]
			s.tabs = append(slices.Delete(s.tabs, i, i+1), tv)
			if tv.jpeg != nil {
				tv.fresh = true
			}
			s.chromeDirty = true
			return
		}
		s.tabs = append(s.tabs, &tabView{id: e.tab, url: e.s1, title: e.s2})
		s.comp.blankView() // until the new tab's first frame
		s.chromeDirty = true
	case evTabClose:
		i := slices.IndexFunc(s.tabs, func(tv *tabView) bool { return tv.id == e.tab })
		if i < 0 {
			return
		}
		s.pageChanged()
		if len(s.tabs) == 1 {
			// The last tab closing (the driver cleaning up) would close the
			// window: the video keeps showing it as it was.
			s.tabs[0].gone = true
			return
		}
		wasShown := i == len(s.tabs)-1
		s.tabs = slices.Delete(s.tabs, i, i+1)
		if tv := s.shown(); wasShown && tv != nil {
			if tv.jpeg != nil {
				tv.fresh = true
			} else {
				s.comp.blankView()
			}
		}
		s.chromeDirty = true
	case evURL:
		if tv := s.tab(e.tab); tv != nil && tv.url != e.s1 {
			tv.url, tv.unpainted = e.s1, true
			s.chromeDirty = true
			if tv == s.shown() {
				s.pageChanged()
			}
		}
	case evTitle:
		if tv := s.tab(e.tab); tv != nil && tv.title != e.s1 {
			tv.title = e.s1
			s.chromeDirty = true
		}
	case evStep:
		s.endStep(e.at)
		s.step++
		s.stepName, s.caption = e.s1, e.s2
		s.comp.setCaption(s.step, s.mask.text(e.s2))
		s.comp.setHighlight(image.Rectangle{})
		s.comp.setTerminalMark(termMark{})
	case evTermScreen:
		s.comp.setTerminalScreen(e.term)
	case evTermShow:
		s.pageChanged()
		s.comp.setTerminalMark(termMark{})
		s.comp.setTerminal(true, s.mask.text(e.s1))
	case evTermMark:
		s.comp.setTerminalMark(termMark{y: int(e.y), x0: int(e.x), x1: int(e.w), on: true})
	case evPointer:
		s.ptr.X, s.ptr.Y = s.l.toFrame(e.x, e.y)
		s.ptr.Visible = true
	case evClick:
		s.ptr.X, s.ptr.Y = s.l.toFrame(e.x, e.y)
		s.ptr.ClickX, s.ptr.ClickY, s.ptr.ClickAt = s.ptr.X, s.ptr.Y, e.at
	case evSecret:
		s.mask.add(e.s1)
		s.chromeDirty = true
		if s.hop != nil {
			s.hop.url = s.mask.hopURL(s.hops[s.hop.index].raw)
		}
		if s.caption != "" {
			s.comp.setCaption(s.step, s.mask.text(s.caption))
		}
	case evHighlight:
		s.comp.setHighlight(highlightBox(s.l, e.x, e.y, e.w, e.h))
	case evMoment:
		// The page the driver saw may not have reached the video yet: a
		// navigation whose first frame is still to come. A redirect hop is
		// pictured at once: the address bar is the point, and it is ours.
		if tv := s.shown(); s.hop == nil && !s.comp.termOn && tv != nil && tv.unpainted {
			s.momentWaits = true
		} else {
			s.momentWaits = false
			s.takeShot(e.at)
		}
	case evRedirect:
		if s.hop != nil {
			s.endHop(e.at)
		}
		u := s.mask.hopURL(e.s1)
		s.hop = &hopView{url: u, chip: fmt.Sprintf("redirect %d", e.n), from: e.at, until: e.at.Add(redirectHold), index: len(s.hops)}
		s.hops = append(s.hops, Redirect{URL: u.String(), Status: e.n,
			At: e.at.Sub(s.clk.t0) + time.Duration(s.titleFrames)*time.Second/time.Duration(s.clk.fps), raw: e.s1})
		s.chromeDirty = true
	}
}

// pageChanged clears what belonged to the page before: the ripple of a
// click that navigated, and the outline of the control it was on.
func (s *stage) pageChanged() {
	s.ptr.ClickAt = time.Time{}
	s.comp.setHighlight(image.Rectangle{})
}

// endHop puts the browser's own URL back in the address bar.
func (s *stage) endHop(at time.Time) {
	h := s.hop
	s.hops[h.index].Shown = at.Sub(h.from)
	s.hops[h.index].raw = ""
	s.hop = nil
	s.chromeDirty = true
}

// takeShot copies the frame at t as the current step's picture; a later
// Moment of the same step replaces it.
func (s *stage) takeShot(t time.Time) {
	if s.step == 0 || s.onShot == nil {
		return
	}
	img := s.render(t)
	if s.pending == nil {
		s.pending = s.getBuf()
	}
	copy(s.pending.Pix, img.Pix)
}

// endStep hands the current step's picture to onShot: its Moment, or the
// frame that closes it when it had none.
func (s *stage) endStep(t time.Time) {
	if s.step == 0 || s.onShot == nil {
		return
	}
	if s.pending == nil || s.momentWaits {
		s.takeShot(t) // no Moment, or its page never came: the step's end
	}
	s.momentWaits = false
	s.onShot(s.step, s.stepName, s.caption, s.pending)
	s.pending = nil
}
