package description

import (
	"fmt"
	"regexp"
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

	out = append(out, pinterestUse(t, rs.Get("description.pinterest-use").Params))
	if sr, err := newScopeReader(rs.Get("description.scopes").Params); err != nil {
		out = append(out, checks.Errorf("description.scopes", "rules: %v", err))
	} else {
		out = append(out, sr.judge(t, cfg.App.Scopes))
	}
	out = append(out, newAudience(rs.Get("description.audience").Params).judge(t))
	out = append(out, redFlags(t, rs.Get("description.red-flags").Params))
	return out
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

// pinterestUse passes when one sentence names Pinterest (or Pins, boards)
// and, in another word, an action the app takes with it. A sentence that
// only says the app "uses the Pinterest API" or "integrates with Pinterest"
// says nothing a user does: reviewers deny such generic descriptions, and
// the message says which sentence is one.
func pinterestUse(t *text, p checks.Params) checks.Finding {
	platform, action, generic := stemSet(p.Strings("platform_words")), stemSet(p.Strings("action_words")), stemSet(p.Strings("generic_verbs"))
	genericSent := -1
	for s, r := range t.sents {
		var platforms []int
		for i := r[0]; i < r[1]; i++ {
			if platform[t.tokens[i].stem] {
				platforms = append(platforms, i)
			}
		}
		if len(platforms) == 0 {
			continue
		}
		hasGeneric := false
		for i := r[0]; i < r[1]; i++ {
			tk := t.tokens[i]
			if tk.url || t.negated(i, negations, false) {
				continue
			}
			if action[tk.stem] && (len(platforms) > 1 || platforms[0] != i) {
				return checks.Pass("description.pinterest-use", "says what it does with Pinterest: %q", t.sentence(s))
			}
			hasGeneric = hasGeneric || generic[tk.stem]
		}
		if hasGeneric && genericSent < 0 {
			genericSent = s
		}
	}
	if genericSent >= 0 {
		return checks.Fail("description.pinterest-use", "%q only says that the app works with Pinterest, nothing a user does with it; say what the app does with Pinterest (e.g. \"creates Pins on the user's boards\")", t.sentence(genericSent))
	}
	return checks.Fail("description.pinterest-use", "no sentence says what the app does with Pinterest (e.g. \"creates Pins on the user's boards\")")
}

// redFlags finds wording reviewers read as automated, bulk, scraping or
// personal-only use. A denied flag is none: "we never scrape" and "no bots"
// say the opposite of "scrapes" and "bot".
func redFlags(t *text, p checks.Params) checks.Finding {
	var flags []string
	first := ""
	for _, pat := range p.Strings("patterns") {
		if !mayMatch(pat, t) {
			continue
		}
		for _, loc := range checks.MustRegexp(pat).FindAllStringIndex(t.plain, -1) {
			if i := t.tokenAt(loc[0]); i >= 0 && t.negated(i, negations, true) {
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
	if len(flags) > 0 {
		return checks.Fail("description.red-flags", "wording reviewers read as automated, bulk, scraping or personal-only use: %s", strings.Join(flags, ", ")).With(&checks.Evidence{Excerpt: around(t.plain, first)})
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

// description.scopes' intents name concepts and scopes: a --rules file that
// breaks them is a configuration error when the rules load.
func init() {
	checks.CheckParams("description.scopes", func(p checks.Params) error {
		_, err := newScopeReader(p)
		return err
	})
}
