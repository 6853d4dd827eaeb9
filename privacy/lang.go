package privacy

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"unicode"

	bcp47 "golang.org/x/text/language"
)

// language is what the audit knows of a page's language: the code it
// judged the page in, and where that came from. Declared is what the page
// itself says (<html lang>, Content-Language), kept even when the text
// proves it wrong: many themes ship lang="en" whatever the text.
type language struct {
	Code     string   // a lexicon code (fr, zh-Hant), another BCP 47 base (sv), or "" when unknown
	Source   string   // "text", "<html lang>", "Content-Language"
	Declared string   // the page's own declaration, as written; "" when none
	Lex      *lexicon // nil when pinready has no word lists for Code
}

// Name is the language's English name, or its code.
func (l language) Name() string {
	switch {
	case l.Lex != nil:
		return l.Lex.Name
	case l.Code != "":
		return fmt.Sprintf("%q", l.Code)
	}
	return "an undetermined language"
}

// String is the language as evidence shows it: "fr (French, from the text;
// the page declares en-US)".
func (l language) String() string {
	if l.Code == "" {
		s := "undetermined"
		if l.Declared != "" {
			s += fmt.Sprintf(" (the page declares %q)", l.Declared)
		}
		return s
	}
	s := l.Code
	if l.Lex != nil {
		s += " (" + l.Lex.Name + ", from " + l.Source
	} else {
		s += " (no word lists for it; from " + l.Source
	}
	if l.Declared != "" && l.Source == "the text" && !strings.EqualFold(l.Declared, l.Code) {
		s += fmt.Sprintf("; the page declares %q", l.Declared)
	}
	return s + ")"
}

// words is the set of lexicons a page is judged with: its language, the
// language it declares, and English, which small apps mix into every
// language. An undetermined language is judged with every lexicon.
func (l language) words() wordSet {
	var langs []*lexicon
	add := func(x *lexicon) {
		if x != nil && !slices.Contains(langs, x) {
			langs = append(langs, x)
		}
	}
	if l.Code == "" {
		for _, x := range allLexicons() {
			add(x)
		}
		return newWordSet(langs)
	}
	add(l.Lex)
	if l.Declared != "" {
		add(lexiconFor(lexiconCode(l.Declared)))
	}
	add(lexiconFor("en"))
	return newWordSet(langs)
}

// lexiconCode maps a BCP 47 tag to the code of its lexicon (or its base
// language when there is none): zh-TW → zh-Hant, pt-BR → pt, en-US → en.
func lexiconCode(tag string) string {
	t, err := bcp47.Parse(strings.TrimSpace(tag))
	if err != nil {
		return ""
	}
	base, _ := t.Base()
	if base.String() == "zh" {
		if script, _ := t.Script(); script.String() == "Hant" {
			return "zh-Hant"
		}
		return "zh-Hans"
	}
	if base.String() == "und" {
		return ""
	}
	return base.String()
}

// detectLanguage decides the page's language. The text wins over a
// declaration when it is unambiguous (another script, or clearly another
// language's common words); otherwise the declaration stands.
func detectLanguage(d *document, h http.Header) language {
	out := language{}
	declared, from := d.Lang, "<html lang>"
	if declared == "" && h != nil {
		// Content-Language may list several; the first is the main one.
		declared, _, _ = strings.Cut(h.Get("Content-Language"), ",")
		declared, from = strings.TrimSpace(declared), "Content-Language"
	}
	out.Declared = declared
	textCode, sure, shares := detectText(d.Text)
	declCode := lexiconCode(declared)
	if declCode != "" && textCode != "" && scriptOf(declCode) != scriptOf(textCode) && shares[scriptOf(declCode)] >= 0.25 {
		// A page in two scripts (an English and a Korean version one under
		// the other): the declared one is as present as the other.
		sure = false
	}
	switch {
	case declCode != "" && declCode == textCode:
		out.Code, out.Source = declCode, from
	case textCode != "" && (sure || declCode == ""):
		out.Code, out.Source = textCode, "the text"
	case declCode != "":
		out.Code, out.Source = declCode, from
	case textCode != "":
		out.Code, out.Source = textCode, "the text"
	}
	out.Lex = lexiconFor(out.Code)
	return out
}

// sampleBytes bounds the text read to detect a language.
const sampleBytes = 16 << 10

// detectText guesses the language of text: by script first (Hangul, kana,
// Han, Arabic, Cyrillic), then, for Latin text, by which language's common
// words it uses most. sure says the guess should override a declaration.
func detectText(text string) (code string, sure bool, shares map[string]float64) {
	if len(text) > sampleBytes {
		text = text[:sampleBytes]
	}
	var hangul, kana, han, arabic, cyrillic, latin, viet int
	for _, r := range text {
		switch {
		case r >= 0xAC00 && r <= 0xD7A3 || r >= 0x1100 && r <= 0x11FF:
			hangul++
		case unicode.In(r, unicode.Hiragana, unicode.Katakana):
			kana++
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.Is(unicode.Arabic, r):
			arabic++
		case unicode.Is(unicode.Cyrillic, r):
			cyrillic++
		case unicode.Is(unicode.Latin, r):
			latin++
			if isVietnameseLetter(r) {
				viet++
			}
		}
	}
	// Compare scripts in rough words: a Latin word is about five letters,
	// a Korean word two or three syllables, a Chinese word one or two characters.
	scores := map[string]float64{
		"ko": float64(hangul) / 2.5, "cjk": float64(kana+han) / 1.5, "ar": float64(arabic) / 5,
		"ru": float64(cyrillic) / 6, "latin": float64(latin) / 5,
	}
	best, total := "", 0.0
	for _, k := range []string{"latin", "cjk", "ko", "ar", "ru"} {
		total += scores[k]
		if best == "" || scores[k] > scores[best] {
			best = k
		}
	}
	if total < 3 {
		return "", false, nil
	}
	shares = map[string]float64{}
	for k, v := range scores {
		shares[k] = v / total
	}
	sure = scores[best] > total/2
	switch best {
	case "ko", "ar":
		return best, sure, shares
	case "ru":
		if strings.ContainsAny(text, "іїєґІЇЄҐ") {
			return "uk", sure, shares // Ukrainian: no word lists, and not Russian
		}
		return "ru", sure, shares
	case "cjk":
		if kana*10 >= kana+han {
			return "ja", sure, shares
		}
		return chineseScript(text), sure, shares
	}
	if viet*12 >= latin && viet > 3 {
		return "vi", sure, shares
	}
	code, sure = latinLanguage(text)
	return code, sure, shares
}

// scriptOf is the script group detectText compares for a language code.
func scriptOf(code string) string {
	switch code {
	case "ko", "ar", "ru":
		return code
	case "uk", "bg", "sr", "mk", "be":
		return "ru"
	case "ja", "zh-Hans", "zh-Hant":
		return "cjk"
	case "fa", "ur":
		return "ar"
	}
	return "latin"
}

// isVietnameseLetter is a letter only Vietnamese uses among the languages
// pinready reads: ơ, ư, đ, and vowels with a dot below or hook above.
func isVietnameseLetter(r rune) bool {
	r = unicode.ToLower(r)
	return r == 'ơ' || r == 'ư' || r == 'đ' || r >= 0x1EA0 && r <= 0x1EF9
}

// Characters whose simplified and traditional forms differ, among those
// policies use most (個人資料 / 个人资料, 隱私 / 隐私, 與 / 与, ...).
const (
	traditionalOnly = "個們這資訊與於為隱權會說對時條款將應體處網頁務關聯繫蒐護據並從點開發記錄後當動產區號級認證讓還過錄頭臺"
	simplifiedOnly  = "个们这资讯与于为隐权会说对时条将应体处网页务关联系护据并从点开发记录后当动产区号级认证让还过录头台"
)

func chineseScript(text string) string {
	var trad, simp int
	for _, r := range text {
		if strings.ContainsRune(traditionalOnly, r) {
			trad++
		} else if strings.ContainsRune(simplifiedOnly, r) {
			simp++
		}
	}
	if trad > simp {
		return "zh-Hant"
	}
	return "zh-Hans"
}

// stopwords are the commonest words of each language written in Latin
// letters, compared with the page's words in lower case but with their
// accents: folded, Vietnamese "là" would be French "la".
var stopwords = map[string][]string{
	"de": {"der", "die", "das", "und", "ist", "nicht", "zu", "den", "von", "mit", "sie", "wir", "ihre", "ihr", "für", "auf", "ein", "eine", "dem", "des", "im", "werden", "es", "auch", "keine"},
	"en": {"the", "and", "of", "to", "is", "in", "that", "for", "you", "your", "we", "our", "with", "this", "are", "not", "be", "or", "by", "any", "will", "have", "from", "it", "as"},
	"es": {"el", "la", "los", "las", "de", "del", "que", "y", "en", "un", "una", "para", "por", "con", "su", "sus", "no", "es", "se", "al", "como", "nuestra", "nuestro", "usted", "datos"},
	"fr": {"le", "la", "les", "de", "des", "du", "et", "en", "un", "une", "est", "pour", "que", "qui", "dans", "nous", "vous", "pas", "sur", "avec", "ce", "cette", "aux", "vos", "votre", "ne"},
	"id": {"dan", "yang", "di", "ke", "dari", "untuk", "dengan", "ini", "itu", "tidak", "kami", "anda", "atau", "akan", "dalam", "pada", "oleh", "adalah", "sebagai", "juga", "aplikasi", "data", "dapat", "kepada", "setiap"},
	"it": {"il", "lo", "la", "i", "gli", "le", "di", "del", "della", "e", "che", "in", "un", "una", "per", "con", "non", "è", "si", "da", "al", "sono", "dei", "nostra", "suoi"},
	"nl": {"de", "het", "een", "en", "van", "is", "in", "niet", "te", "op", "voor", "met", "we", "wij", "je", "uw", "jouw", "die", "dat", "zijn", "worden", "ook", "geen", "aan", "of"},
	"pl": {"i", "w", "z", "na", "nie", "się", "do", "że", "jest", "o", "to", "przez", "oraz", "lub", "od", "dla", "jak", "po", "są", "ich", "twoje", "twoich", "nasz", "nas", "aplikacja"},
	"pt": {"o", "a", "os", "as", "de", "do", "da", "dos", "das", "que", "e", "em", "um", "uma", "para", "por", "com", "seu", "sua", "não", "é", "se", "ao", "como", "nossa", "você", "dados"},
	"tr": {"ve", "bir", "bu", "ile", "için", "de", "da", "olarak", "olan", "veya", "gibi", "ancak", "daha", "her", "hiçbir", "sizin", "bizim", "uygulama", "verileri", "tarafından", "değil", "mi", "en", "kadar", "ne"},
	"vi": {"và", "của", "các", "là", "không", "được", "cho", "với", "có", "trong", "này", "những", "một", "chúng", "tôi", "bạn", "khi", "để", "người", "từ", "theo", "về", "đến", "như", "hoặc"},
}

var (
	stopOnce sync.Once
	stopIdx  map[string][]string // stopword → languages that use it
)

// latinLanguage scores each Latin-script language by how many of the
// text's words are among its common words. It is sure when the winner has
// enough hits and clearly more than the runner-up.
func latinLanguage(text string) (string, bool) {
	stopOnce.Do(func() {
		stopIdx = map[string][]string{}
		for _, code := range sortedKeys(stopwords) {
			for _, w := range stopwords[code] {
				if !slices.Contains(stopIdx[w], code) {
					stopIdx[w] = append(stopIdx[w], code)
				}
			}
		}
	})
	hits := map[string]int{}
	words := 0
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }) {
		words++
		for _, code := range stopIdx[w] {
			hits[code]++
		}
	}
	best, second := "", 0
	for _, code := range sortedKeys(hits) {
		switch n := hits[code]; {
		case best == "" || n > hits[best]:
			second = hits[best]
			best = code
		case n > second:
			second = n
		}
	}
	if best == "" || hits[best] < 3 || hits[best]*10 < words {
		// Too few common words of any language pinready knows: another
		// language (Swedish, Czech…) or no prose at all.
		return "", false
	}
	return best, hits[best] >= 8 && hits[best]*2 >= second*3
}
