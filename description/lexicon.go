package description

import (
	"slices"
	"sort"
	"strings"
)

// The lexicon is WordNet 3.0's nouns that denote people or social groups
// (wordnet_people.txt, which wordnet_gen.go writes). It answers "is a
// florist a person?" for the whole vocabulary, where a hand list knows
// only the words its author thought of. lexicon_gen.go turns the text into
// sorted arrays (lexicon_table.go), laid out by the linker as data: no run
// parses it.
//
//go:generate go run wordnet_gen.go
//go:generate go run lexicon_gen.go

// lexicon looks words up in the generated tables.
type lexicon struct{}

// peopleLexicon is the lexicon; it costs nothing to get.
func peopleLexicon() lexicon { return lexicon{} }

// person returns the lemma of w when w is a noun for people: w itself, or
// the singular of an irregular plural ("alumni" → "alumnus").
func (lexicon) person(w string) (string, bool) {
	if _, ok := slices.BinarySearch(peopleLemmas[:], w); ok {
		return w, true
	}
	n := len(irregularPeople) / 2
	i := sort.Search(n, func(i int) bool { return irregularPeople[2*i] >= w })
	if i < n && irregularPeople[2*i] == w {
		return irregularPeople[2*i+1], true
	}
	return "", false
}

// erThing reports whether w is a noun in -er WordNet knows as a thing
// ("sticker").
func (lexicon) erThing(w string) bool {
	_, ok := slices.BinarySearch(erThings[:], w)
	return ok
}

// agentNoun reports whether an -er noun WordNet does not know names a
// person: English makes one from any verb, and new ones ("scrapbookers",
// "podcasters") are people far more often than things. Callers ask only
// of plurals.
func (lx lexicon) agentNoun(w string) bool {
	if len(w) < 6 || !strings.HasSuffix(w, "er") || lx.erThing(w) {
		return false
	}
	// A compound ends in its head: "subfolders" and "placeholders" are
	// folders and holders, things WordNet knows.
	for i := 1; i+3 <= len(w)-2; i++ {
		if lx.erThing(w[i:]) {
			return false
		}
	}
	_, known := lx.person(w)
	return !known
}

// nounSingulars returns the singulars a noun form may have, following
// WordNet's own rules of detachment for nouns (morphy): "florists" →
// "florist", "agencies" → "agency", "businesses" → "business",
// "salesmen" → "salesman". The word itself comes first.
func nounSingulars(w string) []string {
	out := []string{w}
	for _, rule := range [][2]string{{"ses", "s"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"}, {"men", "man"}, {"ies", "y"}, {"s", ""}} {
		if strings.HasSuffix(w, rule[0]) && len(w) > len(rule[0])+1 {
			out = append(out, strings.TrimSuffix(w, rule[0])+rule[1])
		}
	}
	return out
}
