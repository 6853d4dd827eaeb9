package oauthflow

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// VideoObserver is an Observer that records a video (demo.Recorder): it
// also hears what only a picture needs. Drive uses these methods when its
// Observer has them; a plain Observer misses nothing else.
type VideoObserver interface {
	Observer
	// Highlight outlines the control the cursor is about to act on: its box
	// (left, top, width, height) in CSS px of the current tab's viewport. A
	// new step or a new page removes the outline.
	Highlight(x, y, w, h float64)
	// Moment makes the frame now the current step's picture: the moment of
	// its action (the cursor resting on the control just before a click, a
	// field filled in, the consent page, the redirect hop, the live data).
	// The last Moment of a step wins; a step with none is pictured at its end.
	Moment()
	// Redirect reports, as it happens, that the tab requested rawURL and got
	// status, a redirect, in answer: a browser never draws such an answer,
	// so the video shows the hop in its address bar, marked as a redirect.
	// Drive reports only the callback's hop, the one that carries the code.
	Redirect(rawURL string, status int)
}

// restTime is how long the recorded cursor rests on a control before it is
// clicked, outlined, so a person watching sees what is about to happen.
const restTime = 400 * time.Millisecond

// consentOnScreen is the least time the consent page stays on screen in a
// recording at DefaultPace, scaled with the pace: it is what reviewers most
// need to read.
const consentOnScreen = 2 * time.Second

// video is the observer as a VideoObserver, or nil when it is none or the
// flow is not being recorded (the second connect of --state-twice).
func (d *driver) video() VideoObserver {
	if d.quiet {
		return nil
	}
	v, _ := d.obs.(VideoObserver)
	return v
}

// consentDwell is how long the consent page must be on screen before the
// approve control is clicked, at this pace.
func (d *driver) consentDwell() time.Duration {
	return time.Duration(float64(consentOnScreen) * float64(d.o.Pace) / float64(DefaultPace))
}

// moment pictures the current step, with el outlined when it is given. It
// waits restTime first: what the driver just read in the page (the data,
// the control) reaches the video with the next screencast frame, a few
// frames later.
func (d *driver) moment(el *element) {
	v := d.video()
	if v == nil {
		return
	}
	if el != nil {
		v.Highlight(el.Left, el.Top, el.W, el.H)
	}
	sleep(d.parent, restTime)
	v.Moment()
}

// proofJS finds the deepest visible element whose text holds the success
// text, and returns its box (viewport CSS px), scrolled into view.
const proofJS = `(function (want) {
  let el = null;
  for (const e of document.querySelectorAll('body *')) {
    if (el && !el.contains(e)) break; // past the first match's subtree
    if (e.tagName === 'SCRIPT' || e.tagName === 'STYLE') continue;
    if (!(e.innerText || '').includes(want)) continue;
    const r = e.getBoundingClientRect();
    if (r.width > 0 && r.height > 0) el = e;
  }
  if (!el) return null;
  el.scrollIntoView({ block: 'nearest', inline: 'nearest', behavior: 'instant' });
  const r = el.getBoundingClientRect();
  return { x: r.left + r.width / 2, y: r.top + r.height / 2, left: r.left, top: r.top, w: r.width, h: r.height, tag: el.tagName.toLowerCase() };
})`

// proofElement is where the live data shows in t: the element holding the
// success text, or the success selector's; nil when it cannot be told.
func (d *driver) proofElement(t *tab, text, sel string) *element {
	if t.closed() {
		return nil
	}
	ctx, cancel := context.WithTimeout(t.ctx, time.Second)
	defer cancel()
	if text == "" {
		el, _ := find(ctx, sel, true)
		return el
	}
	arg, _ := json.Marshal(text)
	el, err := chromedp.Run(ctx, chromedp.Evaluate[*element](fmt.Sprintf("(%s)(%s)", proofJS, arg)))
	if err != nil {
		return nil
	}
	return el
}

// hopWatch finds the callback's redirect hop the moment it happens, from
// the tabs' network events: after the approve click, the first document
// request off Pinterest's site is the callback; when the next request in
// that tab is a redirect from it, the callback answered 3xx, and the
// recorder is told at once, while the browser moves on.
type hopWatch struct {
	mu       sync.Mutex
	obs      VideoObserver // set by arm; nil: not watching
	tab      string
	callback string // the callback as requested; "" until seen
	done     bool
}

// armHop starts watching, just before the approve click.
func (d *driver) armHop() {
	v := d.video()
	h := &d.hops
	h.mu.Lock()
	defer h.mu.Unlock()
	h.obs, h.tab, h.callback, h.done = v, "", "", false
}

// watchHop reads one top-level document request of tab t. It runs in the
// tab's event loop: it only takes its own lock and queues to the recorder.
func (d *driver) watchHop(t *tab, ev *network.EventRequestWillBeSent) {
	h := &d.hops
	h.mu.Lock()
	if h.obs == nil || h.done || ev.Request == nil {
		h.mu.Unlock()
		return
	}
	if h.callback != "" && t.name == h.tab {
		// The callback's own answer decides: a redirect from it is the hop;
		// any other request means it answered with a page.
		h.done = true
		r := ev.RedirectResponse
		obs, from := h.obs, h.callback
		h.mu.Unlock()
		if r != nil && r.URL == from && r.Status >= 300 && r.Status < 400 {
			obs.Redirect(from, int(r.Status))
		}
		return
	}
	if h.callback == "" && !d.onAuthorizeOrigin(ev.Request.URL) {
		h.callback, h.tab = ev.Request.URL, t.name
	}
	h.mu.Unlock()
}
