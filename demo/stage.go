package demo

import (
	"image"
	"io"
	"slices"
	"time"
)

// stage is the one goroutine that owns what the video shows: the tabs, their
// latest screencast frames, the caption, the pointer. For each event it first
// emits every tick of the frame clock before the event's time, with the state
// as it was, then applies the event; so a frame is held until the next by
// timestamp, and frames stream to the encoder as they are made.
type stage struct {
	l     layout
	clk   clock
	comp  *compositor
	sink  io.Writer // ffmpeg's stdin
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

	next   int   // next flow tick
	frames int   // frames written
	err    error // first write error: later frames are dropped

	// onShot receives a copy of the frame that ends a step (steps from 1).
	onShot func(step int, name, caption string, img *image.RGBA)
}

type tabView struct {
	id         int
	url, title string
	jpeg       []byte // latest screencast frame
	fresh      bool   // jpeg not yet decoded into the page area
	gone       bool   // closed, but the last tab: still shown
}

func newStage(l layout, clk clock, sink io.Writer, title *image.RGBA, titleFrames int, secrets []string) *stage {
	s := &stage{l: l, clk: clk, comp: newCompositor(l), sink: sink, title: title, titleFrames: titleFrames, chromeDirty: true}
	s.mask.add(secrets...)
	// The pointer rests right of centre until the driver moves it.
	x, y := l.toFrame(float64(l.ViewW)*0.62, float64(l.ViewH)*0.55)
	s.ptr = pointer{X: x, Y: y, Visible: true}
	return s
}

// run plays the title card, then the flow's events until evFinish or until
// the queue closes (Abort). It reports whether the flow finished.
func (s *stage) run(q *queue) bool {
	for range s.titleFrames {
		s.write(s.title)
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
		s.write(s.render(s.clk.at(s.next)))
		s.next++
	}
}

func (s *stage) write(img *image.RGBA) {
	if s.err != nil {
		return
	}
	if _, err := s.sink.Write(img.Pix); err != nil {
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
		s.comp.setChrome(st)
		s.chromeDirty = false
	}
	if tv := s.shown(); tv != nil && tv.fresh {
		tv.fresh = false
		// A frame that does not decode is skipped: the last good one stays.
		s.comp.setPage(tv.jpeg)
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
			tv.jpeg, tv.fresh = e.jpeg, true
		}
	case evTabOpen:
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
			tv.url = e.s1
			s.chromeDirty = true
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
	case evPointer:
		s.ptr.X, s.ptr.Y = s.l.toFrame(e.x, e.y)
		s.ptr.Visible = true
	case evClick:
		s.ptr.X, s.ptr.Y = s.l.toFrame(e.x, e.y)
		s.ptr.ClickX, s.ptr.ClickY, s.ptr.ClickAt = s.ptr.X, s.ptr.Y, e.at
	case evSecret:
		s.mask.add(e.s1)
		s.chromeDirty = true
		if s.caption != "" {
			s.comp.setCaption(s.step, s.mask.text(s.caption))
		}
	}
}

// endStep hands the frame that closes the current step to onShot.
func (s *stage) endStep(t time.Time) {
	if s.step == 0 || s.onShot == nil {
		return
	}
	img := s.render(t)
	cp := &image.RGBA{Pix: slices.Clone(img.Pix), Stride: img.Stride, Rect: img.Rect}
	s.onShot(s.step, s.stepName, s.caption, cp)
}
