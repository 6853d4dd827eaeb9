package description

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/pinready/pinready/internal/textlang"
)

// A description in another language than English is read with that
// language's word lists, in lexicon/*.yaml beside this file, one file per
// language, embedded and parsed on first use (a run that reads only English
// parses none). They are the privacy audit's form: data a translator
// reviews one file at a time. English words stay in rules.yaml, where users
// tune them; a list here names the same concepts (pin, board, publish,
// scrape, ...) as the rules' parameters, so one intent or red flag written
// once ("@create & @pin") is read in every language.

//go:embed lexicon/*.yaml
var lexiconFiles embed.FS

// language is one language's word lists, folded and compiled.
type language struct {
	Code string `yaml:"code"`
	Name string `yaml:"name"`
	// MaxEnding is how many letters may follow an entry in a word: endings
	// are free up to it ("veröffentlich" finds "veröffentlicht"), and
	// "nutzer" does not find "nutzerdaten". Turkish joins long suffixes.
	MaxEnding int `yaml:"max_ending"`
	// WordWeight is how many words of prose one of the language's words
	// carries: a Korean word holds its particles ("블로거가" is "the
	// blogger" and its case), so description.length counts it 1.5.
	WordWeight float64 `yaml:"word_weight"`
	// Compounds: the language joins nouns into one word, its head last
	// ("Onlineshops", "webwinkeliers"): a people word also counts at the end.
	Compounds bool `yaml:"compounds"`
	// Inline: entries are found anywhere in a sentence, as in scripts
	// without spaces (Arabic joins the article and "and" to the word).
	Inline bool `yaml:"inline"`
	// Concepts are the words of each concept the rules name: those of
	// description.scopes (pin, board, publish, ...), of description.red-flags
	// (scrape, cookie, ...), and pinterest, generic (uses, integrates) and
	// content (titles, descriptions: what a copy tool writes).
	Concepts map[string][]string `yaml:"concepts"`
	// People name people and groups; PeopleEndings are endings that make a
	// word a person ("-eurs", "-istas").
	People        []string `yaml:"people"`
	PeopleEndings []string `yaml:"people_endings"`
	// Negations deny the word after them, NegationsAfter the word before
	// them (Japanese ません, Korean 않, Turkish değil); NegationInfixes follow
	// a verb's stem inside the word (Turkish -maz, -mıyor).
	Negations       []string `yaml:"negations"`
	NegationsAfter  []string `yaml:"negations_after"`
	NegationInfixes []string `yaml:"negation_infixes"`
	// Skip are not counted in an intent's "~N" distance (articles,
	// possessives); Block break it (prepositions).
	Skip  []string `yaml:"skip"`
	Block []string `yaml:"block"`
	// Elisions are the articles and pronouns French and Italian join to
	// the next word with an apostrophe ("l'utilisateur"): the word is read
	// without them.
	Elisions []string `yaml:"elisions"`
	// NotBoards stand next to a board that is not a Pinterest board: a mood
	// board, a tableau de bord.
	NotBoards []string `yaml:"not_boards"`

	concepts         map[string][]lexPhrase
	people           []lexPhrase
	negs, skip, stop map[string]bool // Negations, Skip, Block: one folded word each
	negAfter         []string
	vocab            textlang.Vocabulary // entries written without spaces, for Segment
}

// lexWord is one word of an entry: its folded letters, matched at the
// start of a word with an ending of at most MaxEnding letters, or exactly
// ("=pin"), or with any ending ("pinn*").
type lexWord struct {
	text      string
	exact     bool
	anyEnding bool
}

// lexPhrase is one entry: words one after another, or (in a script without
// spaces) a string found anywhere in the sentence.
type lexPhrase struct {
	src    string
	words  []lexWord
	inline string // folded; set for entries of scripts without spaces
}

// languages are the word lists of lexicon/*.yaml, each parsed on first use.
var languages = textlang.NewWordLists(lexiconFiles, func(code string) (*language, error) {
	return loadLanguage(lexiconFiles, code)
})

// languageFor returns a language's word lists, or nil when there are none
// (English reads rules.yaml; a broken embedded file is a bug TestLanguages
// reports, and the language is then read as one without lists).
func languageFor(code string) *language {
	if code == "" || code == "en" {
		return nil
	}
	return languages.For(code)
}

func loadLanguage(fsys fs.FS, code string) (*language, error) {
	name := "lexicon/" + code + ".yaml"
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	l := &language{MaxEnding: 4, WordWeight: 1}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(l); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if l.Code != code || l.Name == "" || len(l.Concepts) == 0 || len(l.People) == 0 {
		return nil, fmt.Errorf("%s: code %q (want %q), name, concepts and people are required", name, l.Code, code)
	}
	l.compile()
	return l, nil
}

func (l *language) compile() {
	l.vocab = textlang.Vocabulary{Words: map[string]bool{}}
	compileList := func(list []string) []lexPhrase {
		var out []lexPhrase
		for _, src := range list {
			if p, ok := l.compileEntry(src); ok {
				out = append(out, p)
			}
		}
		return out
	}
	l.concepts = map[string][]lexPhrase{}
	for name, list := range l.Concepts {
		l.concepts[name] = compileList(list)
	}
	l.people = compileList(l.People)
	set := func(list []string) map[string]bool {
		m := make(map[string]bool, len(list))
		for _, w := range list {
			m[textlang.Fold(w)] = true
		}
		return m
	}
	l.negs, l.skip, l.stop = set(l.Negations), set(l.Skip), set(l.Block)
	for _, w := range l.NegationsAfter {
		l.negAfter = append(l.negAfter, textlang.Fold(w))
	}
	for i, e := range l.PeopleEndings {
		l.PeopleEndings[i] = textlang.Fold(e)
	}
	for i, e := range l.NegationInfixes {
		l.NegationInfixes[i] = textlang.Fold(e)
	}
	for i, e := range l.NotBoards {
		l.NotBoards[i] = textlang.Fold(e)
	}
	for i, e := range l.Elisions {
		l.Elisions[i] = textlang.Fold(e)
	}
	l.addVocab(l.Negations, l.NegationsAfter, l.Skip, l.Block)
}

func (l *language) addVocab(lists ...[]string) {
	for _, list := range lists {
		for _, w := range list {
			f := textlang.Fold(w)
			if r, _ := utf8.DecodeRuneInString(f); textlang.NoSpaces(r) {
				l.vocab.Words[f] = true
				l.vocab.MaxRune = max(l.vocab.MaxRune, utf8.RuneCountInString(f))
			}
		}
	}
}

// compileEntry folds an entry; one in a script without spaces is found
// inline and joins the segmenter's vocabulary.
func (l *language) compileEntry(src string) (lexPhrase, bool) {
	f := strings.TrimSpace(textlang.Fold(src))
	if f == "" {
		return lexPhrase{}, false
	}
	p := lexPhrase{src: src}
	if l.Inline || strings.IndexFunc(f, textlang.NoSpaces) >= 0 {
		f = strings.Trim(f, "=*")
		p.inline = f
		l.addVocab([]string{f})
		return p, true
	}
	for _, w := range strings.Fields(f) {
		lw := lexWord{text: w}
		switch {
		case strings.HasPrefix(w, "=") && len(w) > 1:
			lw = lexWord{text: w[1:], exact: true}
		case strings.HasSuffix(w, "*") && len(w) > 1:
			lw = lexWord{text: strings.TrimSuffix(w, "*"), anyEnding: true}
		}
		p.words = append(p.words, lw)
	}
	return p, true
}

// matchWord reports whether a folded token is the entry's word.
func (l *language) matchWord(w lexWord, fold string) bool {
	switch {
	case w.exact:
		return fold == w.text
	case !strings.HasPrefix(fold, w.text):
		return false
	case w.anyEnding:
		return true
	}
	return utf8.RuneCountInString(fold)-utf8.RuneCountInString(w.text) <= l.MaxEnding
}

// isPersonWord reports whether a folded word names people: a listed
// word, or one with a people ending ("-eurs", "-istas").
func (l *language) isPersonWord(fold string) bool {
	for _, p := range l.people {
		if len(p.words) != 1 {
			continue
		}
		if l.matchWord(p.words[0], fold) {
			return true
		}
		// "onlineshops", "shopbetreiber": the head of a compound.
		if w := p.words[0].text; l.Compounds && !p.words[0].exact && len(fold) > len(w)+2 {
			if i := strings.LastIndex(fold, w); i >= 3 && utf8.RuneCountInString(fold[i+len(w):]) <= 2 {
				return true
			}
		}
	}
	for _, e := range l.PeopleEndings {
		if strings.HasSuffix(fold, e) && utf8.RuneCountInString(fold) >= utf8.RuneCountInString(e)+3 {
			return true
		}
	}
	return false
}

// conceptNames lists the concepts a language's file may name: those the
// rules' parameters name, checked by TestLanguages.
func (l *language) conceptNames() []string {
	names := make([]string, 0, len(l.Concepts))
	for n := range l.Concepts {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
