package privacy

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/pinready/pinready/checks"
)

// The content rules are pure functions from the judged document to a
// finding; the caller adds the page's URL, status and redirects to the
// evidence, keeping the excerpt set here.

// checkIsPolicy wants the page to call itself a privacy policy (title, main
// heading or opening words) and to read like one (enough typical phrases).
func checkIsPolicy(d *document, p checks.Params) checks.Finding {
	const id = "privacy.is-policy"
	lead := strings.Join(first(strings.Fields(d.Text), 30), " ")
	labels := []string{d.Title, lead}
	if len(d.Headings) > 0 {
		labels = append(labels, d.Headings[0])
	}
	var titledBy string
	for _, w := range p.Strings("title_words") {
		for _, l := range labels {
			if strings.Contains(strings.ToLower(l), strings.ToLower(w)) {
				titledBy = l
				break
			}
		}
		if titledBy != "" {
			break
		}
	}
	lower := strings.ToLower(d.Text)
	var phrases []string
	for _, ph := range p.Strings("body_phrases") {
		if strings.Contains(lower, strings.ToLower(ph)) {
			phrases = append(phrases, ph)
		}
	}
	need := p.Int("min_phrases")
	ex := &checks.Evidence{Excerpt: excerpt(d.Text, 0, 240)}
	switch {
	case titledBy == "":
		return checks.Fail(id, "neither the title %q nor the main heading nor the opening words call this page a privacy policy", d.Title).With(ex)
	case len(phrases) < need:
		return checks.Fail(id, "the page is titled like a policy but reads like something else: only %d of the typical policy phrases (%s), at least %d expected", len(phrases), quoteList(phrases), need).With(ex)
	}
	return checks.Pass(id, "a privacy policy (%q) with %d typical phrases (%s)", excerpt(titledBy, 0, 80), len(phrases), quoteList(first(phrases, 4))).With(ex)
}

// checkPlaceholders finds what template generators leave behind.
func checkPlaceholders(d *document, p checks.Params) checks.Finding {
	const id = "privacy.placeholder"
	text := d.Title + "\n" + d.Text
	var found []string
	at := -1
	for _, pat := range p.Strings("patterns") {
		re, err := checks.Regexp(pat)
		if err != nil {
			return checks.Errorf(id, "rules.yaml: placeholder pattern %q: %v", pat, err)
		}
		for _, loc := range re.FindAllStringIndex(text, 5) {
			m := text[loc[0]:loc[1]]
			if !slices.Contains(found, m) {
				found = append(found, m)
			}
			if at < 0 || loc[0] < at {
				at = loc[0]
			}
		}
	}
	if len(found) > 0 {
		return checks.Fail(id, "template placeholders left in: %s", quoteList(first(found, 6))).With(&checks.Evidence{Excerpt: excerpt(text, at, 200)})
	}
	return checks.Pass(id, "no template placeholders or lorem ipsum")
}

// legalSuffix is dropped from the company name so "Acme Inc." also matches
// a policy that says "Acme".
var legalSuffix = regexp.MustCompile(`(?i)[,\s]+(inc|llc|l\.l\.c|ltd|limited|gmbh|sas|sarl|s\.a|sa|bv|b\.v|co|corp|corporation|plc|pty ltd|ag|oy|ab)\.?$`)

// checkNamesApp wants the app's or the company's name in the policy itself.
func checkNamesApp(d *document, app checks.App) checks.Finding {
	const id = "privacy.names-app"
	text := normName(d.Title + "\n" + d.Text)
	var names []string
	for _, n := range []string{app.Name, app.Company, legalSuffix.ReplaceAllString(strings.TrimSpace(app.Company), "")} {
		if n = strings.TrimSpace(n); n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	for _, n := range names {
		if i := strings.Index(text, normName(n)); i >= 0 {
			return checks.Pass(id, "names %q", n).With(&checks.Evidence{Excerpt: excerpt(text, i, 200)})
		}
	}
	return checks.Fail(id, "the policy never names %s", quoteList(names)).With(&checks.Evidence{Excerpt: excerpt(d.Text, 0, 200)})
}

func normName(s string) string {
	s = strings.NewReplacer("’", "'", "\u00a0", " ").Replace(s)
	return strings.ToLower(squash(s))
}

// topicOrder is how findings list the OPP-115 style topics; any extra topic
// a rules file adds comes after, sorted.
var topicOrder = []string{"collection", "use", "sharing", "retention", "rights", "contact"}

// checkTopics counts the topics whose words appear.
func checkTopics(d *document, p checks.Params) checks.Finding {
	const id = "privacy.topics"
	topics := p.StringLists("topics")
	names := slices.Clone(topicOrder)
	var extra []string
	for k := range topics {
		if !slices.Contains(names, k) {
			extra = append(extra, k)
		}
	}
	slices.Sort(extra)
	names = append(names, extra...)
	lower := strings.ToLower(d.Text)
	var covered, missing, shown []string
	for _, t := range names {
		words, ok := topics[t]
		if !ok {
			continue
		}
		hit := ""
		for _, w := range words {
			if strings.Contains(lower, strings.ToLower(w)) {
				hit = w
				break
			}
		}
		if hit == "" {
			missing = append(missing, t)
			continue
		}
		covered = append(covered, t)
		shown = append(shown, fmt.Sprintf("%s (%q)", t, hit))
	}
	need := min(p.Int("min_topics"), len(covered)+len(missing))
	ex := &checks.Evidence{Excerpt: "covered: " + strings.Join(shown, ", ")}
	if len(covered) < need {
		return checks.Fail(id, "misses %s (covers %d of %d topics; at least %d expected)", strings.Join(missing, ", "), len(covered), len(covered)+len(missing), need).With(ex)
	}
	return checks.Pass(id, "covers %d of %d topics: %s", len(covered), len(covered)+len(missing), strings.Join(covered, ", ")).With(ex)
}

var sentenceEnd = regexp.MustCompile(`[.!?;]\s+|\n`)

// checkPinterest wants one sentence that names Pinterest and says something
// about data: a passing "share on Pinterest" button text is not enough.
func checkPinterest(d *document, p checks.Params) checks.Finding {
	const id = "privacy.pinterest"
	var passing string
	for _, s := range sentenceEnd.Split(d.Text, -1) {
		ls := strings.ToLower(s)
		if !containsAny(ls, p.Strings("words")) {
			continue
		}
		if containsAny(ls, p.Strings("data_words")) {
			return checks.Pass(id, "says how Pinterest data is handled").With(&checks.Evidence{Excerpt: excerpt(s, 0, 240)})
		}
		if passing == "" {
			passing = s
		}
	}
	if passing != "" {
		return checks.Fail(id, "mentions Pinterest only in passing, without saying what the app reads, stores or shares").With(&checks.Evidence{Excerpt: excerpt(passing, 0, 240)})
	}
	return checks.Fail(id, "never mentions Pinterest")
}

// date matches the ways policies write a date: 2026-03-01, 03/01/2026,
// 1.3.2026, March 1, 2026, 1st March 2026, March 2026.
var date = regexp.MustCompile(`(?i)\b(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|` + month + `\s+\d{1,2}(st|nd|rd|th)?,?\s+\d{4}|\d{1,2}(st|nd|rd|th)?\s+(of\s+)?` + month + `,?\s+\d{4}|` + month + `,?\s+\d{4})\b`)

const month = `(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?)\.?`

// checkUpdated wants a date close after an "effective"/"last updated" label.
func checkUpdated(d *document, p checks.Params) checks.Finding {
	const id = "privacy.updated"
	labelled := -1
	for _, w := range p.Strings("date_words") {
		// Matched in d.Text itself: offsets into strings.ToLower(d.Text)
		// are not offsets into d.Text once a rune changes length (Ⱥ → ⱥ).
		label := checks.MustRegexp(`(?i)` + regexp.QuoteMeta(w))
		for _, loc := range label.FindAllStringIndex(d.Text, -1) {
			i := loc[0]
			if labelled < 0 {
				labelled = i
			}
			window := d.Text[i:min(len(d.Text), loc[1]+60)]
			if m := date.FindString(window); m != "" {
				return checks.Pass(id, "dated %q", squash(window[:strings.Index(window, m)+len(m)])).With(&checks.Evidence{Excerpt: excerpt(d.Text, i, 160)})
			}
		}
	}
	if labelled >= 0 {
		return checks.Fail(id, "has an effective/updated label but no date next to it").With(&checks.Evidence{Excerpt: excerpt(d.Text, labelled, 160)})
	}
	return checks.Fail(id, "no effective or last-updated date")
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, strings.ToLower(w)) {
			return true
		}
	}
	return false
}

func first[T any](s []T, n int) []T { return s[:min(n, len(s))] }

// quoteList renders "a", "b", "c" for messages.
func quoteList(items []string) string {
	if len(items) == 0 {
		return "none"
	}
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
