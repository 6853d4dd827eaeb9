package privacy

import (
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/pinready/pinready/checks"
)

// barrier is what stands between an anonymous visitor and a page.
type barrier struct {
	Kind    string // "", "unauthorized", "login-redirect", "challenge", "forbidden", "rate-limited", "password-form", "cookie-wall"
	Message string
	Excerpt string
}

// accessInput is the view of a page that the classification needs.
type accessInput struct {
	Chain     []string // redirects the plain client followed, first first
	FinalURL  string
	Status    int // of the view judged: the browser's when it rendered the page
	Header    http.Header
	Doc       *document // nil for a non-HTML page
	Confirmed bool      // Status comes from a real browser
	MinWords  int       // a page with fewer words cannot be the policy itself
}

// classifyAccess names the first barrier found, in the order a visitor meets
// them. A bot challenge is recognised by what is rendered (see challenge);
// cookie-wall words that a real policy could also contain ("you must accept
// cookies") count only on a page too short to be the policy, or inside a
// cookie dialog.
func classifyAccess(in accessInput, p checks.Params) barrier {
	short := in.Doc == nil || in.Doc.Words < in.MinWords
	confirm := "a real browser got it too"
	if !in.Confirmed {
		confirm = "not confirmed in a browser"
	}
	if in.Status == http.StatusUnauthorized {
		msg := "HTTP 401 Unauthorized: the server asks for a login"
		if a := in.Header.Get("WWW-Authenticate"); a != "" {
			msg += fmt.Sprintf(" (WWW-Authenticate: %s)", a)
		}
		return barrier{Kind: "unauthorized", Message: msg}
	}
	for _, u := range in.Chain[1:] {
		if isLoginURL(u, p.Strings("login_path_words")) {
			return barrier{Kind: "login-redirect", Message: "redirects to a login page: " + u, Excerpt: strings.Join(in.Chain, " → ")}
		}
	}
	if m := challenge(in, p); m != "" {
		ex := ""
		if in.Doc != nil {
			ex = excerpt(in.Doc.AllText, 0, 200)
		}
		return barrier{Kind: "challenge", Message: fmt.Sprintf("a bot challenge (%s) stands in front of the policy (HTTP %d, %s); reviewers may never get past it", m, in.Status, confirm), Excerpt: ex}
	}
	switch in.Status {
	case http.StatusForbidden:
		return barrier{Kind: "forbidden", Message: fmt.Sprintf("HTTP 403 Forbidden (%s)", confirm)}
	case http.StatusTooManyRequests:
		return barrier{Kind: "rate-limited", Message: fmt.Sprintf("HTTP 429 Too Many Requests even after retrying (%s)", confirm)}
	}
	if in.Doc == nil {
		return barrier{}
	}
	if short && in.Doc.dom.Find(`input[type=password i]`).Length() > 0 {
		return barrier{Kind: "password-form", Message: fmt.Sprintf("the page shows a password form and only %d words instead of the policy", in.Doc.Words), Excerpt: excerpt(in.Doc.AllText, 0, 200)}
	}
	for _, m := range p.Strings("cookie_wall_markers") {
		m = strings.ToLower(m)
		inDialog := false
		in.Doc.dom.Find(cookieDialog).EachWithBreak(func(_ int, s *goquery.Selection) bool {
			inDialog = strings.Contains(strings.ToLower(squash(s.Text())), m)
			return !inDialog
		})
		if inDialog || (short && strings.Contains(strings.ToLower(in.Doc.AllText), m)) {
			return barrier{Kind: "cookie-wall", Message: fmt.Sprintf("a cookie wall (%q) hides the policy until cookies are accepted", m), Excerpt: excerpt(in.Doc.AllText, 0, 200)}
		}
	}
	return barrier{}
}

// cookieDialog is where consent managers put their walls.
const cookieDialog = `[role=dialog], [aria-modal=true], dialog, [id*=cookie i], [class*=cookie i], [id*=consent i], [class*=consent i]`

// isLoginURL says whether a URL looks like a sign-in page: a path segment
// (extension dropped) or the first host label is one of the login words, or
// the path contains a word with a slash ("account/login").
func isLoginURL(raw string, words []string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	p := strings.ToLower(u.Path)
	label, _, _ := strings.Cut(strings.ToLower(u.Hostname()), ".")
	for _, w := range words {
		w = strings.ToLower(w)
		if strings.Contains(w, "/") {
			if strings.Contains(p, "/"+w) {
				return true
			}
			continue
		}
		if label == w {
			return true
		}
		for _, seg := range strings.Split(p, "/") {
			if strings.TrimSuffix(seg, path.Ext(seg)) == w {
				return true
			}
		}
	}
	return false
}

// challenge names what shows a bot challenge, or returns "". Only what a
// visitor is served counts: a CDN's challenge header, a challenge
// provider's markup or page title on an error status or on a page with
// almost no text of its own, or a captcha widget inside a form that is the
// whole page. Keywords in <meta> and a policy that mentions captchas do not.
func challenge(in accessInput, p checks.Params) string {
	byHeader := ""
	for _, hv := range p.Strings("challenge_headers") {
		name, val, _ := strings.Cut(hv, ":")
		if got := in.Header.Get(strings.TrimSpace(name)); got != "" && strings.EqualFold(strings.TrimSpace(got), strings.TrimSpace(val)) {
			byHeader = fmt.Sprintf("the response header %q", strings.TrimSpace(name)+": "+got)
			break
		}
	}
	if in.Doc == nil {
		return byHeader
	}
	errStatus := in.Status == http.StatusForbidden || in.Status == http.StatusTooManyRequests || in.Status == http.StatusServiceUnavailable
	if !errStatus && in.Doc.Words > p.Int("challenge_max_words") {
		return byHeader
	}
	// What the visitor sees names the challenge best: its title, then its markup.
	// challenge_markers is 0.1's name for such words (rules.yaml).
	for _, t := range append(p.Strings("challenge_titles"), p.Strings("challenge_markers")...) {
		if strings.EqualFold(in.Doc.Title, t) || strings.HasPrefix(strings.ToLower(in.Doc.Title), strings.ToLower(t)) {
			return fmt.Sprintf("%q", t)
		}
	}
	for _, sel := range p.Strings("challenge_selectors") {
		if in.Doc.dom.Find(sel).Length() > 0 {
			return fmt.Sprintf("the page's %s", sel)
		}
	}
	for _, sel := range p.Strings("captcha_selectors") {
		w := in.Doc.dom.Find(sel)
		if w.Length() == 0 {
			continue
		}
		if errStatus {
			return fmt.Sprintf("a captcha (%s) on an HTTP %d page", sel, in.Status)
		}
		// A widget on a contact form below the policy is no barrier; a form
		// with a widget and hardly a word around it is.
		if form := w.ParentsFiltered("form").First(); form.Length() > 0 && in.Doc.Words-countWords(squash(form.Text())) <= 15 {
			return fmt.Sprintf("a captcha (%s) is the whole page", sel)
		}
	}
	return byHeader
}
