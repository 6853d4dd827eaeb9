package oauthflow

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/redact"
)

// registered are the app's redirect URIs as the trace spells URLs: masked
// (internal/redact), so they compare with the masked redirect_uri.
func (a *assessor) registered() []string {
	if a.cfg == nil {
		return nil
	}
	var out []string
	for _, u := range a.cfg.App.RedirectURIs {
		out = append(out, redact.URL(u))
	}
	return out
}

// parseURL parses a masked URL: masked userinfo ("https://•••@host/") is
// not valid userinfo, and says nothing the rules read.
func parseURL(s string) (*url.URL, error) {
	return url.Parse(strings.Replace(s, "://"+redact.Masked+"@", "://", 1))
}

func (a *assessor) redirectURI() checks.Finding {
	const id = "oauth.redirect-uri"
	az := a.t.Authorize
	reg := a.registered()
	switch {
	case az == nil:
		return a.notReached(id, "redirect_uri could not be checked")
	case az.RedirectURI == "":
		return checks.Fail(id, "the authorize URL has no redirect_uri").With(a.authorizeEvidence())
	case len(reg) == 0:
		return checks.Skip(id, "app.redirect_uris is empty, so redirect_uri %q cannot be compared; list the redirect URIs registered for the app", az.RedirectURI)
	case slices.Contains(reg, az.RedirectURI):
		return checks.Pass(id, "redirect_uri %s is registered", az.RedirectURI).With(a.authorizeEvidence())
	}
	msg := "redirect_uri %q is not one of the registered redirect URIs (%s)"
	if near := nearMatch(az.RedirectURI, reg); near != "" {
		msg += "; it differs from " + near + " only in case, a trailing slash or the scheme, and Pinterest compares them character for character"
	}
	return checks.Fail(id, msg, az.RedirectURI, strings.Join(reg, ", ")).With(a.authorizeEvidence())
}

// nearMatch finds a registered URI that differs from uri only in ways people
// overlook.
func nearMatch(uri string, reg []string) string {
	norm := func(s string) string {
		s = strings.ToLower(strings.TrimSuffix(s, "/"))
		s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
		return s
	}
	for _, r := range reg {
		if norm(r) == norm(uri) {
			return r
		}
	}
	return ""
}

func (a *assessor) redirectHTTPS() checks.Finding {
	const id = "oauth.redirect-https"
	uri := ""
	if a.t.Authorize != nil {
		uri = a.t.Authorize.RedirectURI
	}
	if uri == "" {
		if reg := a.registered(); len(reg) > 0 {
			uri = reg[0]
		}
	}
	if uri == "" {
		return a.notReached(id, "no redirect URI to check")
	}
	u, err := parseURL(uri)
	if err != nil || u.Host == "" {
		return checks.Fail(id, "redirect URI %q is not an absolute URL", uri)
	}
	switch {
	case u.Scheme == "https":
		return checks.Pass(id, "redirect URI %s uses HTTPS", uri)
	case u.Scheme == "http" && isLoopback(u.Hostname()):
		return checks.Pass(id, "redirect URI %s is plain HTTP on loopback, which Pinterest's quickstart uses", uri)
	case u.Scheme == "http" && isSpecialUse(u.Hostname()):
		return checks.Pass(id, "redirect URI %s is plain HTTP on a reserved test name (%s), which cannot be a public host", uri, u.Hostname())
	}
	return checks.Fail(id, "redirect URI %s is plain HTTP on a public host: the authorization code travels unencrypted", uri)
}

// isLoopback covers localhost names and loopback addresses.
func isLoopback(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// isSpecialUse covers the RFC 2606/6761 names that never resolve publicly;
// pinready's example and tests serve apps under them.
func isSpecialUse(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, tld := range []string{".test", ".example", ".invalid"} {
		if strings.HasSuffix(host, tld) {
			return true
		}
	}
	return false
}

// pathOf is a URL's path and query for a message ("/dashboard"), or the URL
// when it does not parse.
func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Path == "" {
		return raw
	}
	return u.RequestURI()
}

// sameEndpoint compares scheme, host and path: a callback carries its own
// query (code, state) on top of the registered URI.
func sameEndpoint(a, b string) bool {
	ua, err1 := parseURL(a)
	ub, err2 := parseURL(b)
	if err1 != nil || err2 != nil {
		return false
	}
	pa, pb := ua.EscapedPath(), ub.EscapedPath()
	if pa == "" {
		pa = "/"
	}
	if pb == "" {
		pb = "/"
	}
	return ua.Scheme == ub.Scheme && strings.EqualFold(ua.Host, ub.Host) && pa == pb
}

func (a *assessor) callback() checks.Finding {
	const id = "oauth.callback"
	cb := a.t.Callback
	if cb == nil {
		what := "the browser never came back to the app"
		if a.t.Terminal != nil {
			what = "the browser never came back to the command's listener"
		}
		return a.notReached(id, what)
	}
	ev := &checks.Evidence{URL: cb.URL, Status: cb.Status, Screenshot: cb.Screenshot}
	targets := a.registered()
	if len(targets) == 0 && a.t.Authorize != nil {
		targets = []string{a.t.Authorize.RedirectURI}
	}
	registered := false
	for _, r := range targets {
		if sameEndpoint(cb.URL, r) {
			registered = true
		}
	}
	switch {
	case !registered:
		return checks.Fail(id, "after approval the browser went to %s, which is not a registered redirect URI (%s)", cb.URL, strings.Join(targets, ", ")).With(ev)
	case cb.Error != "":
		return checks.Fail(id, "Pinterest sent the browser back with error=%s instead of a code", cb.Error).With(ev)
	case !cb.HasCode:
		return checks.Fail(id, "the callback %s has no code parameter", cb.URL).With(ev)
	case a.t.Authorize != nil && a.t.Authorize.HasState && (!cb.HasState || cb.State != a.t.Authorize.State):
		return checks.Fail(id, "the callback's state %q is not the state %q the app sent", cb.State, a.t.Authorize.State).With(ev)
	case cb.Status >= 400:
		msg := fmt.Sprintf("the callback page answered HTTP %d", cb.Status)
		if pg := a.callbackPage(); pg != nil && strings.TrimSpace(pg.Heading) != "" {
			msg += fmt.Sprintf(": its heading says %q", clip(strings.TrimSpace(pg.Heading), 160))
		}
		return checks.Fail(id, "%s%s", msg, a.exchangeWhy()).With(ev)
	case a.t.Terminal != nil && cb.Status == 0:
		return checks.Fail(id, "nothing answered at %s: the command's loopback listener was not listening when Pinterest sent the browser back with the code", cb.URL).With(ev).About("oauth.command")
	}
	if fp := a.failurePage(); fp != nil {
		return checks.Fail(id, "%s%s", fp.describe(cb.Status), a.exchangeWhy()).
			With(&checks.Evidence{URL: fp.page.URL, Status: cb.Status, Excerpt: clip(fp.words, 300), Screenshot: fp.page.Screenshot})
	}
	msg := "back at the registered redirect URI with a code (%s)"
	if a.t.Authorize != nil && a.t.Authorize.HasState {
		msg += " and the same state"
	}
	if cb.RedirectedTo != "" {
		// A browser never draws a 3xx response: the page with the code was
		// never on screen, only requested. Say what happened, nothing more.
		// msg is a format: a % of the path must stay a %.
		msg += fmt.Sprintf("; the callback answered %d to %s", cb.Status, strings.ReplaceAll(pathOf(cb.RedirectedTo), "%", "%%"))
	}
	switch cb.Video {
	case VideoRedirectHop:
		msg += "; the video shows the redirect hop with the code"
	case VideoNotShown:
		msg += "; the video does not show the callback URL with the code, because a browser never draws a redirect"
	case VideoPage:
		msg += "; the video shows the callback URL with the code in the address bar"
	}
	return checks.Pass(id, msg, cb.Code).With(ev)
}

// callbackPage is the app page the callback step ended on; nil if none
// was read (a page of another origin, a closed popup).
func (a *assessor) callbackPage() *PageText {
	for i := len(a.t.Pages) - 1; i >= 0; i-- {
		if a.t.Pages[i].Step == "callback" {
			return &a.t.Pages[i]
		}
	}
	return nil
}

// exchangeWhy is what the witness saw of the code's exchange when it went
// wrong, as a clause for oauth.callback's failure: the root cause an OAuth
// library's failure page does not show ("; the witness saw why:
// POST /v5/oauth/token answered 401: Authentication failed…").
func (a *assessor) exchangeWhy() string {
	s := a.story()
	switch {
	case s == nil || s.authz == "":
		return ""
	case s.exchange == nil:
		return "; the witness saw no POST /v5/oauth/token for the code: the app failed before exchanging it"
	case s.exchange.Status != 200:
		why := fmt.Sprintf("; the witness saw why: POST /v5/oauth/token answered %d", s.exchange.Status)
		if s.exchange.Message != "" {
			why += ": " + clip(s.exchange.Message, 200)
		}
		return why
	}
	return ""
}
