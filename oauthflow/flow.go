package oauthflow

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/pinready/pinready/checks"
)

// pollEvery is how often waits look again when nothing wakes them sooner:
// a navigation, a load or a popup of the flow wakes them at once (pause).
const pollEvery = 100 * time.Millisecond

// connect runs the whole flow once: app, steps, connect, consent, approve,
// callback, live data, after-steps. Only a browser that cannot open a tab
// is an error; everything else ends in the trace.
func (d *driver) connect() error {
	// The flow runs in a browser context of its own: other apps audited in
	// the same browser neither see its cookies nor spoil its state.
	bc, err := d.o.Browser.NewContext(nil)
	if err != nil {
		return &checks.CannotRunError{What: "open a browser context for the OAuth flow", Err: err,
			Hint: "the browser may have crashed; run again, or check that Chromium starts (pinready check --only oauth)"}
	}
	from := len(d.tabs)
	main, err := d.openTab(bc, "tab")
	if err != nil {
		bc.Close()
		return &checks.CannotRunError{What: "open a browser tab for the OAuth flow", Err: err,
			Hint: "the browser may have crashed; run again, or check that Chromium starts (pinready check --only oauth)"}
	}
	defer func() {
		d.endStep() // the last step ends with the flow, not with the clean-up
		start := time.Now()
		d.drainNetwork() // before the tabs close: bodies are fetched from them
		d.closeTabs(bc, from)
		d.setTiming(func(t *Timing) { t.CloseMS = since(start) })
	}()
	d.setTiming(func(t *Timing) { t.SetupMS = since(d.started) })
	if d.obs != nil {
		if err := d.obs.Tab(main.ctx); err != nil {
			return &checks.CannotRunError{What: "start recording the OAuth flow", Err: err}
		}
	}
	wctx, stopWatch := context.WithCancel(main.ctx)
	defer stopWatch()
	popups, err := d.watchPopups(wctx)
	if err != nil {
		return &checks.CannotRunError{What: "watch for popup windows", Err: err}
	}

	cfg := d.cfg.OAuth
	d.begin(main, "open-app", "Open "+d.cfg.App.Name)
	if err := d.navigate(main, cfg.StartURL); err != nil {
		d.stall(main, "could not open %s: %v", cfg.StartURL, err)
		return nil
	}
	d.end(main)
	if !d.runSteps(main, cfg.Steps, "step") {
		return d.refused
	}

	active, ok := d.clickConnect(main, popups)
	if !ok {
		return nil
	}
	active, ok = d.consentAndApprove(active, main)
	if !ok {
		return nil
	}
	active = d.liveData(active, main)
	if d.tr.Stalled != nil {
		return nil
	}
	if !d.runSteps(active, cfg.After, "after") {
		return d.refused
	}
	d.snapshot(active, "end")
	return nil
}

// runSteps runs oauth.steps or oauth.after; false when one stalled. Each
// step's control is found before its caption is shown, so the caption can
// name what a person sees of it ("Fill in Email", "Click Sign in").
func (d *driver) runSteps(t *tab, steps []checks.Step, prefix string) bool {
	for i, s := range steps {
		name := fmt.Sprintf("%s-%d", prefix, i+1)
		var err error
		switch {
		case s.Goto != "":
			d.begin(t, name, "Go to "+d.m.mask(s.Goto))
			err = d.navigate(t, s.Goto)
		case s.Click != "":
			el, werr := d.waitElement(t, s.Click)
			d.begin(t, name, "Click "+d.controlName(el, s.Click))
			if err = werr; err == nil {
				_, err = d.click(t, s.Click)
			}
		case s.Fill != "":
			value := s.Value
			if s.ValueEnv != "" {
				value = d.o.Getenv(s.ValueEnv)
			}
			if s.ValueEnv != "" && value == "" {
				// A configuration problem: said at once, without waiting for the field.
				d.begin(t, name, "Fill in "+d.controlName(d.findNow(t, s.Fill), s.Fill)+" (hidden)")
				d.stall(t, "%s: the environment variable %s is empty or unset", s.Field, s.ValueEnv)
				return false
			}
			el, werr := d.waitElement(t, s.Fill)
			caption := "Fill in " + d.controlName(el, s.Fill)
			if s.ValueEnv != "" {
				caption += " (hidden)"
			}
			d.begin(t, name, caption)
			if werr == nil && s.ValueEnv == "" {
				if d.refused = d.literalIntoSecret(t, s); d.refused != nil {
					return false
				}
			}
			if err = werr; err == nil {
				err = d.fill(t, s.Fill, value, s.ValueEnv != "")
			}
		case s.Wait != "":
			el, werr := d.waitElement(t, s.Wait)
			d.begin(t, name, "Wait for "+d.controlName(el, s.Wait))
			if err = werr; err == nil {
				d.moment(el)
			}
		}
		if err != nil {
			d.stall(t, "%s: %v", s.Field, err)
			return false
		}
		d.end(t)
	}
	return true
}

// findNow looks for sel once, briefly; nil when it is not there.
func (d *driver) findNow(t *tab, sel string) *element {
	ctx, cancel := context.WithTimeout(t.ctx, time.Second)
	defer cancel()
	el, _ := find(ctx, sel, false)
	return el
}

// clickConnect clicks the connect control and follows the flow, into a
// popup if one opens, until Pinterest's authorize page.
func (d *driver) clickConnect(main *tab, popups <-chan target.ID) (*tab, bool) {
	sel := d.cfg.OAuth.ConnectSelector
	d.mu.Lock()
	d.step = "connect"
	d.mu.Unlock()
	if sel == "" {
		d.begin(main, "connect", "Click Connect Pinterest")
		d.stall(main, "oauth.connect_selector is not set: say which control starts the Pinterest connection")
		return nil, false
	}
	el, err := d.waitElement(main, sel)
	if err != nil {
		d.begin(main, "connect", "Click "+d.controlName(nil, sel))
		d.stall(main, "the connect control %s did not appear: %v", sel, err)
		return nil, false
	}
	d.begin(main, "connect", "Click "+d.controlName(el, sel))
	d.record(main)
	since := d.navCount()
	_, clickErr := d.click(main, sel)
	if clickErr != nil && !errors.Is(clickErr, context.DeadlineExceeded) {
		d.stall(main, "%v", clickErr)
		return nil, false
	}
	// A click that timed out may still have worked: a page busy in its click
	// handler (opening windows, say) answers late. Watch where it leads.
	d.hold()

	active := main
	deadline := time.Now().Add(d.o.Timeout)
	for time.Now().Before(deadline) && d.parent.Err() == nil {
		// Follow the first popup; a page that opens many gets the rest
		// closed when the flow ends.
		if id := popupOrNil(popups); id != "" && active == main {
			p, err := d.attachPopup(id)
			if err != nil {
				d.stall(main, "%v", err)
				return nil, false
			}
			d.mu.Lock()
			d.tr.Popup = true
			d.mu.Unlock()
			active = p
			d.switchTo(p)
		}
		if raw := d.authorizeSeen(since, active); raw != "" {
			d.recordAuthorize(raw, active.name)
			return active, true
		}
		if active.closed() {
			active = main
		}
		d.pause(d.parent)
	}
	if clickErr != nil {
		d.stall(active, "%v, and it did not lead to %s", clickErr, d.cfg.OAuth.AuthorizeURL)
		return nil, false
	}
	d.stall(active, "clicking %s did not lead to %s within %s", sel, d.cfg.OAuth.AuthorizeURL, d.o.Timeout)
	return nil, false
}

// authorizeSeen returns the raw URL of the first request to the authorize
// page since index since, or the tab's own URL once it is there (a popup may
// have made its first request before Drive attached to it).
func (d *driver) authorizeSeen(since int, t *tab) string {
	for _, n := range d.navsSince(since) {
		if d.isAuthorize(n.url) {
			return n.url
		}
	}
	if t.closed() {
		return ""
	}
	ctx, cancel := context.WithTimeout(t.ctx, time.Second)
	defer cancel()
	if loc, err := location(ctx); err == nil && d.isAuthorize(loc) {
		return loc
	}
	return ""
}

// recordAuthorize parses the authorize request into the trace.
func (d *driver) recordAuthorize(raw, tabName string) {
	a := parseAuthorize(raw, d.m)
	a.Tab = tabName
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.quiet {
		d.tr.SecondAuthorize = a
	} else {
		d.tr.Authorize = a
	}
}

// consentAndApprove waits for the approve control, clicks it and follows
// Pinterest's redirect back to the app.
func (d *driver) consentAndApprove(active, main *tab) (*tab, bool) {
	az := d.tr.Authorize
	scopes := strings.Join(strings.FieldsFunc(az.Scope, func(r rune) bool { return r == ',' || r == ' ' }), ", ")
	d.begin(active, "consent", "Pinterest shows the consent screen: "+scopes)
	sel := d.cfg.OAuth.ApproveSelector
	// Pinterest's error page ends the wait at once: no consent appears on
	// it, and waiting out the timeout would only make the finding slower
	// (and, on a busy machine, depend on how long the page took).
	el, err := d.waitElementScroll(active, sel, d.video() == nil, func(ctx context.Context) error {
		if status := d.refusedAuthorize(ctx, active); status != 0 {
			return noUse{fmt.Sprintf("Pinterest answered the authorize request with HTTP %d", status)}
		}
		return nil
	})
	consentAt := time.Now()
	d.setConsentPage(active, err == nil)
	if err != nil {
		d.mu.Lock()
		d.tr.Consent.Excerpt = d.pinterestExcerpt(active)
		d.mu.Unlock()
		d.stall(active, "the approve control %s did not appear on Pinterest's page: %v", sel, err)
		return nil, false
	}
	_, shot := d.end(active)
	d.mu.Lock()
	d.tr.Consent.Shown, d.tr.Consent.Screenshot, az.Screenshot = true, shot, shot
	d.mu.Unlock()

	label := d.controlName(el, sel)
	d.begin(active, "approve", "Click "+label)
	d.record(active)
	since := d.navCount()
	d.armHop()
	// The consent page stays on screen long enough to be read, whatever
	// the pace; the cursor rests on the control meanwhile.
	if _, err := d.clickWhen(active, sel, consentAt.Add(d.consentDwell())); err != nil {
		d.stall(active, "%v", err)
		return nil, false
	}
	// No hold after the click: what comes next on screen is the way back to
	// the app, captioned as it happens.

	var cb rawNav
	err = d.poll(main, func(context.Context) (bool, error) {
		for _, n := range d.navsSince(since) {
			if !d.onAuthorizeOrigin(n.url) {
				cb = n
				return true, nil
			}
		}
		return false, nil
	})
	if err != nil {
		d.stall(active, "after %s, Pinterest did not send the browser back to the app: %v", label, err)
		return nil, false
	}
	// The callback's answer decides what the video can show: a page, or a
	// redirect on to somewhere else (the hop the recorder draws). A callback
	// that never answers is judged by the rules; the flow goes on.
	d.poll(main, func(context.Context) (bool, error) { return d.status(cb) != 0, nil })
	d.mu.Lock()
	d.tr.Consent.Approved = true
	d.mu.Unlock()
	if t := d.tabNamed(cb.tab); t != nil && !t.closed() {
		active = t
	}
	d.recordCallback(cb)
	d.mu.Lock()
	caption := d.callbackCaption(d.tr.Callback)
	hop := d.tr.Callback.RedirectedTo != ""
	d.mu.Unlock()
	d.begin(active, "callback", caption)
	if v := d.video(); v != nil && hop {
		v.Moment() // the address bar shows the hop now, with the code
	}
	d.settle(active)
	if active.closed() {
		active = main
		d.switchTo(main)
	}
	if !hop {
		d.moment(nil) // the callback page, its URL with the code in the address bar
	}
	_, shot = d.end(active)
	d.mu.Lock()
	d.tr.Callback.Screenshot = shot
	d.mu.Unlock()
	d.snapshot(active, "after-callback")
	return active, true
}

// errNoUse ends a wait early: what it waits for cannot come any more.
// noUse says why, in words.
var errNoUse = errors.New("no use waiting")

type noUse struct{ why string }

func (e noUse) Error() string { return e.why }
func (e noUse) Unwrap() error { return errNoUse }

// refusedAuthorize is the HTTP status of the tab's page when it is
// Pinterest's authorize page, answered with an error, and loaded; 0
// otherwise.
func (d *driver) refusedAuthorize(ctx context.Context, t *tab) int {
	var last *rawNav
	for _, n := range d.navsSince(0) {
		if n.tab == t.name {
			last = &n
		}
	}
	if last == nil || !d.isAuthorize(last.url) {
		return 0
	}
	status := d.status(*last)
	if status < 400 {
		return 0
	}
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.readyState === "complete"`))
	if err != nil || !loaded {
		return 0
	}
	if loc, err := location(ctx); err != nil || !d.isAuthorize(loc) {
		return 0
	}
	return status
}

// setConsentPage notes the authorize page's URL and HTTP status. A page
// that showed the approve control answers: it gets the whole timeout, as any
// wait, so a busy machine does not lose the URL; one that did not may be
// hung and gets the post-mortem budget.
func (d *driver) setConsentPage(t *tab, shown bool) {
	var status int
	for _, n := range d.navsSince(0) {
		if d.isAuthorize(n.url) && n.tab == t.name {
			status = d.status(n)
		}
	}
	budget := d.o.Timeout
	if !shown {
		budget = min(budget, stallCapture)
	}
	ctx, cancel := d.withinFor(t, budget)
	defer cancel()
	loc, _ := location(ctx)
	d.mu.Lock()
	defer d.mu.Unlock()
	d.tr.Consent.URL, d.tr.Consent.Status = d.m.mask(loc), status
}

// pinterestExcerpt is the start of the page's text, to show what Pinterest
// said instead of the consent screen.
func (d *driver) pinterestExcerpt(t *tab) string {
	ctx, cancel := d.withinFor(t, min(d.o.Timeout, stallCapture))
	defer cancel()
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 2000) : ""`))
	if err != nil {
		return ""
	}
	return clip(d.m.mask(strings.Join(strings.Fields(text), " ")), 300)
}

// settle waits until the tab has left Pinterest and finished loading, or
// closed itself (a popup handing back to its opener).
func (d *driver) settle(t *tab) {
	d.poll(t, func(ctx context.Context) (bool, error) {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.readyState === "complete"`))
		if err != nil || !v {
			return false, nil
		}
		loc, err := location(ctx)
		return err == nil && !d.onAuthorizeOrigin(loc), nil
	})
}

// recordCallback parses the first navigation back from Pinterest. A code or
// state in the fragment counts too (an implicit-grant style redirect).
func (d *driver) recordCallback(n rawNav) {
	cb := parseCallback(n.url, d.m)
	cb.Tab, cb.Status = n.tab, d.status(n)
	if cb.Status >= 300 && cb.Status < 400 {
		for _, next := range d.navsSince(n.index + 1) {
			if next.tab == n.tab {
				cb.RedirectedTo = d.m.mask(next.url)
				break
			}
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.tr.Callback = cb
}

// liveData waits for the configured proof of live Pinterest data, in the
// active tab or, when a popup handed back, the first tab.
func (d *driver) liveData(active, main *tab) *tab {
	text, sel := d.cfg.OAuth.SuccessText, d.cfg.OAuth.SuccessSelector
	proof := ""
	switch {
	case text != "":
		proof = fmt.Sprintf("text %q", text)
	case sel != "":
		proof = "selector " + sel
	default:
		return active
	}
	d.mu.Lock()
	d.tr.Success.Proof = proof
	d.mu.Unlock()
	d.begin(active, "live-data", "Live data from the Pinterest API")
	var where *tab
	var excerpt string
	err := d.poll(main, func(ctx context.Context) (bool, error) {
		for _, t := range []*tab{active, main} {
			if t.closed() {
				continue
			}
			tctx, cancel := context.WithTimeout(ctx, time.Second)
			ok, ex := hasProof(tctx, text, sel)
			cancel()
			if ok {
				where, excerpt = t, ex
				return true, nil
			}
		}
		return false, nil
	})
	if where != nil && where != active {
		active = where
		d.switchTo(active)
	}
	if active.closed() {
		active = main
	}
	if err != nil {
		ctx, cancel := d.withinFor(active, min(d.o.Timeout, stallCapture))
		loc, _ := location(ctx)
		cancel()
		d.mu.Lock()
		d.tr.Success.URL = d.m.mask(loc)
		d.mu.Unlock()
		d.stall(active, "%s did not appear after connecting: %v", proof, err)
		d.mu.Lock()
		d.tr.Success.Screenshot = d.tr.Stalled.Screenshot
		d.mu.Unlock()
		return active
	}
	if d.video() != nil {
		d.moment(d.proofElement(active, text, sel)) // the data, outlined
	}
	rawURL, shot := d.end(active)
	d.mu.Lock()
	d.tr.Success.Found, d.tr.Success.URL, d.tr.Success.Screenshot = true, d.m.mask(rawURL), shot
	d.tr.Success.Excerpt = d.m.mask(excerpt)
	d.mu.Unlock()
	return active
}

// hasProof checks a page for the success text or selector.
func hasProof(ctx context.Context, text, sel string) (bool, string) {
	if text != "" {
		body, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
		if err != nil {
			return false, ""
		}
		i := strings.Index(body, text)
		if i < 0 {
			return false, ""
		}
		return true, excerptAround(body, i, i+len(text))
	}
	el, err := find(ctx, sel, false)
	if err != nil || el == nil {
		return false, ""
	}
	return true, el.Text
}

// secondConnect connects again, up to the authorize page, in a browser
// context of its own, so it starts like a new visitor: none of the app's
// cookies or storage from the first connect (--state-twice). A signed-in
// profile's cookies other than the app's (Pinterest's own) are kept.
func (d *driver) secondConnect() error {
	d.quiet = true
	obs := d.obs
	d.obs = nil
	defer func() { d.quiet, d.obs = false, obs }()
	bc, err := d.o.Browser.NewContext(func(c *network.Cookie) bool { return !d.appCookie(c) })
	if err != nil {
		return &checks.CannotRunError{What: "open a second browser context for --state-twice", Err: err}
	}
	from := len(d.tabs)
	t, err := d.openTab(bc, "second-tab")
	if err != nil {
		bc.Close()
		return &checks.CannotRunError{What: "open a second tab for --state-twice", Err: err}
	}
	defer d.closeTabs(bc, from)
	wctx, stop := context.WithCancel(t.ctx)
	defer stop()
	popups, err := d.watchPopups(wctx)
	if err != nil {
		return &checks.CannotRunError{What: "watch for popup windows", Err: err}
	}
	if d.navigate(t, d.cfg.OAuth.StartURL) != nil || !d.runSteps(t, d.cfg.OAuth.Steps, "step") {
		return nil
	}
	d.clickConnect(t, popups)
	return nil
}

// appCookie reports whether a cookie goes to one of the app's origins.
func (d *driver) appCookie(c *network.Cookie) bool {
	domain := strings.ToLower(strings.TrimPrefix(c.Domain, "."))
	for _, o := range d.cfg.Origins() {
		u, err := url.Parse(o)
		if err != nil {
			continue
		}
		host := strings.ToLower(u.Hostname())
		if host == domain || strings.HasPrefix(c.Domain, ".") && strings.HasSuffix(host, "."+domain) {
			return true
		}
	}
	return false
}

// parseAuthorize reads the parameters of a request to the authorize page;
// nil when raw is not a URL. Params, URL and the redirect URI are masked;
// the other named fields are the raw values the rules compare.
func parseAuthorize(raw string, m *masker) *Authorize {
	q, _ := queryOf(raw)
	a := &Authorize{URL: m.mask(raw), Params: map[string]string{},
		ClientID: q.Get("client_id"), RedirectURI: m.mask(q.Get("redirect_uri")), ResponseType: q.Get("response_type"),
		Scope: q.Get("scope"), State: q.Get("state"), HasState: q.Has("state")}
	if a.ClientID == "" && q.Get("consumer_id") != "" {
		a.ClientID, a.ClientIDParam = q.Get("consumer_id"), "consumer_id"
	}
	for k := range q {
		a.Params[k] = m.mask(q.Get(k))
	}
	if q.Has("code_challenge") {
		method := q.Get("code_challenge_method")
		if method == "" {
			method = "plain" // RFC 7636 4.3: the default
		}
		a.PKCE = &PKCE{Method: method, Challenge: q.Get("code_challenge")}
	}
	return a
}

// queryOf reads a URL's query and fragment the way a browser does: a bad
// escape or an odd host does not lose the parameters that do decode (Chromium
// navigates to URLs that url.Parse rejects).
func queryOf(raw string) (url.Values, string) {
	raw, fragment, _ := strings.Cut(raw, "#")
	_, rawQuery, _ := strings.Cut(raw, "?")
	q, _ := url.ParseQuery(rawQuery) // keeps every pair that decodes
	return q, fragment
}

// parseCallback reads the navigation back from Pinterest. A code or state in the fragment counts too (an implicit-grant
// style redirect). The code is kept as a fingerprint only.
func parseCallback(raw string, m *masker) *Callback {
	q, fragment := queryOf(raw)
	frag, _ := url.ParseQuery(fragment)
	for k, v := range frag {
		if !q.Has(k) {
			q[k] = v
		}
	}
	return &Callback{URL: m.mask(raw),
		HasCode: q.Get("code") != "", Code: fingerprint(q.Get("code")),
		State: q.Get("state"), HasState: q.Has("state"), Error: q.Get("error")}
}
