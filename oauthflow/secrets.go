package oauthflow

import (
	"github.com/pinready/pinready/internal/redact"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// tokenPatterns are the default patterns of oauth.token-exposure (rules.yaml).
// Drive never sees the ruleset, so it scans raw values with these before it
// masks them; Assess keeps an exposure only if the rule still lists its
// pattern, and runs any pattern a user added over the masked evidence.
var tokenPatterns = []string{
	`\bpina_[A-Za-z0-9._~+/=-]{8,}`,
	`\bpinr_[A-Za-z0-9._~+/=-]{8,}`,
	`\bpinc_[A-Za-z0-9._~+/=-]{8,}`,
	`(?i)\baccess_token=[^&\s"']{8,}`,
	`(?i)\brefresh_token=[^&\s"']{8,}`,
}

var tokenRegexps = func() []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(tokenPatterns))
	for i, p := range tokenPatterns {
		out[i] = regexp.MustCompile(p)
	}
	return out
}()

const masked = "•••"

var (
	maskPinToken   = regexp.MustCompile(`\b(pina|pinr|pinc)_[A-Za-z0-9._~+/=%-]+`)
	maskTokenParam = regexp.MustCompile(`(?i)\b(access_token|refresh_token|id_token|client_secret)=[^&\s"'#]+`)
	maskTokenJSON  = regexp.MustCompile(`(?i)"(access_token|refresh_token|client_secret)"\s*:\s*"[^"]*"`)
	maskCodeParam  = regexp.MustCompile(`([?&#]code=)([^&#\s"']+)`)
)

// masker hides secrets in everything that goes into a Trace.
type masker struct {
	secrets []string // value_env values, longest first
}

// add registers a secret; values shorter than 3 characters are not masked
// because they would mangle ordinary text.
func (m *masker) add(v string) {
	if len(v) < 3 || slices.Contains(m.secrets, v) {
		return
	}
	m.secrets = append(m.secrets, v)
	slices.SortFunc(m.secrets, func(a, b string) int { return len(b) - len(a) })
}

// mask returns s with tokens, token parameters and secrets replaced by •••,
// and authorization codes cut to a fingerprint.
func (m *masker) mask(s string) string {
	for _, v := range m.secrets {
		s = strings.ReplaceAll(s, v, masked)
		if e := url.QueryEscape(v); e != v {
			s = strings.ReplaceAll(s, e, masked)
		}
	}
	s = maskPinToken.ReplaceAllString(s, "${1}_"+masked)
	s = maskTokenParam.ReplaceAllString(s, "${1}="+masked)
	s = maskTokenJSON.ReplaceAllString(s, `"${1}":"`+masked+`"`)
	s = maskCodeParam.ReplaceAllStringFunc(s, func(p string) string {
		sub := maskCodeParam.FindStringSubmatch(p)
		return sub[1] + fingerprint(sub[2])
	})
	return s
}

// maskMap masks every key and value.
func (m *masker) maskMap(in map[string]string) map[string]string {
	if len(in) == 0 {
		return nil
	}
	out := make(map[string]string, len(in))
	for k, v := range in {
		out[m.mask(k)] = m.mask(v)
	}
	return out
}

// fingerprint keeps enough of a code to match it across the trace, not
// enough to use it (the rule is redact.CodeFingerprint's).
func fingerprint(code string) string { return redact.CodeFingerprint(code) }

// findExposures scans a raw value for token patterns; excerpts are masked.
func (m *masker) findExposures(where, pageURL, raw string) []Exposure {
	var out []Exposure
	for i, re := range tokenRegexps {
		loc := re.FindStringIndex(raw)
		if loc == nil {
			continue
		}
		out = append(out, Exposure{
			Where:   where,
			URL:     m.mask(pageURL),
			Pattern: tokenPatterns[i],
			Excerpt: m.mask(excerptAround(raw, loc[0], loc[1])),
		})
	}
	return out
}

// excerptAround returns up to 40 characters either side of s[i:j].
func excerptAround(s string, i, j int) string {
	const ctx = 40
	a, b := max(0, i-ctx), min(len(s), j+ctx)
	for a > 0 && !utf8Start(s[a]) {
		a--
	}
	for b < len(s) && !utf8Start(s[b]) {
		b++
	}
	return strings.Join(strings.Fields(s[a:b]), " ")
}

func utf8Start(c byte) bool { return c&0xC0 != 0x80 }

// clip bounds a text kept in the trace, on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8Start(s[n]) {
		n--
	}
	return s[:n] + "…"
}
