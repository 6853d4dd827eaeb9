package privacy

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/pinready/pinready/checks"
)

// policyRules are the rules about the policy page itself, after privacy.url.
var policyRules = []string{
	"privacy.reachable", "privacy.public", "privacy.renders", "privacy.https", "privacy.format",
	"privacy.hosting", "privacy.domain",
}

// contentRules read the policy's text.
var contentRules = []string{
	"privacy.is-policy", "privacy.placeholder", "privacy.names-app", "privacy.topics",
	"privacy.pinterest", "privacy.updated",
}

// auditPolicy evaluates every privacy.* rule but privacy.linked, and returns
// the policy's view for the homepage audit (nil when there is no usable URL).
func (a *auditor) auditPolicy(ctx context.Context) *view {
	u, f := checkURL(a.cfg.App.PrivacyPolicyURL)
	a.report(f)
	if u == nil {
		why := "no policy URL (privacy.url failed)"
		if a.cfg.App.PrivacyPolicyURL == "" {
			why = "no policy URL (app.privacy_policy_url is not set)"
		}
		a.skipAll(policyRules, "%s", why)
		a.skipAll(contentRules, "%s", why)
		return nil
	}
	f.Evidence = &checks.Evidence{URL: u.String()}
	a.report(f)

	rp := a.params("privacy.renders")
	minWords, blank := rp.Int("min_words"), rp.Int("blank_words")
	frag := u.Fragment
	isPolicy := a.params("privacy.is-policy")
	spec := loadSpec{MinWords: minWords, BlankWords: blank, Enough: func(d *document, h http.Header) bool {
		return judgePolicy(newReading(d, h, frag), isPolicy).Pass
	}}
	v := a.load(ctx, "privacy policy", u.String(), spec, "privacy-policy.png")

	a.report(v.with(a.checkReachable(v, blank)))
	a.report(v.with(a.checkHTTPS(v, u)))
	final, redirected := u, false
	if v.Page != nil {
		final, redirected = v.Page.URL, len(v.Page.Chain) > 1
	}
	a.report(v.with(checkHosting(final, a.params("privacy.hosting"))))
	a.report(v.with(checkDomain(final, a.cfg.App, redirected)))
	a.report(v.with(a.checkFormat(v)))

	loaded, notLoaded := v.loaded()
	if v.Page == nil {
		a.skipAll([]string{"privacy.public", "privacy.renders"}, "the policy %s", notLoaded)
		a.skipAll(contentRules, "the policy %s", notLoaded)
		return v
	}
	pub := a.checkPublic(v, minWords)
	a.report(v.with(pub))
	a.report(v.with(a.checkRenders(v, pub, blank)))

	// The content rules need a page a visitor can read.
	var cr *checks.CannotRunError
	switch {
	case errors.As(v.RenderErr, &cr):
		a.errorAll(contentRules, "the policy needed a browser to be read, and %v", cr)
	case pub.Status == checks.StatusFail:
		a.skipAll(contentRules, "the policy is not public: %s", pub.Message)
	case !loaded:
		a.skipAll(contentRules, "the policy %s", notLoaded)
	case v.Doc == nil:
		_, why := isDocument(v.Page)
		a.skipAll(contentRules, "the policy is %s; pinready reads only HTML", why)
	case v.RenderErr != nil && v.Shell != "":
		a.skipAll(contentRules, "the page did not render (%v) and %s", v.RenderErr, v.Shell)
	case v.Rendered == nil && v.Shell != "" && a.o.Render == RenderNever:
		a.skipAll(contentRules, "%s: the text probably comes from JavaScript, and --render never forbids a browser", v.Shell)
	default:
		for _, f := range judgeContent(newReading(v.Doc, v.Page.Header, frag), a.cfg.App, a.params) {
			a.report(v.with(f))
		}
	}
	return v
}

// judgeContent runs the content rules on a reading, in contentRules' order.
func judgeContent(r *reading, app checks.App, params func(string) checks.Params) []checks.Finding {
	isPolicy := params("privacy.is-policy")
	return []checks.Finding{
		checkIsPolicy(r, isPolicy),
		checkPlaceholders(r, params("privacy.placeholder")),
		checkNamesApp(r, app),
		checkTopics(r, judgePolicy(r, isPolicy), params("privacy.topics")),
		checkPinterest(r, params("privacy.pinterest")),
		checkUpdated(r, params("privacy.updated")),
	}
}

// checkReachable is privacy.reachable: a 2xx within the redirect limit and
// the timeout. A 403/429 that a real browser gets past counts as loading.
func (a *auditor) checkReachable(v *view, blankWords int) checks.Finding {
	const id = "privacy.reachable"
	if v.Page == nil {
		return checks.Fail(id, "the policy does not load: %s", fetchMessage(v.FetchErr))
	}
	p := v.Page
	if p.CertErr != nil {
		return checks.Fail(id, "browsers show a certificate warning instead of the policy: %s", certProblem(p.CertErr))
	}
	hops := fmt.Sprintf("%d redirects", len(p.Chain)-1)
	notes := ""
	if p.Truncated {
		notes += fmt.Sprintf("; the body is over %d bytes, judged on its first %d", a.fetch.maxBody, a.fetch.maxBody)
	}
	if p.Retried > 0 {
		notes += fmt.Sprintf("; answered after %d retries", p.Retried)
	}
	if p.Status >= 200 && p.Status <= 299 {
		return checks.Pass(id, "HTTP %d after %s%s", p.Status, hops, notes)
	}
	if r := v.Rendered; r != nil && (p.Status == http.StatusForbidden || p.Status == http.StatusTooManyRequests) {
		if r.Status >= 200 && r.Status <= 299 && r.Words >= blankWords {
			return checks.Pass(id, "a real browser loads it (HTTP %d), though the plain HTTP client got %d: bot protection may block some visitors%s", r.Status, p.Status, notes)
		}
	}
	msg := fmt.Sprintf("HTTP %d %s after %s", v.status(), http.StatusText(v.status()), hops)
	if p.Retried > 0 {
		msg += fmt.Sprintf(" and %d retries", p.Retried)
	}
	return checks.Fail(id, "%s", msg)
}

// checkHTTPS is privacy.https: the visitor ends on https with a certificate
// that verifies.
func (a *auditor) checkHTTPS(v *view, u *url.URL) checks.Finding {
	const id = "privacy.https"
	var fe *fetchError
	switch {
	case v.Page != nil && v.Page.CertErr != nil:
		return checks.Fail(id, "the certificate does not verify: %s", certProblem(v.Page.CertErr))
	case errors.As(v.FetchErr, &fe) && fe.Kind == "tls":
		return checks.Fail(id, "the TLS handshake failed: %v", fe.Err)
	case v.Page == nil && u.Scheme == "https":
		return checks.Skip(id, "could not connect to check the certificate: %s", fetchMessage(v.FetchErr))
	case v.Page == nil:
		return checks.Fail(id, "the URL is plain http://")
	case v.Page.URL.Scheme != "https":
		return checks.Fail(id, "served over plain HTTP (%s)", v.Page.URL)
	case u.Scheme != "https":
		return checks.Pass(id, "the http:// URL redirects to HTTPS with a valid certificate; list the https:// URL instead")
	}
	return checks.Pass(id, "served over HTTPS with a valid certificate")
}

// checkFormat is privacy.format: an HTML page, not a document download.
func (a *auditor) checkFormat(v *view) checks.Finding {
	const id = "privacy.format"
	if ok, why := v.loaded(); !ok {
		return checks.Skip(id, "the policy %s", why)
	}
	if doc, why := isDocument(v.Page); doc {
		return checks.Fail(id, "%s", why)
	}
	return checks.Pass(id, "an HTML page (%s)", v.Page.ContentType)
}

// checkPublic is privacy.public: no login, wall or challenge for an
// anonymous visitor. A 403/429 counts only once a browser confirms it.
func (a *auditor) checkPublic(v *view, minWords int) checks.Finding {
	const id = "privacy.public"
	st := v.status()
	needsBrowser := v.Page.Status == http.StatusForbidden || v.Page.Status == http.StatusTooManyRequests
	var cr *checks.CannotRunError
	if needsBrowser && errors.As(v.RenderErr, &cr) {
		return checks.Errorf(id, "HTTP %d from the plain client could not be confirmed in a browser: %v", v.Page.Status, cr)
	}
	b := classifyAccess(accessInput{
		Chain: v.Page.Chain, FinalURL: v.finalURL(), Status: st, Header: v.Page.Header,
		Doc: v.Doc, Confirmed: v.Rendered != nil, MinWords: minWords,
	}, a.params("privacy.public"))
	if b.Kind != "" {
		f := checks.Fail(id, "%s", b.Message)
		if b.Excerpt != "" {
			f.Evidence = &checks.Evidence{Excerpt: b.Excerpt}
		}
		return f
	}
	if ok, why := v.loaded(); !ok {
		return checks.Skip(id, "the policy %s", why)
	}
	if needsBrowser {
		return checks.Pass(id, "a real browser gets the policy (HTTP %d); only the plain HTTP client got %d", st, v.Page.Status)
	}
	return checks.Pass(id, "an anonymous visitor gets the page: no login, wall or challenge")
}

// checkRenders is privacy.renders: it judges rendering, never length.
// Does a browser show the text the server sent, or, when scripts must add
// the text, does the text appear? Whether a short policy says enough is
// privacy.is-policy's and privacy.topics' to say.
func (a *auditor) checkRenders(v *view, pub checks.Finding, blankWords int) checks.Finding {
	const id = "privacy.renders"
	wait := a.params("privacy.renders").Duration("render_wait")
	var cr *checks.CannotRunError
	switch ok, why := v.loaded(); {
	case errors.As(v.RenderErr, &cr):
		return checks.Errorf(id, "%v", cr)
	case v.RenderErr != nil:
		return checks.Fail(id, "Chromium could not show it: %v", v.RenderErr)
	case !ok:
		return checks.Skip(id, "the policy %s", why)
	case v.Doc == nil:
		_, doc := isDocument(v.Page)
		return checks.Skip(id, "the policy is %s (see privacy.format)", doc)
	case pub.Status == checks.StatusFail:
		return checks.Skip(id, "what a browser shows is not the policy but what stands in front of it (see privacy.public)")
	}
	r, st := v.Rendered, v.Static
	switch {
	case r != nil && r.Words < blankWords && st != nil && v.Shell != "":
		return checks.Fail(id, "the policy's text needs a script, and in Chromium it never appeared: after waiting up to %s the page shows %d words (%q)", wait, r.Words, excerpt(v.Doc.AllText, 0, 80))
	case r != nil && r.Words < blankWords:
		return checks.Fail(id, "in Chromium the page shows no text (%d words) after waiting up to %s", r.Words, wait)
	case r != nil && st != nil && st.Words >= blankWords && v.Doc.Words*2 < st.Words:
		return checks.Fail(id, "the server sends %d words of text, but in Chromium the page shows only %d of them: a script or style hides or replaces the text", st.Words, v.Doc.Words)
	case r != nil && v.Shell != "":
		return checks.Pass(id, "JavaScript renders it: in Chromium the page shows %d words, the server's HTML alone %d", r.Words, st.Words)
	case r != nil:
		return checks.Pass(id, "in Chromium the page shows the text the server sent (%d words)", r.Words)
	case v.Shell != "":
		return checks.Skip(id, "%s: the text probably comes from JavaScript, and --render never forbids a browser", v.Shell)
	case st.Words < blankWords:
		return checks.Fail(id, "the server's HTML has no text to show (%d words) and no script that could add any", st.Words)
	}
	return checks.Pass(id, "the server sends the text in its HTML (%d words), so any browser shows it (no browser needed)", st.Words)
}
