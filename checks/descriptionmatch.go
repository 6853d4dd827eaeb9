package checks

import (
	"regexp/syntax"
	"strings"
	"sync"
	"unicode"
)

// Go's regexp runs a case-insensitive pattern with \b through its NFA, one
// step per byte: forty rule patterns over a 5,000-word description cost tens
// of milliseconds, and almost all of them find nothing. Most patterns need a
// literal word ("bulk", "lorem ipsum", "["), so a substring test on the
// lower-cased text skips them first; a pattern with no such word always runs.

// requiredLiterals returns lower-case strings one of which every match of
// the pattern contains, or nil when it cannot tell.
var requiredLiterals = func() func(string) []string {
	var cache sync.Map // pattern -> []string
	return func(pat string) []string {
		if v, ok := cache.Load(pat); ok {
			return v.([]string)
		}
		var lits []string
		if re, err := syntax.Parse(pat, syntax.Perl); err == nil {
			lits = required(re.Simplify())
		}
		cache.Store(pat, lits)
		return lits
	}
}()

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
const maxExact = 64

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

// mayMatch is false when the pattern cannot match text, whose lower-case
// form is lower.
func mayMatch(pat, lower string) bool {
	lits := requiredLiterals(pat)
	if lits == nil {
		return true
	}
	// "without the official api", "without an api"…: one look for their
	// common beginning rules out all of them.
	if p := commonPrefix(lits); len(p) >= 3 && !strings.Contains(lower, p) {
		return false
	}
	for _, l := range lits {
		if strings.Contains(lower, l) {
			return true
		}
	}
	return false
}

func commonPrefix(ss []string) string {
	p := ss[0]
	for _, s := range ss[1:] {
		n := 0
		for n < len(p) && n < len(s) && p[n] == s[n] {
			n++
		}
		p = p[:n]
	}
	return p
}
