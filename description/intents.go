package description

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/pinready/pinready/checks"
)

// A scope is explained when the description states one of its intents
// ("create, schedule or publish Pins" for pins:write). An intent is a few
// alternatives; an alternative is a set of terms that must all occur in one
// sentence, in any order:
//
//	@create & @pin              a word of the concept "create" and one of "pin"
//	which account               a phrase; words match by stem ("schedules",
//	                            "scheduled" and "scheduling" are "schedule")
//	=pin =it                    "=" matches only that form of the word
//	save * to pinterest         "*" matches any one word
//	@create ~2 @board           within two words of each other, either order,
//	                            not counting articles and possessives, with no
//	                            preposition between ("create a new board",
//	                            "board creation", not "create Pins on boards")
//
// An action that is denied ("never creates", "does not read") does not
// count, nor do the words of an ignored phrase ("designed for" designs
// nothing). Objects are not denied: "no board yet? create one" is about a board.

// negations deny the word they stand before (see text.negated).
var negations = map[string]bool{"never": true, "not": true, "no": true, "nothing": true, "none": true, "nobody": true,
	"neither": true, "nor": true, "without": true, "cannot": true, "can't": true, "don't": true, "doesn't": true,
	"didn't": true, "won't": true, "isn't": true, "aren't": true, "wouldn't": true, "shouldn't": true, "never-ever": true}

// proximitySkip are not counted in a "~N" distance; proximityBlock break it.
var (
	proximitySkip = map[string]bool{"a": true, "an": true, "the": true, "new": true, "their": true, "your": true,
		"its": true, "our": true, "his": true, "her": true, "my": true, "this": true, "these": true, "those": true,
		"each": true, "every": true, "one": true, "more": true, "multiple": true, "several": true, "any": true,
		"some": true, "own": true, "and": true, "or": true, "are": true, "is": true, "be": true, "been": true, "get": true}
	proximityBlock = map[string]bool{"on": true, "onto": true, "to": true, "into": true, "in": true, "from": true,
		"for": true, "with": true, "at": true, "about": true, "than": true, "pin": true, "pins": true}
)

type wordPat struct {
	stem  string // match by stem
	exact string // or only this form
	any   bool   // or any word
}

type phrasePat struct {
	src   string
	words []wordPat
}

// operand is what one side of a term matches: a concept's phrases, or one phrase.
type operand struct {
	name    string // "@create" or the phrase
	concept string // "create" for "@create": other languages' words for it come from their word lists
	phrases []phrasePat
	action  bool // a denied word does not count ("never creates"); objects are not denied ("no board yet")
}

type term struct {
	a, b operand // b is empty unless the term is "a ~near b"
	near int
}

type intent struct {
	name string
	alts [][]term
}

// scopeReader holds description.scopes' parameters, compiled.
type scopeReader struct {
	concepts map[string]operand
	intents  map[string]*intent
	byScope  map[string][]*intent
	examples map[string]string
	extra    map[string][]string // explained_by: phrases (PhraseRegexp) that explain a scope outright
	ignore   []phrasePat
}

// nearTerm reads "A ~N B" in the rules' intents, compiled on first use.
var nearTerm = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(.+?)\s+~(\d+)\s+(.+)$`) })

// newScopeReader compiles the parameters; the error names what is wrong
// (CompilePatterns turns it into an exit-2 configuration error).
func newScopeReader(p checks.Params) (*scopeReader, error) {
	r, err := newConceptReader(p, "intents")
	if err != nil {
		return nil, err
	}
	r.examples, r.extra = map[string]string{}, p.StringLists("explained_by")
	scopeIntents := p.StringLists("scope_intents")
	for _, scope := range sortedKeys(scopeIntents) {
		if !checks.IsScope(scope) {
			return nil, fmt.Errorf("scope_intents: %q is not a Pinterest v5 scope", scope)
		}
		for _, name := range scopeIntents[scope] {
			in := r.intents[name]
			if in == nil {
				return nil, fmt.Errorf("scope_intents.%s: no intent %q in intents", scope, name)
			}
			r.byScope[scope] = append(r.byScope[scope], in)
		}
	}
	for scope, ex := range p.StringLists("examples") {
		if !checks.IsScope(scope) {
			return nil, fmt.Errorf("examples: %q is not a Pinterest v5 scope", scope)
		}
		r.examples[scope] = strings.Join(ex, " ")
	}
	for scope := range r.extra {
		if !checks.IsScope(scope) {
			return nil, fmt.Errorf("explained_by: %q is not a Pinterest v5 scope", scope)
		}
	}
	return r, nil
}

// newConceptReader compiles concepts, actions, ignore_phrases and the
// named alternatives under key ("intents" of description.scopes, "flags"
// of description.red-flags).
func newConceptReader(p checks.Params, key string) (*scopeReader, error) {
	r := &scopeReader{concepts: map[string]operand{}, intents: map[string]*intent{}, byScope: map[string][]*intent{}}
	actions := map[string]bool{}
	for _, a := range p.Strings("actions") {
		actions[a] = true
	}
	for name, phrases := range p.StringLists("concepts") {
		op := operand{name: "@" + name, concept: name, action: actions[name]}
		for _, src := range phrases {
			ph, err := compilePhrase(src)
			if err != nil {
				return nil, fmt.Errorf("concepts.%s: %w", name, err)
			}
			op.phrases = append(op.phrases, ph)
		}
		if len(op.phrases) == 0 {
			return nil, fmt.Errorf("concepts.%s: no words", name)
		}
		r.concepts[name] = op
	}
	for a := range actions {
		if _, ok := r.concepts[a]; !ok {
			return nil, fmt.Errorf("actions: no concept %q in concepts", a)
		}
	}
	var ignore []string
	if _, ok := p["ignore_phrases"]; ok {
		ignore = p.Strings("ignore_phrases")
	}
	for _, src := range ignore {
		ph, err := compilePhrase(src)
		if err != nil {
			return nil, fmt.Errorf("ignore_phrases: %w", err)
		}
		r.ignore = append(r.ignore, ph)
	}
	for name, alts := range p.StringLists(key) {
		in := &intent{name: name}
		for _, alt := range alts {
			terms, err := r.compileAlternative(alt)
			if err != nil {
				return nil, fmt.Errorf("%s.%q: %q: %w", key, name, alt, err)
			}
			in.alts = append(in.alts, terms)
		}
		if len(in.alts) == 0 {
			return nil, fmt.Errorf("%s.%q: no alternatives", key, name)
		}
		r.intents[name] = in
	}
	return r, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func compilePhrase(src string) (phrasePat, error) {
	ph := phrasePat{src: src}
	for _, w := range strings.Fields(src) {
		switch {
		case w == "*":
			if len(ph.words) == 0 {
				return ph, fmt.Errorf("%q: a phrase cannot start with *", src)
			}
			ph.words = append(ph.words, wordPat{any: true})
		case strings.HasPrefix(w, "=") && len(w) > 1:
			ph.words = append(ph.words, wordPat{exact: strings.ToLower(w[1:]), stem: stemOf(w[1:])})
		case strings.HasPrefix(w, "@") || strings.ContainsAny(w, "&~"):
			return ph, fmt.Errorf("%q: %q is not a word", src, w)
		default:
			ph.words = append(ph.words, wordPat{stem: stemOf(w)})
		}
	}
	if len(ph.words) == 0 {
		return ph, fmt.Errorf("an empty phrase")
	}
	return ph, nil
}

func (r *scopeReader) compileOperand(src string) (operand, error) {
	src = strings.TrimSpace(src)
	if name, ok := strings.CutPrefix(src, "@"); ok {
		op, found := r.concepts[name]
		if !found {
			return op, fmt.Errorf("no concept %q in concepts", name)
		}
		return op, nil
	}
	ph, err := compilePhrase(src)
	return operand{name: src, phrases: []phrasePat{ph}, action: true}, err
}

func (r *scopeReader) compileAlternative(alt string) ([]term, error) {
	var terms []term
	for _, part := range strings.Split(alt, "&") {
		part = strings.TrimSpace(part)
		var t term
		var err error
		if m := nearTerm().FindStringSubmatch(part); m != nil {
			if t.a, err = r.compileOperand(m[1]); err != nil {
				return nil, err
			}
			if t.b, err = r.compileOperand(m[3]); err != nil {
				return nil, err
			}
			if t.near, _ = strconv.Atoi(m[2]); t.near < 0 || t.near > 8 {
				return nil, fmt.Errorf("~%s: the distance is 0 to 8 words", m[2])
			}
		} else if t.a, err = r.compileOperand(part); err != nil {
			return nil, err
		}
		terms = append(terms, t)
	}
	return terms, nil
}

// occ is where a phrase occurs: tokens from..to, inclusive.
type occ struct{ from, to int }

// reading is one description seen through the scope reader: occurrences
// are found once per operand and grouped by sentence.
type reading struct {
	t       *text
	ignored []bool
	seen    map[string]map[int][]occ
}

func (r *scopeReader) read(t *text) *reading {
	rd := &reading{t: t, ignored: make([]bool, len(t.tokens)), seen: map[string]map[int][]occ{}}
	for _, ph := range r.ignore {
		for _, o := range rd.find(ph) {
			for k := o.from; k <= o.to; k++ {
				rd.ignored[k] = true
			}
		}
	}
	return rd
}

func (rd *reading) find(ph phrasePat) []occ {
	t := rd.t
	var out []occ
	for _, s := range t.byStem[ph.words[0].stem] {
		if o, ok := rd.matchAt(ph, s); ok {
			out = append(out, o)
		}
	}
	return out
}

func (rd *reading) matchAt(ph phrasePat, s int) (occ, bool) {
	t := rd.t
	for k, w := range ph.words {
		i := s + k
		if i >= len(t.tokens) || t.tokens[i].url || t.tokens[i].code || t.tokens[i].sent != t.tokens[s].sent {
			return occ{}, false
		}
		switch tk := t.tokens[i]; {
		case w.any:
		case w.exact != "":
			if tk.lower != w.exact {
				return occ{}, false
			}
		case tk.stem != w.stem:
			return occ{}, false
		}
	}
	return occ{s, s + len(ph.words) - 1}, true
}

// occurrences of an operand, by sentence; denied and ignored words left out.
func (rd *reading) occurrences(op operand) map[int][]occ {
	if m, ok := rd.seen[op.name]; ok {
		return m
	}
	m := map[int][]occ{}
	add := func(o occ) {
		if rd.ignored[o.from] || op.action && rd.t.denied(o, false) || op.concept == "board" && !rd.t.pinterestBoard(o) {
			return
		}
		s := rd.t.tokens[o.from].sent
		m[s] = append(m[s], o)
	}
	for _, ph := range op.phrases {
		for _, o := range rd.find(ph) {
			add(o)
		}
	}
	if op.concept != "" {
		for _, o := range rd.t.langOccs(op.concept) {
			add(o)
		}
	}
	rd.seen[op.name] = m
	return m
}

// holds reports whether the term is met in sentence s.
func (rd *reading) holds(tm term, s int) bool {
	as := rd.occurrences(tm.a)[s]
	if len(as) == 0 {
		return false
	}
	if len(tm.b.phrases) == 0 {
		return true
	}
	for _, x := range as {
		for _, y := range rd.occurrences(tm.b)[s] {
			if rd.near(x, y, tm.near) {
				return true
			}
		}
	}
	return false
}

// near: x and y are at most n counted words apart with no preposition between.
func (rd *reading) near(x, y occ, n int) bool {
	if x.from > y.from {
		x, y = y, x
	}
	if y.from <= x.to {
		return false // the same words
	}
	count, l := 0, rd.t.lang
	for k := x.to + 1; k < y.from; k++ {
		w, f := rd.t.tokens[k].lower, rd.t.tokens[k].fold
		if proximityBlock[w] || l != nil && l.stop[f] {
			return false
		}
		if !proximitySkip[w] && !(l != nil && l.skip[f]) {
			count++
		}
	}
	if l != nil && (l.Inline || l.vocab.MaxRune > 0) {
		// Words of two characters (Chinese, Japanese) or with their
		// particles split off count about double.
		n = 2*n + 2
	}
	return count <= n
}

// stated returns the first sentence that states the intent.
func (rd *reading) stated(in *intent) (int, bool) {
	best := -1
	for _, alt := range in.alts {
		for s := range rd.occurrences(alt[0].a) {
			if best >= 0 && s >= best {
				continue
			}
			if !slices.ContainsFunc(alt, func(tm term) bool { return !rd.holds(tm, s) }) {
				best = s
			}
		}
	}
	return best, best >= 0
}

// judge evaluates description.scopes for the requested scopes.
func (r *scopeReader) judge(t *text, scopes []string) checks.Finding {
	if len(scopes) == 0 {
		return checks.Pass("description.scopes", "app.scopes lists no scope to explain")
	}
	rd := r.read(t)
	var missing, explained []string
	for _, s := range scopes {
		if in, ok := r.explainedBy(rd, s); ok {
			explained = append(explained, fmt.Sprintf("%s (%s)", s, in))
			continue
		}
		missing = append(missing, r.missing(s))
	}
	if len(missing) > 0 {
		return checks.Fail("description.scopes", "not explained: %s", strings.Join(missing, "; ")).About("app.scopes")
	}
	return checks.Pass("description.scopes", "every requested scope is explained: %s", strings.Join(explained, ", "))
}

// explainedBy returns the intent the description states for the scope.
func (r *scopeReader) explainedBy(rd *reading, scope string) (string, bool) {
	for _, in := range r.byScope[scope] {
		if _, ok := rd.stated(in); ok {
			return in.name, true
		}
	}
	for _, phrase := range r.extra[scope] {
		if m := PhraseRegexp(phrase).FindString(rd.t.plain); m != "" {
			return fmt.Sprintf("%q", strings.TrimSpace(m)), true
		}
	}
	return "", false
}

// missing says what a scope lacks: the intents that would explain it and a
// sentence that would.
func (r *scopeReader) missing(scope string) string {
	var names []string
	for _, in := range r.byScope[scope] {
		names = append(names, in.name)
	}
	msg := scope + " (rules.yaml defines no intent for it"
	if len(names) > 0 {
		msg = fmt.Sprintf("%s (no sentence says the app will %s", scope, joinOr(names))
	}
	if ex := r.examples[scope]; ex != "" {
		msg += fmt.Sprintf("; e.g. %q", ex)
	}
	return msg + ")"
}

func joinOr(ss []string) string {
	switch len(ss) {
	case 0:
		return ""
	case 1:
		return ss[0]
	}
	return strings.Join(ss[:len(ss)-1], ", ") + " or " + ss[len(ss)-1]
}
