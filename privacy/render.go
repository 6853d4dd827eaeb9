package privacy

import (
	"context"
	"errors"
	"fmt"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/pinready/pinready/internal/browser"
	"github.com/pinready/pinready/internal/outfile"
)

// rendered is a page as headless Chromium showed it.
type rendered struct {
	URL    string `json:"url"`    // location.href once the text settled
	Status int    `json:"status"` // of the last navigation (0 when Chromium does not say)
	HTML   string `json:"html"`   // the live DOM, serialised
	Words  int    `json:"words"`  // words of document.body.innerText
	Links  []link `json:"links"`  // every <a href>, with whether it can be seen
	Shot   string `json:"-"`      // screenshot path, when one was asked for
}

// link is an anchor as the browser resolved it.
type link struct {
	Href    string `json:"href"`
	Text    string `json:"text"`
	Visible bool   `json:"visible"`
}

// collectJS reads everything the rules need in one round trip. Visibility is
// the browser's own: a box on screen and not visibility:hidden.
const collectJS = `(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const links = Array.from(document.querySelectorAll('a[href]')).map(a => ({
    href: a.href,
    text: (a.innerText || a.getAttribute('aria-label') || '').trim(),
    visible: a.getClientRects().length > 0 && getComputedStyle(a).visibility !== 'hidden',
  }));
  return {
    url: location.href,
    status: (nav && nav.responseStatus) || 0,
    html: document.documentElement.outerHTML,
    words: document.body ? document.body.innerText.split(/\s+/).filter(Boolean).length : 0,
    links,
  };
})()`

const wordsJS = `[document.readyState, document.body ? document.body.innerText.split(/\s+/).filter(Boolean).length : 0]`

// errRenderTimeout says the page never let the browser finish: an endless
// script or a load that never ends. It is a finding, not a broken browser.
var errRenderTimeout = errors.New("the page did not finish rendering in time")

// render opens rawURL in a new tab and waits until its text stops changing,
// at most settle after navigation, and never past timeout in all: every
// browser call runs under that deadline, so an endless script cannot hang us.
func render(ctx context.Context, b *browser.Browser, rawURL string, timeout, settle time.Duration, spec loadSpec, shot string) (*rendered, error) {
	tab, closeTab, err := b.NewTab()
	if err != nil {
		return nil, err
	}
	defer closeTab()
	// The tab's context derives from the browser's, not from ctx: tie the
	// caller's cancellation to it by hand.
	tctx, cancelTab := context.WithTimeout(tab, timeout)
	defer cancelTab()
	stop := context.AfterFunc(ctx, cancelTab)
	defer stop()

	nav, err := chromedp.Call(tctx, cdppage.Navigate, cdppage.NavigateParams{URL: rawURL})
	if err != nil {
		return nil, timeoutOr(tctx, timeout, fmt.Errorf("navigate: %w", err))
	}
	if nav.ErrorText != "" {
		//lint:ignore ST1005 Chromium is a name, and the sentence starts with it.
		return nil, fmt.Errorf("Chromium could not load it: %s", b.ExplainNetError(rawURL, nav.ErrorText))
	}
	if err := settleText(tctx, settle, spec.MinWords, spec.BlankWords); err != nil {
		return nil, timeoutOr(tctx, timeout, err)
	}
	r, err := chromedp.Run(tctx, chromedp.Evaluate[rendered](collectJS))
	if err != nil {
		return nil, timeoutOr(tctx, timeout, fmt.Errorf("read the page: %w", err))
	}
	if shot != "" {
		png, err := chromedp.Run(tctx, chromedp.CaptureScreenshot())
		if err != nil {
			return nil, timeoutOr(tctx, timeout, fmt.Errorf("screenshot: %w", err))
		}
		if err := outfile.WriteBytes(shot, png); err != nil {
			return nil, fmt.Errorf("write screenshot: %w", err)
		}
		r.Shot = shot
	}
	return &r, nil
}

// settleText polls the word count until the page is parsed and the count has
// held still: for two polls once it has minWords words, for five polls of a
// loaded page once it has some text (blankWords) — a short policy, or a
// "please wait" page about to reload itself — or until settle has passed. A
// page with no text yet (a JS shell still loading) gets the whole settle time.
func settleText(ctx context.Context, settle time.Duration, minWords, blankWords int) error {
	const poll = 150 * time.Millisecond
	deadline := time.Now().Add(settle)
	last, still := -1, 0
	for {
		st, err := chromedp.Run(ctx, chromedp.Evaluate[[]any](wordsJS))
		if ctx.Err() != nil {
			return fmt.Errorf("read the page's text: %w", ctx.Err())
		}
		if err != nil {
			// The page is navigating (a redirect by script, a reload after a
			// bot check): its old document is gone; ask the new one next poll.
			st = []any{"loading", float64(-1)}
		}
		words := 0
		if len(st) == 2 {
			if f, ok := st[1].(float64); ok {
				words = int(f)
			}
		}
		if words == last && st[0] != "loading" {
			still++
		} else {
			still = 0
		}
		last = words
		if (still >= 2 && words >= minWords) || (still >= 5 && words >= blankWords && st[0] == "complete") || time.Now().After(deadline) {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(poll):
		}
	}
}

func timeoutOr(ctx context.Context, timeout time.Duration, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%w: no answer from the page within %s (a script that never ends, or a load that never completes)", errRenderTimeout, timeout)
	}
	return err
}
