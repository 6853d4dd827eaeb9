package redact

import (
	"strings"
	"unicode/utf8"
)

// ExcerptContext is how many bytes of context an excerpt keeps on either
// side of what it shows.
const ExcerptContext = 40

// Excerpts returns, for each match found in s, the masked context around
// it. s is masked whole before it is cut: cutting first could leave a
// secret's value without the key that made it one ("client_secret=" just
// outside the window). With markup set, s is HTML: a secret split by tags
// ("pina_AbC<b>dEf…</b>") is masked whole as well.
func (m *Masker) Excerpts(s string, ms []Match, markup bool) []string {
	rs := m.ranges(s)
	if markup {
		rs = merge(append(rs, m.textRanges(s)...))
	}
	masked := apply(s, rs)
	// at maps an offset of s to masked: a start inside a masked part goes
	// to the mask's start, an end inside one to the mask's end.
	at := func(p int, end bool) int {
		delta := 0
		for _, r := range rs {
			switch {
			case p < r.start || (end && p == r.start):
				return p + delta
			case p < r.end || (end && p == r.end):
				if end {
					return r.start + delta + len(r.repl)
				}
				return r.start + delta
			}
			delta += len(r.repl) - (r.end - r.start)
		}
		return p + delta
	}
	out := make([]string, len(ms))
	for i, mt := range ms {
		a, b := at(mt.Start, false), at(mt.End, true)
		a, b = max(0, a-ExcerptContext), min(len(masked), b+ExcerptContext)
		for a > 0 && !utf8.RuneStart(masked[a]) {
			a--
		}
		for b < len(masked) && !utf8.RuneStart(masked[b]) {
			b++
		}
		out[i] = strings.Join(strings.Fields(masked[a:b]), " ")
	}
	return out
}

// textRanges are the ranges of the text of HTML s (its tags left out),
// mapped back onto s: a range that spans tags covers them.
func (m *Masker) textRanges(s string) []rangeOf {
	var text strings.Builder
	var pos []int // pos[i]: where byte i of the text is in s
	inTag := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case !inTag && c == '<' && i+1 < len(s) && (s[i+1] == '/' || s[i+1] == '!' || isLetter(s[i+1])):
			inTag = true
			continue
		case inTag:
			if c == '>' {
				inTag = false
			}
			continue
		}
		text.WriteByte(c)
		pos = append(pos, i)
	}
	var out []rangeOf
	for _, r := range m.ranges(text.String()) {
		out = append(out, rangeOf{pos[r.start], pos[r.end-1] + 1, r.repl})
	}
	return out
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
