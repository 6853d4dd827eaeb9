package privacy

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/textlang"
)

// The content rules are pure functions from the reading to a finding; the
// caller adds the page's URL, status and redirects to the evidence, keeping
// the excerpt set here. Every message is English and quotes the page's own
// words as written.

// checkPlaceholders finds what template generators leave behind: bracketed
// labels ("[Company Name]", "[Your Discord Bot Name]"), unfilled choices
// ([["visitors" or "users"]]), template variables ({{company}}, ${app},
// <<App Name>>), capitalised instructions (INSERT DATE) and lorem ipsum. A
// match that an "allowed" pattern covers entirely ([1], [PDF], [Effective:
// 1 March 2026]) is legitimate text. When a pattern has a group, the group
// is the placeholder quoted and the rest only its context.
func checkPlaceholders(r *reading, p checks.Params) checks.Finding {
	const id = "privacy.placeholder"
	d := r.d
	text := d.Title + "\n" + d.Text
	var allowed []*regexp.Regexp
	for _, pat := range p.Strings("allowed") {
		re, err := checks.Regexp(pat)
		if err != nil {
			return checks.Errorf(id, "rules.yaml: allowed pattern %q: %v", pat, err)
		}
		allowed = append(allowed, re)
	}
	isAllowed := func(m string) bool {
		for _, re := range allowed {
			if loc := re.FindStringIndex(m); loc != nil && loc[0] == 0 && loc[1] == len(m) {
				return true
			}
		}
		return false
	}
	pats := p.Strings("patterns")
	res := make([]*regexp.Regexp, len(pats))
	for i, pat := range pats {
		re, err := checks.Regexp(pat)
		if err != nil {
			return checks.Errorf(id, "rules.yaml: placeholder pattern %q: %v", pat, err)
		}
		res[i] = re
	}
	var found []string
	at := -1
	for _, part := range placeholderParts(text) {
		lower := lowerOnce(part.text)
		for i, re := range res {
			// Most patterns need a rare string ("{{", "INSERT", "@"):
			// skip those whose string the text does not have.
			if !prefilterFor(pats[i]).mayMatch(part.text, lower) {
				continue
			}
			for _, loc := range re.FindAllStringSubmatchIndex(part.text, 20) {
				// A pattern's first group, when it has one, is the
				// placeholder; the rest is context ("not after a /").
				if len(loc) >= 4 && loc[2] >= 0 {
					loc = loc[2:4]
				}
				m := part.text[loc[0]:loc[1]]
				if isAllowed(m) || slices.Contains(found, m) {
					continue
				}
				found = append(found, m)
				if at < 0 || part.at+loc[0] < at {
					at = part.at + loc[0]
				}
			}
		}
	}
	if len(found) > 0 {
		return checks.Fail(id, "template placeholders left in: %s", quoteList(first(found, 6))).With(&checks.Evidence{Excerpt: excerpt(text, at, 200)})
	}
	msg := "no template placeholders or lorem ipsum"
	if d.EmailsFixed > 0 {
		msg += fmt.Sprintf(" (%d e-mail address(es) hidden by Cloudflare's e-mail protection were decoded, as a browser shows them)", d.EmailsFixed)
	}
	return checks.Pass(id, "%s", msg)
}

// Placeholders sit where a template asks for names and dates: the title,
// the opening, the contact details at the end. A text longer than
// placeholderHead+placeholderTail bytes (a policy of a hundred pages, or a
// hostile page padded to megabytes) is searched at its start and its end
// only, so the search stays fast whatever the page.
const (
	placeholderHead = 384 << 10
	placeholderTail = 64 << 10
)

type textPart struct {
	text string
	at   int // offset in the whole text
}

func placeholderParts(text string) []textPart {
	if len(text) <= placeholderHead+placeholderTail {
		return []textPart{{text, 0}}
	}
	head := strings.ToValidUTF8(text[:placeholderHead], "")
	tailAt := len(text) - placeholderTail
	for tailAt < len(text) && !utf8.RuneStart(text[tailAt]) {
		tailAt++
	}
	return []textPart{{head, 0}, {text[tailAt:], tailAt}}
}

// legalSuffix is dropped from the company name so "Acme Inc." also matches
// a policy that says "Acme".
var legalSuffix = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)[,\s]+(inc|llc|l\.l\.c|ltd|limited|gmbh|sas|sarl|s\.a|sa|bv|b\.v|co|corp|corporation|plc|pty ltd|ag|oy|ab)\.?$`)
})

// checkNamesApp wants the app's or the company's name in the policy itself.
func checkNamesApp(r *reading, app checks.App) checks.Finding {
	const id = "privacy.names-app"
	d := r.d
	text := normName(d.Title + "\n" + d.Text)
	var names []string
	for _, n := range []string{app.Name, app.Company, legalSuffix().ReplaceAllString(strings.TrimSpace(app.Company), "")} {
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

// checkTopics counts the topics whose words appear in the policy (its own
// section on a combined page). A topic the page's language has no word list
// for is not counted against it: when only such topics are missing, the
// rule is skipped and says why.
func checkTopics(r *reading, v policyVerdict, p checks.Params) checks.Finding {
	const id = "privacy.topics"
	extra := p.StringLists("topics")
	lexTopics := r.words.u.Topics
	names := slices.Clone(topicOrder)
	for _, k := range sortedKeys(extra) {
		if !slices.Contains(names, k) && len(extra[k]) > 0 {
			names = append(names, k)
		}
	}
	scope, orig := r.text, r.d.Text
	if v.Pass && v.Section {
		scope, orig = textlang.FoldText(v.Scope), v.Scope
	}
	var covered, missing, unlisted, shown []string
	for _, t := range names {
		words := append(slices.Clone(lexTopics[t]), foldAll(extra[t])...)
		switch hit := textlang.FirstTerm(scope.S, words); {
		case hit != "":
			covered = append(covered, t)
			i := textlang.IndexTerm(scope.S, hit)
			shown = append(shown, fmt.Sprintf("%s (%q)", t, wholeWord(orig, scope.At(i), scope.At(i+len(hit)))))
		case r.lang.Lex == nil && r.lang.Code != "" || r.lang.Lex != nil && len(r.lang.Lex.Topics[t]) == 0:
			// No word list for this topic in the page's language: not
			// found is not missing.
			unlisted = append(unlisted, t)
		default:
			missing = append(missing, t)
		}
	}
	total := len(covered) + len(missing) + len(unlisted)
	need := min(p.Int("min_topics"), total)
	ex := &checks.Evidence{Language: r.lang.Code, Excerpt: "language: " + r.lang.String() + " · covered: " + strings.Join(shown, ", ")}
	if len(covered) >= need {
		return checks.Pass(id, "covers %d of %d topics: %s", len(covered), total, strings.Join(covered, ", ")).With(ex)
	}
	if len(missing) == 0 {
		return checks.Skip(id, "covers %s; pinready has no %s word list for %s, so %s could not be checked", orEmpty(covered), strings.Join(unlisted, "/"), r.lang.Name(), strings.Join(unlisted, ", ")).With(ex)
	}
	msg := fmt.Sprintf("misses %s (covers %d of %d topics; at least %d expected)", strings.Join(missing, ", "), len(covered), total, need)
	if len(unlisted) > 0 {
		msg += fmt.Sprintf("; %s not checked: no word list for %s", strings.Join(unlisted, ", "), r.lang.Name())
	}
	if v.Pass && r.d.Words < 300 && (slices.Contains(missing, "retention") || slices.Contains(missing, "rights")) {
		msg += "; even a policy of an app that collects nothing says so for each topic (nothing is kept, so there is nothing to delete) and how to reach you"
	}
	return checks.Fail(id, "%s", msg).With(ex)
}

// wholeWord extends text[from:to], a matched stem ("utilis"), to the end of
// its word ("utilisons") in scripts that separate words with spaces.
func wholeWord(text string, from, to int) string {
	for to < len(text) {
		r, n := utf8.DecodeRuneInString(text[to:])
		if !textlang.SpacedScript(r) || !unicode.IsLetter(r) {
			break
		}
		to += n
	}
	return text[from:to]
}

func orEmpty(list []string) string {
	if len(list) == 0 {
		return "no topic"
	}
	return strings.Join(list, ", ")
}

// sentences splits text at sentence ends (".", "!", "?", ";" before a
// space, "。！？" anywhere) and line breaks. By hand: a regexp without a
// literal to skip to crawls through a long page.
func sentences(text string) []string {
	var out []string
	start := 0
	for i, r := range text {
		end := false
		switch r {
		case '\n', '。', '！', '？':
			end = true
		case '.', '!', '?', ';':
			end = i+1 >= len(text) || text[i+1] == ' ' || text[i+1] == '\n' || text[i+1] == '\t'
		}
		if end {
			if s := strings.TrimSpace(text[start:i]); s != "" {
				out = append(out, s)
			}
			start = i + utf8.RuneLen(r)
		}
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// checkPinterest wants one sentence that names Pinterest and says something
// about data: a passing "share on Pinterest" button text is not enough.
func checkPinterest(r *reading, p checks.Params) checks.Finding {
	const id = "privacy.pinterest"
	words := foldAll(p.Strings("words"))
	dataWords := foldAll(p.Strings("data_words"))
	for _, k := range []string{"personal", "collect", "share", "storage"} {
		dataWords = append(dataWords, r.words.u.Phrases[k]...)
	}
	var passing string
	for _, s := range sentences(r.d.Text) {
		fs := textlang.Fold(s)
		if textlang.FirstTerm(fs, words) == "" {
			continue
		}
		if textlang.FirstTerm(fs, dataWords) != "" {
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

// datePattern matches the ways policies write a date, on folded (lower-case) text:
// 2026-03-01, 03/01/2026, 1.3.2026, 2026. 3. 1., 2026年3月1日, 2026년 3월 1일,
// ngày 1 tháng 3 năm 2026, and with month names: March 1, 2026, 1st March
// 2026, 1 de marzo de 2026, 1. März 2026, 1 марта 2026, March 2026.
func datePattern(months []string) *regexp.Regexp {
	quoted := make([]string, len(months))
	for i, m := range months {
		quoted[i] = regexp.QuoteMeta(m)
	}
	slices.SortFunc(quoted, func(a, b string) int { return len(b) - len(a) })
	mon := `(?:` + strings.Join(quoted, "|") + `)\.?`
	num := `(?:\d{4}\s?[-/.]\s?\d{1,2}\s?[-/.]\s?\d{1,2}|\d{1,2}\s?[-/.]\s?\d{1,2}\s?[-/.]\s?\d{2,4}|\d{4}\s?年\s?\d{1,2}\s?月(?:\s?\d{1,2}\s?日)?|\d{4}\s?년\s?\d{1,2}\s?월(?:\s?\d{1,2}\s?일)?|(?:ngay\s+)?\d{1,2}\s+thang\s+\d{1,2}(?:\s*(?:,|nam)\s*\d{4})?|thang\s+\d{1,2}\s*(?:/|nam)\s*\d{4})`
	named := `\d{1,2}(?:st|nd|rd|th|er|e|\.|º|ª)?\s+(?:of\s+|de\s+)?` + mon + `,?\s+(?:de\s+)?\d{4}|` + mon + `\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|` + mon + `,?\s+(?:de\s+)?\d{4}`
	if len(quoted) == 0 {
		named = `$.` // no month names: numeric dates only
	}
	// Anchored: dateAt tries it only where a word starts, so a page of a
	// million date labels costs one short match per word, not one scan of
	// a large alternation per label.
	return regexp.MustCompile(`^(?:` + num + `|` + named + `)`)
}

var (
	dateMu    sync.Mutex
	dateCache = map[string]*regexp.Regexp{}
)

// datesFor returns the date pattern for a set of languages, compiled once.
func datesFor(ws wordSet) *regexp.Regexp {
	var codes []string
	for _, l := range ws.langs {
		codes = append(codes, l.Code)
	}
	key := strings.Join(codes, ",")
	dateMu.Lock()
	defer dateMu.Unlock()
	if re, ok := dateCache[key]; ok {
		return re
	}
	re := datePattern(ws.u.Months)
	dateCache[key] = re
	return re
}

// checkUpdated wants a date close after an "effective"/"last updated" label
// in the page's language ("Dernière mise à jour", "Stand:", "最終更新日").
func checkUpdated(r *reading, p checks.Params) checks.Finding {
	const id = "privacy.updated"
	text := r.text
	labels := append(slices.Clone(r.words.u.Updated), foldAll(p.Strings("date_words"))...)
	date := datesFor(r.words)
	tried := map[int]int{} // word start → end of the date there, or -1
	dateAt := func(i int) int {
		if end, ok := tried[i]; ok {
			return end
		}
		end := -1
		if loc := date.FindStringIndex(text.S[i:min(len(text.S), i+64)]); loc != nil {
			end = i + loc[1]
		}
		tried[i] = end
		return end
	}
	labelled := -1
	for _, label := range labels {
		for off := 0; off < len(text.S); {
			i := textlang.IndexTerm(text.S[off:], label)
			if i < 0 {
				break
			}
			i += off
			off = i + len(label)
			if labelled < 0 || i < labelled {
				labelled = i
			}
			for j := i + len(label); j < min(len(text.S), i+len(label)+60); j++ {
				c, prev := text.S[j], byte(' ')
				if j > 0 {
					prev = text.S[j-1]
				}
				digitStart := '0' <= c && c <= '9' && !('0' <= prev && prev <= '9')
				wordStart := isWordByte(c) && !isWordByte(prev) && utf8.RuneStart(c)
				if !digitStart && !wordStart {
					continue
				}
				if end := dateAt(j); end >= 0 {
					from, to := text.At(i), text.At(end)
					return checks.Pass(id, "dated %q", squash(r.d.Text[from:to])).With(&checks.Evidence{Excerpt: excerpt(r.d.Text, from, 160)})
				}
			}
		}
	}
	if labelled >= 0 {
		return checks.Fail(id, "has an effective/updated label but no date next to it").With(&checks.Evidence{Excerpt: excerpt(r.d.Text, text.At(labelled), 160)})
	}
	if r.lang.Lex == nil && r.lang.Code != "" {
		return checks.Skip(id, "no English effective or last-updated label, and pinready has no date words for %s", r.lang.Name())
	}
	return checks.Fail(id, "no effective or last-updated date%s", inLang(r.lang))
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

// isWordByte says whether b continues a word: an ASCII letter or digit, or
// any byte of a multi-byte rune (the start of a month or a 年 is tried at the
// rune's first byte, which follows a space or punctuation).
func isWordByte(b byte) bool {
	return b >= 0x80 || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}
