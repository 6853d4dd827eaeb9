package oauthflow

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/pinready/pinready/internal/redact"
)

// masker hides secrets in everything that goes into a Trace and in every
// evidence screenshot: the grammar of internal/redact (tokens, credential
// keys, URL userinfo, authorization codes as fingerprints) and the run's
// value_env values. Detection (findExposures) uses the same grammar.
type masker struct {
	r redact.Masker
}

// add registers a value_env value.
func (m *masker) add(v string) { m.r.Add(v) }

// mask returns s as the trace may keep it.
func (m *masker) mask(s string) string { return m.r.Text(s) }

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

// findExposures scans a raw value for exposed tokens, one exposure per
// rule of the grammar that matched; URL and excerpt are masked.
func (m *masker) findExposures(where, pageURL, raw string) []Exposure {
	return m.exposures(where, pageURL, raw, false)
}

// exposures is findExposures for text that may be HTML (markup set): a
// token split by tags is masked whole in the excerpt.
func (m *masker) exposures(where, pageURL, raw string, markup bool) []Exposure {
	var first []redact.Match
	seen := map[string]bool{}
	for _, f := range redact.Find(raw) {
		if !seen[f.Rule] {
			seen[f.Rule] = true
			first = append(first, f)
		}
	}
	if len(first) == 0 {
		return nil
	}
	excerpts := m.r.Excerpts(raw, first, markup)
	out := make([]Exposure, len(first))
	for i, f := range first {
		out[i] = Exposure{Where: where, URL: m.mask(pageURL), Pattern: f.Rule, Excerpt: excerpts[i]}
	}
	return out
}

//go:embed shotmask.js
var shotMaskJS string

// shotMaskCall is the script that masks the page for one evidence
// screenshot with the page side of internal/redact, fed this run's rules:
// a PNG hides whatever trace.json hides.
func (m *masker) shotMaskCall() string {
	return fmt.Sprintf("(%s)(%s)", shotMaskJS, m.r.PageMasker())
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
