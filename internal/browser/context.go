package browser

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// Context is one browser context of the shared browser (CDP
// Target.createBrowserContext): its own cookies, storage, cache and
// permissions, like a fresh incognito window. Apps audited side by side each
// get one, so one app's cookies (an OAuth state bound to a session) never
// reach another's flow, whatever runs beside it. Tabs opened with NewTab,
// and every popup their pages open, live in it; Close disposes of it and so
// closes them all.
type Context struct {
	b         *Browser
	id        cdp.BrowserContextID
	closeOnce sync.Once
	closeErr  error
}

// disposeTimeout bounds the disposal of a browser context: a page that hangs
// in its unload handler must not hold the run.
const disposeTimeout = 5 * time.Second

// NewContext creates a fresh browser context. When the browser runs a
// profile the user gave (Options.ProfileDir, one signed in to Pinterest), the
// context starts with that profile's cookies for which keep returns true (nil
// keeps them all), so a signed-in profile stays signed in; a temporary
// profile gives it nothing, and nothing a flow does in the context is written
// back to the profile. Chromium disposes of the context by itself if
// pinready's connection ends without Close (disposeOnDetach).
func (b *Browser) NewContext(keep func(*network.Cookie) bool) (*Context, error) {
	dispose := true
	res, err := chromedp.CallBrowser(b.ctx, target.CreateBrowserContext, target.CreateBrowserContextParams{DisposeOnDetach: &dispose})
	if err != nil {
		return nil, fmt.Errorf("create a browser context: %w", err)
	}
	c := &Context{b: b, id: res.BrowserContextID}
	if !b.tempProfile {
		if err := c.seedCookies(keep); err != nil {
			c.Close()
			return nil, err
		}
	}
	return c, nil
}

// seedCookies copies the profile's cookies (the default browser context's)
// that keep accepts into the new context.
func (c *Context) seedCookies(keep func(*network.Cookie) bool) error {
	all, err := chromedp.CallBrowser(c.b.ctx, storage.GetCookies, storage.GetCookiesParams{})
	if err != nil {
		return fmt.Errorf("read the profile's cookies: %w", err)
	}
	var params []*network.CookieParam
	for _, k := range all.Cookies {
		if keep == nil || keep(k) {
			params = append(params, cookieParam(k))
		}
	}
	if len(params) == 0 {
		return nil
	}
	if _, err := chromedp.CallBrowser(c.b.ctx, storage.SetCookies, storage.SetCookiesParams{Cookies: params, BrowserContextID: c.id}); err != nil {
		return fmt.Errorf("copy the profile's cookies into a browser context: %w", err)
	}
	return nil
}

// cookieParam is the cookie k as Storage.setCookies takes it.
func cookieParam(k *network.Cookie) *network.CookieParam {
	p := &network.CookieParam{
		Name: k.Name, Value: k.Value, Domain: k.Domain, Path: k.Path,
		Secure: k.Secure, HTTPOnly: k.HTTPOnly, SameSite: k.SameSite, Priority: k.Priority,
		SourceScheme: k.SourceScheme, SourcePort: k.SourcePort, PartitionKey: k.PartitionKey,
	}
	if !k.Session && k.Expires > 0 {
		p.Expires = cdp.TimeSinceEpoch(k.Expires)
	}
	return p
}

// ID is the CDP id of the browser context; targets report it in
// TargetInfo.BrowserContextID.
func (c *Context) ID() cdp.BrowserContextID { return c.id }

// NewTab opens a tab in the context, with its JavaScript dialogs answered as
// Browser.NewTab's are. Cancel the returned function to close the tab.
func (c *Context) NewTab() (context.Context, context.CancelFunc, error) {
	tctx, cancel := chromedp.NewContext(c.b.ctx, chromedp.WithExistingBrowserContext(c.id))
	if err := AnswerDialogs(tctx); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("open a browser tab: %w", err)
	}
	return tctx, cancel, nil
}

// Close disposes of the context: every tab and popup still open in it
// closes, and its cookies, storage and cache are gone. It is safe to call
// more than once and after the browser has stopped.
func (c *Context) Close() error {
	c.closeOnce.Do(func() {
		if c.b.ctx.Err() != nil {
			return // the browser is gone, and its contexts with it
		}
		ctx, cancel := context.WithTimeout(c.b.ctx, disposeTimeout)
		defer cancel()
		if _, err := chromedp.CallBrowser(ctx, target.DisposeBrowserContext, target.DisposeBrowserContextParams{BrowserContextID: c.id}); err != nil {
			c.closeErr = fmt.Errorf("dispose of the browser context: %w", err)
		}
	})
	return c.closeErr
}
