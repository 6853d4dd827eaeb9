package description

import (
	"html"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"

	"github.com/pinready/pinready/internal/textlang"

	"github.com/pinready/pinready/checks"
)

// Descriptions are often pasted from a README or a store listing, so they
// carry Markdown and HTML. plainText keeps what a reviewer reads: a link is
// its text, a tag is nothing, an entity is its character. The patterns are
// compiled on first use, each group only for a text that holds its mark
// ("```", "[", "<"): every command links this package, few read a
// description, and most descriptions are plain prose.
var (
	// A fenced block of code is not prose: reviewers skip it, and so do the rules.
	mdFence = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile("(?s)(?:^|\n)[ \t]*(?:```|~~~)[^\n]*\n.*?(?:\n[ \t]*(?:```|~~~)[ \t]*(?:\n|$)|$)")
	})
	mdLinks = sync.OnceValue(func() *linkPatterns {
		return &linkPatterns{
			image:   regexp.MustCompile(`!\[([^\]\n]*)\]\([^)\n]*\)`),
			link:    regexp.MustCompile(`\[([^\]\n]+)\]\(\s*<?[^)\s>]+>?(?:\s+"[^"\n]*")?\s*\)`),
			refLink: regexp.MustCompile(`\[([^\]\n]+)\]\[[^\]\n]*\]`),
			refDef:  regexp.MustCompile(`(?m)^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S+.*$`),
		}
	})
	htmlMarks = sync.OnceValue(func() *tagPatterns {
		return &tagPatterns{
			comment:    regexp.MustCompile(`(?s)<!--.*?-->`),
			mdAutolink: regexp.MustCompile(`<((?:https?|mailto):[^>\s]+)>`),
			linkOpen:   regexp.MustCompile(`(?i)<a\b[^>]*>`),
			// Only real HTML tags: "<App Name>" is a placeholder, not markup.
			tag: regexp.MustCompile(`(?i)</?(?:a|abbr|b|blockquote|br|code|dd|div|dl|dt|em|h[1-6]|hr|i|img|li|ol|p|pre|s|small|span|strong|sub|sup|table|tbody|td|th|thead|tr|u|ul)\b[^<>]*>`),
		}
	})
)

// linkPatterns are Markdown's bracketed links and images.
type linkPatterns struct{ image, link, refLink, refDef *regexp.Regexp }

// tagPatterns are HTML comments and tags, and Markdown's <autolinks>.
type tagPatterns struct{ comment, mdAutolink, linkOpen, tag *regexp.Regexp }

// plainText reduces Markdown and HTML links to their text and drops markup.
func plainText(s string) string {
	if strings.Contains(s, "```") || strings.Contains(s, "~~~") {
		s = mdFence().ReplaceAllString(s, "\n\n")
	}
	if strings.Contains(s, "[") {
		m := mdLinks()
		s = m.image.ReplaceAllString(s, "$1")
		s = m.link.ReplaceAllString(s, "$1")
		s = m.refLink.ReplaceAllString(s, "$1")
		s = m.refDef.ReplaceAllString(s, "")
	}
	if strings.Contains(s, "<") {
		m := htmlMarks()
		s = m.comment.ReplaceAllString(s, " ")
		s = m.mdAutolink.ReplaceAllString(s, "$1")
		s = m.linkOpen.ReplaceAllString(s, "")
		s = m.tag.ReplaceAllString(s, " ")
	}
	// Bold markers are not words and would show in quoted excerpts.
	s = strings.NewReplacer("**", "", "__", "").Replace(s)
	return html.UnescapeString(s)
}

// token is one word of a description.
type token struct {
	lower string // lower case, ’ as '
	stem  string // Snowball (Porter2) English stem; a possessive 's is dropped first
	fold  string // folded (textlang.Fold): what other languages' word lists match
	sent  int    // index of its sentence
	start int    // byte offsets in the plain text
	end   int
	// pause: a comma, a bracket or a dash follows the word; clauses end
	// there, sentences do not.
	pause bool
	url   bool // a web or e-mail address, one token, never a word of meaning
	// code: part of a path, an identifier or markup ("/v5/pins",
	// "board_id", "boards:read"): never a word of meaning, never counted.
	code bool
}

// text is a description read once: its plain text, its words and its
// sentences. Every description rule reads the same text.
type text struct {
	plain string
	// For the patterns' literal pre-check (descriptionmatch.go): plain with
	// ASCII letters lower-cased (same byte offsets), whether no rune in it
	// folds to ASCII, each lower-cased word's tokens, and plain lower-cased
	// by Unicode, made when first needed.
	lower    string
	foldSafe bool
	byWord   map[string][]int
	ulower   *string
	vocab    *string         // every distinct word and address, joined by spaces
	inVocab  map[string]bool // runs of literals looked for in vocab, and the answer
	tokens   []token
	sents    [][2]int         // token ranges [from, to) of each sentence
	byStem   map[string][]int // stem -> token indexes

	// language: the detected code ("" when undetermined, read as English),
	// and its word lists (nil for English and languages without lists).
	language string
	lang     *language
	folded   *textlang.Folded // plain folded, for entries found inline; when first needed
	langSeen map[string][]occ // langOccs' answers, by concept
	prefixes map[string][]int // tokens by the first two letters of their folded form
	// What makes a board no Pinterest board (description.pinterest-use's
	// not_boards, not_boards_after), and whether the text names Pinterest
	// (0 not yet known, 1 yes, -1 no).
	notBoards, notBoardsAfter map[string]bool
	pinterest                 int
}

// abbreviations end in a dot that does not end a sentence.
var abbreviations = map[string]bool{"etc": true, "vs": true, "approx": true, "incl": true, "mr": true, "mrs": true, "ms": true, "dr": true}

func readText(raw string) *text {
	t := &text{plain: plainText(raw), byStem: map[string][]int{}, byWord: map[string][]int{}}
	// The first few kilobytes tell a description's language.
	sample := t.plain
	if len(sample) > 4<<10 {
		sample = strings.ToValidUTF8(sample[:4<<10], "")
	}
	t.language = textlang.Detect(sample).Code
	t.lang = languageFor(t.language)
	var vocab textlang.Vocabulary
	if t.lang != nil {
		vocab = t.lang.vocab
	}
	codes := codeRanges(t.plain)
	inCode := func(off int) bool {
		for len(codes) > 0 && codes[0][1] <= off {
			codes = codes[1:]
		}
		return len(codes) > 0 && codes[0][0] <= off
	}
	t.lower = asciiLower(t.plain)
	t.foldSafe = !strings.ContainsAny(t.plain, "\u212A\u017F")
	t.tokens = make([]token, 0, len(t.plain)/5) // about six bytes a word in English
	s := t.plain
	words := map[string][2]string{} // a word's stem and folded form, computed once
	sent, sentStart := 0, 0
	endSentence := func() {
		if len(t.tokens) > sentStart {
			t.sents = append(t.sents, [2]int{sentStart, len(t.tokens)})
			sent++
			sentStart = len(t.tokens)
		}
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case textlang.NoSpaces(r):
			// Chinese, Japanese, Thai: the run is split into words first.
			j := i
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if !textlang.NoSpaces(r2) && !unicode.In(r2, unicode.Mn, unicode.Mc) {
					break
				}
				j += n2
			}
			for _, w := range textlang.Segment(s[i:j], vocab) {
				word := s[i+w[0] : i+w[1]]
				f := textlang.Fold(word)
				t.byStem[f] = append(t.byStem[f], len(t.tokens))
				t.byWord[f] = append(t.byWord[f], len(t.tokens))
				t.tokens = append(t.tokens, token{lower: f, stem: f, fold: f, sent: sent, start: i + w[0], end: i + w[1]})
			}
			i = j
		case isWordRune(r):
			j := i
			if u := urlAt(s, i); u > i {
				j = u
				t.tokens = append(t.tokens, token{lower: strings.ToLower(s[i:j]), sent: sent, start: i, end: j, url: true})
				t.byWord[t.tokens[len(t.tokens)-1].lower] = append(t.byWord[t.tokens[len(t.tokens)-1].lower], len(t.tokens)-1)
				i = j
				continue
			}
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if isWordRune(r2) {
					j += n2
					continue
				}
				// An apostrophe inside a word ("user's", "don't") is part of it.
				if (r2 == '\'' || r2 == '’') && j+n2 < len(s) {
					if r3, _ := utf8.DecodeRuneInString(s[j+n2:]); isWordRune(r3) {
						j += n2
						continue
					}
				}
				break
			}
			lower := strings.ToLower(strings.ReplaceAll(s[i:j], "’", "'"))
			w, ok := words[lower]
			if !ok {
				w = [2]string{english.Stem(strings.TrimSuffix(lower, "'s"), true), t.foldWord(lower)}
				words[lower] = w
			}
			st := w[0]
			t.byStem[st] = append(t.byStem[st], len(t.tokens))
			t.byWord[lower] = append(t.byWord[lower], len(t.tokens))
			t.tokens = append(t.tokens, token{lower: lower, stem: st, fold: w[1], sent: sent, start: i, end: j, code: inCode(i)})
			i = j
			// "e.g.", "i.e." and "etc." do not end a sentence.
			if i < len(s) && s[i] == '.' && (abbreviations[lower] || (len(lower) == 1 && (i+1 < len(s) && s[i+1] != ' ' && s[i+1] != '\n' || i >= 2 && s[i-2] == '.'))) {
				i++
			}
		case r == '\n' || r == '!' || r == '?' || r == '。' || r == '！' || r == '？' || r == '؟':
			endSentence()
			i += n
		case r == '.' || r == ':':
			// A dot or colon ends a sentence when a space or the end follows
			// ("Pin." ends one, "3.5" and "v5:" inside a word do not reach here).
			if i+1 >= len(s) || s[i+1] == ' ' || s[i+1] == '\n' || s[i+1] == '\t' || s[i+1] == '\r' {
				endSentence()
			}
			i += n
		case r == '\'' && i+1 < len(s) && s[i+1] == ' ' && len(t.tokens) > 0 && t.tokens[len(t.tokens)-1].end == i:
			// A plural possessive: "florists' portfolios".
			last := &t.tokens[len(t.tokens)-1]
			last.lower += "'"
			i += n
		case r == ',' || r == ';' || r == '(' || r == ')' || r == '—' || r == '–' || r == '"' || r == '“' || r == '”' || r == '/' || r == '|' || r == '*' || r == '•' || r == '#' ||
			r == '，' || r == '、' || r == '；' || r == '：' || r == '（' || r == '）' || r == '「' || r == '」' || r == '،':
			if len(t.tokens) > sentStart {
				t.tokens[len(t.tokens)-1].pause = true
			}
			i += n
		case r == '-' && (i+1 >= len(s) || s[i+1] == ' ') && i > 0 && s[i-1] == ' ':
			// A dash between spaces is a pause; a hyphen joins nothing here
			// because isWordRune stops at it and the next word starts anew.
			if len(t.tokens) > sentStart {
				t.tokens[len(t.tokens)-1].pause = true
			}
			i += n
		default:
			i += n
		}
	}
	endSentence()
	return t
}

// foldWord folds a word for the language's word lists, without the article
// a French or Italian word carries ("l'utilisateur" is "utilisateur").
func (t *text) foldWord(lower string) string {
	f := textlang.Fold(lower)
	if t.lang != nil {
		for _, e := range t.lang.Elisions {
			if rest, ok := strings.CutPrefix(f, e); ok && rest != "" {
				return rest
			}
		}
	}
	return f
}

// isWordRune: letters and digits make words; a hyphen splits "small-business"
// into "small" and "business", so each part keeps its own meaning.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

var urlStart = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(?i:https?://|www\.)[^\s<>()\[\]"]+|^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)
})

// urlAt returns the end of a web or e-mail address starting at i, or i.
func urlAt(s string, i int) int {
	if i > 0 {
		if r, _ := utf8.DecodeLastRuneInString(s[:i]); isWordRune(r) {
			return i
		}
	}
	// Only the run of non-space characters can be an address: matching on
	// the rest of the text would make reading quadratic.
	run := strings.IndexFunc(s[i:], unicode.IsSpace)
	if run < 0 {
		run = len(s) - i
	}
	if w := s[i : i+run]; !strings.Contains(w, "://") && !strings.Contains(w, "@") && (len(w) < 4 || !strings.EqualFold(w[:4], "www.")) {
		return i
	}
	m := urlStart().FindStringIndex(s[i : i+run])
	if m == nil {
		return i
	}
	end := i + m[1]
	for end > i && strings.ContainsRune(".,;:!?'", rune(s[end-1])) {
		end--
	}
	return end
}

// wordCount counts the words of prose a reviewer reads: an address, a
// path or a piece of code is no word ("GET /v5/boards/{board_id}/pins"
// lists endpoints, it describes nothing), and Chinese, Japanese or Thai
// count as segmented.
func (t *text) wordCount() int {
	n := 0
	for _, tk := range t.tokens {
		if !tk.url && !tk.code {
			n++
		}
	}
	if t.lang != nil && t.lang.WordWeight > 1 {
		return int(float64(n)*t.lang.WordWeight + 0.5)
	}
	return n
}

// codeRanges returns the byte ranges of the text's space-delimited fields
// that are code (textlang.IsCode), in order.
func codeRanges(s string) [][2]int {
	var out [][2]int
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += n
			continue
		}
		j := i
		for j < len(s) {
			r2, n2 := utf8.DecodeRuneInString(s[j:])
			if unicode.IsSpace(r2) {
				break
			}
			j += n2
		}
		if textlang.IsCode(s[i:j]) {
			out = append(out, [2]int{i, j})
		}
		i = j
	}
	return out
}

// sentence returns the plain text of sentence k.
func (t *text) sentence(k int) string {
	r := t.sents[k]
	return strings.Join(strings.Fields(t.plain[t.tokens[r[0]].start:t.tokens[r[1]-1].end]), " ")
}

// span returns the plain text from token i to token j inclusive.
func (t *text) span(i, j int) string {
	return strings.Join(strings.Fields(t.plain[t.tokens[i].start:t.tokens[j].end]), " ")
}

// stemOf stems a word of a rules.yaml list the way descriptions are stemmed.
// The rules' words are the same for every description: each is stemmed
// once per process (a few hundred words), not once per description.
func stemOf(w string) string {
	if i, ok := slices.BinarySearchFunc(builtStemTable, w, func(e builtStem, w string) int { return strings.Compare(e.word, w) }); ok {
		return builtStemTable[i].stem // the embedded rules.yaml's words, stemmed at build time
	}
	if st, ok := ruleStems.Load(w); ok {
		return st.(string)
	}
	lw := strings.ToLower(strings.ReplaceAll(w, "’", "'"))
	st := english.Stem(strings.TrimSuffix(lw, "'s"), true)
	ruleStems.Store(w, st)
	return st
}

var ruleStems sync.Map // a rules.yaml word → its stem

// builtStem is one row of builtStemTable (rules_built.go): a word of the
// embedded rules.yaml and its stem.
type builtStem struct{ word, stem string }

// negated reports whether the word at i is denied ("never creates",
// "does not read", "without scraping"). The look-back stays in the
// sentence, spans at most four words and, when stopAtPause, ends at a
// comma. A denial followed in the sentence by a condition ("never creates a
// Pin without the user's click", "nothing is published unless…") is a
// promise about consent, not a denial of the action.
func (t *text) negated(i int, negations map[string]bool, stopAtPause bool) bool {
	for k := i - 1; k >= 0 && k >= i-4; k-- {
		tk := t.tokens[k]
		if tk.sent != t.tokens[i].sent || (stopAtPause && tk.pause) || tk.lower == "but" {
			return false
		}
		if !negations[tk.lower] {
			continue
		}
		if k+1 < len(t.tokens) && (t.tokens[k+1].lower == "only" || t.tokens[k+1].lower == "just") {
			return false // "not only", "not just"
		}
		end := t.sents[tk.sent][1]
		for m := i + 1; m < end; m++ {
			switch t.tokens[m].lower {
			case "without", "unless", "until", "except", "before":
				return false
			}
		}
		return true
	}
	return false
}

// tokenAt returns the index of the token that starts at byte offset off of
// the plain text, or -1.
func (t *text) tokenAt(off int) int {
	i, found := slices.BinarySearchFunc(t.tokens, off, func(tk token, off int) int { return tk.start - off })
	if !found {
		return -1
	}
	return i
}

// firstMatch returns the first match of the first pattern that matches.
func (t *text) firstMatch(patterns []string) string {
	for _, p := range patterns {
		if !mayMatch(p, t) {
			continue
		}
		// A pattern's first group, when it has one, is the placeholder.
		if m := checks.MustRegexp(p).FindStringSubmatch(t.plain); m != nil {
			if len(m) > 1 && m[1] != "" {
				return m[1]
			}
			return m[0]
		}
	}
	return ""
}

// asciiLower lower-cases ASCII letters only, so byte offsets do not move.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// unicodeLower lower-cases by Unicode and writes the long s as "s", which
// a case-insensitive pattern takes it for (ToLower keeps it: it is lower case).
func (t *text) unicodeLower() string {
	if t.ulower == nil {
		l := strings.ReplaceAll(strings.ToLower(t.plain), "\u017F", "s")
		t.ulower = &l
	}
	return *t.ulower
}

// vocabulary returns the distinct words and addresses of the text joined by
// spaces: a run of letters and digits of a literal can only stand inside
// one of them, and this is far shorter than the text.
func (t *text) vocabulary() string {
	if t.vocab == nil {
		var b strings.Builder
		for w := range t.byWord {
			b.WriteString(w)
			b.WriteByte(' ')
		}
		v := b.String()
		t.vocab = &v
	}
	return *t.vocab
}

// inVocabulary reports whether a run of letters and digits stands inside a
// word of the text; literals share runs ("your", "the"), so answers are kept.
func (t *text) inVocabulary(run string) bool {
	if ok, seen := t.inVocab[run]; seen {
		return ok
	}
	if t.inVocab == nil {
		t.inVocab = map[string]bool{}
	}
	ok := strings.Contains(t.vocabulary(), run)
	t.inVocab[run] = ok
	return ok
}
