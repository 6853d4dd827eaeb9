package description

import (
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Go's regexp runs a case-insensitive pattern with \b through its NFA, one
// step per byte: forty rule patterns over a 5,000-word description cost tens
// of milliseconds, and almost all of them find nothing. Most patterns need a
// literal word ("bulk", "lorem ipsum", "["), so a substring test on the
// lower-cased text skips them first; a pattern with no such word always runs.

// literal is a string every match contains, and the words of it that stand
// between spaces (with their byte offsets in it): in a text that contains
// the literal each is a whole word, so the literal need only be looked for
// where its rarest inner word stands.
type literal struct {
	s      string
	inner  []string
	offset []int
	runs   []string // its runs of letters and digits: each stands inside one word of a text that contains it
}

// requiredLiterals returns strings one of which every match of the pattern
// contains (lower case), or nil when it cannot tell. The patterns of the
// embedded rules.yaml were worked out at build time (rules_built.go);
// others (a --rules file's) once per process. The slices are shared: read only.
var requiredLiterals = func() func(string) []literal {
	var cache sync.Map // pattern -> []literal
	return func(pat string) []literal {
		if lits, ok := builtLiterals(pat); ok {
			return lits
		}
		if v, ok := cache.Load(pat); ok {
			return v.([]literal)
		}
		lits := literalsOf(pat)
		cache.Store(pat, lits)
		return lits
	}
}()

// builtLiterals looks the pattern up in builtLiteralTable (sorted by pattern).
func builtLiterals(pat string) ([]literal, bool) {
	i, ok := slices.BinarySearchFunc(builtLiteralTable, pat, func(e builtLiteral, p string) int { return strings.Compare(e.pat, p) })
	if !ok {
		return nil, false
	}
	return builtLiteralTable[i].lits, true
}

// builtLiteral is one row of builtLiteralTable: a pattern and its literals.
type builtLiteral struct {
	pat  string
	lits []literal
}

// literalsOf works out requiredLiterals of one pattern.
func literalsOf(pat string) []literal {
	var lits []literal
	if re, err := syntax.Parse(pat, syntax.Perl); err == nil {
		for _, s := range required(re.Simplify()) {
			l := literal{s: s}
			l.inner, l.offset = innerWords(s)
			l.runs = strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
			lits = append(lits, l)
		}
	}
	return lits
}

// innerWords returns the words of s with a space on both sides, and where
// each starts: in any text that contains s, each is a whole word.
func innerWords(s string) ([]string, []int) {
	var words []string
	var offsets []int
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], ' ')
		if j < 0 {
			break
		}
		start := i + j + 1
		end := strings.IndexByte(s[start:], ' ')
		if end < 0 {
			break
		}
		w := s[start : start+end]
		if w != "" && !strings.ContainsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			words = append(words, w)
			offsets = append(offsets, start)
		}
		i = start
	}
	return words, offsets
}

func required(re *syntax.Regexp) []string {
	if set, ok := exact(re); ok && score(set) > 0 {
		return set
	}
	switch re.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
	case syntax.OpConcat:
		// Runs of parts that match a few known strings ("only (for )?me") give
		// the whole strings; other parts give what they require. The best
		// filter is the candidate whose weakest string scores highest.
		var best []string
		try := func(lits []string) {
			if lits != nil && score(lits) > score(best) {
				best = lits
			}
		}
		run := []string{""}
		for _, sub := range re.Sub {
			if set, ok := exact(sub); ok {
				if run = product(run, set); run != nil {
					continue
				}
			}
			try(run)
			try(required(sub))
			run = []string{""}
		}
		try(run)
		return best
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			lits := required(sub)
			if lits == nil {
				return nil
			}
			all = append(all, lits...)
		}
		return all
	}
	return nil
}

// maxExact bounds the strings a part may stand for.
const maxExact = 128

// exact returns every lower-case string the part can match, when they are few.
func exact(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		return []string{strings.ToLower(string(re.Rune))}, true
	case syntax.OpEmptyMatch, syntax.OpWordBoundary, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText:
		return []string{""}, true
	case syntax.OpCapture:
		return exact(re.Sub[0])
	case syntax.OpQuest:
		set, ok := exact(re.Sub[0])
		return append(set, ""), ok && len(set) < maxExact
	case syntax.OpCharClass:
		var set []string
		seen := map[string]bool{}
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i+1]-re.Rune[i] > maxExact {
				return nil, false
			}
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if l := strings.ToLower(string(r)); !seen[l] {
					seen[l] = true
					set = append(set, l)
				}
			}
		}
		return set, len(set) <= 4
	case syntax.OpAlternate:
		var set []string
		for _, sub := range re.Sub {
			s, ok := exact(sub)
			if !ok {
				return nil, false
			}
			set = append(set, s...)
		}
		return set, len(set) <= maxExact
	case syntax.OpConcat:
		set := []string{""}
		for _, sub := range re.Sub {
			s, ok := exact(sub)
			if !ok {
				return nil, false
			}
			if set = product(set, s); set == nil {
				return nil, false
			}
		}
		return set, true
	}
	return nil, false
}

// product returns every a+b, or nil when they are too many.
func product(as, bs []string) []string {
	if len(as)*len(bs) > maxExact {
		return nil
	}
	out := make([]string, 0, len(as)*len(bs))
	for _, a := range as {
		for _, b := range bs {
			out = append(out, a+b)
		}
	}
	return out
}

// score is how well a set of strings filters: its weakest string's length,
// a character that is not a letter counting four (a "[" is rarer than "app").
func score(set []string) int {
	if len(set) == 0 {
		return 0
	}
	low := -1
	for _, s := range set {
		n := 0
		for _, r := range s {
			if unicode.IsLetter(r) || r == ' ' {
				n++
			} else {
				n += 4
			}
		}
		if low < 0 || n < low {
			low = n
		}
	}
	return low
}

// mayMatch is false when the pattern cannot match the text.
func mayMatch(pat string, t *text) bool {
	lits := requiredLiterals(pat)
	if lits == nil {
		return true
	}
	// "without the official api", "without an api"…: one look for their
	// common beginning rules out all of them.
	if p := commonPrefix(lits); len(p) >= 3 && !t.containsString(p) {
		return false
	}
	for _, l := range lits {
		if t.contains(l) {
			return true
		}
	}
	return false
}

// containsString reports whether the text, lower-cased, contains s (lower
// case). ASCII is compared with the ASCII-lowered text unless the text holds
// one of the two runes a case-insensitive pattern folds to ASCII (the Kelvin
// sign and the long s); anything else with the Unicode-lowered text.
func (t *text) containsString(s string) bool {
	if t.foldSafe && isASCII(s) {
		return strings.Contains(t.lower, s)
	}
	return strings.Contains(t.unicodeLower(), s)
}

// contains reports whether the text contains the literal: where it can,
// only where the literal's rarest inner word stands (t.lower keeps the byte
// offsets of the plain text).
func (t *text) contains(l literal) bool {
	if !t.foldSafe || !isASCII(l.s) {
		return t.containsString(l.s)
	}
	for _, r := range l.runs {
		if !t.inVocabulary(r) {
			return false
		}
	}
	if len(l.inner) == 0 {
		return strings.Contains(t.lower, l.s)
	}
	best := -1
	for k, w := range l.inner {
		at, ok := t.byWord[w]
		if !ok {
			return false
		}
		if best < 0 || len(at) < len(t.byWord[l.inner[best]]) {
			best = k
		}
	}
	for _, i := range t.byWord[l.inner[best]] {
		from := t.tokens[i].start - l.offset[best]
		if from >= 0 && from+len(l.s) <= len(t.lower) && t.lower[from:from+len(l.s)] == l.s {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func commonPrefix(lits []literal) string {
	p := lits[0].s
	for _, l := range lits[1:] {
		n := 0
		for n < len(p) && n < len(l.s) && p[n] == l.s[n] {
			n++
		}
		p = p[:n]
	}
	return p
}
