package oauthflow

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// A failure page after the callback. OAuth libraries that cannot finish a
// connect often say so with HTTP 200 and a page of their own: django-allauth
// renders "Third-Party Login Failure" (older releases "Social Network Login
// Failure"); Auth.js redirects to its error page (headings "Error", "Server
// error", "Access Denied", "Unable to sign in") or to the sign-in page with
// ?error=OAuthCallbackError and a box "Try signing in with a different
// account."; Passport, given a failureRedirect, sends the browser back to
// the app's login page, often with the strategy's message ("Failed to obtain
// access token", "Unable to verify authorization request state."). The
// callback was reached with a code, but the user is not connected: that is
// oauth.callback's failure, in the page's own words, and the root cause of
// the missing live data.
//
// A page is a failure page when the proof of live data is not on it and
// either its URL carries an error parameter, or its title, main heading or
// an alert box says a failure phrase, or its text holds a library's own
// failure message (oauth.callback's params in rules.yaml).

// failure is the failure page the callback led to.
type failure struct {
	page  PageText
	words string // what the page says, quoted and masked: `its heading "…"`
	first string // the page's first line of text after its heading
}

// failurePage finds the failure page after the callback; nil when there
// is none (or the proof of live data is on screen).
func (a *assessor) failurePage() *failure {
	cb := a.t.Callback
	if cb == nil || a.t.Success.Found {
		return nil
	}
	p := a.params("oauth.callback")
	params := p.Strings("error_params")
	phrases := p.Strings("failure_phrases")
	exact := p.Strings("failure_titles")
	messages := p.Strings("failure_messages")
	for _, step := range []string{"callback", "live-data"} {
		for i := len(a.t.Pages) - 1; i >= 0; i-- {
			pg := a.t.Pages[i]
			if pg.Step != step || pg.BeforeAuthorize {
				continue
			}
			f := &failure{page: pg, first: firstLine(pg)}
			if q := errorParam(pg.URL, params); q != "" {
				f.words = fmt.Sprintf("its address carries %s", q)
				if say := saying(pg, phrases, exact); say != "" {
					f.words = say + ", and " + f.words
				}
				return f
			}
			if say := saying(pg, phrases, exact); say != "" {
				f.words = say
				return f
			}
			for _, m := range messages {
				if i := strings.Index(strings.ToLower(pg.Text), strings.ToLower(m)); i >= 0 {
					f.words = fmt.Sprintf("its text says %q", clip(excerptAround(pg.Text, i, i+len(m)), 200))
					return f
				}
			}
		}
	}
	return nil
}

// errorParam is the first error parameter of a URL's query or fragment,
// as `error=OAuthCallbackError`; "" for none.
func errorParam(raw string, names []string) string {
	q, fragment := queryOf(raw)
	frag, _ := url.ParseQuery(fragment)
	for _, n := range names {
		for _, vs := range []url.Values{q, frag} {
			if vs.Has(n) {
				return n + "=" + clip(vs.Get(n), 80)
			}
		}
	}
	return ""
}

// saying is where the page says a failure phrase: `its heading "…"`,
// `its title "…"`, `an alert "…"`; "" when it says none.
func saying(pg PageText, phrases, exact []string) string {
	type part struct{ what, text string }
	parts := []part{{"its heading", pg.Heading}, {"its title", pg.Title}}
	for _, al := range pg.Alerts {
		parts = append(parts, part{"an alert", al})
	}
	for _, pt := range parts {
		t := strings.TrimSpace(pt.text)
		if t == "" {
			continue
		}
		if hasPhrase(t, phrases) || isOnly(t, exact) {
			return fmt.Sprintf("%s says %q", pt.what, clip(t, 160))
		}
	}
	return ""
}

// hasPhrase: t holds one of the phrases as whole words, case aside.
func hasPhrase(t string, phrases []string) bool {
	lower := strings.ToLower(t)
	for _, p := range phrases {
		p = strings.ToLower(strings.TrimSpace(p))
		if p == "" {
			continue
		}
		re := regexp.MustCompile(`(^|[^\pL\pN])` + regexp.QuoteMeta(p) + `($|[^\pL\pN])`)
		if re.MatchString(lower) {
			return true
		}
	}
	return false
}

// isOnly: t is one of the words and nothing else but punctuation, or the
// word and the site's name around a separator ("Error | Acme").
func isOnly(t string, words []string) bool {
	for _, seg := range regexp.MustCompile(`\s[|–—·-]\s`).Split(t, -1) {
		seg = strings.Trim(strings.ToLower(seg), " .!:…")
		for _, w := range words {
			if seg == strings.ToLower(w) {
				return true
			}
		}
	}
	return false
}

// firstLine is the page's first line of text that is not its heading.
func firstLine(pg PageText) string {
	for _, l := range strings.Split(pg.Text, "\n") {
		l = strings.TrimSpace(l)
		if l != "" && l != strings.TrimSpace(pg.Heading) && len([]rune(l)) > 3 {
			return clip(l, 200)
		}
	}
	return ""
}

// describe is the failure in a sentence for oauth.callback.
func (f *failure) describe(status int) string {
	msg := fmt.Sprintf("after the callback the app showed a failure page, not the connected app: %s", f.words)
	if f.first != "" && !strings.Contains(f.words, f.first) {
		msg += fmt.Sprintf(" (%q)", f.first)
	}
	where := pathOf(f.page.URL)
	if status > 0 {
		msg += fmt.Sprintf("; the callback answered %d and the page is %s", status, where)
	} else {
		msg += "; the page is " + where
	}
	return msg
}
