package browser_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/pinready/pinready/internal/browser"
	"github.com/pinready/pinready/internal/browser/browsertest"
	"github.com/pinready/pinready/internal/resolve"
	"github.com/pinready/pinready/internal/testenv"
)

// cookieSite serves /set?v=X (sets the cookie sid=X, HttpOnly, as an app's
// session is) and /get (answers the Cookie header it received) under two
// host names, pins.test and app.test, on one port.
func cookieSite(t *testing.T) (m resolve.Map, port string) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/set":
			http.SetCookie(w, &http.Cookie{Name: "sid", Value: r.URL.Query().Get("v"), Path: "/", HttpOnly: true, MaxAge: 3600})
			io.WriteString(w, "<p>set</p>")
		case "/get":
			io.WriteString(w, "<p id=c>cookie:"+r.Header.Get("Cookie")+"</p>")
		case "/popup":
			io.WriteString(w, `<p>opener</p><script>window.open("/get", "_blank", "popup")</script>`)
		default:
			io.WriteString(w, `<p>hello</p>`)
		}
	}))
	t.Cleanup(srv.Close)
	_, port, _ = net.SplitHostPort(srv.Listener.Addr().String())
	m, err := resolve.ParseAll([]string{"pins.test:" + port + ":127.0.0.1", "app.test:" + port + ":127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	return m, port
}

// visit loads url in the tab and returns the page's text.
func visit(t *testing.T, tab context.Context, url string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, testenv.Hang)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		t.Fatal(err)
	}
	return text
}

func newTab(t *testing.T, c *browser.Context) context.Context {
	t.Helper()
	tab, cancel, err := c.NewTab()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cancel)
	return tab
}

// Two browser contexts of one browser share no cookie and no storage, a
// popup stays in its opener's context, the window has the browser's size,
// and Close disposes of the context with every tab and popup in it. A
// temporary profile seeds nothing, and nothing flows back into it.
func TestContextIsolation(t *testing.T) {
	m, port := cookieSite(t)
	b := browsertest.Launch(t, browser.Options{Resolve: m, Width: 1000, Height: 700})
	app := "http://app.test:" + port

	a, err := b.NewContext(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	other, err := b.NewContext(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if a.ID() == "" || a.ID() == other.ID() {
		t.Fatalf("context ids %q and %q", a.ID(), other.ID())
	}

	ta, to := newTab(t, a), newTab(t, other)
	visit(t, ta, app+"/set?v=alpha")
	if got := visit(t, ta, app+"/get"); !strings.Contains(got, "sid=alpha") {
		t.Errorf("context a lost its own cookie: %q", got)
	}
	if got := visit(t, to, app+"/get"); strings.Contains(got, "sid=") {
		t.Errorf("another context sees context a's cookie: %q", got)
	}
	if _, err := chromedp.Run(ta, chromedp.Evaluate[any](`localStorage.setItem("k", "alpha")`)); err != nil {
		t.Fatal(err)
	}
	if got, err := chromedp.Run(to, chromedp.Evaluate[string](`String(localStorage.getItem("k"))`)); err != nil || got != "null" {
		t.Errorf("another context reads context a's localStorage: %q %v", got, err)
	}
	def, cancelDef, err := b.NewTab() // the profile's own (default) context
	if err != nil {
		t.Fatal(err)
	}
	defer cancelDef()
	if got := visit(t, def, app+"/get"); strings.Contains(got, "sid=") {
		t.Errorf("the profile got a context's cookie: %q", got)
	}

	// The recorder sizes its frames from the window: a context's window
	// must have the size the browser was launched with.
	size, err := chromedp.Run(ta, chromedp.Evaluate[[]int](`[innerWidth, innerHeight]`))
	if err != nil {
		t.Fatal(err)
	}
	if size[0] != 1000 || size[1] > 700 || size[1] < 500 {
		t.Errorf("viewport of a context's tab is %v, want 1000 wide and at most 700 high", size)
	}

	// A popup opens in its opener's context; Close closes both.
	popup := chromedp.WaitNewTarget(ta, func(i *target.Info) bool { return i.OpenerID != "" })
	visit(t, ta, app+"/popup")
	select {
	case <-popup:
	case <-time.After(testenv.Hang):
		t.Fatal("the page's popup did not open")
	}
	if ids := targetsIn(t, b, a.ID()); len(ids) != 2 {
		t.Errorf("context a has %d pages, want its tab and the popup", len(ids))
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if ids := targetsIn(t, b, a.ID()); len(ids) != 0 {
		t.Errorf("%d pages of context a left after Close", len(ids))
	}
	res, err := chromedp.CallBrowser(b.Context(), target.GetBrowserContexts, cdp.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(res.BrowserContextIDs, a.ID()) || !slices.Contains(res.BrowserContextIDs, other.ID()) {
		t.Errorf("after closing a, the browser has contexts %v (a %s, other %s)", res.BrowserContextIDs, a.ID(), other.ID())
	}
	if err := a.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
}

// targetsIn lists the pages of one browser context.
func targetsIn(t *testing.T, b *browser.Browser, id cdp.BrowserContextID) []target.ID {
	t.Helper()
	infos, err := chromedp.Targets(b.Context())
	if err != nil {
		t.Fatal(err)
	}
	var out []target.ID
	for _, i := range infos {
		if i.Type == "page" && i.BrowserContextID == id {
			out = append(out, i.TargetID)
		}
	}
	return out
}

// A profile the user gave (one signed in to Pinterest) seeds each new
// context with the cookies keep accepts, and what a flow does in a context
// never reaches the profile.
func TestContextSeedsFromProfile(t *testing.T) {
	m, port := cookieSite(t)
	b := browsertest.Launch(t, browser.Options{Resolve: m, ProfileDir: t.TempDir()})
	pins, app := "http://pins.test:"+port, "http://app.test:"+port
	def, cancelDef, err := b.NewTab()
	if err != nil {
		t.Fatal(err)
	}
	defer cancelDef()
	visit(t, def, pins+"/set?v=signed-in")
	visit(t, def, app+"/set?v=old-session")

	all, err := b.NewContext(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer all.Close()
	ta := newTab(t, all)
	if got := visit(t, ta, pins+"/get"); !strings.Contains(got, "sid=signed-in") {
		t.Errorf("a context of a signed-in profile is not signed in: %q", got)
	}
	if got := visit(t, ta, app+"/get"); !strings.Contains(got, "sid=old-session") {
		t.Errorf("keep=nil did not copy every cookie: %q", got)
	}
	visit(t, ta, pins+"/set?v=changed-in-context")

	notApp, err := b.NewContext(func(c *network.Cookie) bool { return c.Domain != "app.test" })
	if err != nil {
		t.Fatal(err)
	}
	defer notApp.Close()
	tn := newTab(t, notApp)
	if got := visit(t, tn, app+"/get"); strings.Contains(got, "sid=") {
		t.Errorf("keep refused app.test's cookies, yet the context has one: %q", got)
	}
	if got := visit(t, tn, pins+"/get"); !strings.Contains(got, "sid=signed-in") {
		t.Errorf("the profile's other cookies were not copied (or a context's change leaked into it): %q", got)
	}
	if got := visit(t, def, pins+"/get"); !strings.Contains(got, "sid=signed-in") {
		t.Errorf("a context's cookie reached the profile: %q", got)
	}
}
