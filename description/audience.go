package description

import (
	"fmt"
	"strings"

	"github.com/pinready/pinready/checks"
)

// audience reads who a description says the app is for, the way a reviewer
// does: a group of people however it is named. Whether a noun names people
// comes from the WordNet lexicon (wordnet_people.txt), corrected by the
// rule's word lists; where it stands says whether it names the users:
//
//   - after "for", "to", "by", "helps", "lets", "provides"…: "for wedding and
//     event florists", "helps bloggers, small businesses and marketers",
//     "provides advertisers with…", "present… to small-business owners";
//   - as the subject of what users do: "a florist connects…", "Etsy sellers use…";
//   - after "our", "its", "your", "their": "our customers", "its members";
//     "your WooCommerce store" or "your blog posts" speak to the owner.
//
// Things are not people: "for boards" or "for images" name no one.
type audience struct {
	triggers  map[string]bool // stems
	verbs     map[string]bool // stems of what a subject does
	people    map[string]bool // singular words that name people beyond WordNet
	notPeople map[string]bool // singular words WordNet files as people that descriptions use for things
	toolWords map[string]bool // agent nouns that name features when singular ("the scheduler")
	ventures  map[string]bool // singular nouns whose owner "your X" addresses
	patterns  []string        // extra regular expressions that name the audience
}

func newAudience(p checks.Params) *audience {
	return &audience{
		triggers:  stemSet(p.Strings("triggers")),
		verbs:     stemSet(p.Strings("subject_verbs")),
		people:    lowerSet(p.Strings("people")),
		notPeople: lowerSet(p.Strings("not_people")),
		toolWords: lowerSet(p.Strings("tool_words")),
		ventures:  lowerSet(p.Strings("ventures")),
		patterns:  p.Strings("patterns"),
	}
}

func stemSet(ws []string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[stemOf(w)] = true
	}
	return m
}

func lowerSet(ws []string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[strings.ToLower(strings.TrimSpace(w))] = true
	}
	return m
}

// Grammar words, not tuning: they open, join and close noun phrases.
var (
	determiners = map[string]bool{"a": true, "an": true, "the": true, "each": true, "every": true, "any": true, "all": true,
		"our": true, "your": true, "their": true, "its": true, "his": true, "her": true, "my": true, "this": true, "that": true,
		"these": true, "those": true, "other": true, "many": true, "more": true, "most": true, "some": true, "both": true, "one": true}
	possessiveDeterminers = map[string]bool{"our": true, "your": true, "their": true, "its": true}
	conjunctions          = map[string]bool{"and": true, "or": true, "plus": true, "nor": true}
	// phraseEnds close a noun phrase: prepositions, relatives, auxiliaries.
	phraseEnds = map[string]bool{"to": true, "that": true, "who": true, "whom": true, "which": true, "with": true, "on": true,
		"in": true, "of": true, "from": true, "by": true, "so": true, "because": true, "while": true, "when": true, "if": true,
		"but": true, "than": true, "like": true, "such": true, "including": true, "through": true, "across": true, "into": true,
		"onto": true, "via": true, "using": true, "is": true, "are": true, "was": true, "were": true, "be": true, "can": true,
		"will": true, "may": true, "should": true, "must": true, "do": true, "does": true, "at": true, "for": true, "as": true,
		"about": true, "without": true, "where": true, "whose": true, "has": true, "have": true, "it": true, "them": true}
	// noDeterminer: words that name a group without "the" or a plural ending.
	noDeterminer = map[string]bool{"people": true, "staff": true, "folks": true, "personnel": true, "everyone": true,
		"anyone": true, "everybody": true, "anybody": true, "clientele": true}
	// adverbs and modals that may stand between a subject and its verb.
	subjectFillers = map[string]bool{"can": true, "could": true, "will": true, "may": true, "might": true, "must": true,
		"should": true, "would": true, "simply": true, "just": true, "then": true, "also": true, "first": true, "quickly": true,
		"easily": true, "often": true, "usually": true, "typically": true, "already": true, "now": true, "only": true, "still": true}
)

// person is a word that names people.
type person struct {
	singular   string
	plural     bool // "florists", or a group word such as "people"
	possessive bool // "user's", "florists'"
}

// personAt says whether the word at i names people or an organisation.
func (a *audience) personAt(t *text, i int) (person, bool) {
	tk := t.tokens[i]
	if tk.url {
		return person{}, false
	}
	w, poss := tk.lower, false
	if s, ok := strings.CutSuffix(w, "'s"); ok {
		w, poss = s, true
	} else if s, ok := strings.CutSuffix(w, "'"); ok {
		w, poss = s, true
	}
	lx := peopleLexicon()
	singulars := nounSingulars(w)
	for k, c := range singulars {
		if a.notPeople[c] {
			return person{}, false
		}
		single, inLex := lx.person(c)
		if !inLex && !a.people[c] {
			continue
		}
		if !inLex {
			single = c
		}
		plural := k > 0 || single != c || noDeterminer[c]
		return person{singular: single, plural: plural, possessive: poss}, true
	}
	// Only a plural: "faster", "together" or "for the better" end in -er
	// too, but never take an -s.
	for k, c := range singulars {
		if k > 0 && lx.agentNoun(c) {
			return person{singular: c, plural: true, possessive: poss}, true
		}
	}
	return person{}, false
}

// audienceMatch is where a description names its users.
type audienceMatch struct {
	phrase string // the words that name them, as written
	sent   int
	owner  string // set when "your X" speaks to the owner of X
}

// find returns the first place the description names its users, and the
// first trigger phrase that named only things ("for boards"), for the message.
func (a *audience) find(t *text) (audienceMatch, string, bool) {
	var things string
	for i, tk := range t.tokens {
		if tk.url {
			continue
		}
		if a.triggers[tk.stem] && i+1 < len(t.tokens) {
			if m, ok := a.afterTrigger(t, i); ok {
				return m, "", true
			} else if things == "" && m.phrase != "" && tk.lower == "for" {
				things = m.phrase
			}
		}
		if possessiveDeterminers[tk.lower] {
			if m, ok := a.afterPossessive(t, i); ok {
				return m, "", true
			}
		}
		if m, ok := a.subject(t, i); ok {
			return m, "", true
		}
	}
	return audienceMatch{}, things, false
}

// afterTrigger reads the noun phrase after a trigger ("for wedding and event
// florists") as conjuncts; a conjunct names people when its head does, or a
// plural people noun stands in it ("helps bloggers grow…"). On failure the
// match holds the phrase read, so the message can quote "for boards".
func (a *audience) afterTrigger(t *text, i int) (audienceMatch, bool) {
	sent := t.tokens[i].sent
	end := t.sents[sent][1]
	var conj []int
	hasDet, last := false, i
	check := func() (audienceMatch, bool) {
		for n, k := range conj {
			p, ok := a.personAt(t, k)
			if !ok || p.possessive {
				continue
			}
			isHead := n == len(conj)-1
			if p.plural || (isHead && hasDet && !a.toolWords[p.singular]) {
				return audienceMatch{phrase: t.span(i, k), sent: sent}, true
			}
		}
		return audienceMatch{}, false
	}
	for k := i + 1; k < end && k <= i+9; k++ {
		tk := t.tokens[k]
		if tk.url || phraseEnds[tk.lower] {
			break
		}
		switch {
		case conjunctions[tk.lower]:
			if m, ok := check(); ok {
				return m, true
			}
			conj, hasDet = nil, false
		case determiners[tk.lower] && len(conj) == 0:
			hasDet = true
		default:
			conj = append(conj, k)
			last = k
		}
		if tk.pause {
			if m, ok := check(); ok {
				return m, true
			}
			conj, hasDet = nil, false
		}
	}
	if m, ok := check(); ok {
		return m, true
	}
	if last > i {
		return audienceMatch{phrase: t.span(i, last)}, false
	}
	return audienceMatch{}, false
}

// afterPossessive: "our customers", "its members", "your clients"; and
// "your WooCommerce store", "your blog posts", which speak to an owner.
func (a *audience) afterPossessive(t *text, i int) (audienceMatch, bool) {
	sent := t.tokens[i].sent
	end := t.sents[sent][1]
	for k := i + 1; k < end && k <= i+3; k++ {
		tk := t.tokens[k]
		if tk.url || phraseEnds[tk.lower] || conjunctions[tk.lower] || determiners[tk.lower] {
			return audienceMatch{}, false
		}
		if t.tokens[i].lower == "your" || t.tokens[i].lower == "their" {
			for _, c := range nounSingulars(strings.TrimSuffix(tk.lower, "'s")) {
				if a.ventures[c] {
					return audienceMatch{phrase: t.span(i, k), sent: sent, owner: c}, true
				}
			}
		}
		if _, ok := a.personAt(t, k); ok {
			return audienceMatch{phrase: t.span(i, k), sent: sent}, true
		}
		if tk.pause {
			return audienceMatch{}, false
		}
	}
	return audienceMatch{}, false
}

// subject: people who do something with the app: "a florist connects…",
// "Etsy sellers use…", "users can…", "teachers who plan lessons…".
func (a *audience) subject(t *text, i int) (audienceMatch, bool) {
	p, ok := a.personAt(t, i)
	if !ok || p.possessive || t.tokens[i].pause {
		return audienceMatch{}, false
	}
	if !p.plural && (a.toolWords[p.singular] || !a.determined(t, i)) {
		return audienceMatch{}, false
	}
	sent := t.tokens[i].sent
	end := t.sents[sent][1]
	for k := i + 1; k < end && k <= i+3; k++ {
		tk := t.tokens[k]
		if a.verbs[tk.stem] && !nominal(tk.lower) || tk.lower == "who" {
			return audienceMatch{phrase: t.span(max(i-1, t.sents[sent][0]), k), sent: sent}, true
		}
		if !subjectFillers[tk.lower] || tk.pause {
			break
		}
	}
	return audienceMatch{}, false
}

// determined: a determiner opens the phrase of the word at i, perhaps with
// a word or two between ("a florist", "the culinary team", "each small
// business").
func (a *audience) determined(t *text, i int) bool {
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		tk := t.tokens[k]
		if tk.sent != t.tokens[i].sent || tk.pause || tk.url || phraseEnds[tk.lower] || conjunctions[tk.lower] {
			return false
		}
		if determiners[tk.lower] {
			return true
		}
		if _, ok := a.personAt(t, k); ok {
			return false
		}
	}
	return false
}

// judge evaluates description.audience.
func (a *audience) judge(t *text) checks.Finding {
	if m, things, ok := a.find(t); ok {
		msg := fmt.Sprintf("names its users: %q", m.phrase)
		if m.owner != "" {
			msg = fmt.Sprintf("speaks to the owner of a %s: %q", m.owner, m.phrase)
		}
		return checks.Pass("description.audience", "%s", msg).With(&checks.Evidence{Excerpt: t.sentence(m.sent)})
	} else if m := t.firstMatch(a.patterns); m != "" {
		return checks.Pass("description.audience", "names its users: %q", m)
	} else if phrase, s, ok := peopleInLanguage(t); ok {
		return checks.Pass("description.audience", "names its users in %s: %q", t.lang.Name, phrase).With(&checks.Evidence{Excerpt: t.sentence(s)})
	} else if things != "" {
		return checks.Fail("description.audience", "no sentence says who uses the app: %q names things, not people; name a group of people (e.g. \"for wedding florists\", \"Etsy sellers connect…\", \"our customers\")", things)
	}
	return checks.Fail("description.audience", "no sentence says who uses the app: name a group of people (e.g. \"for wedding florists\", \"Etsy sellers connect…\", \"our customers\")")
}

// peopleInLanguage finds the first words of the description's language
// that name people or a group ("Floristinnen", "les créateurs", "花店",
// "사용자"), from its word lists: its people and the endings that make a
// word a person. Addresses, code and denied words do not count.
func peopleInLanguage(t *text) (string, int, bool) {
	l := t.lang
	if l == nil {
		return "", 0, false
	}
	best := occ{-1, -1}
	for i, tk := range t.tokens {
		if !tk.url && !tk.code && l.isPersonWord(tk.fold) {
			best = occ{i, i}
			break
		}
	}
	for _, p := range l.people {
		if p.inline == "" && len(p.words) == 1 {
			continue // read above, word by word
		}
		for _, o := range t.findLex(p) {
			if best.from < 0 || o.from < best.from {
				best = o
			}
			break
		}
	}
	if best.from < 0 {
		return "", 0, false
	}
	return t.span(best.from, best.to), t.tokens[best.from].sent, true
}

// nominal says whether a word is a noun made from a verb ("authentication",
// "management"): its stem is the verb's, but it names a thing.
func nominal(w string) bool {
	for _, suf := range []string{"tion", "tions", "sion", "sions", "ment", "ments", "ness", "ity", "ance", "ence"} {
		if strings.HasSuffix(w, suf) && len(w) > len(suf)+2 {
			return true
		}
	}
	return false
}
