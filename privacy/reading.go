package privacy

import (
	"net/http"
	"strings"

	"github.com/pinready/pinready/internal/textlang"
)

// reading is a page as the content rules read it: the document, its
// language and the word lists that go with it, and the part of the page the
// policy URL's fragment points at (/legal#privacy).
type reading struct {
	d     *document
	lang  language
	words wordSet
	frag  string

	text    textlang.Folded  // d.Text folded, computed once
	own     *textlang.Folded // d.ownText() folded, when first needed
	verdict *policyVerdict   // judgePolicy's, computed once
	signals *signals         // bodyKind's, computed once
}

// ownText is the page's own text (links to other pages left out), folded.
func (r *reading) ownText() textlang.Folded {
	if r.own == nil {
		f := textlang.FoldText(r.d.ownText())
		r.own = &f
	}
	return *r.own
}

// newReading prepares a document for the content rules. header is the
// response's (for Content-Language); frag the policy URL's fragment.
func newReading(d *document, header http.Header, frag string) *reading {
	lang := detectLanguage(d, header)
	return &reading{d: d, lang: lang, words: lang.words(), frag: frag, text: textlang.FoldText(d.Text)}
}

// titleParts splits a <title> at the separators sites put between the page
// and the site's name ("Privacy Policy | Acme", "Acme – Datenschutz").
func titleParts(title string) []string {
	parts := []string{title}
	for _, sep := range []string{" | ", " - ", " – ", " — ", " · ", " :: ", " : ", " » ", " / ", "｜", " ｜ "} {
		var next []string
		for _, p := range parts {
			next = append(next, strings.Split(p, sep)...)
		}
		parts = next
	}
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// openingWords is the start of a text: the words a reader meets first.
func openingWords(text string, n int) string {
	var out []string
	words := 0
	for _, f := range strings.Fields(text) {
		out = append(out, f)
		words += countWords(f)
		if words >= n {
			break
		}
	}
	return strings.Join(out, " ")
}
