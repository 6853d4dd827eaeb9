package description

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

// lexicon is wordnet_people.txt, parsed.
type lexicon struct {
	people   map[string]string // a lemma to itself, an irregular plural ("alumni") to its lemma
	erThings map[string]bool   // nouns in -er that WordNet knows as things ("sticker")
}

var peopleLexicon = sync.OnceValue(func() *lexicon { return parseLexicon(wordnetPeople) })

func parseLexicon(data string) *lexicon {
	lx := &lexicon{people: make(map[string]string, 17000), erThings: make(map[string]bool, 1800)}
	for _, line := range strings.Split(data, "\n") {
		switch {
		case line == "" || line[0] == '#':
		case line[0] == '!':
			lx.erThings[line[1:]] = true
		default:
			if plural, single, ok := strings.Cut(line, " "); ok {
				lx.people[plural] = single
			} else {
				lx.people[line] = line
			}
		}
	}
	return lx
}

// agentNoun reports whether an -er noun WordNet does not know names a
// person: English makes one from any verb, and new ones ("scrapbookers",
// "podcasters") are people far more often than things. Callers ask only
// of plurals.
func (lx *lexicon) agentNoun(w string) bool {
	if len(w) < 6 || !strings.HasSuffix(w, "er") || lx.erThings[w] {
		return false
	}
	// A compound ends in its head: "subfolders" and "placeholders" are
	// folders and holders, things WordNet knows.
	for i := 1; i+3 <= len(w)-2; i++ {
		if lx.erThings[w[i:]] {
			return false
		}
	}
	_, known := lx.people[w]
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
