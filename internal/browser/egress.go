package browser

import (
	"context"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/pinready/pinready/internal/egress"
)

// egressCheckTimeout bounds one request's decision (a DNS lookup at most).
const egressCheckTimeout = 10 * time.Second

// interceptEgress makes Chromium ask the egress policy before it sends any
// request, on every redirect hop, from every tab, popup, frame and worker:
// interception is enabled on the browser's own session, which sees the
// requests of all targets and browser contexts. A refused request fails
// with net::ERR_BLOCKED_BY_CLIENT, so nothing of an internal server reaches
// a page, a screenshot or a video. With --allow-private nothing is
// intercepted at all.
func interceptEgress(bctx context.Context, p *egress.Policy) error {
	if p.AllowsAll() {
		return nil
	}
	paused := chromedp.BrowserEvents(bctx, fetch.RequestPaused) // subscribe before enabling
	_, err := chromedp.CallBrowser(bctx, fetch.Enable, fetch.EnableParams{
		Patterns: []*fetch.RequestPattern{{URLPattern: "*", RequestStage: fetch.RequestStageRequest}},
	})
	if err != nil {
		return err
	}
	go func() {
		for ev, err := range paused {
			if err != nil {
				return // the browser is closing
			}
			// Answered concurrently: a slow DNS answer for one host must
			// not hold up the page's other requests.
			go answerPaused(bctx, p, ev)
		}
	}()
	return nil
}

// answerPaused lets one paused request go on, or fails it.
func answerPaused(bctx context.Context, p *egress.Policy, ev fetch.EventRequestPaused) {
	ctx, cancel := context.WithTimeout(bctx, egressCheckTimeout)
	defer cancel()
	if err := p.CheckURL(ctx, ev.Request.URL); err != nil {
		chromedp.CallBrowser(bctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
		return
	}
	chromedp.CallBrowser(bctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
}
