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

// auditHomepage evaluates site.homepage and privacy.linked. policy is the
// policy's view, nil when there is no usable policy URL.
func (a *auditor) auditHomepage(ctx context.Context, policy *view) {
	if strings.TrimSpace(a.cfg.App.Website) == "" {
		a.report(checks.Skip("site.homepage", "app.website is not set"))
		a.report(checks.Skip("privacy.linked", "app.website is not set"))
		return
	}
	minWords := a.params("site.homepage").Int("min_words")
	blank := a.params("privacy.renders").Int("blank_words")
	home := a.load(ctx, "homepage", a.cfg.App.Website, loadSpec{MinWords: minWords, BlankWords: blank}, "homepage.png")
	a.report(home.with(a.checkHomepage(home, minWords)))
	if policy == nil {
		a.report(checks.Skip("privacy.linked", "no policy URL"))
		return
	}
	a.report(home.with(a.checkLinked(ctx, home, policy)))
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

// checkLinked is privacy.linked: a visible homepage link that ends at the
// policy, compared after normalising both URLs and following the link's
// redirects.
func (a *auditor) checkLinked(ctx context.Context, home, policy *view) checks.Finding {
	const id = "privacy.linked"
	if ok, why := home.loaded(); !ok || home.Doc == nil {
		if why == "" {
			why = "is not an HTML page"
		}
		return checks.Skip(id, "the homepage %s", why)
	}
	want := map[string]bool{normalURL(policy.Requested): true}
	if policy.Page != nil {
		want[normalURL(policy.Page.URL.String())] = true
	}
	var links []link
	if home.Rendered != nil {
		links = home.Rendered.Links
	} else {
		base, _ := url.Parse(home.finalURL())
		links = staticLinks(home.Doc, base)
	}

	var hidden, others []link
	var followed int
	for _, l := range links {
		match := want[normalURL(l.Href)]
		if !match && looksLikePolicyLink(l) && followed < maxFollowed && policy.Page != nil {
			// The link may redirect to the policy (/privacy-policy → /privacy).
			followed++
			if p, err := a.fetch.get(ctx, l.Href); err == nil && len(p.Chain) > 1 {
				match = normalURL(p.URL.String()) == normalURL(policy.Page.URL.String())
			}
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
