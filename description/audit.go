package description

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/pinready/pinready/checks"
)

// Rules are the ids Audit evaluates: the description group of --only.
var Rules = []string{
	"app.name", "description.length", "description.placeholder",
	"description.pinterest-use", "description.scopes", "description.audience",
	"description.red-flags",
}

// Audit audits the app name and the description pasted into the access
// form. It is pure text: no network, no browser. The description is read
// once (links reduced to their text, words stemmed, sentences found) and
// every rule reads it so. Parameters were validated when the rules were
// loaded (checks.Ruleset.CompilePatterns), so this cannot fail.
func Audit(cfg *checks.Config, rs *checks.Ruleset) []checks.Finding {
	t := readText(cfg.App.Description)
	use := rs.Get("description.pinterest-use").Params
	t.notBoards, t.notBoardsAfter = lowerSet(use.Strings("not_boards")), lowerSet(use.Strings("not_boards_after"))
	out := []checks.Finding{appName(cfg.App.Name, rs.Get("app.name").Params)}

	minWords := rs.Get("description.length").Params.Int("min_words")
	if n := t.wordCount(); n >= minWords {
		out = append(out, checks.Pass("description.length", "%d words (at least %d)", n, minWords))
	} else {
		out = append(out, checks.Fail("description.length", "%d words; reviewers deny vague descriptions: write at least %d", n, minWords))
	}

	// Placeholders are looked for in the plain text: "[Get an account](https://…)"
	// is a Markdown link, not a "[…]" template slot.
	if m := t.firstMatch(rs.Get("description.placeholder").Params.Strings("patterns")); m != "" {
		out = append(out, checks.Fail("description.placeholder", "placeholder or test text: %q", m).With(&checks.Evidence{Excerpt: around(t.plain, m)}))
	} else {
		out = append(out, checks.Pass("description.placeholder", "no placeholder or test wording"))
	}

	out = append(out, t.unread(pinterestUse(t, use)))
	if sr, err := newScopeReader(rs.Get("description.scopes").Params); err != nil {
		out = append(out, checks.Errorf("description.scopes", "rules: %v", err))
	} else {
		out = append(out, t.unread(sr.judge(t, cfg.App.Scopes)))
	}
	out = append(out, t.unread(newAudience(rs.Get("description.audience").Params).judge(t)))
	out = append(out, t.unread(redFlags(t, rs.Get("description.red-flags").Params)))
	return out
}

// unread turns what a rule found missing into a skip when the description
// is in a language pinready has no word lists for (Thai, Swedish…): the
// English words it knows could not have said it. A failure that found
// something (a red flag) stands.
func (t *text) unread(f checks.Finding) checks.Finding {
	if t.lang != nil || t.language == "" || t.language == "en" {
		return f
	}
	if f.Status == checks.StatusFail && f.Rule != "description.red-flags" || f.Status == checks.StatusPass && f.Rule == "description.red-flags" {
		return checks.Skip(f.Rule, "the description is in %q, which pinready has no word lists for: it could not be judged (%s)", t.language, f.Message)
	}
	return f
}

func appName(name string, p checks.Params) checks.Finding {
	lower := strings.ToLower(name)
	for _, w := range p.Strings("forbidden") {
		if strings.Contains(lower, strings.ToLower(w)) {
			return checks.Fail("app.name", "%q contains %q; the Connect-app form does not allow it", name, w)
		}
	}
	return checks.Pass("app.name", "%q does not contain a reserved word", name)
}

// pinterestUse passes when one sentence says the app does something with
// Pinterest: an action (publishes, lists, analyses…) and, in another word,
// Pinterest or one of its things (Pins, boards). A board is Pinterest's only
// in a description that names Pinterest, and never a mood board or a board
// game; "Pinterest-optimised" names no Pinterest thing. Writing words
// (create, generate, write) act on Pinterest only with a Pin or a board as
// their object: a tool that writes Pin descriptions to paste does nothing
// with Pinterest. A sentence that only says the app "uses the Pinterest API"
// or "integrates with Pinterest" says nothing a user does: reviewers deny
// such generic descriptions, and the message says which sentence is one. A
// description in another language is read with its word lists too.
func pinterestUse(t *text, p checks.Params) checks.Finding {
	const id = "description.pinterest-use"
	s, generic := pinterestUseEnglish(t, p)
	if s < 0 && t.lang != nil {
		var g int
		s, g = pinterestUseLang(t)
		if generic < 0 {
			generic = g
		}
	}
	if s >= 0 {
		return checks.Pass(id, "says what it does with Pinterest: %q", t.sentence(s))
	}
	if generic >= 0 {
		return checks.Fail(id, "%q only says that the app works with Pinterest, nothing a user does with it; say what the app does with Pinterest (e.g. \"creates Pins on the user's boards\")", t.sentence(generic))
	}
	return checks.Fail(id, "no sentence says what the app does with Pinterest (e.g. \"creates Pins on the user's boards\"); a board alone is not Pinterest, nor is copy written for it")
}

// pinterestUseEnglish returns the first sentence that says what the app
// does with Pinterest, and the first that only says it works with it (-1).
func pinterestUseEnglish(t *text, p checks.Params) (int, int) {
	platform, action, generic := stemSet(p.Strings("platform_words")), stemSet(p.Strings("action_words")), stemSet(p.Strings("generic_verbs"))
	creative, content, modifiers := stemSet(p.Strings("creative_verbs")), stemSet(p.Strings("content_nouns")), stemSet(p.Strings("pinterest_modifiers"))
	things, manual := stemSet(p.Strings("object_words")), stemSet(p.Strings("manual_words"))
	genericSent := -1
	for s, r := range t.sents {
		var anchors []int
		objects := false // a Pin, board or campaign the sentence acts on, not a modifier ("Pin descriptions")
		for i := r[0]; i < r[1]; i++ {
			tk := t.tokens[i]
			next := ""
			if i+1 < r[1] {
				next = t.tokens[i+1].stem
			}
			if !tk.url && !tk.code && things[tk.stem] && !content[next] {
				objects = true
			}
			if tk.url || tk.code || !platform[tk.stem] {
				continue
			}
			switch {
			case tk.stem == "board" && !t.pinterestBoard(occ{i, i}):
				continue
			case tk.stem == "pinterest" && modifiers[next]:
				continue // "Pinterest-optimised", "Pinterest-ready"
			}
			anchors = append(anchors, i)
			if tk.stem != "pinterest" && !content[next] {
				objects = true
			}
			if tk.stem == "pinterest" && i > r[0] && destinations[t.tokens[i-1].lower] {
				objects = true // "… to Pinterest", "on Pinterest"
			}
		}
		if len(anchors) == 0 || manualPaste(t, r, manual) {
			continue
		}
		hasGeneric := false
		for i := r[0]; i < r[1]; i++ {
			tk := t.tokens[i]
			if tk.url || tk.code || t.denied(occ{i, i}, false) {
				continue
			}
			if action[tk.stem] && (len(anchors) > 1 || anchors[0] != i) && (!creative[tk.stem] || objects) {
				return s, genericSent
			}
			hasGeneric = hasGeneric || generic[tk.stem]
		}
		if hasGeneric && genericSent < 0 {
			genericSent = s
		}
	}
	return -1, genericSent
}

// manualPaste says whether the sentence r tells the user to copy something
// and paste it into Pinterest by hand ("paste it into Pinterest when you
// create your Pin"): what follows is the user's work, not the app's.
func manualPaste(t *text, r [2]int, manual map[string]bool) bool {
	if !slices.ContainsFunc(t.tokens[r[0]:r[1]], func(tk token) bool { return manual[tk.stem] }) {
		return false
	}
	for i := r[0] + 1; i < r[1]; i++ {
		if t.tokens[i].stem == "pinterest" && destinations[t.tokens[i-1].lower] {
			return true
		}
	}
	return false
}

// destinations stand before "Pinterest" when something goes to it.
var destinations = map[string]bool{"to": true, "on": true, "onto": true, "into": true, "in": true, "from": true}

// apiActions are the concepts of description.scopes that act on Pinterest
// through its API; "create" acts on it only with a Pin or a board as object.
var apiActions = []string{"show", "publish", "edit", "delete", "manage", "sync", "analytics"}

// pinterestUseLang is pinterestUseEnglish in the description's language,
// with its word lists' concepts.
func pinterestUseLang(t *text) (int, int) {
	bySent := func(concept string, keep func(occ) bool) map[int][]occ {
		m := map[int][]occ{}
		for _, o := range t.langOccs(concept) {
			if keep == nil || keep(o) {
				m[t.tokens[o.from].sent] = append(m[t.tokens[o.from].sent], o)
			}
		}
		return m
	}
	notDenied := func(o occ) bool { return !t.denied(o, false) }
	pins, boards, names := bySent("pin", nil), bySent("board", t.pinterestBoard), bySent("pinterest", nil)
	content := bySent("content", nil)
	isContent := func(s, i int) bool {
		for _, c := range content[s] {
			if c.from <= i && i <= c.to {
				return true
			}
		}
		return false
	}
	// An object is a Pin or a board the sentence acts on: not followed by
	// a content word ("Pin-Beschreibungen") nor one before it through a
	// preposition ("descriptions de Pins").
	object := func(s int, o occ) bool {
		if o.to+1 < t.sents[s][1] && isContent(s, o.to+1) {
			return false
		}
		for k := o.from - 1; k >= t.sents[s][0] && k >= o.from-3; k-- {
			if isContent(s, k) {
				return false
			}
			if f := t.tokens[k].fold; !t.lang.skip[f] && !t.lang.stop[f] {
				break
			}
		}
		return true
	}
	actions := map[int][]occ{}
	for _, c := range apiActions {
		for s, os := range bySent(c, notDenied) {
			actions[s] = append(actions[s], os...)
		}
	}
	creates, generic, manual := bySent("create", notDenied), bySent("generic", nil), bySent("manual", nil)
	// The action and the Pinterest thing stand near each other: "s'intègre
	// à Pinterest … pour les équipes qui veulent tout gérer" manages nothing
	// of Pinterest.
	reach := 10
	if t.lang.Inline || t.lang.vocab.MaxRune > 0 {
		reach = 20
	}
	genericSent := -1
	for s := range t.sents {
		anchors := append(append(append([]occ{}, pins[s]...), boards[s]...), names[s]...)
		if len(anchors) == 0 || len(manual[s]) > 0 && len(names[s]) > 0 {
			continue // copied and pasted into Pinterest by hand
		}
		for _, a := range actions[s] {
			for _, an := range anchors {
				if (a.to < an.from || an.to < a.from) && max(an.from-a.to, a.from-an.to) <= reach {
					return s, genericSent
				}
			}
		}
		if len(creates[s]) > 0 {
			for _, an := range append(append([]occ{}, pins[s]...), boards[s]...) {
				if object(s, an) {
					return s, genericSent
				}
			}
		}
		if len(generic[s]) > 0 && genericSent < 0 {
			genericSent = s
		}
	}
	return -1, genericSent
}

// redFlags finds wording reviewers read as automated, bulk, scraping or
// personal-only use: the rule's patterns, and its flags, concepts read in
// every language (scraping, capturing a session cookie, collecting
// passwords, bulk downloads, browser automation, follow bots). A denied
// flag is none: "we never scrape" and "no bots" say the opposite.
func redFlags(t *text, p checks.Params) checks.Finding {
	var flags []string
	first := ""
	for _, pat := range p.Strings("patterns") {
		if !mayMatch(pat, t) {
			continue
		}
		for _, loc := range checks.MustRegexp(pat).FindAllStringIndex(t.plain, -1) {
			if i := t.tokenAt(loc[0]); i >= 0 && t.denied(occ{i, i}, true) {
				continue
			}
			m := t.plain[loc[0]:loc[1]]
			if first == "" {
				first = m
			}
			flags = append(flags, fmt.Sprintf("%q", m))
			break
		}
	}
	excerpt := around(t.plain, first)
	if fr, err := newConceptReader(p, "flags"); err == nil && len(fr.intents) > 0 {
		rd := fr.read(t)
		for _, name := range sortedKeys(fr.intents) {
			if s, ok := rd.stated(fr.intents[name]); ok {
				flags = append(flags, fmt.Sprintf("%s (%q)", name, t.sentence(s)))
				if excerpt == "" {
					excerpt = t.sentence(s)
				}
			}
		}
	}
	if len(flags) > 0 {
		return checks.Fail("description.red-flags", "wording reviewers read as automated, bulk, scraping or personal-only use: %s", strings.Join(flags, ", ")).With(&checks.Evidence{Excerpt: excerpt})
	}
	return checks.Pass("description.red-flags", "no red-flag wording")
}

// PhraseRegexp compiles a rules.yaml phrase: words match case-insensitively on
// word boundaries, a lone "*" matches any one word and a trailing "*" any
// word ending.
func PhraseRegexp(phrase string) *regexp.Regexp {
	var parts []string
	for _, w := range strings.Fields(phrase) {
		switch {
		case w == "*":
			parts = append(parts, `[\p{L}\p{N}'’-]+`)
		case strings.HasSuffix(w, "*"):
			parts = append(parts, regexp.QuoteMeta(strings.TrimSuffix(w, "*"))+`[\p{L}\p{N}'’-]*`)
		default:
			parts = append(parts, regexp.QuoteMeta(w))
		}
	}
	return checks.MustRegexp(`(?i)(^|[^\p{L}\p{N}_])` + strings.Join(parts, `\s+`) + `($|[^\p{L}\p{N}_])`)
}

// around returns the sentence-sized excerpt of text around match.
func around(text, match string) string {
	i := strings.Index(text, match)
	if i < 0 {
		return ""
	}
	start, end := max(0, i-60), min(len(text), i+len(match)+60)
	for start > 0 && !isBoundary(text[start-1]) {
		start--
	}
	for end < len(text) && !isBoundary(text[end]) {
		end++
	}
	return strings.Join(strings.Fields(text[start:end]), " ")
}

func isBoundary(b byte) bool { return b == ' ' || b == '\n' }

// description.scopes' intents and description.red-flags' flags name
// concepts and scopes: a --rules file that breaks them is a configuration
// error when the rules load.
func init() {
	checks.CheckParams("description.scopes", func(p checks.Params) error {
		_, err := newScopeReader(p)
		return err
	})
	checks.CheckParams("description.red-flags", func(p checks.Params) error {
		_, err := newConceptReader(p, "flags")
		return err
	})
}
