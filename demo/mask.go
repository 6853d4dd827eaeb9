package demo

import (
	"github.com/pinready/pinready/internal/redact"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// maskDots replaces a secret wherever it would be drawn.
const maskDots = "•••"

// Pinterest's token prefixes (KNOWLEDGE.md): pina_ access, pinr_ refresh,
// pinc_ client credentials. Four characters after the prefix keep the words
// "pina_" alone (in docs) readable.
var tokenPattern = regexp.MustCompile(`\b(?:pina|pinr|pinc)_[A-Za-z0-9._~+=-]{4,}`)

// Parameters whose value is a credential in a URL, a form body or JSON text.
var secretParamPattern = regexp.MustCompile(`(?i)\b(access_token|refresh_token|client_secret|id_token)(=|"?\s*:\s*"?)([^&\s"'#<,}]+)`)

// secretParams are query keys whose values are hidden in the address bar.
var secretParams = []string{"access_token", "refresh_token", "client_secret", "id_token", "token", "password"}

// masker hides the registered secrets and the token patterns in text. The
// same rules run in the page (mask.js), so the address bar, the tab title and
// the page agree.
type masker struct {
	secrets []string // longest first, so a secret containing another goes whole
}

func (m *masker) add(vals ...string) {
	for _, v := range vals {
		if v == "" || slices.Contains(m.secrets, v) {
			continue
		}
		m.secrets = append(m.secrets, v)
		// A secret may reach a URL escaped: mask those spellings too.
		for _, esc := range []string{url.QueryEscape(v), url.PathEscape(v)} {
			if esc != v && !slices.Contains(m.secrets, esc) {
				m.secrets = append(m.secrets, esc)
			}
		}
	}
	slices.SortStableFunc(m.secrets, func(a, b string) int { return len(b) - len(a) })
}

// text masks secrets and tokens in s.
func (m *masker) text(s string) string {
	for _, v := range m.secrets {
		s = strings.ReplaceAll(s, v, maskDots)
	}
	s = tokenPattern.ReplaceAllString(s, maskDots)
	return secretParamPattern.ReplaceAllString(s, "${1}${2}"+maskDots)
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
// credentials masked.
func (m *masker) displayURL(raw string) shownURL {
	if raw == "" || raw == "about:blank" {
		return shownURL{}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return shownURL{Rest: m.text(raw)}
	}
	s := shownURL{Scheme: u.Scheme + "://", Host: m.text(u.Host), Secure: u.Scheme == "https"}
	rest := u.EscapedPath()
	if u.ForceQuery || u.RawQuery != "" {
		rest += "?" + maskQuery(u.RawQuery)
	}
	if u.Fragment != "" {
		// Implicit-flow tokens arrive in the fragment as a query string.
		rest += "#" + maskQuery(u.EscapedFragment())
	}
	s.Rest = m.text(rest)
	return s
}

// maskQuery shortens code= and hides credential parameters, keeping the
// order and the encoding of the rest.
func maskQuery(q string) string {
	if q == "" {
		return q
	}
	parts := strings.Split(q, "&")
	for i, p := range parts {
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		key, err := url.QueryUnescape(k)
		if err != nil {
			key = k
		}
		key = strings.ToLower(key)
		switch {
		case key == "code":
			v = redact.CodeFingerprint(v)
		case slices.Contains(secretParams, key):
			v = maskDots
		}
		parts[i] = k + "=" + v
	}
	return strings.Join(parts, "&")
}
