package demo

import (
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	"iter"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// maskWorld is the isolated world the masking script runs in.
const maskWorld = "pinready-mask"

// capture is one tab being recorded. Its goroutines each do one job, as
// methods below: refit the viewport, read titles, pass frames on, follow the
// browser's URL, notice the tab closing.
type capture struct {
	id       int
	ctx      context.Context // the tab's chromedp context, as the driver gave it
	stop     context.CancelFunc
	targetID target.ID
	layout   layout
	q        *queue
	done     sync.WaitGroup // the capture's goroutines

	mu       sync.Mutex
	scriptID page.ScriptIdentifier
	closed   atomic.Bool // the tab went away

	frameMu   sync.Mutex  // guards mainFrame, written by navigation events
	mainFrame cdp.FrameID // the tab's top frame: only its navigations move the address bar

	readTitle chan struct{} // a document loaded: read its title again
	refit     chan struct{} // a frame came at the wrong size: set the viewport again
}

// startCapture prepares a tab and starts its screencast. Events go to q with
// the tab's id.
func startCapture(tctx context.Context, id int, l layout, q *queue, secrets []string) (*capture, error) {
	// The first call opens the target when the context has none yet.
	if _, err := chromedp.Call(tctx, page.Enable, page.EnableParams{}); err != nil {
		return nil, fmt.Errorf("record tab: enable page events: %w", err)
	}
	c := &capture{id: id, ctx: tctx, layout: l, q: q,
		readTitle: make(chan struct{}, 1), refit: make(chan struct{}, 1)}
	if cc := chromedp.FromContext(tctx); cc != nil && cc.Target != nil {
		c.targetID = cc.Target.TargetID
	}
	// The masking script, for this document and every next one, before any
	// frame of them is captured.
	if err := c.setSecrets(secrets); err != nil {
		return nil, err
	}
	// The page is laid out at the viewport's CSS size and rendered at the
	// layout's scale, so a screencast frame fills the page area pixel for pixel.
	if err := setViewport(tctx, l); err != nil {
		return nil, fmt.Errorf("record tab: set the viewport: %w", err)
	}

	ctx, stop := context.WithCancel(tctx)
	c.stop = stop
	if tree, err := chromedp.Call(ctx, page.GetFrameTree, cdp.Empty{}); err == nil && tree.FrameTree != nil && tree.FrameTree.Frame != nil {
		c.mainFrame = tree.FrameTree.Frame.ID
	}
	// Subscribe before starting, so no frame and no navigation is missed.
	frames := chromedp.Events(ctx, page.ScreencastFrame)
	infos := chromedp.BrowserEvents(ctx, target.TargetInfoChanged)
	if err := chromedp.Listen(ctx, c.onPageEvent); err != nil {
		stop()
		return nil, fmt.Errorf("record tab: listen: %w", err)
	}
	info, err := chromedp.Call(ctx, target.GetTargetInfo, target.GetTargetInfoParams{TargetID: c.targetID})
	if err != nil || info.TargetInfo == nil {
		stop()
		return nil, fmt.Errorf("record tab: read its URL: %w", err)
	}
	q.push(event{kind: evTabOpen, at: time.Now(), tab: id, s1: info.TargetInfo.URL, s2: info.TargetInfo.Title})
	c.wantTitle() // the page may be loaded already

	c.start(func() { c.refitViewport(ctx) })
	c.start(func() { c.readTitles(ctx) })
	c.start(func() { c.passFrames(ctx, frames) })
	c.start(func() { c.followTargetURL(infos) })
	c.start(func() { c.watchClose(ctx) })

	quality := int64(90)
	if _, err := chromedp.Call(ctx, page.StartScreencast, page.StartScreencastParams{
		Format: page.StartScreencastFormatJpeg, Quality: &quality,
		MaxWidth: int64(l.W), MaxHeight: int64(l.ContentH), EveryNthFrame: 1,
	}); err != nil {
		c.close()
		return nil, fmt.Errorf("record tab: start the screencast: %w", err)
	}
	return c, nil
}

// start runs one of the capture's jobs on its own goroutine; close waits for
// them all.
func (c *capture) start(job func()) {
	c.done.Add(1)
	go func() {
		defer c.done.Done()
		job()
	}()
}

// wantTitle asks for the title to be read again. Chromium reports a target's
// title when the document commits, before <title> is parsed, so it is read
// from the document once that is loaded.
func (c *capture) wantTitle() {
	select {
	case c.readTitle <- struct{}{}:
	default:
	}
}

// onPageEvent turns the tab's page events into address-bar and title events.
func (c *capture) onPageEvent(ev any) {
	now := time.Now()
	switch ev := ev.(type) {
	case *page.EventDomContentEventFired, *page.EventLoadEventFired:
		c.wantTitle()
	case *page.EventFrameNavigated:
		if ev.Frame != nil && ev.Frame.ParentID == "" {
			c.frameMu.Lock()
			c.mainFrame = ev.Frame.ID
			c.frameMu.Unlock()
			c.q.push(event{kind: evURL, at: now, tab: c.id, s1: ev.Frame.URL + ev.Frame.URLFragment})
		}
	case *page.EventNavigatedWithinDocument:
		c.frameMu.Lock()
		isMain := ev.FrameID == c.mainFrame
		c.frameMu.Unlock()
		if isMain {
			c.q.push(event{kind: evURL, at: now, tab: c.id, s1: ev.URL})
			c.wantTitle()
		}
	}
}

// refitViewport sets the viewport again whenever a frame came at the wrong
// size.
func (c *capture) refitViewport(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.refit:
		}
		if err := setViewport(ctx, c.layout); err != nil {
			return
		}
		time.Sleep(50 * time.Millisecond) // let the page paint at the size before trying again
	}
}

// readTitles reads the document's title whenever one may have changed.
func (c *capture) readTitles(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.readTitle:
		}
		tctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		title, err := chromedp.Run(tctx, chromedp.Title())
		cancel()
		if err == nil {
			c.q.push(event{kind: evTitle, at: time.Now(), tab: c.id, s1: title})
		}
	}
}

// passFrames acknowledges every screencast frame first (or Chromium stops
// sending) and queues it at the time the page looked like it.
func (c *capture) passFrames(ctx context.Context, frames iter.Seq2[page.EventScreencastFrame, error]) {
	misfits := 0
	for ev, err := range frames {
		if err != nil {
			return
		}
		chromedp.Call(ctx, page.ScreencastFrameAck, page.ScreencastFrameAckParams{SessionID: ev.SessionID})
		at := time.Now()
		if ev.Metadata != nil && ev.Metadata.Timestamp > 0 {
			// The swap time: when the page looked like this.
			ts := time.UnixMicro(int64(ev.Metadata.Timestamp.Float64() * 1e6))
			if ts.Before(at) && at.Sub(ts) < 5*time.Second {
				at = ts
			}
		}
		// A frame not at the size asked for means the override was lost:
		// capturing a screenshot (the driver's evidence) resets the device
		// scale, and the page then paints zoomed. Such frames are dropped
		// and the override set again; if that does not help within a
		// second or so, they are shown scaled rather than not at all.
		if cfg, err := jpeg.DecodeConfig(bytes.NewReader(ev.Data)); err == nil && (cfg.Width != c.layout.W || cfg.Height != c.layout.ContentH) {
			misfits++
			if misfits <= maxMisfits {
				select {
				case c.refit <- struct{}{}:
				default:
				}
				continue
			}
		} else {
			misfits = 0
		}
		c.q.push(event{kind: evFrame, at: at, tab: c.id, jpeg: ev.Data})
	}
}

// followTargetURL queues the URL as the browser reports it for the tab.
func (c *capture) followTargetURL(infos iter.Seq2[target.EventTargetInfoChanged, error]) {
	for ev, err := range infos {
		if err != nil {
			return
		}
		if ev.TargetInfo == nil || ev.TargetInfo.TargetID != c.targetID {
			continue
		}
		// Its title can be stale (the URL until the next commit): titles
		// are read from the document instead.
		c.q.push(event{kind: evURL, at: time.Now(), tab: c.id, s1: ev.TargetInfo.URL})
	}
}

// watchClose notices the tab closing, or the driver dropping it: the video
// then returns to the previous tab.
func (c *capture) watchClose(ctx context.Context) {
	detached, err := chromedp.Detached(c.ctx)
	if err != nil {
		return
	}
	select {
	case <-detached:
	case <-c.ctx.Done():
	case <-ctx.Done():
		return // Finish or Abort: not a close
	}
	c.closed.Store(true)
	c.q.push(event{kind: evTabClose, at: time.Now(), tab: c.id})
}

// setSecrets (re)installs the masking script with the current secrets and
// runs it in the document already loaded.
func (c *capture) setSecrets(secrets []string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.scriptID != "" {
		chromedp.Call(c.ctx, page.RemoveScriptToEvaluateOnNewDocument, page.RemoveScriptToEvaluateOnNewDocumentParams{Identifier: c.scriptID})
	}
	now := true
	res, err := chromedp.Call(c.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: maskScript(secrets), WorldName: maskWorld, RunImmediately: &now,
	})
	if err != nil {
		return fmt.Errorf("record tab: install the masking script: %w", err)
	}
	c.scriptID = res.Identifier
	return nil
}

// close stops the screencast and the capture's goroutines.
func (c *capture) close() {
	ctx, cancel := context.WithTimeout(c.ctx, 2*time.Second)
	chromedp.Call(ctx, page.StopScreencast, cdp.Empty{})
	cancel()
	c.stop()
	c.done.Wait()
}

// maxMisfits is how many frames of the wrong size are dropped in a row while
// the viewport is set again.
const maxMisfits = 40

// setViewport lays the page out at the viewport's CSS size, rendered at the
// layout's scale.
func setViewport(ctx context.Context, l layout) error {
	_, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: int64(l.ViewW), Height: int64(l.ViewH), DeviceScaleFactor: l.S,
		ScreenWidth: int64(l.ViewW), ScreenHeight: int64(l.ViewH),
	})
	return err
}
