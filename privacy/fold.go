package privacy

import (
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Word lists and page text are compared after folding: lower case, accents
// and other combining marks dropped, compatibility forms (full-width
// letters, ligatures) unified, Arabic-Indic digits made ASCII. A policy that
// writes "Politica de privacidad" without its accent, or "GİZLİLİK" in
// Turkish capitals, then still matches its word list, and one list entry
// serves every spelling.

// folded is a text after folding, with the byte offset in the original
// text of every byte, so a match can be quoted from the page as written.
type folded struct {
	s    string
	orig []int // orig[i] is the original offset of s[i]; orig[len(s)] is the original length
}

// at returns the original offset of folded offset i.
func (f folded) at(i int) int { return f.orig[min(max(i, 0), len(f.orig)-1)] }

// foldText folds s and keeps the offset map.
func foldText(s string) folded {
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
	return folded{s: b.String(), orig: orig}
}

// fold folds s without keeping offsets: for word lists.
func fold(s string) string { return foldText(s).s }

// foldCache keeps the folded form of each rune below foldCacheEnd once
// computed; runes are folded on first sight, so a process pays only for
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

// spacedScript says whether words of r's script are separated by spaces and
// take endings, so a list entry must start at a word boundary: "use" must not
// match inside "because". Chinese, Japanese and Korean run words together,
// and Arabic attaches "the" and "and" to the word, so there any position counts.
func spacedScript(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) ||
		unicode.In(r, unicode.Latin, unicode.Cyrillic, unicode.Greek)
}

// indexTerm returns the first offset in text (folded) where term (folded)
// starts at a word boundary, or -1.
func indexTerm(text, term string) int {
	if term == "" {
		return -1
	}
	first, _ := utf8.DecodeRuneInString(term)
	needBoundary := spacedScript(first)
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

// containsTerm reports whether folded text contains folded term at a word boundary.
func containsTerm(text, term string) bool { return indexTerm(text, term) >= 0 }

// firstTerm returns the first of terms found in text, or "".
func firstTerm(text string, terms []string) string {
	for _, t := range terms {
		if containsTerm(text, t) {
			return t
		}
	}
	return ""
}
