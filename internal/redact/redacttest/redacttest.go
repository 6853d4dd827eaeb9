// Package redacttest generates secrets from the grammar of internal/redact,
// in the places and spellings apps put them, for the property tests of
// every sink (trace, reports, screenshots, step images, video frames). The
// generation is seeded: every run of the tests sees the same secrets.
//
// It holds no pattern: it builds values from alphabets, so that a test of
// the grammar is not the grammar checking itself.
package redacttest

import (
	"encoding/base64"
	"fmt"
	"html"
	"math/rand/v2"
	"net/url"
	"strings"
)

// Sample is one secret and the ways it is shown.
type Sample struct {
	Name string
	// Secret is what must not survive: no run of RunLen of its characters
	// (in any letter case) may appear in an output.
	Secret string
	// Env: the secret is a value_env value; the sink must be told it.
	Env bool
	// Text is a line of text carrying the secret (a URL, JSON, YAML, a
	// header, a log line).
	Text string
	// HTML is a fragment of page showing the secret, possibly split over
	// elements or re-cased by CSS.
	HTML string
}

// RunLen is the length of the shortest run of a secret that counts as
// leaked: the "no 6-character run of the token".
const RunLen = 6

// Leak returns the first RunLen-character run of secret found in out,
// ignoring letter case, or "".
func Leak(out, secret string) string {
	lo := strings.ToLower(out)
	rs := []rune(strings.ToLower(secret))
	for i := 0; i+RunLen <= len(rs); i++ {
		if run := string(rs[i : i+RunLen]); strings.Contains(lo, run) {
			return run
		}
	}
	return ""
}

// Squash drops the whitespace OCR puts inside and around words.
func Squash(s string) string { return strings.Join(strings.Fields(s), "") }

const (
	alnum  = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b64    = alnum + "+/="
	b64url = alnum + "-_"
	hexa   = "0123456789abcdef"
	// tokenPunct are the characters the issue names: a token body may hold
	// any of them.
	tokenPunct = "/+=%-_."
)

// Gen draws samples from a fixed seed.
type Gen struct{ r *rand.Rand }

// New returns a generator; the same seed gives the same samples.
func New(seed uint64) *Gen { return &Gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))} }

func (g *Gen) pick(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.r.IntN(len(alphabet))]
	}
	return string(b)
}

func (g *Gen) oneOf(xs ...string) string { return xs[g.r.IntN(len(xs))] }

// PinterestToken is a pina_/pinr_/pinc_ token whose body is base64,
// base64url or hex, with at least one of / + = % - _ . in it, in a random
// letter case of the prefix.
func (g *Gen) PinterestToken() string {
	prefix := g.oneOf("pina_", "pinr_", "pinc_", "PINA_", "Pina_", "pinA_")
	var body string
	switch g.r.IntN(3) {
	case 0:
		body = g.pick(b64, 24+g.r.IntN(20))
	case 1:
		body = g.pick(b64url, 24+g.r.IntN(20))
	default:
		body = g.pick(hexa, 32)
	}
	// One of the characters that broke the old masks, somewhere inside.
	p := string(tokenPunct[g.r.IntN(len(tokenPunct))])
	if p == "%" {
		p = "%2F" // a percent-escape, as a token in a URL carries it
	}
	i := 4 + g.r.IntN(len(body)-8)
	return prefix + body[:i] + p + body[i:]
}

// JWT is header.payload.signature in base64url.
func (g *Gen) JWT() string {
	enc := base64.RawURLEncoding.EncodeToString
	header := enc([]byte(`{"alg":"HS256","typ":"JWT"}`))
	payload := enc([]byte(fmt.Sprintf(`{"sub":"%s","exp":%d}`, g.pick(alnum, 12), 1700000000+g.r.IntN(1e8))))
	return header + "." + payload + "." + g.pick(b64url, 43)
}

// Credential is a client secret or an opaque token value.
func (g *Gen) Credential() string { return g.pick(alnum+"-_.", 20+g.r.IntN(20)) }

// EnvSecret is a password a user keeps in value_env: letters, digits and
// the punctuation people use.
func (g *Gen) EnvSecret() string {
	return g.oneOf("Hunter", "Quokka", "Tulip", "Maple") + g.pick("0123456789", 2) +
		g.pick(alnum, 4) + g.oneOf("/", "+", "=", "%", "-", "_", "!", "&", "'") + g.pick(alnum, 5)
}

// Samples returns n samples cycling through every kind, each in a
// different place and spelling.
func (g *Gen) Samples(n int) []Sample {
	var out []Sample
	for i := 0; i < n; i++ {
		var s Sample
		switch i % 10 {
		case 0: // a Pinterest token shown as text
			tok := g.PinterestToken()
			s = Sample{Name: "token-text", Secret: tok, Text: "Your token: " + tok, HTML: "<p>Your token: " + html.EscapeString(tok) + "</p>"}
		case 1: // a Pinterest token split over elements, in a URL
			tok := g.PinterestToken()
			k := 6 + g.r.IntN(len(tok)-10)
			s = Sample{Name: "token-split", Secret: tok, Text: "https://acme.test/app#access_token=" + tok + "&token_type=bearer",
				HTML: "<p>token " + html.EscapeString(tok[:k]) + "<b>" + html.EscapeString(tok[k:]) + "</b></p>"}
		case 2: // an id_token JWT in JSON
			jwt := g.JWT()
			s = Sample{Name: "jwt-json", Secret: jwt, Text: `{"id_token": "` + jwt + `", "scope": "boards:read"}`,
				HTML: "<pre>{&quot;id_token&quot;: &quot;" + jwt + "&quot;}</pre>"}
		case 3: // YAML-ish access_token: value
			v := g.Credential()
			s = Sample{Name: "yaml-access-token", Secret: v, Text: "access_token: " + v + "\nexpires_in: 2592000",
				HTML: "<pre>access_token: " + v + "\nexpires_in: 2592000</pre>"}
		case 4: // client_secret in a form body or a URL
			v := g.Credential()
			s = Sample{Name: "client-secret-form", Secret: v, Text: "grant_type=authorization_code&client_secret=" + url.QueryEscape(v) + "&code=x",
				HTML: "<p>client_secret=" + html.EscapeString(v) + "</p>"}
		case 5: // an Authorization header in a log line
			v := g.Credential()
			s = Sample{Name: "bearer-header", Secret: v, Text: "GET /v5/boards Authorization: Bearer " + v,
				HTML: "<p>Authorization: Bearer " + html.EscapeString(v) + "</p>"}
		case 6: // a value_env secret upper-cased by CSS
			v := g.EnvSecret()
			s = Sample{Name: "env-uppercase", Secret: v, Env: true, Text: "signed in with " + strings.ToUpper(v),
				HTML: `<p style="text-transform: uppercase">Password: ` + html.EscapeString(v) + "</p>"}
		case 7: // a value_env secret split over elements, and URL-escaped in a URL
			v := g.EnvSecret()
			k := 3 + g.r.IntN(len(v)-6)
			s = Sample{Name: "env-split", Secret: v, Env: true, Text: "https://acme.test/login?next=%2F&p=" + url.QueryEscape(v),
				HTML: "<p>Hello " + html.EscapeString(v[:k]) + "<b>" + html.EscapeString(v[k:]) + "</b></p>"}
		case 8: // a camelCase key in JSON (Auth.js' session)
			tok := g.PinterestToken()
			s = Sample{Name: "session-json", Secret: tok, Text: `{"user":{"name":"Ann"},"accessToken":"` + tok + `"}`,
				HTML: "<code>accessToken: " + html.EscapeString(tok) + "</code>"}
		case 9: // URL userinfo
			pw := g.Credential()
			s = Sample{Name: "userinfo", Secret: pw, Text: "policy at https://ann:" + pw + "@acme.test/privacy",
				HTML: "<p>https://ann:" + html.EscapeString(pw) + "@acme.test/privacy</p>"}
		}
		s.Name = fmt.Sprintf("%02d-%s", i, s.Name)
		out = append(out, s)
	}
	return out
}

// EnvSecrets are the secrets of samples that a run registers (value_env).
func EnvSecrets(samples []Sample) []string {
	var out []string
	for _, s := range samples {
		if s.Env {
			out = append(out, s.Secret)
		}
	}
	return out
}
