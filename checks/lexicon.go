package checks

import (
	_ "embed"
	"strings"
	"sync"
)

// wordnetPeople is the WordNet 3.0 lexicon of nouns that denote people or
// social groups; wordnet_gen.go writes it. It answers "is a florist a
// person?" for the whole vocabulary, where a hand list knows only the words
// its author thought of.
//
//go:generate go run wordnet_gen.go
//go:embed wordnet_people.txt
var wordnetPeople string

// peopleLexicon maps each word to its singular: a lemma to itself, an
// irregular plural ("alumni") to its lemma.
var peopleLexicon = sync.OnceValue(func() map[string]string {
	m := make(map[string]string, 9000)
	for _, line := range strings.Split(wordnetPeople, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		if plural, single, ok := strings.Cut(line, " "); ok {
			m[plural] = single
		} else {
			m[line] = line
		}
	}
	return m
})

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
