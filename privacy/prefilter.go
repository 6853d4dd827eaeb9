package privacy

import (
	"regexp/syntax"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Go's regexp has no DFA: a pattern that does not start with a literal is
// run as an automaton over every byte of the page, and twenty of them over a
// long policy cost more than the rest of the audit. Most placeholder
// patterns need a rare string somewhere ("{{", "INSERT", "lorem ipsum",
// "@"): a pattern runs only on a text that contains one of the strings any
// match of it must contain.

// prefilter is a set of strings one of which every match contains; an
// empty set means no requirement is known and the pattern always runs.
type prefilter struct {
	any  []string // matched in the text as written
	fold []string // matched in the text in lower case
}

// mayMatch says whether the text could hold a match.
func (p prefilter) mayMatch(text string, lower func() string) bool {
	if len(p.any) == 0 && len(p.fold) == 0 {
		return true
	}
	for _, s := range p.any {
		if strings.Contains(text, s) {
			return true
		}
	}
	if len(p.fold) > 0 {
		l := lower()
		for _, s := range p.fold {
			if strings.Contains(l, s) {
				return true
			}
		}
	}
	return false
}

var prefilters sync.Map // pattern → prefilter

// prefilterFor derives a pattern's prefilter once.
func prefilterFor(pattern string) prefilter {
	if p, ok := prefilters.Load(pattern); ok {
		return p.(prefilter)
	}
	var p prefilter
	if re, err := syntax.Parse(pattern, syntax.Perl); err == nil {
		if req := required(re.Simplify()); req != nil {
			for _, r := range req {
				if r.fold {
					p.fold = append(p.fold, strings.ToLower(r.s))
				} else {
					p.any = append(p.any, r.s)
				}
			}
		}
	}
	prefilters.Store(pattern, p)
	return p
}

type reqString struct {
	s    string
	fold bool
}

// required returns strings one of which every match of re contains, or nil
// when it cannot tell.
func required(re *syntax.Regexp) []reqString {
	switch re.Op {
	case syntax.OpLiteral:
		return []reqString{{string(re.Rune), re.Flags&syntax.FoldCase != 0}}
	case syntax.OpCharClass:
		// A small class of single runes ([○〇◯]): one of them.
		var out []reqString
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i+1]-re.Rune[i] > 2 || len(out) > 6 {
				return nil
			}
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				out = append(out, reqString{string(r), false})
			}
		}
		return out
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
		return nil
	case syntax.OpAlternate:
		var out []reqString
		for _, sub := range re.Sub {
			r := required(sub)
			if r == nil {
				return nil
			}
			out = append(out, r...)
		}
		return out
	case syntax.OpConcat:
		// The child whose requirement is most selective: the longest
		// shortest string.
		var best []reqString
		bestLen := 0
		for _, sub := range re.Sub {
			r := required(sub)
			if r == nil {
				continue
			}
			shortest := 1 << 30
			for _, s := range r {
				shortest = min(shortest, utf8.RuneCountInString(s.s))
			}
			if shortest > bestLen {
				best, bestLen = r, shortest
			}
		}
		return best
	}
	return nil
}

// lowerOnce returns a function giving text in lower case, computed on first use.
func lowerOnce(text string) func() string {
	var once sync.Once
	var l string
	return func() string {
		once.Do(func() { l = strings.Map(unicode.ToLower, text) })
		return l
	}
}
