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
// them. Markers that a real policy could also contain (it may well mention
// captchas or say "you must accept cookies") count only on a page too short to
// be the policy, or inside a cookie dialog.
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
	if in.Doc != nil && (short || in.Status == http.StatusForbidden || in.Status == http.StatusServiceUnavailable) {
		hay := strings.ToLower(in.Doc.HTML)
		for _, m := range p.Strings("challenge_markers") {
			if strings.Contains(hay, strings.ToLower(m)) {
				return barrier{Kind: "challenge", Message: fmt.Sprintf("a bot challenge (%q) stands in front of the policy (HTTP %d, %s); reviewers may never get past it", m, in.Status, confirm), Excerpt: excerpt(in.Doc.AllText, 0, 200)}
			}
		}
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
