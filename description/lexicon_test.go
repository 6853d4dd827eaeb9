package description

import (
	"os"
	"strings"
	"testing"
)

// The generated tables (lexicon_table.go) hold exactly what
// wordnet_people.txt says, read as a map would read it (a later line wins):
// go generate ./description rewrites them.
func TestLexiconTable(t *testing.T) {
	data, err := os.ReadFile("wordnet_people.txt")
	if err != nil {
		t.Fatal(err)
	}
	people, things := map[string]string{}, map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		switch {
		case line == "" || line[0] == '#':
		case line[0] == '!':
			things[line[1:]] = true
		default:
			if plural, single, ok := strings.Cut(line, " "); ok {
				people[plural] = single
			} else {
				people[line] = line
			}
		}
	}
	lx := peopleLexicon()
	for w, want := range people {
		if got, ok := lx.person(w); !ok || got != want {
			t.Errorf("person(%q) = %q, %t; the text says %q", w, got, ok, want)
		}
	}
	for w := range things {
		if !lx.erThing(w) {
			t.Errorf("erThing(%q) is false; the text lists it", w)
		}
	}
	if n := len(peopleLemmas) + len(irregularPeople)/2; n != len(people) || len(erThings) != len(things) {
		t.Errorf("the tables hold %d people and %d things, the text %d and %d: go generate ./description", n, len(erThings), len(people), len(things))
	}
	if len(people) < 10000 {
		t.Errorf("%d people words: the text is not the lexicon", len(people))
	}
	for _, w := range []string{"sticker", "notapersonword", ""} {
		if _, ok := lx.person(w); ok {
			t.Errorf("person(%q) is true", w)
		}
	}
}
