package oauthflow

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/domstorage"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/pinready/pinready/internal/outfile"
)

//go:embed fields.js
var fieldsJS string

// maxPageText bounds each page text kept in the trace; the raw text scanned
// for tokens is bounded separately and larger.
const (
	maxPageText = 20000
	maxScanText = 500000
)

// location is the tab's current URL, raw.
func location(ctx context.Context) (string, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[string](`location.href`))
}

// screenshot writes the tab's viewport as NN-name.png in the evidence
// directory and returns its path; "" when there is no directory or it fails.
// ctx bounds it with the rest of the capture.
func (d *driver) screenshot(ctx context.Context, t *tab, name string) (path string, replaced bool) {
	if d.o.EvidenceDir == "" || d.quiet || t.closed() {
		return "", false
	}
	// No token or secret reaches an evidence file: mask the page for the
	// shot, then put it back. A page that cannot run the script (hung) is
	// not shot at all (its budget is spent: not replaced). A script that
	// fails on an open tab within the budget met a page going away (its
	// execution context destroyed by a form's navigation): the capture
	// takes the next page instead, as when the shot itself is overtaken.
	commits := d.commitCount(t)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](d.m.shotMaskCall())); err != nil {
		return "", ctx.Err() == nil && !t.closed()
	}
	png, err := d.shootUnlessReplaced(ctx, t, commits)
	// On a page that replaced the masked one there is nothing to put back
	// (the function is undefined there): the call is harmless.
	chromedp.Run(ctx, chromedp.Evaluate[any](`window.__pinreadyUnmask && window.__pinreadyUnmask()`))
	if err != nil {
		return "", errors.Is(err, errReplaced)
	}
	d.shots++
	path = filepath.Join(d.o.EvidenceDir, fmt.Sprintf("%02d-%s.png", d.shots, name))
	if err := os.MkdirAll(d.o.EvidenceDir, 0o755); err != nil {
		return "", false
	}
	if err := outfile.WriteBytes(path, png); err != nil { // a link planted there is replaced, not followed
		return "", false
	}
	return path, false
}

// errReplaced: the page was replaced while its screenshot was taken.
var errReplaced = errors.New("the page was replaced during the screenshot")

// shootUnlessReplaced takes the viewport's screenshot, unless a new document
// commits in the tab meanwhile (since commits was counted): a click that
// submits a form is still loading the next page when the step's capture
// starts, and Chromium's headless shell never answers a screenshot of the
// page it replaced (it waited out the whole timeout). The capture then
// takes the new page instead (capture's retry).
func (d *driver) shootUnlessReplaced(ctx context.Context, t *tab, commits int) ([]byte, error) {
	if d.commitCount(t) != commits {
		return nil, errReplaced
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type shot struct {
		png []byte
		err error
	}
	got := make(chan shot, 1)
	go func() {
		png, err := captureViewport(ctx)
		got <- shot{png, err}
	}()
	// A short tick looks at the tab's commits while the screenshot is
	// pending (usually well under a second): the nudge channel belongs to
	// the driver's waits, and taking a nudge here would starve them.
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case s := <-got:
			return s.png, s.err
		case <-tick.C:
			if d.commitCount(t) != commits {
				return nil, errReplaced
			}
		}
	}
}

// commitCount is how many documents the tab's main frame has committed.
func (d *driver) commitCount(t *tab) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return t.commits
}

// onAppOrigin reports whether a URL belongs to the app.
func (d *driver) onAppOrigin(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return false
	}
	return slices.Contains(d.cfg.Origins(), u.Scheme+"://"+strings.ToLower(u.Host))
}

// pageInfo is what capture reads from a page.
type pageInfo struct {
	Title   string   `json:"title"`
	Heading string   `json:"heading"`
	Alerts  []string `json:"alerts"`
	Text    string   `json:"text"`
}

// pageInfoJS reads a page's title, main heading, alert boxes and text.
// The heading and the alerts are where an OAuth library's failure page
// says what went wrong (allauth's h1 "Third-Party Login Failure", Auth.js'
// "Server error" or its sign-in page's .error box): only visible ones count.
const pageInfoJS = `(() => {
  const shown = (e) => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length) && getComputedStyle(e).visibility !== "hidden";
  const words = (e) => (e.innerText || "").replace(/\s+/g, " ").trim().slice(0, 300);
  let heading = "";
  for (const sel of ["h1", "h2"]) {
    const h = [...document.querySelectorAll(sel)].find(shown);
    if (h) { heading = words(h); break; }
  }
  const alerts = [...document.querySelectorAll('[role=alert], .alert-danger, .alert-error, .error, .errors, .errorlist, .flash-error, .notification.is-danger')]
    .filter(shown).map(words).filter((t) => t !== "").slice(0, 5);
  return {title: document.title, heading, alerts, text: document.body ? document.body.innerText.slice(0, %d) : ""};
})()`

// capture records the tab at the end of a step: a screenshot (named
// shotName), and for an app page its text, its form fields (before
// authorization) and any token in it, all within one budget.
func (d *driver) capture(t *tab, step, shotName string, budget time.Duration) (rawURL, shot string) {
	if t.closed() {
		return "", ""
	}
	ctx, cancel := d.within(t)
	defer cancel()
	ctx, cancelBudget := context.WithTimeout(ctx, budget)
	defer cancelBudget()
	// A page can go away under the capture: a click that submits a form is
	// still loading the next page. Capture that one once it has loaded
	// (settled), so a step records one page however the timing falls.
	for try := 1; ; try++ {
		var moved bool
		rawURL, shot, moved = d.captureOnce(ctx, t, step, shotName)
		if !moved || try == maxCaptureTries || d.settled(ctx, t) != nil {
			return rawURL, shot
		}
		d.discardShot(shot)
	}
}

// maxCaptureTries bounds the captures of a step whose page keeps moving.
const maxCaptureTries = 3

// captureOnce is one try of capture. moved reports that the page could not
// be read although it is open and the budget is not spent: it navigated.
func (d *driver) captureOnce(ctx context.Context, t *tab, step, shotName string) (rawURL, shot string, moved bool) {
	moving := func() bool { return ctx.Err() == nil && !t.closed() }
	rawURL, err := location(ctx)
	if err != nil {
		return "", "", moving()
	}
	shot, replaced := d.screenshot(ctx, t, shotName)
	if replaced {
		return rawURL, "", moving()
	}
	if d.quiet || !d.onAppOrigin(rawURL) {
		return rawURL, shot, false
	}
	info, err := chromedp.Run(ctx, chromedp.Evaluate[pageInfo](fmt.Sprintf(pageInfoJS, maxScanText)))
	if err != nil {
		return rawURL, shot, moving()
	}
	d.mu.Lock()
	before := d.tr.Authorize == nil
	d.tr.Pages = append(d.tr.Pages, PageText{
		Tab: t.name, Step: step, URL: d.m.mask(rawURL), Title: d.m.mask(info.Title),
		Heading: d.m.mask(info.Heading), Alerts: d.maskAll(info.Alerts),
		Text: clip(d.m.mask(info.Text), maxPageText), BeforeAuthorize: before, Screenshot: shot,
	})
	d.tr.Exposures = append(d.tr.Exposures, d.m.findExposures("page-text", rawURL, info.Text)...)
	d.tr.Exposures = append(d.tr.Exposures, d.m.findExposures("title", rawURL, info.Title)...)
	d.mu.Unlock()
	if before {
		d.fields(ctx, t, step, rawURL, shot)
	}
	return rawURL, shot, false
}

// maskAll masks each text; nil for none.
func (d *driver) maskAll(texts []string) []string {
	var out []string
	for _, t := range texts {
		out = append(out, d.m.mask(t))
	}
	return out
}

type fieldJS struct {
	Type     string `json:"type"`
	Field    string `json:"field"`
	FormText string `json:"formText"`
	Filled   bool   `json:"filled"`
}

func (d *driver) fields(ctx context.Context, t *tab, step, rawURL, shot string) {
	sels := []string{} // never null in JSON
	for _, s := range d.cfg.OAuth.Steps {
		if s.Fill != "" && !strings.HasPrefix(s.Fill, "text=") {
			sels = append(sels, s.Fill)
		}
	}
	arg, _ := json.Marshal(sels)
	found, err := chromedp.Run(ctx, chromedp.Evaluate[[]fieldJS](fmt.Sprintf("(%s)(%s)", fieldsJS, arg)))
	if err != nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, c := range found {
		d.tr.Fields = append(d.tr.Fields, FormField{
			Tab: t.name, Step: step, URL: d.m.mask(rawURL), Type: c.Type, Field: d.m.mask(c.Field),
			FormText: d.m.mask(c.FormText), FilledByStep: c.Filled, Screenshot: shot,
		})
	}
}

// snapshot records what scripts of each app origin can read: localStorage,
// this tab's sessionStorage and the cookies that are not HttpOnly.
func (d *driver) snapshot(t *tab, when string) {
	if d.quiet || t.closed() {
		return
	}
	ctx, cancel := d.within(t)
	defer cancel()
	_, _ = chromedp.Call(ctx, domstorage.Enable, cdp.Empty{})
	for _, origin := range d.cfg.Origins() {
		s := Snapshot{When: when, Origin: origin}
		local := storageItems(ctx, origin, true)
		session := storageItems(ctx, origin, false)
		cookies := map[string]string{}
		if res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{origin + "/"}}); err == nil {
			for _, c := range res.Cookies {
				if !c.HTTPOnly {
					cookies[c.Name] = c.Value
				}
			}
		}
		d.mu.Lock()
		for where, m := range map[string]map[string]string{"localStorage": local, "sessionStorage": session, "cookie": cookies} {
			for k, v := range m {
				d.tr.Exposures = append(d.tr.Exposures, d.m.findExposures(where, origin, k+"="+v)...)
			}
		}
		s.LocalStorage, s.SessionStorage, s.Cookies = d.m.maskMap(local), d.m.maskMap(session), d.m.maskMap(cookies)
		d.tr.Snapshots = append(d.tr.Snapshots, s)
		d.mu.Unlock()
	}
}

// storageItems reads an origin's DOM storage through DevTools, which works
// for any origin, not only the page's.
func storageItems(ctx context.Context, origin string, local bool) map[string]string {
	out := map[string]string{}
	res, err := chromedp.Call(ctx, domstorage.GetDOMStorageItems, domstorage.GetDOMStorageItemsParams{
		StorageID: &domstorage.StorageID{StorageKey: domstorage.SerializedStorageKey(origin + "/"), IsLocalStorage: local}})
	if err != nil {
		res, err = chromedp.Call(ctx, domstorage.GetDOMStorageItems, domstorage.GetDOMStorageItemsParams{
			StorageID: &domstorage.StorageID{SecurityOrigin: origin, IsLocalStorage: local}})
	}
	if err != nil {
		return out
	}
	for _, it := range res.Entries {
		if len(it) == 2 {
			out[it[0]] = it[1]
		}
	}
	return out
}
