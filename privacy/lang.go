package privacy

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/pinready/pinready/internal/textlang"
)

// language is what the audit knows of a page's language: the code it
// judged the page in, and where that came from. Declared is what the page
// itself says (<html lang>, Content-Language), kept even when the text
// proves it wrong: many themes ship lang="en" whatever the text.
type language struct {
	Code     string   // a lexicon code (fr, zh-Hant), another BCP 47 base (sv), or "" when unknown
	Source   string   // "text", "<html lang>", "Content-Language"
	Declared string   // the page's own declaration, as written; "" when none
	Lex      *lexicon // nil when pinready has no word lists for Code
}

// Name is the language's English name, or its code.
func (l language) Name() string {
	switch {
	case l.Lex != nil:
		return l.Lex.Name
	case l.Code != "":
		return fmt.Sprintf("%q", l.Code)
	}
	return "an undetermined language"
}

// String is the language as evidence shows it: "fr (French, from the text;
// the page declares en-US)".
func (l language) String() string {
	if l.Code == "" {
		s := "undetermined"
		if l.Declared != "" {
			s += fmt.Sprintf(" (the page declares %q)", l.Declared)
		}
		return s
	}
	s := l.Code
	if l.Lex != nil {
		s += " (" + l.Lex.Name + ", from " + l.Source
	} else {
		s += " (no word lists for it; from " + l.Source
	}
	if l.Declared != "" && l.Source == "the text" && !strings.EqualFold(l.Declared, l.Code) {
		s += fmt.Sprintf("; the page declares %q", l.Declared)
	}
	return s + ")"
}

// words is the set of lexicons a page is judged with: its language, the
// language it declares, and English, which small apps mix into every
// language. An undetermined language is judged with every lexicon.
func (l language) words() wordSet {
	var langs []*lexicon
	add := func(x *lexicon) {
		if x != nil && !slices.Contains(langs, x) {
			langs = append(langs, x)
		}
	}
	if l.Code == "" {
		for _, x := range allLexicons() {
			add(x)
		}
		return newWordSet(langs)
	}
	add(l.Lex)
	if l.Declared != "" {
		add(lexiconFor(textlang.Base(l.Declared)))
	}
	add(lexiconFor("en"))
	return newWordSet(langs)
}

// detectLanguage decides the page's language. The text wins over a
// declaration when it is unambiguous (another script, or clearly another
// language's common words); otherwise the declaration stands.
func detectLanguage(d *document, h http.Header) language {
	out := language{}
	declared, from := d.Lang, "<html lang>"
	if declared == "" && h != nil {
		// Content-Language may list several; the first is the main one.
		declared, _, _ = strings.Cut(h.Get("Content-Language"), ",")
		declared, from = strings.TrimSpace(declared), "Content-Language"
	}
	out.Declared = declared
	g := textlang.Detect(d.Text)
	textCode, sure, shares := g.Code, g.Sure, g.Shares
	declCode := textlang.Base(declared)
	if declCode != "" && textCode != "" && textlang.ScriptOf(declCode) != textlang.ScriptOf(textCode) && shares[textlang.ScriptOf(declCode)] >= 0.25 {
		// A page in two scripts (an English and a Korean version one under
		// the other): the declared one is as present as the other.
		sure = false
	}
	switch {
	case declCode != "" && declCode == textCode:
		out.Code, out.Source = declCode, from
	case textCode != "" && (sure || declCode == ""):
		out.Code, out.Source = textCode, "the text"
	case declCode != "":
		out.Code, out.Source = declCode, from
	case textCode != "":
		out.Code, out.Source = textCode, "the text"
	}
	out.Lex = lexiconFor(out.Code)
	return out
}
