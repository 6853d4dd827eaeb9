package checks

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// DescriptionRules are the rules Describe evaluates.
var DescriptionRules = []string{
	"app.name", "description.length", "description.placeholder",
	"description.pinterest-use", "description.scopes", "description.audience",
	"description.red-flags",
}

// Describe audits the app name and the description pasted into the access
// form. It is pure text: no network, no browser. Patterns in the rules were
// validated when the rules were loaded (CompilePatterns), so this cannot fail.
func Describe(cfg *Config, rs *Ruleset) []Finding {
	d := cfg.App.Description
	words := wordsOf(d)
	out := []Finding{appName(cfg.App.Name, rs.Get("app.name").Params)}

	minWords := rs.Get("description.length").Params.Int("min_words")
	if len(words) >= minWords {
		out = append(out, Pass("description.length", "%d words (at least %d)", len(words), minWords))
	} else {
		out = append(out, Fail("description.length", "%d words; reviewers deny vague descriptions: write at least %d", len(words), minWords))
	}

	if m := firstMatch(d, rs.Get("description.placeholder").Params.Strings("patterns")); m != "" {
		out = append(out, Fail("description.placeholder", "placeholder or test text: %q", m).With(&Evidence{Excerpt: around(d, m)}))
	} else {
		out = append(out, Pass("description.placeholder", "no placeholder or test wording"))
	}

	out = append(out, pinterestUse(d, rs.Get("description.pinterest-use").Params))
	out = append(out, scopesExplained(d, cfg.App.Scopes, rs.Get("description.scopes").Params))

	if m := firstMatch(d, rs.Get("description.audience").Params.Strings("patterns")); m != "" {
		out = append(out, Pass("description.audience", "names its users: %q", m))
	} else {
		out = append(out, Fail("description.audience", "no sentence says who uses the app"))
	}

	var flags []string
	for _, p := range rs.Get("description.red-flags").Params.Strings("patterns") {
		if m := MustRegexp(p).FindString(d); m != "" {
			flags = append(flags, fmt.Sprintf("%q", m))
		}
	}
	if len(flags) > 0 {
		out = append(out, Fail("description.red-flags", "wording reviewers read as automated, bulk or personal-only use: %s", strings.Join(flags, ", ")).With(&Evidence{Excerpt: around(d, strings.Trim(flags[0], `"`))}))
	} else {
		out = append(out, Pass("description.red-flags", "no red-flag wording"))
	}
	return out
}

func appName(name string, p Params) Finding {
	lower := strings.ToLower(name)
	for _, w := range p.Strings("forbidden") {
		if strings.Contains(lower, strings.ToLower(w)) {
			return Fail("app.name", "%q contains %q; the Connect-app form does not allow it", name, w)
		}
	}
	return Pass("app.name", "%q does not contain a reserved word", name)
}

// pinterestUse passes when one sentence names Pinterest (or Pins/boards) and
// an action the app takes with it.
func pinterestUse(d string, p Params) Finding {
	platform, action := p.Strings("platform_words"), p.Strings("action_words")
	for _, s := range sentences(d) {
		ws := wordsOf(s)
		for i, w := range ws {
			if !slices.Contains(platform, w) {
				continue
			}
			for j, v := range ws {
				if j != i && slices.Contains(action, v) {
					return Pass("description.pinterest-use", "says what it does with Pinterest: %q", strings.TrimSpace(s))
				}
			}
		}
	}
	return Fail("description.pinterest-use", "no sentence says what the app does with Pinterest (e.g. \"creates Pins on the user's boards\")")
}

// scopesExplained checks every requested scope against the phrases that
// explain it.
func scopesExplained(d string, scopes []string, p Params) Finding {
	if len(scopes) == 0 {
		return Pass("description.scopes", "app.scopes lists no scope to explain")
	}
	table := p.StringLists("explained_by")
	var missing []string
	for _, s := range scopes {
		if !slices.ContainsFunc(table[s], func(phrase string) bool { return PhraseRegexp(phrase).MatchString(d) }) {
			hint := table[s]
			if len(hint) > 4 {
				hint = hint[:4]
			}
			missing = append(missing, fmt.Sprintf("%s (say e.g. %s)", s, strings.Join(quoteAll(hint), ", ")))
		}
	}
	if len(missing) > 0 {
		return Fail("description.scopes", "not explained: %s", strings.Join(missing, "; ")).About("app.scopes")
	}
	return Pass("description.scopes", "every requested scope is explained: %s", strings.Join(scopes, ", "))
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
	return MustRegexp(`(?i)(^|[^\p{L}\p{N}_])` + strings.Join(parts, `\s+`) + `($|[^\p{L}\p{N}_])`)
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

func firstMatch(text string, patterns []string) string {
	for _, p := range patterns {
		if m := MustRegexp(p).FindString(text); m != "" {
			return m
		}
	}
	return ""
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

// wordsOf lower-cases text and splits it into words (letters, digits, ' and -).
func wordsOf(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '-' && r != '’'
	})
}

var sentenceEnd = regexp.MustCompile(`[.!?;:\n]+\s*`)

func sentences(s string) []string { return sentenceEnd.Split(s, -1) }

// CompilePatterns checks every regular expression parameter ("patterns") of
// every rule, so a bad --rules file is an exit-2 error rather than a panic.
func (rs *Ruleset) CompilePatterns(file string) error {
	for _, r := range rs.Rules {
		if _, ok := r.Params["patterns"]; !ok {
			continue
		}
		for _, p := range r.Params.Strings("patterns") {
			if _, err := Regexp(p); err != nil {
				return &ConfigError{File: file, Line: r.Line, Field: "rules.params.patterns", Msg: fmt.Sprintf("%s: %v", r.ID, err)}
			}
		}
	}
	return nil
}
