package oauthflow

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/browser"
)

// Drive runs the app's connect flow in the browser and returns what it saw.
// It returns an error only when the flow cannot run at all (no browser, the
// browser is gone, ctx ended); a flow that stalls is a Trace with Stalled set.
// Every wait is bounded by o.Timeout and every tab Drive opens is closed.
func Drive(ctx context.Context, cfg *checks.Config, o Options) (*Trace, error) {
	if o.Browser == nil {
		return nil, &checks.CannotRunError{What: "drive the OAuth flow", Err: errors.New("no browser was started")}
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Pace <= 0 {
		o.Pace = DefaultPace
	}
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	d := &driver{cfg: cfg, o: o, obs: o.Observer, m: &masker{}, parent: ctx, wake: make(chan struct{}, 1), started: time.Now(),
		tr: &Trace{StartURL: cfg.OAuth.StartURL, AuthorizeURL: cfg.OAuth.AuthorizeURL}}
	// Secrets are known before anything is recorded, so nothing slips out
	// unmasked, and the recorder can hide them from the first frame.
	for _, s := range append(append([]checks.Step(nil), cfg.OAuth.Steps...), cfg.OAuth.After...) {
		if s.ValueEnv != "" {
			if v := o.Getenv(s.ValueEnv); v != "" {
				d.m.add(v)
				if d.obs != nil {
					d.obs.Secret(v)
				}
			}
		}
	}
	connect, secondConnect := d.connect, d.secondConnect
	if cfg.OAuth.Terminal() {
		connect, secondConnect = d.connectTerminal, d.secondTerminalConnect
	}
	if err := connect(); err != nil {
		return nil, err
	}
	if o.StateTwice && d.tr.Authorize != nil && ctx.Err() == nil {
		second := time.Now()
		if err := secondConnect(); err != nil {
			return nil, err
		}
		d.setTiming(func(t *Timing) { t.SecondConnectMS = since(second) })
	}
	d.setTiming(func(t *Timing) { t.TotalMS = since(d.started) })
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// A browser that died mid-flow ends every wait at once, which looks like
	// a stalled flow; it is a check that could not run, not a finding.
	if o.Browser.Context().Err() != nil {
		return nil, &checks.CannotRunError{What: "drive the OAuth flow", Err: errors.New("the browser exited or crashed during the flow"),
			Hint: "run again; if Chromium keeps crashing, run it by hand with --headless to see why"}
	}
	return d.result(), nil
}

type driver struct {
	cfg    *checks.Config
	o      Options
	obs    Observer
	m      *masker
	parent context.Context // Drive's context: ending it ends every wait
	wake   chan struct{}   // nudge: something happened, waits look again

	started   time.Time // when Drive began
	stepStart time.Time // when the step being recorded began (timing.go)
	quiet     bool      // the second connect records only its authorize request

	mu     sync.Mutex // guards tr, navs, step and tabs against the tabs' event loops
	tr     *Trace
	navs   []rawNav
	step   string
	tabs   []*tab
	done   bool // the trace was handed out; late events are dropped
	shots  int
	popups int
	opened []target.ID // every popup our tabs opened, followed or not

	net     netWatch // what page scripts read over the network (network.go)
	refused error    // a step refused before it typed a secret in clear (literal.go)
	hops    hopWatch // the callback's redirect hop, for the video (video.go)
}

func (d *driver) result() *Trace {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.done = true
	t := *d.tr
	return &t
}

// within bounds one wait in a tab by the timeout and by Drive's context.
func (d *driver) within(t *tab) (context.Context, context.CancelFunc) {
	return d.withinFor(t, d.o.Timeout)
}

// withinFor bounds one read of a tab that may be hung by budget, and by
// Drive's context.
func (d *driver) withinFor(t *tab, budget time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(t.ctx, budget)
	stop := context.AfterFunc(d.parent, cancel)
	return ctx, func() { stop(); cancel() }
}

// poll calls check every pollEvery, or sooner when nudged, until it is true, it fails with a bad
// selector, the window closes or the wait times out.
func (d *driver) poll(t *tab, check func(ctx context.Context) (bool, error)) error {
	ctx, cancel := d.within(t)
	defer cancel()
	for {
		ok, err := check(ctx)
		if err != nil && (errors.Is(err, errBadSelector) || errors.Is(err, errNoUse)) {
			return err
		}
		if ok {
			return nil
		}
		if t.closed() {
			return errors.New("the window closed")
		}
		if err := d.pause(ctx); err != nil {
			if d.parent.Err() != nil {
				return d.parent.Err()
			}
			return fmt.Errorf("nothing within %s", d.o.Timeout)
		}
	}
}

// begin starts a step: the trace, the observer and the progress line see it.
func (d *driver) begin(t *tab, name, caption string) {
	caption = d.m.mask(caption) // "Go to https://user:pass@host/…" from oauth.steps
	d.mu.Lock()
	d.step = name
	if !d.quiet {
		d.endStepLocked()
		d.tr.Steps = append(d.tr.Steps, StepRecord{Name: name, Caption: caption, Tab: t.name})
		d.stepStart = time.Now()
	}
	d.mu.Unlock()
	if d.quiet {
		return
	}
	if d.obs != nil {
		d.obs.Step(name, caption)
	}
	if d.o.Progress != nil {
		fmt.Fprintf(d.o.Progress, "oauth: %s: %s\n", name, caption)
	}
}

// end finishes the current step: capture, then hold it for the video.
func (d *driver) end(t *tab) (rawURL, shot string) {
	rawURL, shot = d.record(t)
	d.hold()
	return rawURL, shot
}

// record captures the tab as the current step's evidence.
func (d *driver) record(t *tab) (rawURL, shot string) {
	step := d.currentStep()
	rawURL, shot = d.capture(t, step, step, d.o.Timeout)
	d.mu.Lock()
	if n := len(d.tr.Steps); n > 0 && !d.quiet {
		d.tr.Steps[n-1].URL, d.tr.Steps[n-1].Screenshot = d.m.mask(rawURL), shot
	}
	d.mu.Unlock()
	return rawURL, shot
}

func (d *driver) hold() {
	if d.obs != nil && !d.quiet {
		sleep(d.parent, d.o.Pace)
	}
}

func (d *driver) currentStep() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.step
}

// stall records where the flow stopped, with a capture of that page.
// stallCapture bounds what is recorded of a page after the flow stalled on it.
const stallCapture = 2 * time.Second

func (d *driver) stall(t *tab, format string, args ...any) {
	if d.quiet {
		return
	}
	reason := fmt.Sprintf(format, args...)
	// A stalled page may be hung: its post-mortem gets a short budget, so
	// the flow ends soon after the wait that timed out.
	rawURL, shot := d.capture(t, d.currentStep(), d.currentStep()+"-stalled", min(d.o.Timeout, stallCapture))
	d.mu.Lock()
	defer d.mu.Unlock()
	d.tr.Stalled = &Stall{Step: d.step, Tab: t.name, URL: d.m.mask(rawURL), Reason: d.m.mask(reason), Screenshot: shot}
	if n := len(d.tr.Steps); n > 0 {
		s := &d.tr.Steps[n-1]
		s.Error, s.Screenshot, s.URL = d.tr.Stalled.Reason, shot, d.tr.Stalled.URL
	}
	if d.o.Progress != nil {
		fmt.Fprintf(d.o.Progress, "oauth: stopped at %s: %s\n", d.step, d.tr.Stalled.Reason)
	}
}

// closeTabs ends a connect: it disposes of the connect's browser context,
// which closes every tab and popup in it at once, then lets go of the tabs
// opened since index from, so no window outlives the flow (other apps share
// this browser). Closing tab by tab would wait for each to leave the
// browser's target list; only when the disposal fails are the tabs and every
// popup they opened closed one by one.
func (d *driver) closeTabs(bc *browser.Context, from int) {
	disposed := bc.Close() == nil
	d.mu.Lock()
	tabs := append([]*tab(nil), d.tabs[from:]...)
	opened := d.opened
	d.opened = nil
	d.mu.Unlock()
	for _, t := range tabs {
		t.cancel()
	}
	if disposed {
		return
	}
	ctx, cancel := context.WithTimeout(d.o.Browser.Context(), 2*time.Second)
	defer cancel()
	for _, id := range opened {
		// A popup already closed answers with an error: nothing to do.
		chromedp.CallBrowser(ctx, target.CloseTarget, target.CloseTargetParams{TargetID: id})
	}
}

// nudge wakes a wait that pauses (pause) so it looks again at once. The
// tabs' event loops call it on a navigation or a load: the next step's
// page is usually there, and a flow should not idle out the rest of a poll
// interval on every page while other apps' flows queue for the CPU.
func (d *driver) nudge() {
	select {
	case d.wake <- struct{}{}:
	default: // one wake-up pending is enough
	}
}

// pause waits for pollEvery, a nudge or the end of ctx, whichever is first.
func (d *driver) pause(ctx context.Context) error {
	tm := time.NewTimer(pollEvery)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-d.wake:
		return nil
	case <-tm.C:
		return nil
	}
}

func (d *driver) navCount() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.navs)
}

// navsSince returns the raw navigations from index i on.
func (d *driver) navsSince(i int) []rawNav {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]rawNav(nil), d.navs[i:]...)
}

func (d *driver) status(n rawNav) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.tr.Navigations[n.index].Status
}

// isAuthorize reports whether a URL is Pinterest's authorize page, compared
// after normalising both (matchesEndpoint).
func (d *driver) isAuthorize(raw string) bool {
	return matchesEndpoint(raw, d.cfg.OAuth.AuthorizeURL)
}

// onAuthorizeOrigin reports whether a URL is on the authorize page's site
// (Pinterest's login and consent pages are).
func (d *driver) onAuthorizeOrigin(raw string) bool {
	a, err1 := url.Parse(d.cfg.OAuth.AuthorizeURL)
	u, err2 := url.Parse(raw)
	return err1 == nil && err2 == nil && a.Scheme == u.Scheme && strings.EqualFold(a.Host, u.Host)
}

// tabNamed finds a tab of the flow by name.
func (d *driver) tabNamed(name string) *tab {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, t := range d.tabs {
		if t.name == name {
			return t
		}
	}
	return nil
}

// switchTo makes t the tab the flow works in and tells the observer.
func (d *driver) switchTo(t *tab) {
	if d.obs != nil && !d.quiet {
		if err := d.obs.Tab(t.ctx); err != nil && d.o.Progress != nil {
			fmt.Fprintf(d.o.Progress, "oauth: the recorder could not follow %s: %v\n", t.name, err)
		}
	}
}

// popupOrNil takes a popup id from ch if one is waiting.
func popupOrNil(ch <-chan target.ID) target.ID {
	select {
	case id := <-ch:
		return id
	default:
		return ""
	}
}

// navigate loads a URL in the tab and waits for it.
func (d *driver) navigate(t *tab, u string) error {
	ctx, cancel := d.within(t)
	defer cancel()
	err := chromedp.Do(ctx, chromedp.Navigate(u))
	if err != nil {
		// Chromium names a failure behind its egress proxy only as a
		// SOCKS failure; the browser knows the cause.
		if explained := d.o.Browser.ExplainNetError(u, err.Error()); explained != err.Error() {
			return errors.New(explained)
		}
	}
	return err
}
