package oauthflow

import (
	"iter"
	"regexp"
	"strings"
	"sync"
	"unicode"
)

// Captions name what a person sees, never CSS: a reviewer reads "Click
// Sign in", not "Click #signin". The video and the progress lines on stderr
// share them (Observer.Step, Options.Progress).

// maxName bounds a control's name in a caption: the caption band has two
// lines, and page text is the page's to choose.
const maxName = 60

// controlName is what a person sees of a control: its name on the page
// (label, text, aria-label, placeholder, alt, title: find.js), masked and on
// one line; the selector made readable only when the control has no text at
// all, or was not found.
func (d *driver) controlName(el *element, sel string) string {
	if el != nil {
		if n := clipWords(oneLine(d.m.mask(el.Name)), maxName); n != "" {
			return n
		}
	}
	tag := ""
	if el != nil {
		tag = el.Tag
	}
	return clipWords(oneLine(d.m.mask(humanSelector(sel, tag))), maxName)
}

// oneLine drops control characters and runs of space.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// clipWords shortens s to at most n characters, at a word when it can.
func clipWords(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n-1])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:") + "…"
}

// selectorParts are the patterns humanSelector reads a selector with,
// compiled when a caption first needs them.
type selectorParts struct {
	// attr is one [attr=value] of a compound selector.
	attr, id, class, tag *regexp.Regexp
	// camel finds the word breaks of camelCase.
	camel *regexp.Regexp
}

var selectorPatterns = sync.OnceValue(func() *selectorParts {
	return &selectorParts{
		attr:  regexp.MustCompile(`\[\s*([A-Za-z_:-][\w:.-]*)\s*(?:[~|^$*]?=\s*(?:"([^"]*)"|'([^']*)'|([^\]\s]*))\s*(?:[iIsS])?)?\s*\]`),
		id:    regexp.MustCompile(`#((?:\\.|[\w-])+)`),
		class: regexp.MustCompile(`\.((?:\\.|[\w-])+)`),
		tag:   regexp.MustCompile(`^[A-Za-z][\w-]*`),
		camel: regexp.MustCompile(`([a-z0-9])([A-Z])`),
	}
})

// humanSelector makes a selector readable for a control that has no text:
// "text=Give access" is its text; `[aria-label="Close"]` or a placeholder
// is what a person sees; otherwise the words of its id, name or class with
// what kind of control it is: "#connect-pinterest" on a button is "the
// connect pinterest button". tag is the element's, when it was found.
func humanSelector(sel, tag string) string {
	sel = strings.TrimSpace(sel)
	if t, ok := strings.CutPrefix(sel, "text="); ok {
		return strings.TrimSpace(t)
	}
	last := lastCompound(sel)
	var words string
	for _, m := range selectorPatterns().attr.FindAllStringSubmatch(last, -1) {
		v := m[2] + m[3] + m[4]
		switch strings.ToLower(m[1]) {
		case "aria-label", "placeholder", "title", "alt", "value":
			if v != "" {
				return v // what a person sees, as the page says it
			}
		case "id", "name", "data-testid", "data-test", "data-qa", "data-cy", "for":
			if words == "" {
				words = identWords(v)
			}
		}
	}
	if m := selectorPatterns().id.FindStringSubmatch(last); m != nil && words == "" {
		words = identWords(m[1])
	}
	if words == "" {
		if m := selectorPatterns().class.FindStringSubmatch(last); m != nil {
			words = identWords(m[1])
		}
	}
	if tag == "" {
		tag = strings.ToLower(selectorPatterns().tag.FindString(last))
	}
	role := roleOf(tag)
	if words == "" || words == role {
		return "the " + role
	}
	return "the " + words + " " + role
}

// lastCompound is the part of a selector list's first selector after its
// last combinator: the element the selector picks.
func lastCompound(sel string) string {
	if i := topLevel(sel, ","); i >= 0 {
		sel = sel[:i]
	}
	start := 0
	for i, r := range outsideBrackets(sel) {
		if r == ' ' || r == '>' || r == '+' || r == '~' {
			start = i + 1
		}
	}
	return strings.TrimSpace(sel[start:])
}

// topLevel finds sep outside brackets and quotes; -1 when there is none.
func topLevel(s, sep string) int {
	for i := range outsideBrackets(s) {
		if strings.HasPrefix(s[i:], sep) {
			return i
		}
	}
	return -1
}

// outsideBrackets yields the runes of a selector, with their byte offsets,
// that stand outside quotes and brackets: a combinator or a comma inside
// [title="a, b"] or :not(.x > .y) is not one of the selector's own.
func outsideBrackets(s string) iter.Seq2[int, rune] {
	return func(yield func(int, rune) bool) {
		depth, quote := 0, rune(0)
		for i, r := range s {
			switch {
			case quote != 0:
				if r == quote {
					quote = 0
				}
			case r == '"' || r == '\'':
				quote = r
			case r == '[' || r == '(':
				depth++
			case r == ']' || r == ')':
				depth--
			case depth == 0:
				if !yield(i, r) {
					return
				}
			}
		}
	}
}

// identWords turns an identifier into lower-case words: "connectPinterest",
// "connect-pinterest" and "connect_pinterest" are "connect pinterest";
// "btn" and "js" say nothing a person sees.
func identWords(id string) string {
	id = strings.ReplaceAll(id, `\`, "")
	id = selectorPatterns().camel.ReplaceAllString(id, "$1 $2")
	var words []string
	for _, w := range strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '_' || r == '.' || r == ':' || unicode.IsSpace(r) }) {
		w = strings.ToLower(w)
		if w == "btn" || w == "js" {
			continue
		}
		words = append(words, w)
	}
	return strings.Join(words, " ")
}

// roleOf names the kind of control a tag is.
func roleOf(tag string) string {
	switch strings.ToLower(tag) {
	case "button":
		return "button"
	case "a":
		return "link"
	case "input", "textarea", "select":
		return "field"
	case "img", "svg":
		return "image"
	case "form":
		return "form"
	}
	return "control"
}

// callbackCaption says what the browser was sent back with, naming the
// callback by its host and path only: the code is for the address bar,
// where it shows as a fingerprint.
func (d *driver) callbackCaption(cb *Callback) string {
	where := cb.URL
	if u, err := parseURL(cb.URL); err == nil && u.Host != "" {
		where = u.Host + u.EscapedPath()
	}
	switch {
	case cb.Error != "":
		return "Pinterest redirected back to " + where + " with error=" + clipWords(oneLine(d.m.mask(cb.Error)), maxName)
	case !cb.HasCode:
		return "Pinterest redirected back to " + where + " without an authorization code"
	}
	return "Pinterest redirected back to " + where + " with an authorization code"
}
