package privacy

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/pinready/pinready/checks"
)

// maxFollowed bounds how many privacy-looking homepage links are fetched to
// see whether they redirect to the policy.
const maxFollowed = 5

// auditHomepage evaluates site.homepage and privacy.linked and returns the
// homepage's view (nil without app.website). policy is the policy's view, nil
// when there is no usable policy URL.
func (a *auditor) auditHomepage(ctx context.Context, policy *view) *view {
	if strings.TrimSpace(a.cfg.App.Website) == "" {
		a.report(checks.Skip("site.homepage", "app.website is not set"))
		a.report(checks.Skip("privacy.linked", "app.website is not set"))
		return nil
	}
	minWords := a.params("site.homepage").Int("min_words")
	home := a.load(ctx, "homepage", a.cfg.App.Website, minWords, "homepage.png")
	a.report(home.with(a.checkHomepage(home, minWords)))
	if policy == nil {
		a.report(checks.Skip("privacy.linked", "no policy URL"))
		return home
	}
	links, redirects := a.gatherLinks(ctx, home, policy)
	a.report(home.with(checkLinked(home, policy, links, redirects)))
	return home
}

// checkHomepage is site.homepage: public, names the app, more than a login form.
func (a *auditor) checkHomepage(v *view, minWords int) checks.Finding {
	const id = "site.homepage"
	if ok, why := v.loaded(); !ok {
		return checks.Fail(id, "the homepage %s", why)
	}
	if v.Doc == nil {
		_, why := isDocument(v.Page)
		return checks.Fail(id, "the homepage is %s", why)
	}
	d := v.Doc
	if d.Words < minWords && d.dom.Find(`input[type=password i]`).Length() > 0 {
		return checks.Fail(id, "the homepage is only a login form (%d words); reviewers need a public page that says what the app does", d.Words)
	}
	b := classifyAccess(accessInput{Chain: v.Page.Chain, FinalURL: v.finalURL(), Status: v.status(), Header: v.Page.Header,
		Doc: d, Confirmed: v.Rendered != nil, MinWords: minWords}, a.params("privacy.public"))
	if b.Kind != "" {
		return checks.Fail(id, "the homepage is not public: %s", b.Message)
	}
	name := a.cfg.App.Name
	if i := strings.Index(normName(d.Title+"\n"+d.AllText), normName(name)); i < 0 {
		return checks.Fail(id, "the homepage never names the app %q", name)
	}
	if d.Words < minWords {
		return checks.Fail(id, "the homepage has only %d words of its own; say what the app does (at least %d)", d.Words, minWords)
	}
	return checks.Pass(id, "public, names %q, %d words", name, d.Words)
}

// gatherLinks collects what privacy.linked judges: the homepage's links
// (as rendered, when the page was) and where the privacy-looking ones that
// are not the policy URL itself redirect (/privacy-policy → /privacy), up to
// maxFollowed fetches. The judge below does no I/O.
func (a *auditor) gatherLinks(ctx context.Context, home, policy *view) ([]link, map[string]string) {
	if ok, _ := home.loaded(); !ok || home.Doc == nil {
		return nil, nil
	}
	var links []link
	if home.Rendered != nil {
		links = home.Rendered.Links
	} else {
		base, _ := url.Parse(home.finalURL())
		links = staticLinks(home.Doc, base)
	}
	if policy.Page == nil {
		return links, nil
	}
	want := policyURLs(policy)
	for _, l := range links {
		if l.Visible && want[normalURL(l.Href)] {
			return links, nil // linked plainly: nothing to follow
		}
	}
	redirects := map[string]string{}
	for _, l := range links {
		if len(redirects) >= maxFollowed {
			break
		}
		if _, done := redirects[l.Href]; done || want[normalURL(l.Href)] || !looksLikePolicyLink(l) {
			continue
		}
		redirects[l.Href] = ""
		if p, err := a.fetch.get(ctx, l.Href); err == nil && len(p.Chain) > 1 {
			redirects[l.Href] = p.URL.String()
		}
	}
	return links, redirects
}

// policyURLs are the normalised URLs that count as the policy: the one
// configured and where it ended after redirects.
func policyURLs(policy *view) map[string]bool {
	want := map[string]bool{normalURL(policy.Requested): true}
	if policy.Page != nil {
		want[normalURL(policy.Page.URL.String())] = true
	}
	return want
}

// checkLinked is privacy.linked: a visible homepage link that ends at the
// policy, compared after normalising both URLs and following the link's
// redirects (gathered in redirects: href → final URL, "" when it did not
// redirect).
func checkLinked(home, policy *view, links []link, redirects map[string]string) checks.Finding {
	const id = "privacy.linked"
	if ok, why := home.loaded(); !ok || home.Doc == nil {
		if why == "" {
			why = "is not an HTML page"
		}
		return checks.Skip(id, "the homepage %s", why)
	}
	want := policyURLs(policy)
	var hidden, others []link
	for _, l := range links {
		match := want[normalURL(l.Href)]
		if to := redirects[l.Href]; !match && to != "" && policy.Page != nil {
			match = normalURL(to) == normalURL(policy.Page.URL.String())
		}
		switch {
		case match && l.Visible:
			return checks.Pass(id, "the homepage links to the policy: %q → %s", l.Text, l.Href).With(&checks.Evidence{Excerpt: describeLink(l)})
		case match:
			hidden = append(hidden, l)
		case looksLikePolicyLink(l):
			others = append(others, l)
		}
	}
	switch {
	case len(hidden) > 0:
		return checks.Fail(id, "the homepage links to the policy only where a visitor cannot see it without opening a menu (%s)", describeLink(hidden[0])).With(&checks.Evidence{Excerpt: describeLink(hidden[0])})
	case len(others) > 0:
		return checks.Fail(id, "the homepage's privacy link goes to %s, not to the policy URL %s", others[0].Href, policy.Requested).With(&checks.Evidence{Excerpt: describeLink(others[0])})
	}
	return checks.Fail(id, "the homepage has no link to %s (%d links checked)", policy.Requested, len(links))
}

func describeLink(l link) string {
	return fmt.Sprintf("<a href=%q>%s</a>", l.Href, l.Text)
}
