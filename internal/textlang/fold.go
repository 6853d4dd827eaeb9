package textlang

import (
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Word lists and texts are compared after folding: lower case, accents
// and other combining marks dropped, compatibility forms (full-width
// letters, ligatures) unified, Arabic-Indic digits made ASCII. A policy that
// writes "Politica de privacidad" without its accent, or "GİZLİLİK" in
// Turkish capitals, then still matches its word list, and one list entry
// serves every spelling.

// Folded is a text after folding, with the byte offset in the original
// text of every byte, so a match can be quoted from the page as written.
type Folded struct {
	S    string // the folded text
	orig []int  // orig[i] is the original offset of S[i]; orig[len(S)] is the original length
}

// At returns the original offset of Folded offset i.
func (f Folded) At(i int) int { return f.orig[min(max(i, 0), len(f.orig)-1)] }

// FoldText folds s and keeps the offset map.
func FoldText(s string) Folded {
	var b strings.Builder
	b.Grow(len(s))
	orig := make([]int, 0, len(s)+1)
	for i, r := range s {
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
			orig = append(orig, i)
			continue
		}
		f := foldRune(r)
		b.WriteString(f)
		for range len(f) {
			orig = append(orig, i)
		}
	}
	orig = append(orig, len(s))
	return Folded{S: b.String(), orig: orig}
}

// Fold folds s without keeping offsets: for word lists.
func Fold(s string) string { return FoldText(s).S }

// foldCache keeps the Folded form of each rune below foldCacheEnd once
// computed; runes are Folded on first sight, so a process pays only for
// the scripts its pages use.
var foldCache [foldCacheEnd]atomic.Pointer[string]

// foldCacheEnd covers Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic and
// the Latin additions Vietnamese uses.
const foldCacheEnd = 0x2000

func foldRune(r rune) string {
	if r < foldCacheEnd {
		if p := foldCache[r].Load(); p != nil {
			return *p
		}
		f := foldSlow(r)
		foldCache[r].Store(&f)
		return f
	}
	return foldSlow(r)
}

func foldSlow(r rune) string {
	switch {
	case r >= 0x0660 && r <= 0x0669: // Arabic-Indic digits
		return string('0' + (r - 0x0660))
	case r >= 0x06F0 && r <= 0x06F9: // Extended Arabic-Indic (Persian, Urdu) digits
		return string('0' + (r - 0x06F0))
	case r == 'ı': // Turkish dotless i: "gizlilik" and "GIZLILIK" both fold to it
		return "i"
	case r == 'ß':
		return "ss"
	case r == 0x00A0 || r == 0x202F || r == 0x3000: // no-break and ideographic spaces
		return " "
	case r == '’' || r == '‘' || r == 'ʼ':
		return "'"
	case r >= 0xAC00 && r <= 0xD7A3:
		// Hangul syllables stay whole: decomposed into jamo, a word could
		// match across two syllables.
		return string(r)
	}
	var b strings.Builder
	for _, c := range norm.NFKD.String(string(r)) {
		if unicode.Is(unicode.Mn, c) {
			continue
		}
		b.WriteRune(unicode.ToLower(c))
	}
	if b.Len() == 0 {
		return string(r) // a lone combining mark: keep it rather than lose a byte of offsets
	}
	return b.String()
}

// SpacedScript says whether words of r's script are separated by spaces and
// take endings, so a list entry must start at a word boundary: "use" must not
// match inside "because". Chinese, Japanese and Korean run words together,
// and Arabic attaches "the" and "and" to the word, so there any position counts.
func SpacedScript(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) ||
		unicode.In(r, unicode.Latin, unicode.Cyrillic, unicode.Greek)
}

// IndexTerm returns the first offset in text (Folded) where term (Folded)
// starts at a word boundary, or -1.
func IndexTerm(text, term string) int {
	if term == "" {
		return -1
	}
	first, _ := utf8.DecodeRuneInString(term)
	needBoundary := SpacedScript(first)
	for off := 0; ; {
		i := strings.Index(text[off:], term)
		if i < 0 {
			return -1
		}
		i += off
		if !needBoundary || i == 0 {
			return i
		}
		prev, _ := utf8.DecodeLastRuneInString(text[:i])
		if !unicode.IsLetter(prev) && !unicode.IsDigit(prev) {
			return i
		}
		off = i + 1
	}
}

// ContainsTerm reports whether Folded text contains Folded term at a word boundary.
func ContainsTerm(text, term string) bool { return IndexTerm(text, term) >= 0 }

// FirstTerm returns the first of terms found in text, or "".
func FirstTerm(text string, terms []string) string {
	for _, t := range terms {
		if ContainsTerm(text, t) {
			return t
		}
	}
	return ""
}
