package textlang

import (
	"unicode"
	"unicode/utf8"
)

// Chinese, Japanese and Thai put no spaces between words, so a text in them
// is one "word" to strings.Fields and a 300-character description would
// count as a handful of words. Segment splits such a run into words.
//
// No library earned its place here. Unicode's word boundaries (UAX #29, as
// github.com/clipperhouse/uax29 implements them; it is already in go.sum)
// leave ideographic and Thai text to dictionary-based tailoring: every Han
// character and every hiragana is a word of its own. Dictionary segmenters
// (gse, kagome) bring tens of megabytes of dictionaries and their loading
// time for what two rules need: counting words roughly as a reader would,
// and finding the entries of pinready's own word lists. So a run is split
// by a greedy longest match against the word lists of its language, then by
// script: a katakana run (a loanword: ピン, ボード, アカウント) is one word,
// Han and hiragana go two characters to a word (Chinese words average 1.5
// to 2 characters), Thai three letters with their marks.

// NoSpaces says whether r belongs to a script written without spaces
// between words: Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar.
func NoSpaces(r rune) bool {
	if r < 0x0E00 { // below Thai: Latin, Cyrillic, Arabic… (most text)
		return false
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar) ||
		r == 'ー' || r == '々'
}

// Vocabulary is a set of words (folded) a segmenter prefers, with the
// length of its longest word in runes.
type Vocabulary struct {
	Words   map[string]bool
	MaxRune int
}

// Segment splits run, a text of NoSpaces runes (and the combining marks
// that go with them), into words and returns their byte ranges. Words in
// vocab are kept whole where they start.
func Segment(run string, vocab Vocabulary) [][2]int {
	var out [][2]int
	for i := 0; i < len(run); {
		if n := longestKnown(run[i:], vocab); n > 0 {
			out = append(out, [2]int{i, i + n})
			i += n
			continue
		}
		r, _ := utf8.DecodeRuneInString(run[i:])
		var n int
		switch {
		case unicode.Is(unicode.Katakana, r) || r == 'ー':
			n = spanWhile(run[i:], -1, func(r rune) bool { return unicode.Is(unicode.Katakana, r) || r == 'ー' })
		case unicode.In(r, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar):
			n = spanWhile(run[i:], 3, func(r rune) bool { return unicode.In(r, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar) })
		case unicode.Is(unicode.Hiragana, r):
			n = spanWhile(run[i:], 2, func(r rune) bool { return unicode.Is(unicode.Hiragana, r) })
		default:
			n = spanWhile(run[i:], 2, func(r rune) bool { return unicode.Is(unicode.Han, r) || r == '々' })
		}
		if n == 0 {
			_, n = utf8.DecodeRuneInString(run[i:])
		}
		out = append(out, [2]int{i, i + n})
		i += n
	}
	return out
}

// longestKnown returns the byte length of the longest vocabulary word at
// the start of s, or 0.
func longestKnown(s string, vocab Vocabulary) int {
	if len(vocab.Words) == 0 {
		return 0
	}
	best, end, runes := 0, 0, 0
	for end < len(s) && runes < vocab.MaxRune {
		_, n := utf8.DecodeRuneInString(s[end:])
		end += n
		runes++
		if vocab.Words[Fold(s[:end])] {
			best = end
		}
	}
	return best
}

// spanWhile returns the byte length of the longest prefix of s whose base
// letters satisfy ok, at most max base letters (max < 0: no limit);
// combining marks stay with their letter.
func spanWhile(s string, max int, ok func(rune) bool) int {
	n, letters := 0, 0
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		if unicode.In(r, unicode.Mn, unicode.Mc) {
			n += size
			continue
		}
		if !ok(r) || max >= 0 && letters == max {
			break
		}
		letters++
		n += size
	}
	return n
}
