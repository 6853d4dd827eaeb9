package description

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pinready/pinready/internal/textlang"
)

// A description in another language is matched with its language's word
// lists: each concept's entries are found among the words (or, in Chinese,
// Japanese and Arabic, anywhere in the sentence), and a word the language
// denies ("nie", "ne … pas", "しません", "toplamaz") does not count.

// langOccs returns where the words of a concept occur in the text's
// language, in text order; addresses and code never count.
func (t *text) langOccs(concept string) []occ {
	if t.lang == nil {
		return nil
	}
	if t.langSeen == nil {
		t.langSeen = map[string][]occ{}
	}
	if o, ok := t.langSeen[concept]; ok {
		return o
	}
	var out []occ
	for _, p := range t.lang.concepts[concept] {
		out = append(out, t.findLex(p)...)
	}
	slices.SortFunc(out, func(a, b occ) int { return a.from - b.from })
	t.langSeen[concept] = out
	return out
}

// findLex returns the occurrences of one entry.
func (t *text) findLex(p lexPhrase) []occ {
	var out []occ
	if p.inline != "" {
		f := t.foldedPlain()
		for off := 0; off < len(f.S); {
			i := strings.Index(f.S[off:], p.inline)
			if i < 0 {
				break
			}
			i += off
			off = i + len(p.inline)
			from, to := t.tokenCovering(f.At(i)), t.tokenCovering(f.At(i+len(p.inline))-1)
			if from < 0 || to < from || t.tokens[from].url || t.tokens[from].code {
				continue
			}
			out = append(out, occ{from, to})
		}
		return out
	}
	for _, s := range t.byPrefix(p.words[0].text) {
		if o, ok := t.matchLex(p, s); ok {
			out = append(out, o)
		}
	}
	return out
}

func (t *text) matchLex(p lexPhrase, s int) (occ, bool) {
	for k, w := range p.words {
		i := s + k
		if i >= len(t.tokens) || t.tokens[i].url || t.tokens[i].code || t.tokens[i].sent != t.tokens[s].sent || !t.lang.matchWord(w, t.tokens[i].fold) {
			return occ{}, false
		}
	}
	return occ{s, s + len(p.words) - 1}, true
}

// byPrefix returns the tokens whose folded form starts with the first two
// letters of w (all tokens when w is shorter), from an index built once.
func (t *text) byPrefix(w string) []int {
	if t.prefixes == nil {
		t.prefixes = map[string][]int{}
		for i, tk := range t.tokens {
			if !tk.url && !tk.code {
				t.prefixes[prefix2(tk.fold)] = append(t.prefixes[prefix2(tk.fold)], i)
			}
		}
	}
	if utf8.RuneCountInString(w) >= 2 {
		return t.prefixes[prefix2(w)]
	}
	var all []int
	for k, v := range t.prefixes {
		if strings.HasPrefix(k, w) {
			all = append(all, v...)
		}
	}
	slices.Sort(all)
	return all
}

func prefix2(s string) string {
	_, a := utf8.DecodeRuneInString(s)
	if a >= len(s) {
		return s
	}
	_, b := utf8.DecodeRuneInString(s[a:])
	return s[:a+b]
}

// foldedPlain is the plain text folded, with offsets back to it.
func (t *text) foldedPlain() textlang.Folded {
	if t.folded == nil {
		f := textlang.FoldText(t.plain)
		t.folded = &f
	}
	return *t.folded
}

// tokenCovering returns the token whose bytes hold offset off, or -1.
func (t *text) tokenCovering(off int) int {
	i, _ := slices.BinarySearchFunc(t.tokens, off, func(tk token, off int) int {
		if tk.end <= off {
			return -1
		}
		if tk.start > off {
			return 1
		}
		return 0
	})
	if i < len(t.tokens) && t.tokens[i].start <= off && off < t.tokens[i].end {
		return i
	}
	return -1
}

// denied reports whether the words from..to are denied: by an English
// negation before them (text.negated), or by the language's negations
// before, after (Japanese ません, Korean 않) or inside them (Turkish -maz).
func (t *text) denied(o occ, stopAtPause bool) bool {
	if t.negated(o.from, negations, stopAtPause) {
		return true
	}
	l := t.lang
	if l == nil {
		return false
	}
	sent := t.tokens[o.from].sent
	for k := o.from - 1; k >= 0 && k >= o.from-4; k-- {
		tk := t.tokens[k]
		if tk.sent != sent || stopAtPause && tk.pause {
			break
		}
		if l.negs[tk.fold] || strings.HasPrefix(tk.lower, "n'") && l.negs["n'"] {
			return true
		}
	}
	if strings.HasPrefix(t.tokens[o.from].lower, "n'") && l.negs["n'"] {
		return true // "n'extrait pas"
	}
	if len(l.negAfter) > 0 {
		reach := 3
		if l.vocab.MaxRune > 0 {
			reach = 6 // "スクレイピング|は|行い|ませ|ん": the words run short
		}
		end := min(t.sents[sent][1]-1, o.to+reach)
		if end > o.to {
			window := textlang.Fold(t.plain[t.tokens[o.to].end:t.tokens[end].end])
			for _, n := range l.negAfter {
				if strings.Contains(window, n) {
					return true
				}
			}
		}
	}
	for _, inf := range l.NegationInfixes {
		if f := t.tokens[o.from].fold; len(f) > 3 && strings.Contains(f[3:], inf) {
			return true
		}
	}
	return false
}

// pinterestBoard reports whether a board the text names is a Pinterest
// board: the description names Pinterest (or its Pins) somewhere, and the
// board is no mood board, vision board, welcome board, whiteboard or board
// game ("board" alone is not Pinterest).
func (t *text) pinterestBoard(o occ) bool {
	if !t.namesPinterest() {
		return false
	}
	sent := t.tokens[o.from].sent
	lo, hi := max(o.from-2, t.sents[sent][0]), min(o.to+2, t.sents[sent][1]-1)
	if p := o.from - 1; p >= t.sents[sent][0] && t.notBoards[t.tokens[p].lower] {
		return false
	}
	if n := o.to + 1; n <= hi && t.notBoardsAfter[t.tokens[n].lower] {
		return false
	}
	if t.lang != nil && len(t.lang.NotBoards) > 0 {
		window := textlang.Fold(t.plain[t.tokens[lo].start:t.tokens[hi].end])
		for _, nb := range t.lang.NotBoards {
			if strings.Contains(window, nb) {
				return false
			}
		}
	}
	return true
}

// namesPinterest reports whether the description names Pinterest or its
// Pins anywhere (a capitalised "Pin", or the language's words for either).
func (t *text) namesPinterest() bool {
	if t.pinterest == 0 {
		t.pinterest = -1
		for _, tk := range t.tokens {
			if tk.url || tk.code {
				continue
			}
			if tk.stem == "pinterest" || strings.HasPrefix(tk.fold, "pinterest") || t.plain[tk.start] == 'P' && (tk.lower == "pin" || tk.lower == "pins") {
				t.pinterest = 1
				break
			}
		}
		if t.pinterest < 0 && (len(t.langOccs("pinterest")) > 0 || len(t.langOccs("pin")) > 0) {
			t.pinterest = 1
		}
	}
	return t.pinterest > 0
}
