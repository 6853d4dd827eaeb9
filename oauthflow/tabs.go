package oauthflow

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/pinready/pinready/internal/browser"
)

// tab is one browser tab the flow works in: the first tab or a popup.
type tab struct {
	name   string // "tab", "popup-1", …
	id     target.ID
	ctx    context.Context
	cancel context.CancelFunc
	gone   <-chan struct{} // closed when the page closes itself
	x, y   float64         // where the mouse is
	// commits counts the documents committed in the tab's main frame
	// (Page.frameNavigated), under the driver's lock: a capture whose page
	// is replaced under it notices by this (capture.go).
	commits int
}

func (t *tab) closed() bool {
	select {
	case <-t.gone:
		return true
	default:
		return false
	}
}

// rawNav is a navigation with its unmasked URL, kept in memory only so the
// driver can read the authorize and callback parameters.
type rawNav struct {
	tab       string
	url       string
	requestID network.RequestID
	index     int // into Trace.Navigations
}

// openTab opens the first tab of a connect, in the connect's browser
// context, and starts recording it.
func (d *driver) openTab(bc *browser.Context, name string) (*tab, error) {
	ctx, cancel, err := bc.NewTab()
	if err != nil {
		return nil, err
	}
	c := chromedp.FromContext(ctx)
	if c == nil || c.Target == nil {
		cancel()
		return nil, fmt.Errorf("open a browser tab: no target")
	}
	t := &tab{name: name, id: c.Target.TargetID, ctx: ctx, cancel: cancel, x: 40, y: 40}
	if err := chromedp.Listen(ctx, d.listener(t)); err != nil {
		cancel()
		return nil, fmt.Errorf("watch the tab: %w", err)
	}
	if err := d.startTab(t); err != nil {
		cancel()
		return nil, err
	}
	return t, nil
}

// attachPopup follows a window the page opened. The attach runs under a
// watchdog: a popup that never answers must not hang the run.
func (d *driver) attachPopup(id target.ID) (*tab, error) {
	d.popups++
	t := &tab{name: fmt.Sprintf("popup-%d", d.popups), id: id, x: 40, y: 40}
	ctx, cancel := chromedp.NewContext(d.o.Browser.Context(), chromedp.WithTargetID(id), chromedp.WithListener(d.listener(t)))
	t.ctx, t.cancel = ctx, cancel
	done := make(chan error, 1)
	go func() {
		err := browser.AnswerDialogs(ctx) // also attaches the target
		if err == nil {
			err = d.startTab(t)
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			cancel()
			return nil, fmt.Errorf("attach to the popup: %w", err)
		}
	case <-time.After(d.o.Timeout):
		cancel()
		return nil, fmt.Errorf("attach to the popup: no answer within %s", d.o.Timeout)
	}
	return t, nil
}

// startTab turns on the network domain and the console, and learns when the
// page goes away.
func (d *driver) startTab(t *tab) error {
	if err := leanTab(t.ctx); err != nil {
		return fmt.Errorf("set up %s: %w", t.name, err)
	}
	if _, err := chromedp.Call(t.ctx, network.Enable, network.EnableParams{}); err != nil {
		return fmt.Errorf("watch the network of %s: %w", t.name, err)
	}
	if err := d.watchNetwork(t); err != nil {
		return err
	}
	gone, err := chromedp.Detached(t.ctx)
	if err != nil {
		return fmt.Errorf("watch %s: %w", t.name, err)
	}
	t.gone = gone
	go func() { <-gone; d.nudge() }() // a popup that closes hands back to its opener
	console := chromedp.Console(t.ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			d.addConsole(t, m)
		}
	}()
	d.mu.Lock()
	d.tabs = append(d.tabs, t)
	d.mu.Unlock()
	return nil
}

// leanTab turns off the DevTools domains chromedp turns on for every tab
// and the flow never uses: DOM (chromedp then fetches each new document's
// tree and follows its every change) and CSS (the renderer reports every
// style sheet). The flow reads pages with Runtime.evaluate and clicks with
// Input events; chromedp's DOM queries (chromedp.CSS, WaitVisible) must
// not be used on a flow's tabs.
func leanTab(ctx context.Context) error {
	if _, err := chromedp.Call(ctx, css.Disable, cdp.Empty{}); err != nil {
		return err
	}
	_, err := chromedp.Call(ctx, dom.Disable, cdp.Empty{})
	return err
}

// listener records the tab's top-level navigations, in the order Chromium
// reports them. It runs in the tab's event loop: no commands, only a lock.
func (d *driver) listener(t *tab) func(ev any) {
	return func(ev any) {
		mainFrame := cdp.FrameID(t.id)
		switch ev := ev.(type) {
		case *page.EventLoadEventFired, *page.EventDomContentEventFired:
			d.nudge()
		case *page.EventFrameNavigated:
			if ev.Frame == nil || ev.Frame.ParentID != "" {
				return
			}
			d.mu.Lock()
			t.commits++
			d.mu.Unlock()
			d.nudge()
		case *network.EventRequestWillBeSent:
			if ev.Type != network.ResourceTypeDocument || ev.FrameID != mainFrame || ev.Request == nil {
				return
			}
			d.watchHop(t, ev)
			initiator := ""
			if ev.Initiator != nil {
				initiator = string(ev.Initiator.Type)
			}
			d.mu.Lock()
			defer d.mu.Unlock()
			if d.done {
				return
			}
			if ev.RedirectResponse != nil {
				d.setStatusLocked(ev.RequestID, int(ev.RedirectResponse.Status))
				initiator = "redirect"
			}
			d.addNavLocked(t, ev.Request.URL+ev.Request.URLFragment, initiator, ev.RequestID)
			d.nudge()
		case *network.EventResponseReceived:
			if ev.Type != network.ResourceTypeDocument || ev.FrameID != mainFrame || ev.Response == nil {
				return
			}
			d.mu.Lock()
			defer d.mu.Unlock()
			d.setStatusLocked(ev.RequestID, int(ev.Response.Status))
			d.nudge()
		case *page.EventNavigatedWithinDocument:
			if ev.FrameID != mainFrame {
				return
			}
			d.mu.Lock()
			defer d.mu.Unlock()
			d.addNavLocked(t, ev.URL, "same-document", "")
			d.nudge()
		}
	}
}

func (d *driver) addNavLocked(t *tab, raw, initiator string, id network.RequestID) {
	if d.done {
		return
	}
	d.tr.Navigations = append(d.tr.Navigations, Navigation{
		Tab: t.name, Step: d.step, URL: d.m.mask(raw), Initiator: initiator,
	})
	d.navs = append(d.navs, rawNav{tab: t.name, url: raw, requestID: id, index: len(d.tr.Navigations) - 1})
	d.tr.Exposures = append(d.tr.Exposures, d.m.findExposures("url", raw, raw)...)
}

// setStatusLocked gives the latest navigation of a request its status; a
// redirected request reuses its id for every hop.
func (d *driver) setStatusLocked(id network.RequestID, status int) {
	for i := len(d.navs) - 1; i >= 0; i-- {
		if d.navs[i].requestID == id {
			if n := &d.tr.Navigations[d.navs[i].index]; n.Status == 0 {
				n.Status = status
			}
			return
		}
	}
}

func (d *driver) addConsole(t *tab, m chromedp.ConsoleMessage) {
	if browserFavicon(m) {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.done || len(d.tr.Console) >= maxConsole {
		return
	}
	d.tr.Console = append(d.tr.Console, ConsoleEntry{Tab: t.name, Type: string(m.Type), Text: clip(d.m.mask(m.Text), 2000), URL: d.m.mask(m.URL)})
	d.tr.Exposures = append(d.tr.Exposures, d.m.findExposures("console", m.URL, m.Text)...)
}

const maxConsole = 500

// browserFavicon reports the browser's own failed request for a site's
// favicon. The browser fetches it after a page has loaded, at a moment no
// flow controls, so whether its error lands in the trace before the flow
// moves on is chance; no script of the page made the request.
func browserFavicon(m chromedp.ConsoleMessage) bool {
	u, err := url.Parse(m.URL)
	return err == nil && u.Path == "/favicon.ico" && len(m.Args) == 0 &&
		strings.HasPrefix(m.Text, "Failed to load resource")
}

// settled waits until the tab's document has loaded, or ctx ends.
func (d *driver) settled(ctx context.Context, t *tab) error {
	for {
		done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.readyState === "complete"`))
		if err == nil && done {
			return nil
		}
		if t.closed() {
			return errors.New("the window closed")
		}
		if err := d.pause(ctx); err != nil {
			return err
		}
	}
}

// discardShot removes the screenshot of a capture that is taken again, and
// gives its number back.
func (d *driver) discardShot(path string) {
	if path != "" && os.Remove(path) == nil {
		d.shots--
	}
}

// watchPopups reports pages opened by any tab of the flow.
func (d *driver) watchPopups(ctx context.Context) (<-chan target.ID, error) {
	ch := make(chan target.ID, 8)
	err := chromedp.ListenBrowser(ctx, func(ev any) {
		ev2, ok := ev.(*target.EventTargetCreated)
		if !ok || ev2.TargetInfo == nil || ev2.TargetInfo.Type != "page" || ev2.TargetInfo.OpenerID == "" {
			return
		}
		d.mu.Lock()
		ours := false
		for _, t := range d.tabs {
			ours = ours || t.id == ev2.TargetInfo.OpenerID
		}
		d.mu.Unlock()
		if ours {
			d.mu.Lock()
			d.opened = append(d.opened, ev2.TargetInfo.TargetID)
			d.mu.Unlock()
			select {
			case ch <- ev2.TargetInfo.TargetID:
			default: // a popup storm: the flow follows the first; closeTabs closes the rest
			}
			d.nudge()
		}
	})
	return ch, err
}

// captureViewport shoots the tab's viewport as a PNG, encoded for speed:
// a flow takes about ten of these, and on a busy machine the encoding was a
// fifth of their cost; the file is somewhat larger, the image the same.
func captureViewport(ctx context.Context) ([]byte, error) {
	yes := true
	res, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{FromSurface: &yes, OptimizeForSpeed: &yes})
	return res.Data, err
}
