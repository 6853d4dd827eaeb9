// Package textlang is what the audits share about the language of a text:
// which language it is in (Detect), how to compare words across spellings
// (Fold, IndexTerm), and how to split it into words where the script puts
// no spaces between them (Segment). The privacy audit reads policies with
// it and the description audit reads descriptions with it, so both agree
// on what language a text is in.
package textlang

import (
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode"

	bcp47 "golang.org/x/text/language"
)

// Base maps a BCP 47 tag to the code the word lists use (or its base
// language when there are none): zh-TW → zh-Hant, pt-BR → pt, en-US → en.
func Base(tag string) string {
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

// Guess is what Detect makes of a text.
type Guess struct {
	Code string // a word-list code (fr, zh-Hant), another base language (sv, th), or "" when undetermined
	// Sure: the guess should override what a page declares (another
	// script, or clearly another language's common words).
	Sure bool
	// Shares is each script group's part of the text's words (ScriptOf's
	// groups), for a page in two scripts.
	Shares map[string]float64
}

// sampleBytes bounds the text read to detect a language.
const sampleBytes = 16 << 10

// Detect guesses the language of text: by script first (Hangul, kana,
// Han, Arabic, Cyrillic, Thai…), then, for Latin text, by which language's
// common words, letters and endings it uses most. Addresses, paths and code
// are not prose and count for no language: a Korean policy full of
// https://… links is Korean.
func Detect(text string) Guess {
	if len(text) > sampleBytes {
		text = text[:sampleBytes]
		for len(text) > 0 && !utf8RuneStart(text[len(text)-1]) {
			text = text[:len(text)-1]
		}
	}
	prose := proseWords(text)
	var hangul, kana, han, arabic, cyrillic, latin, viet, thai, greek, hebrew, deva int
	for _, w := range prose {
		for _, r := range w {
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
			case unicode.Is(unicode.Thai, r):
				thai++
			case unicode.Is(unicode.Greek, r):
				greek++
			case unicode.Is(unicode.Hebrew, r):
				hebrew++
			case unicode.Is(unicode.Devanagari, r):
				deva++
			case unicode.Is(unicode.Latin, r):
				latin++
				if isVietnameseLetter(r) {
					viet++
				}
			}
		}
	}
	// Compare scripts in rough words: a Latin word is about five letters,
	// a Korean word two or three syllables, a Chinese word one or two
	// characters, a Thai word four or five letters and marks.
	scores := map[string]float64{
		"ko": float64(hangul) / 2.5, "cjk": float64(kana+han) / 1.5, "ar": float64(arabic) / 5,
		"ru": float64(cyrillic) / 6, "latin": float64(latin) / 5, "th": float64(thai) / 4.5,
		"el": float64(greek) / 6, "he": float64(hebrew) / 4, "hi": float64(deva) / 4,
	}
	best, total := "", 0.0
	for _, k := range []string{"latin", "cjk", "ko", "ar", "ru", "th", "el", "he", "hi"} {
		total += scores[k]
		if best == "" || scores[k] > scores[best] {
			best = k
		}
	}
	if total < 3 {
		return Guess{}
	}
	g := Guess{Shares: map[string]float64{}, Sure: scores[best] > total/2}
	for k, v := range scores {
		if v > 0 {
			g.Shares[k] = v / total
		}
	}
	switch best {
	case "ko", "ar", "th", "el", "he", "hi":
		g.Code = best
	case "ru":
		g.Code = "ru"
		if strings.ContainsAny(text, "іїєґІЇЄҐ") {
			g.Code = "uk" // Ukrainian: no word lists, and not Russian
		}
	case "cjk":
		if kana*10 >= kana+han {
			g.Code = "ja"
		} else {
			g.Code = chineseScript(text)
		}
	default:
		if viet*12 >= latin && viet > 3 {
			g.Code = "vi"
			break
		}
		var sure bool
		g.Code, sure = latinLanguage(prose)
		g.Sure = g.Sure && sure
	}
	return g
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// proseWords returns the words of text that are prose: an address, an
// e-mail, a path or a piece of code ("/v5/pins", "board_id", "{pin_id}",
// "a=b") is left out.
func proseWords(text string) []string {
	fields := strings.Fields(text)
	out := fields[:0:0]
	for _, f := range fields {
		if !IsCode(f) {
			out = append(out, f)
		}
	}
	return out
}

// IsCode says whether a space-delimited field is an address, a path or a
// piece of code rather than a word of prose: a URL or e-mail address, a
// path ("/v5/pins", "api/v5/pins"), snake_case, a template or markup
// character (= { } < > \\ ` |), or a dot or colon between two letters
// ("api.pinterest.com", "boards:read"). The sentence's punctuation and
// Markdown emphasis around it do not count; "and/or", "e.g." and "3.5" are
// prose.
func IsCode(field string) bool {
	if !strings.ContainsAny(field, ":/._@={}<>\\`|") {
		return false // most words of prose: no character code needs
	}
	f := strings.TrimRight(field, ".,;:!?)]\"'’”»*_~")
	f = strings.TrimLeft(f, "([\"'‘“«*_~")
	if f == "" {
		return false
	}
	lower := strings.ToLower(f)
	if strings.Contains(f, "://") || strings.HasPrefix(lower, "www.") || strings.ContainsAny(f, "={}<>\\`|") {
		return true
	}
	if n := strings.Count(f, "/"); n >= 2 || n == 1 && (f[0] == '/' || strings.Contains(f, "//")) {
		return true
	}
	for i := 1; i+1 < len(f); i++ {
		c := f[i]
		if c == '_' && isASCIILetterOrDigit(f[i-1]) && isASCIILetterOrDigit(f[i+1]) {
			return true
		}
		if (c == '.' || c == ':' || c == '@') && isASCIILetterOrDigit(f[i-1]) && isASCIILetterOrDigit(f[i+1]) {
			// "e.g" and "i.e" are prose; so are "3.5" and "10:30".
			if c == '.' && (lower == "e.g" || lower == "i.e" || isDigit(f[i-1]) && isDigit(f[i+1])) {
				continue
			}
			if c == ':' && isDigit(f[i-1]) && isDigit(f[i+1]) {
				continue
			}
			return true
		}
	}
	return false
}

func isASCIILetterOrDigit(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// ScriptOf is the script group Detect compares for a language code.
func ScriptOf(code string) string {
	switch code {
	case "ko", "ar", "ru", "th", "el", "he", "hi":
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
// policies and descriptions use most (個人資料 / 个人资料, 隱私 / 隐私, 與 / 与, ...).
const (
	traditionalOnly = "個們這資訊與於為隱權會說對時條款將應體處網頁務關聯繫蒐護據並從點開發記錄後當動產區號級認證讓還過錄頭臺圖釘帳戶創顯們規劃統計廣告據庫"
	simplifiedOnly  = "个们这资讯与于为隐权会说对时条将应体处网页务关联系护据并从点开发记录后当动产区号级认证让还过录头台图钉账户创显规划统计广告库"
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
// letters, compared with the text's words in lower case but with their
// accents: folded, Vietnamese "là" would be French "la". These tables are
// slices, not maps: static data in the binary, built by no code at start.
var stopwords = []struct {
	code  string
	words []string
}{
	{"de", []string{"der", "die", "das", "und", "ist", "nicht", "zu", "den", "von", "mit", "sie", "wir", "ihre", "ihr", "für", "auf", "ein", "eine", "dem", "des", "im", "werden", "es", "auch", "keine", "dein", "deine", "deinen", "du", "kann", "können", "wird", "sind", "oder", "bei", "aus", "über", "nach", "wie", "nur", "einen", "einem", "alle", "jede", "jeden"}},
	{"en", []string{"the", "and", "of", "to", "is", "in", "that", "for", "you", "your", "we", "our", "with", "this", "are", "not", "be", "or", "by", "any", "will", "have", "from", "it", "as", "their", "they", "can", "each", "who", "which", "when", "on", "an", "into", "them", "its", "a", "lets", "let", "what", "how", "one", "about", "up", "out", "if", "so", "but", "then", "than", "only", "also", "after", "these", "those", "all", "more", "use", "uses", "see", "get", "it's", "don't", "we're", "you're"}},
	{"es", []string{"el", "la", "los", "las", "de", "del", "que", "y", "en", "un", "una", "para", "por", "con", "su", "sus", "no", "es", "se", "al", "como", "nuestra", "nuestro", "usted", "datos", "tu", "tus", "cada", "puede", "pueden", "sin", "también", "desde", "donde", "ni"}},
	{"fr", []string{"le", "la", "les", "de", "des", "du", "et", "en", "un", "une", "est", "pour", "que", "qui", "dans", "nous", "vous", "pas", "sur", "avec", "ce", "cette", "aux", "vos", "votre", "ne", "leurs", "leur", "chaque", "peut", "peuvent", "sans", "ou", "sont", "ses", "son", "sa"}},
	{"id", []string{"dan", "yang", "di", "ke", "dari", "untuk", "dengan", "ini", "itu", "tidak", "kami", "anda", "atau", "akan", "dalam", "pada", "oleh", "adalah", "sebagai", "juga", "aplikasi", "data", "dapat", "kepada", "setiap", "mereka", "bisa", "tanpa", "saat", "sudah", "hanya"}},
	{"it", []string{"il", "lo", "la", "i", "gli", "le", "di", "del", "della", "e", "che", "in", "un", "una", "per", "con", "non", "è", "si", "da", "al", "sono", "dei", "nostra", "suoi", "loro", "ogni", "può", "possono", "senza", "anche", "nel", "nella", "sulla", "tuoi", "tue", "tua"}},
	{"nl", []string{"de", "het", "een", "en", "van", "is", "in", "niet", "te", "op", "voor", "met", "we", "wij", "je", "uw", "jouw", "die", "dat", "zijn", "worden", "ook", "geen", "aan", "of", "hun", "kunnen", "kan", "wordt", "naar", "bij", "elke", "zonder", "alleen"}},
	{"pl", []string{"i", "w", "z", "na", "nie", "się", "do", "że", "jest", "o", "to", "przez", "oraz", "lub", "od", "dla", "jak", "po", "są", "ich", "twoje", "twoich", "nasz", "nas", "aplikacja", "może", "mogą", "swoje", "swoich", "każdy", "bez", "tylko"}},
	{"pt", []string{"o", "a", "os", "as", "de", "do", "da", "dos", "das", "que", "e", "em", "um", "uma", "para", "por", "com", "seu", "sua", "não", "é", "se", "ao", "como", "nossa", "você", "dados", "seus", "suas", "cada", "pode", "podem", "sem", "também", "nos", "nas"}},
	{"tr", []string{"ve", "bir", "bu", "ile", "için", "de", "da", "olarak", "olan", "veya", "gibi", "ancak", "daha", "her", "hiçbir", "sizin", "bizim", "uygulama", "verileri", "tarafından", "değil", "mi", "en", "kadar", "ne", "ya", "çok", "tüm", "var", "yok", "sonra", "önce", "kendi", "onların", "şu"}},
	{"vi", []string{"và", "của", "các", "là", "không", "được", "cho", "với", "có", "trong", "này", "những", "một", "chúng", "tôi", "bạn", "khi", "để", "người", "từ", "theo", "về", "đến", "như", "hoặc"}},
}

// letters are letters only one of the Latin-script languages pinready
// reads uses (among those it reads): a word with one counts for it.
var letters = []struct {
	code string
	set  string
}{
	{"tr", "ğışİĞŞı"},
	{"pl", "ąęłńśźżĄĘŁŃŚŹŻ"},
	{"de", "ßä"},
	{"es", "ñ¿¡"},
	{"pt", "ãõ"},
	{"fr", "œûëÿ"},
	{"it", "ìò"},
}

// endings are word endings one of those languages uses and the others
// hardly do: Turkish and Indonesian join their small words to the word
// before, so their texts have few stopwords but these endings.
var endings = []struct {
	code  string
	words []string
}{
	{"tr", []string{"ları", "leri", "ların", "lerin", "ımız", "imiz", "ınız", "iniz", "ını", "ini", "sını", "sini", "dır", "dir", "maz", "mez", "ıyor", "iyor", "uyor", "üyor", "acak", "ecek"}},
	{"id", []string{"nya", "kan", "lah"}},
	{"nl", []string{"heid", "lijk", "lijke", "ijn", "ij"}},
	{"de", []string{"ung", "ungen", "keit", "lich", "liche", "lichen", "isch"}},
	{"it", []string{"zione", "zioni", "mente", "ità", "gli"}},
	{"es", []string{"ción", "ciones", "mente"}},
	{"fr", []string{"eux", "euse", "ement", "ées"}},
	{"pl", []string{"ości", "ować", "ych", "ami"}},
}

// letterRuns yields the runs of letters and apostrophes of s, without
// allocating: a field of prose ("user's,") holds one word or a few.
func letterRuns(s string) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		start := -1
		for i, r := range s {
			if unicode.IsLetter(r) || r == '\'' || r == '’' {
				if start < 0 {
					start = i
				}
				continue
			}
			if start >= 0 && !yield(s[start:i]) {
				return
			}
			start = -1
		}
		if start >= 0 {
			yield(s[start:])
		}
	}
}

var (
	stopOnce sync.Once
	stopIdx  map[string][]string // stopword → languages that use it
)

// latinLanguage scores each Latin-script language by how many of the
// words are its common words, hold its letters or end like its words. It is
// sure when the winner has enough hits and clearly more than the runner-up.
// Short texts (a description, a page of three sentences) need only two hits
// and a tenth of their words.
func latinLanguage(prose []string) (string, bool) {
	stopOnce.Do(func() {
		stopIdx = map[string][]string{}
		for _, l := range stopwords {
			for _, w := range l.words {
				if !slices.Contains(stopIdx[w], l.code) {
					stopIdx[w] = append(stopIdx[w], l.code)
				}
			}
		}
	})
	hits := map[string]int{}
	words := 0
	for _, field := range prose {
		for w := range letterRuns(strings.ToLower(field)) {
			words++
			if langs := stopIdx[w]; len(langs) > 0 {
				for _, code := range langs {
					hits[code]++
				}
				continue
			}
			for _, l := range letters {
				if strings.ContainsAny(w, l.set) {
					hits[l.code]++
				}
			}
			if len(w) >= 6 {
				for _, l := range endings {
					for _, e := range l.words {
						if strings.HasSuffix(w, e) {
							hits[l.code]++
							break
						}
					}
				}
			}
		}
	}
	best, second := "", 0
	for _, code := range slices.Sorted(maps.Keys(hits)) {
		switch n := hits[code]; {
		case best == "" || n > hits[best]:
			second = hits[best]
			best = code
		case n > second:
			second = n
		}
	}
	if best == "" || hits[best] < 2 || hits[best]*10 < words || hits[best] == second {
		// Too few common words of any language pinready knows: another
		// language (Swedish, Czech…) or no prose at all.
		return "", false
	}
	return best, hits[best] >= 8 && hits[best]*2 >= second*3
}
