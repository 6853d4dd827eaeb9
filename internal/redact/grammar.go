package redact

import (
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Rule is one shape of secret. Its expression is written in the subset of
// syntax that Go's RE2 and ECMAScript read alike (no \s, no look-around, no
// backreferences, non-capturing groups only), so the page script can run
// the very same expression; every rule is matched without regard to letter
// case, because CSS (text-transform) or a server may change it.
//
// A match is Prefix, then Secret, then Suffix: only the Secret part is
// hidden, so "access_token=" or "https://" stays readable around "•••".
type Rule struct {
	Name   string
	Prefix string
	Secret string
	Suffix string
	// Detect is the number of characters a Secret part needs to count as a
	// token exposed to the browser (oauth.token-exposure); 0 means the
	// rule only masks.
	Detect int
	// Fingerprint: the Secret part is an authorization code, shown as
	// CodeFingerprint instead of hidden whole.
	Fingerprint bool
	// Needs lists words (lower case) of which every match holds one: a
	// text holding none is not searched at all. Go's regexp cannot skip
	// ahead to a match that starts with a class, so this is what keeps a
	// 500 KB page text cheap.
	Needs []string
}

// Source is the rule's expression: (Prefix)(Secret)Suffix.
func (r Rule) Source() string { return "(" + r.Prefix + ")(" + r.Secret + ")" + r.Suffix }

// Building blocks of the grammar.
const (
	// lead is what may stand right before a token: the start, a character
	// that is not a letter or digit, or a percent-escape (a token inside an
	// escaped URL, "%3Dpina_…").
	lead = `(?:^|[^a-z0-9]|%[0-9a-f]{2})`
	// tokenBody is a token's body: base64, base64url or hex, with the
	// padding, separators and percent-escapes a URL may add.
	tokenBody = `[a-z0-9._~+/=%-]`
	// value is a credential's value after its key: up to the end of a query
	// parameter, a quoted string, a YAML value or a header.
	value = `[^&# \t\n\f\r"'<>\\,;{}()\[\]]+`
	// quote is an optional quote, JSON-escaped or not ("…", \"…\", '…').
	quote = `(?:\\?["'])?`
	// assign joins a key to its value in a URL, a form body, JSON, YAML, a
	// header or a JavaScript object: = (or %3D), or :.
	assign = quote + `[ \t]*(?:=|%3d|:)[ \t]*` + quote
	// urlAssign is = only (or %3D), for keys too common in prose ("Password:
	// Forgot it?") to be read after a colon.
	urlAssign = `(?:=|%3d)` + quote
)

// Credential keys, each with the spellings apps use: access_token,
// accessToken, access-token.
const (
	keyAccessToken  = `access[_-]?token`
	keyRefreshToken = `refresh[_-]?token`
	keyIDToken      = `id[_-]?token`
	keyClientSecret = `client[_-]?secret`
	// Keys whose value is a secret in a URL or form body, but which prose
	// uses too.
	keysURLOnly = `(?:token|password|passwd|pwd|secret|api[_-]?key|apikey)`
)

// Rules is the grammar, in the order a match is looked for. The value_env
// secrets of a run come before all of them (secrets.go).
var Rules = []Rule{
	// URL credentials: https://user:pass@host/ shows https://•••@host/.
	{Name: "userinfo", Prefix: `[a-z][a-z0-9+.-]*://`, Secret: `[^ \t\n\f\r/?#@"'<>\\]+`, Suffix: `@`, Needs: []string{"@"}},
	// Pinterest's tokens (KNOWLEDGE.md): pina_ access, pinr_ refresh, pinc_
	// client credentials. Eight characters of body keep the bare prefix
	// ("pina_" in documentation) readable.
	{Name: "pinterest-token", Prefix: lead, Secret: `(?:pina|pinr|pinc)_` + tokenBody + `{8,}`, Detect: 1, Needs: []string{"pina_", "pinr_", "pinc_"}},
	// A JWT (an OpenID id_token, an app's own session): header.payload.signature,
	// or the five parts of an encrypted one.
	{Name: "jwt", Prefix: lead, Secret: `eyj[a-z0-9_-]{5,}\.[a-z0-9_-]{5,}\.[a-z0-9_-]*(?:\.[a-z0-9_-]+){0,2}`, Needs: []string{"eyj"}},
	// An Authorization header: "Authorization: Bearer …", "Basic …".
	{Name: "authorization-header", Prefix: `\bauthorization` + assign + `(?:(?:bearer|basic|token)[ \t]+)?`, Secret: value, Needs: []string{"authorization"}},
	// A bearer credential outside a header ("Bearer eyJ…" in a log line);
	// sixteen characters keep English ("bearer tokens") readable.
	{Name: "bearer", Prefix: `\bbearer[ \t]+`, Secret: `[a-z0-9._~+/=-]{16,}`, Needs: []string{"bearer"}},
	// An access or refresh token in a URL or form body: a token the browser
	// holds whatever its shape (the implicit grant, a token passed on).
	{Name: "token-parameter", Prefix: `\b(?:` + keyAccessToken + `|` + keyRefreshToken + `)` + urlAssign, Secret: value, Detect: 8, Needs: []string{"token=", "token%3d"}},
	// The app's client secret, in any form: it never belongs in a browser.
	{Name: "client-secret", Prefix: `\b` + keyClientSecret + assign, Secret: value, Detect: 8, Needs: []string{"secret"}},
	// Token keys in JSON, YAML, headers and object literals. Only masked:
	// an app's own session token under these names is not Pinterest's (a
	// Pinterest token is caught by its prefix wherever it is).
	{Name: "token-field", Prefix: `\b(?:` + keyAccessToken + `|` + keyRefreshToken + `|` + keyIDToken + `)` + assign, Secret: value, Needs: []string{"token"}},
	// Secret-looking URL and form parameters.
	{Name: "secret-parameter", Prefix: `\b` + keysURLOnly + urlAssign, Secret: value, Needs: []string{"token", "passw", "pwd", "secret", "api"}},
	// The authorization code in a URL: a fingerprint (code.go), not a mask.
	{Name: "code", Prefix: `[?&#]code=`, Secret: `[^&# \t\n\f\r"'<>]+`, Fingerprint: true, Needs: []string{"code="}},
}

// compiled is Rules for Go: the same expressions, case-insensitive. Each
// is compiled when first needed: a command that prints nothing needs none,
// and one whose texts hold none of a rule's Needs never compiles it.
var compiled = func() func(i int) *regexp.Regexp {
	once := make([]func() *regexp.Regexp, len(Rules))
	for i := range Rules {
		once[i] = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("(?i)" + Rules[i].Source()) })
	}
	return func(i int) *regexp.Regexp { return once[i]() }
}()

// lowerASCII lower-cases ASCII letters only, so offsets stay those of s.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// worth reports whether lower (a text, lower-cased) holds one of needs.
func worth(lower string, needs []string) bool {
	if len(needs) == 0 {
		return true
	}
	for _, n := range needs {
		if strings.Contains(lower, n) {
			return true
		}
	}
	return false
}

// rangeOf is a part of a text to replace.
type rangeOf struct {
	start, end int
	repl       string
}

// find appends the Secret parts that re matches in s, as ranges to replace.
// A part that is already masked (•••, or a fingerprint ending in …) is
// left as it is, so masking twice changes nothing.
func find(out []rangeOf, re *regexp.Regexp, fingerprint bool, s string) []rangeOf {
	for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
		a, b := m[4], m[5]
		if a < 0 || a == b {
			continue
		}
		v := s[a:b]
		if v == Masked || (fingerprint && strings.HasSuffix(v, Ellipsis)) {
			continue
		}
		repl := Masked
		if fingerprint {
			repl = CodeFingerprint(v)
		}
		out = append(out, rangeOf{a, b, repl})
	}
	return out
}

// merge sorts ranges and joins those that overlap; a joined range is
// hidden whole. page.js merges the same way.
func merge(rs []rangeOf) []rangeOf {
	if len(rs) < 2 {
		return rs
	}
	sortRanges(rs)
	out := rs[:1]
	for _, r := range rs[1:] {
		cur := &out[len(out)-1]
		switch {
		case r.start >= cur.end:
			out = append(out, r)
		case r == *cur:
			// the same part found twice
		default:
			cur.end, cur.repl = max(cur.end, r.end), Masked
		}
	}
	return out
}

func sortRanges(rs []rangeOf) {
	// By start, the longest first; stable, as Array.prototype.sort in page.js.
	slices.SortStableFunc(rs, func(a, b rangeOf) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return b.end - a.end
	})
}

// apply replaces the ranges of s.
func apply(s string, rs []rangeOf) string {
	if len(rs) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, r := range rs {
		b.WriteString(s[last:r.start])
		b.WriteString(r.repl)
		last = r.end
	}
	b.WriteString(s[last:])
	return b.String()
}
