package privacy

import (
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// staticLinks lists a document's anchors, resolved against base. Visibility
// is what static HTML can tell: a link inside [hidden], aria-hidden, an inline
// display:none, a <template>/<noscript> or a closed <details> (other than its
// summary) needs a click or a script to be seen.
func staticLinks(d *document, base *url.URL) []link {
	var out []link
	d.dom.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		u, err := base.Parse(strings.TrimSpace(href))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return
		}
		out = append(out, link{Href: u.String(), Text: squash(a.Text()), Visible: !hiddenStatically(a)})
	})
	return out
}

func hiddenStatically(a *goquery.Selection) bool {
	for s := a; s.Length() > 0; s = s.Parent() {
		if _, ok := s.Attr("hidden"); ok {
			return true
		}
		if s.AttrOr("aria-hidden", "") == "true" || hiddenByStyle(s) || s.Is("template, noscript") {
			return true
		}
		if s.Is("details") {
			if _, open := s.Attr("open"); !open && a.Closest("summary").Length() == 0 {
				return true
			}
		}
	}
	return false
}

// looksLikePolicyLink picks the links worth following to see whether they
// end at the policy: their text or address speaks of privacy.
func looksLikePolicyLink(l link) bool {
	s := strings.ToLower(l.Text + " " + l.Href)
	return strings.Contains(s, "privacy") || strings.Contains(s, "datenschutz") || strings.Contains(s, "confidentialit")
}
