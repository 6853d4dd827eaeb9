//go:build ignore

// wordnet_gen writes wordnet_people.txt, the lexicon description.audience
// reads to tell people from things: every single-word English noun whose
// most frequent sense (WordNet's first) is a person, or a social group such
// as a team, a company or a family. It reads Princeton WordNet 3.0 as Debian
// ships it (apt-get install wordnet-base):
//
//	go run wordnet_gen.go [/usr/share/wordnet]
//
// The output is committed, so building pinready never needs WordNet.
package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

const (
	lexPerson = 18 // noun.person
	lexGroup  = 14 // noun.group

	// Group synsets count as people when they descend from one of these:
	// "people" (any group of human beings) or "social group".
	synPeople      = "07942152"
	synSocialGroup = "07950920"
)

type synset struct {
	lex       int
	hypernyms []string
	instance  bool // an instance (a named person or organisation), not a kind
}

func main() {
	dir := "/usr/share/wordnet"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	syns, err := readData(filepath.Join(dir, "data.noun"))
	if err != nil {
		fail(err)
	}
	senses, err := readSenses(filepath.Join(dir, "index.noun"))
	if err != nil {
		fail(err)
	}
	word := regexp.MustCompile(`^[a-z][a-z-]*[a-z]$`)
	isPeople := map[string]bool{}
	for lemma, offs := range senses {
		if len(lemma) < 3 || !word.MatchString(lemma) {
			continue
		}
		// The most frequent sense that is a kind of thing, not a named
		// instance ("creator" is first the Creator, then a person who makes things).
		i := slices.IndexFunc(offs, func(off string) bool { return syns[off] != nil && !syns[off].instance })
		if i < 0 {
			continue
		}
		off := offs[i]
		if s := syns[off]; s.lex == lexPerson || (s.lex == lexGroup && descends(syns, off, 0)) {
			isPeople[lemma] = true
		}
	}
	// Agent nouns WordNet does not list: English makes a person noun from
	// almost any verb ("quilt" → "quilter", "crochet" → "crocheter"); the
	// derived form counts when it is not a noun of WordNet's own.
	verbs, err := readSenses(filepath.Join(dir, "index.verb"))
	if err != nil {
		fail(err)
	}
	for v := range verbs {
		if len(v) < 3 || !word.MatchString(v) {
			continue
		}
		for _, agent := range agentNouns(v) {
			if _, isNoun := senses[agent]; !isNoun {
				isPeople[agent] = true
			}
		}
	}
	plurals, err := readExceptions(filepath.Join(dir, "noun.exc"), isPeople)
	if err != nil {
		fail(err)
	}
	var out []string
	for w := range isPeople {
		out = append(out, w)
	}
	out = append(out, plurals...)
	// Nouns in -er that WordNet knows as things ("sticker", "folder",
	// "scheduler"): the reader takes any other -er noun for a person.
	for lemma := range senses {
		if len(lemma) >= 6 && strings.HasSuffix(lemma, "er") && word.MatchString(lemma) && !isPeople[lemma] {
			out = append(out, "!"+lemma)
		}
	}
	slices.Sort(out)
	f, err := os.Create("wordnet_people.txt")
	if err != nil {
		fail(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprint(w, header)
	for _, l := range out {
		fmt.Fprintln(w, l)
	}
	if err := w.Flush(); err != nil {
		fail(err)
	}
	if err := f.Close(); err != nil {
		fail(err)
	}
}

// agentNouns returns "VERBer" as English spells it: "quilt" → "quilter",
// "bake" → "baker", "pin" → "pinner", "copy" → "copier".
func agentNouns(v string) []string {
	n := len(v)
	isVowel := func(b byte) bool { return strings.IndexByte("aeiou", b) >= 0 }
	switch {
	case strings.HasSuffix(v, "e"):
		return []string{v + "r"}
	case strings.HasSuffix(v, "y") && n > 1 && !isVowel(v[n-2]):
		return []string{v[:n-1] + "ier"}
	case n >= 3 && !isVowel(v[n-1]) && isVowel(v[n-2]) && !isVowel(v[n-3]) && strings.IndexByte("wxy", v[n-1]) < 0:
		// One syllable ending consonant-vowel-consonant doubles: "pin" → "pinner";
		// longer verbs may not ("edit" → "editor" is WordNet's anyway).
		return []string{v + v[n-1:] + "er", v + "er"}
	}
	return []string{v + "er"}
}

func descends(syns map[string]*synset, off string, depth int) bool {
	if off == synPeople || off == synSocialGroup {
		return true
	}
	s := syns[off]
	if s == nil || depth > 30 {
		return false
	}
	for _, h := range s.hypernyms {
		if descends(syns, h, depth+1) {
			return true
		}
	}
	return false
}

// readData parses data.noun: offset lex_filenum ss_type w_cnt (word lex_id)…
// p_cnt (pointer offset pos source/target)… | gloss.
func readData(path string) (map[string]*synset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	syns := map[string]*synset{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "  ") {
			continue // the licence at the top
		}
		head, _, _ := strings.Cut(line, "|")
		p := strings.Fields(head)
		lex, _ := strconv.Atoi(p[1])
		wc, _ := strconv.ParseInt(p[3], 16, 32)
		s := &synset{lex: lex}
		i := 4 + 2*int(wc)
		pc, _ := strconv.Atoi(p[i])
		for j := 0; j < pc; j++ {
			sym, target := p[i+1+4*j], p[i+2+4*j]
			switch sym {
			case "@":
				s.hypernyms = append(s.hypernyms, target)
			case "@i":
				s.instance = true
				s.hypernyms = append(s.hypernyms, target)
			}
		}
		syns[p[0]] = s
	}
	return syns, sc.Err()
}

// readSenses parses index.noun: lemma pos synset_cnt p_cnt ptr…
// sense_cnt tagsense_cnt offset…, offsets in order of frequency.
func readSenses(path string) (map[string][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	senses := map[string][]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "  ") {
			continue
		}
		p := strings.Fields(line)
		pc, _ := strconv.Atoi(p[3])
		rest := p[4+pc:]
		senses[p[0]] = rest[2:]
	}
	return senses, sc.Err()
}

// readExceptions returns "plural singular" lines for irregular plurals
// (noun.exc) of people words, e.g. "alumni alumnus".
func readExceptions(path string, isPeople map[string]bool) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := strings.Fields(sc.Text())
		if len(p) == 2 && isPeople[p[1]] && !isPeople[p[0]] && !strings.Contains(p[0], "_") {
			out = append(out, p[0]+" "+p[1])
		}
	}
	return out, sc.Err()
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "wordnet_gen:", err)
	os.Exit(1)
}

const header = `# Nouns whose most frequent sense denotes a person or a social group
# (a team, a company, a family), from Princeton WordNet 3.0: the first
# sense in index.noun is in noun.person, or in noun.group below "people" or
# "social group"; senses that name one person or body are skipped. Agent
# nouns of WordNet's verbs that WordNet does not list as nouns are added
# ("quilter", "crocheter"). A line "PLURAL SINGULAR" is an irregular plural
# from noun.exc. A line "!NOUN" is a noun in -er that WordNet knows as a
# thing ("sticker", "scheduler"); a plural -er noun WordNet does not know
# at all ("scrapbookers", "podcasters") is read as people.
# Generated by wordnet_gen.go; do not edit (description.audience's params
# in rules.yaml add and remove words).
#
# WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.
# Permission to use, copy, modify and distribute this software and database
# and its documentation for any purpose and without fee or royalty is hereby
# granted, provided that you agree to comply with the following copyright
# notice and statements, including the disclaimer, and that the same appear
# on ALL copies of the software, database and documentation, including
# modifications that you make for internal use or for distribution.
# THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY
# MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED. BY WAY OF
# EXAMPLE, BUT NOT LIMITATION, PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS
# OR WARRANTIES OF MERCHANTABILITY OR FITNESS FOR ANY PARTICULAR PURPOSE OR
# THAT THE USE OF THE LICENSED SOFTWARE, DATABASE OR DOCUMENTATION WILL NOT
# INFRINGE ANY THIRD PARTY PATENTS, COPYRIGHTS, TRADEMARKS OR OTHER RIGHTS.
# The name of Princeton University or Princeton may not be used in
# advertising or publicity pertaining to distribution of the software and/or
# database. Title to copyright in this software, database and any associated
# documentation shall at all times remain with Princeton University and
# LICENSEE agrees to preserve same.
`
