package privacy

import (
	"crypto/sha256"
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/pinready/pinready/internal/textlang"
)

// The per-language word lists live in lexicon/*.yaml, one file per
// language, embedded in the binary. They are data, not rules.yaml
// parameters: seventeen languages of headings, phrases, topics, date labels
// and month names are several hundred entries that a translator reviews
// one file at a time, and no user needs to override them wholesale. The
// few lists a user may want to extend (extra title words, topic words, date
// labels, placeholder patterns) stay in rules.yaml and apply in every
// language.

//go:embed lexicon/*.yaml
var lexiconFiles embed.FS

// lexicon is one language's word lists, folded (see fold.go) when loaded.
type lexicon struct {
	Code      string              `yaml:"code"`    // BCP 47: en, zh-Hans
	Name      string              `yaml:"name"`    // English name, for messages
	Policy    []string            `yaml:"policy"`  // what a privacy policy calls itself
	Weak      []string            `yaml:"weak"`    // shorter names ("Privacy")
	Phrases   map[string][]string `yaml:"phrases"` // kinds of statements policies make
	Topics    map[string][]string `yaml:"topics"`  // privacy.topics, by topic
	Updated   []string            `yaml:"updated"` // labels a date follows
	Months    []string            `yaml:"months"`
	Negatives map[string][]string `yaml:"negatives"` // what other pages call themselves, by kind
	Moved     []string            `yaml:"moved"`     // a page saying the policy is elsewhere
	Landing   []string            `yaml:"landing"`   // what README and landing pages say
	// About are words that, beside a policy's name in a title or heading,
	// make the page one *about* privacy policies ("How to write a privacy
	// policy", "Privacy policy template"): developer documentation or a guide.
	About []string `yaml:"about"`
	// Signals are what the text of a page that is not a policy says, by
	// page kind: cookies (the word for cookies), deletion (how to have an
	// account or data deleted), devdocs (technical words of documentation)
	// and reader (a developer's own users, app and policy: "your users",
	// "your privacy policy").
	Signals map[string][]string `yaml:"signals"`
}

// pageKinds are the kinds of page that are not a privacy policy, in the
// order a main heading is tested against them, with the words messages use.
var pageKinds = []struct{ Kind, Says string }{
	{"cookies", "a cookie notice or cookie policy"},
	{"deletion", "an account or data deletion page"},
	{"eula", "an end-user licence agreement (EULA)"},
	{"terms", "terms of service / terms of use"},
	{"imprint", "a legal notice (imprint)"},
	{"devdocs", "developer documentation or a guide about privacy"},
	{"support", "a support or contact page"},
	{"readme", "a README or landing page"},
	{"links", "a page that only links to the privacy policy"},
}

// signalKinds are the kinds of Signals a lexicon may list.
var signalKinds = []string{"cookies", "deletion", "devdocs", "reader"}

// pageKindSays returns the words for a kind of page.
func pageKindSays(kind string) string {
	if kind == "moved" {
		return `a page saying the policy is elsewhere or not written yet`
	}
	for _, k := range pageKinds {
		if k.Kind == kind {
			return k.Says
		}
	}
	return kind
}

// lexicons are the word lists of lexicon/*.yaml, each loaded on first use:
// a page needs its own language and English, so the others are never parsed.
var lexicons = textlang.NewWordLists(lexiconFiles, lexiconOf)

// lexiconFor returns the lists of a language, or nil when there are none.
// A broken embedded file is a bug in pinready that TestLexicons reports;
// at run time the language is then treated as one without word lists.
func lexiconFor(code string) *lexicon {
	if code == "" {
		return nil
	}
	return lexicons.For(code)
}

// lexiconOf returns a language's lists as go generate built them from its
// file (lexicon_built.go), or, when the file changed since, as loaded from
// it. Reading the YAML was a tenth of a static audit.
//
//go:generate go test -run ^TestBuiltLexicons$ -update .
func lexiconOf(code string) (*lexicon, error) {
	data, err := fs.ReadFile(lexiconFiles, "lexicon/"+code+".yaml")
	if sum, build := builtLexicon(code); err == nil && build != nil && sha256.Sum256(data) == sum {
		return build(), nil
	}
	return loadLexicon(lexiconFiles, code)
}

// allLexicons returns every language's lists, for a page whose language is
// undetermined.
func allLexicons() []*lexicon {
	var out []*lexicon
	for _, code := range lexicons.Codes() {
		if l := lexiconFor(code); l != nil {
			out = append(out, l)
		}
	}
	return out
}

func loadLexicon(fsys fs.FS, code string) (*lexicon, error) {
	name := "lexicon/" + code + ".yaml"
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	var l lexicon
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&l); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if l.Code != code || l.Name == "" || len(l.Policy) == 0 {
		return nil, fmt.Errorf("%s: code %q (want %q), name and policy are required", name, l.Code, code)
	}
	for kind := range l.Negatives {
		if pageKindSays(kind) == kind {
			return nil, fmt.Errorf("%s: unknown page kind %q", name, kind)
		}
	}
	for kind := range l.Signals {
		if !slices.Contains(signalKinds, kind) {
			return nil, fmt.Errorf("%s: unknown kind of signals %q (want one of %v)", name, kind, signalKinds)
		}
	}
	l.fold()
	return &l, nil
}

// fold folds every entry once, so matching folds only the page.
func (l *lexicon) fold() {
	for _, list := range []*[]string{&l.Policy, &l.Weak, &l.Updated, &l.Months, &l.Moved, &l.Landing, &l.About} {
		*list = foldAll(*list)
	}
	for _, m := range []map[string][]string{l.Phrases, l.Topics, l.Negatives, l.Signals} {
		for k, v := range m {
			m[k] = foldAll(v)
		}
	}
}

func foldAll(list []string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		if f := strings.TrimSpace(textlang.Fold(s)); f != "" && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	// Longer entries first: the message quotes "privacy policy", not "privacy".
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// wordSet is the union of several languages' lists, as used for one page:
// its own language, the one it declares, and English, which small apps mix
// into every language ("Privacy Policy" over a Korean text). Its unions are
// computed once per set of languages and shared by every page.
type wordSet struct {
	langs []*lexicon
	u     *unions
}

// unions are a word set's merged lists.
type unions struct {
	Policy, Weak, Updated, Moved, Landing, Months, About []string
	Phrases, Topics, Negatives, Signals                  map[string][]string
}

var unionCache sync.Map // "en,fr" → *unions

func newWordSet(langs []*lexicon) wordSet {
	codes := make([]string, len(langs))
	for i, l := range langs {
		codes[i] = l.Code
	}
	key := strings.Join(codes, ",")
	if u, ok := unionCache.Load(key); ok {
		return wordSet{langs: langs, u: u.(*unions)}
	}
	w := wordSet{langs: langs}
	u := &unions{
		Policy:    w.list(func(l *lexicon) []string { return l.Policy }),
		Weak:      w.list(func(l *lexicon) []string { return l.Weak }),
		Updated:   w.list(func(l *lexicon) []string { return l.Updated }),
		Moved:     w.list(func(l *lexicon) []string { return l.Moved }),
		Landing:   w.list(func(l *lexicon) []string { return l.Landing }),
		Months:    w.list(func(l *lexicon) []string { return l.Months }),
		About:     w.list(func(l *lexicon) []string { return l.About }),
		Signals:   w.mapped(func(l *lexicon) map[string][]string { return l.Signals }),
		Phrases:   w.mapped(func(l *lexicon) map[string][]string { return l.Phrases }),
		Topics:    w.mapped(func(l *lexicon) map[string][]string { return l.Topics }),
		Negatives: w.mapped(func(l *lexicon) map[string][]string { return l.Negatives }),
	}
	actual, _ := unionCache.LoadOrStore(key, u)
	w.u = actual.(*unions)
	return w
}

func (w wordSet) list(get func(*lexicon) []string) []string {
	var out []string
	for _, l := range w.langs {
		for _, s := range get(l) {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

func (w wordSet) mapped(get func(*lexicon) map[string][]string) map[string][]string {
	out := map[string][]string{}
	for _, l := range w.langs {
		for k, v := range get(l) {
			for _, s := range v {
				if !slices.Contains(out[k], s) {
					out[k] = append(out[k], s)
				}
			}
		}
	}
	for k := range out {
		slices.SortStableFunc(out[k], func(a, b string) int { return len(b) - len(a) })
	}
	return out
}

// sortedKeys returns a map's keys in order, for deterministic output.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
