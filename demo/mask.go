package demo

import (
	_ "embed"
	"net/url"
	"regexp"
	"sync"

	"github.com/pinready/pinready/internal/redact"
)

// maskDots replaces a secret wherever it would be drawn.
const maskDots = redact.Masked

// masker hides the run's secrets and the grammar of internal/redact in
// everything the video draws outside the page: the address bar, the tab
// titles, the captions, the step pictures' names. The page itself is
// masked by mask.js, fed the very same rules (maskScript).
type masker struct {
	r redact.Masker
}

// add registers value_env values.
func (m *masker) add(vals ...string) { m.r.Add(vals...) }

// secrets are the values registered so far.
func (m *masker) secrets() []string { return m.r.Secrets() }

// text masks secrets and tokens in s.
func (m *masker) text(s string) string { return m.r.Text(s) }

//go:embed mask.js
var maskJS string

// maskScript is mask.js called with the page masker of internal/redact,
// built from the grammar and these secrets: the page hides what the
// address bar and trace.json hide.
func maskScript(secrets []string) string {
	return "(" + maskJS + ")(" + redact.NewMasker(secrets...).PageMasker() + ");"
}

// shownURL is the address bar's text in its three styles.
type shownURL struct {
	Scheme string // "https://", dimmed
	Host   string // emphasised
	Rest   string // path, query, fragment
	Secure bool   // https: a lock; otherwise an info icon
}

func (u shownURL) String() string { return u.Scheme + u.Host + u.Rest }

// codeShown is how many characters of a long authorization code the video
// shows: enough to prove one arrived, too few to use it (redact's rule).
const codeShown = redact.MaxCodeShown

// displayURL renders raw the way the address bar shows it: the query in its
// order and encoding, the authorization code cut to its first characters,
// credentials and userinfo gone.
func (m *masker) displayURL(raw string) shownURL {
	if raw == "" || raw == "about:blank" {
		return shownURL{}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return shownURL{Rest: m.text(raw)}
	}
	// The host is drawn without userinfo, as browsers do.
	s := shownURL{Scheme: u.Scheme + "://", Host: m.text(u.Host), Secure: u.Scheme == "https"}
	rest := u.EscapedPath()
	if u.ForceQuery || u.RawQuery != "" {
		rest += "?" + u.RawQuery
	}
	if u.Fragment != "" {
		// Implicit-flow tokens arrive in the fragment as a query string.
		rest += "#" + u.EscapedFragment()
	}
	s.Rest = m.text(rest)
	return s
}

// stateShown is how many characters of a long state the drawn redirect hop
// keeps: the state is no secret, but the hop must fit the address bar with
// the path and the code, which are what a reviewer looks for.
const stateShown = 6

var stateParam = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`([?&#]state=)([^&#]*)`) })

// hopURL is how the address bar draws a redirect hop: as displayURL (the
// code a fingerprint), with a long state shortened.
func (m *masker) hopURL(raw string) shownURL {
	s := m.displayURL(raw)
	s.Rest = stateParam().ReplaceAllStringFunc(s.Rest, func(p string) string {
		sub := stateParam().FindStringSubmatch(p)
		v := []rune(sub[2])
		if len(v) <= stateShown+2 {
			return p
		}
		return sub[1] + string(v[:stateShown]) + redact.Ellipsis
	})
	return s
}
