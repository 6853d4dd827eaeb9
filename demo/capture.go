package demo

import (
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
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

// capture is one tab being recorded.
type capture struct {
	id       int
	ctx      context.Context // the tab's chromedp context, as the driver gave it
	stop     context.CancelFunc
	targetID target.ID
	done     sync.WaitGroup // the capture's goroutines

	mu       sync.Mutex
	scriptID page.ScriptIdentifier
	closed   atomic.Bool // the tab went away
}

// startCapture prepares a tab and starts its screencast. Events go to q with
// the tab's id.
func startCapture(tctx context.Context, id int, l layout, q *queue, secrets []string) (*capture, error) {
	// The first call opens the target when the context has none yet.
	if _, err := chromedp.Call(tctx, page.Enable, page.EnableParams{}); err != nil {
		return nil, fmt.Errorf("record tab: enable page events: %w", err)
	}
	c := &capture{id: id, ctx: tctx}
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
	var mainFrame cdp.FrameID
	if tree, err := chromedp.Call(ctx, page.GetFrameTree, cdp.Empty{}); err == nil && tree.FrameTree != nil && tree.FrameTree.Frame != nil {
		mainFrame = tree.FrameTree.Frame.ID
	}
	// Subscribe before starting, so no frame and no navigation is missed.
	frames := chromedp.Events(ctx, page.ScreencastFrame)
	infos := chromedp.BrowserEvents(ctx, target.TargetInfoChanged)
	var mu sync.Mutex // mainFrame is read and written on the tab's reader goroutine only; the lock documents it
	// Chromium reports a target's title when the document commits, before
	// <title> is parsed; the title is read again once the document is loaded.
	readTitle := make(chan struct{}, 1)
	wantTitle := func() {
		select {
		case readTitle <- struct{}{}:
		default:
		}
	}
	err := chromedp.Listen(ctx, func(ev any) {
		now := time.Now()
		switch ev := ev.(type) {
		case *page.EventDomContentEventFired, *page.EventLoadEventFired:
			wantTitle()
		case *page.EventFrameNavigated:
			if ev.Frame != nil && ev.Frame.ParentID == "" {
				mu.Lock()
				mainFrame = ev.Frame.ID
				mu.Unlock()
				q.push(event{kind: evURL, at: now, tab: id, s1: ev.Frame.URL + ev.Frame.URLFragment})
			}
		case *page.EventNavigatedWithinDocument:
			mu.Lock()
			isMain := ev.FrameID == mainFrame
			mu.Unlock()
			if isMain {
				q.push(event{kind: evURL, at: now, tab: id, s1: ev.URL})
				wantTitle()
			}
		}
	})
	if err != nil {
		stop()
		return nil, fmt.Errorf("record tab: listen: %w", err)
	}
	info, err := chromedp.Call(ctx, target.GetTargetInfo, target.GetTargetInfoParams{TargetID: c.targetID})
	if err != nil || info.TargetInfo == nil {
		stop()
		return nil, fmt.Errorf("record tab: read its URL: %w", err)
	}
	q.push(event{kind: evTabOpen, at: time.Now(), tab: id, s1: info.TargetInfo.URL, s2: info.TargetInfo.Title})
	wantTitle() // the page may be loaded already

	refit := make(chan struct{}, 1)
	misfits := 0
	c.done.Add(5)
	go func() {
		defer c.done.Done()
		for {
			select {
			case <-ctx.Done():
				return
			case <-refit:
			}
			if err := setViewport(ctx, l); err != nil {
				return
			}
			time.Sleep(50 * time.Millisecond) // let the page paint at the size before trying again
		}
	}()
	go func() {
		defer c.done.Done()
		for {
			select {
			case <-ctx.Done():
				return
			case <-readTitle:
			}
			tctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			title, err := chromedp.Run(tctx, chromedp.Title())
			cancel()
			if err == nil {
				q.push(event{kind: evTitle, at: time.Now(), tab: id, s1: title})
			}
		}
	}()
	go func() { // every frame is acknowledged first, or Chromium stops sending
		defer c.done.Done()
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
			if cfg, err := jpeg.DecodeConfig(bytes.NewReader(ev.Data)); err == nil && (cfg.Width != l.W || cfg.Height != l.ContentH) {
				misfits++
				if misfits <= maxMisfits {
					select {
					case refit <- struct{}{}:
					default:
					}
					continue
				}
			} else {
				misfits = 0
			}
			q.push(event{kind: evFrame, at: at, tab: id, jpeg: ev.Data})
		}
	}()
	go func() { // the URL as the browser reports it
		defer c.done.Done()
		for ev, err := range infos {
			if err != nil {
				return
			}
			if ev.TargetInfo == nil || ev.TargetInfo.TargetID != c.targetID {
				continue
			}
			// Its title can be stale (the URL until the next commit): titles
			// are read from the document instead.
			q.push(event{kind: evURL, at: time.Now(), tab: id, s1: ev.TargetInfo.URL})
		}
	}()
	go func() { // the tab closing, or the driver dropping it, returns to the previous tab
		defer c.done.Done()
		detached, err := chromedp.Detached(tctx)
		if err != nil {
			return
		}
		select {
		case <-detached:
		case <-tctx.Done():
		case <-ctx.Done():
			return // Finish or Abort: not a close
		}
		c.closed.Store(true)
		q.push(event{kind: evTabClose, at: time.Now(), tab: id})
	}()

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
