package redact

import (
	"strings"
	"unicode/utf8"
)

// Cover is Text for a terminal screen: every secret is hidden character
// for character ("•" for each), and an authorization code keeps its
// fingerprint's characters followed by "…" and "•"s, so the text keeps its
// length in characters and every cell of the screen stays where it was.
func (m *Masker) Cover(s string) string {
	rs := m.ranges(s)
	if len(rs) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, r := range rs {
		b.WriteString(s[last:r.start])
		n := utf8.RuneCountInString(s[r.start:r.end])
		shown := ""
		if r.repl != Masked {
			// A fingerprint: its characters, then the ellipsis.
			shown = strings.TrimSuffix(r.repl, Ellipsis)
		}
		k := utf8.RuneCountInString(shown)
		if k > 0 && k < n {
			b.WriteString(shown)
			b.WriteString(Ellipsis)
			k++
		} else {
			k = 0
		}
		b.WriteString(strings.Repeat("•", n-k))
		last = r.end
	}
	b.WriteString(s[last:])
	return b.String()
}

// printedRules are the rules whose matches count as a credential printed
// in clear where a person or a recording can read it (a terminal): the
// rules that detect (Find), and credentials that are only masked in a
// browser because an app's own session may use those names.
var printedRules = map[string]bool{"authorization-header": true, "bearer": true, "token-field": true}

// minPrinted is the least length of a token-field or header value that
// counts as a credential printed: shorter values ("token: none") are words.
const minPrinted = 16

// FindPrinted returns the credentials in s, a line a program printed: what
// Find reports, an Authorization header's or bearer value, a value under a
// token key, and the run's secrets (Rule "secret"), in the order they appear.
// Placeholders and masked values are not credentials.
func (m *Masker) FindPrinted(s string) []Match {
	out := Find(s)
	lower := lowerASCII(s)
	for i, r := range Rules {
		if !printedRules[r.Name] || !worth(lower, r.Needs) {
			continue
		}
		for _, mm := range compiled(i).FindAllStringSubmatchIndex(s, -1) {
			a, b := mm[4], mm[5]
			v := s[a:b]
			if a < 0 || utf8.RuneCountInString(v) < minPrinted || strings.Contains(v, Masked) || placeholder(v) || covered(out, a, b) {
				continue
			}
			out = append(out, Match{Rule: r.Name, Start: a, End: b})
		}
	}
	if re, needs := m.secretsRe(); re != nil && worth(lower, needs) {
		for _, mm := range re.FindAllStringSubmatchIndex(s, -1) {
			if a, b := mm[4], mm[5]; a >= 0 && a < b && !covered(out, a, b) {
				out = append(out, Match{Rule: "secret", Start: a, End: b})
			}
		}
	}
	sortMatches(out)
	return out
}

// covered reports whether [a, b) overlaps a match already found.
func covered(ms []Match, a, b int) bool {
	for _, x := range ms {
		if a < x.End && x.Start < b {
			return true
		}
	}
	return false
}
