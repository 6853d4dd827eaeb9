package privacy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/textlang"
)

// privacy.is-policy reads the page as a reviewer does: what the page calls
// itself (the section the URL's fragment points at, the main heading, the
// title, the opening words, any h1–h3), then whether the text under that
// name makes the statements policies make. A short "we collect nothing"
// policy is a policy; terms of service, a EULA, a cookie policy, a support
// page, a README or a "this policy has moved" page are named as what they are.

// phraseKinds names the kinds of statements is-policy counts, in message order.
var phraseKinds = []struct{ Key, Says string }{
	{"personal", "personal data"}, {"collect", "collection"}, {"share", "sharing"},
	{"cookies", "cookies or tracking"}, {"storage", "storage or deletion"},
	{"rights", "user rights"}, {"contact", "contact"}, {"extra", "your extra phrases"},
}

// labelMatch is a place on the page that says what the page is.
type labelMatch struct {
	Where string // "the main heading", "the title", "the opening words", "the heading", "the section #x"
	Text  string // as the page writes it
	Kind  string // "policy", or a page kind (terms, eula, ...)
	Weak  bool   // a policy named only by a weaker name ("Privacy", "Datenschutz")
}

// policyVerdict is is-policy's judgement, shared with the rules that read
// only the policy's part of a combined page (privacy.topics).
type policyVerdict struct {
	Pass     bool
	Label    labelMatch // what the page (or its section) calls itself
	Scope    string     // the text judged: the whole page, or the policy's section
	Section  bool       // Scope is one section of a larger page
	Kinds    []string   // kinds of statements found in Scope (phraseKinds' Says)
	Need     int
	PageKind string // a page kind when the page is something else
	Why      string // what proves the page kind
	// PolicySection is the heading of a privacy section on a page that is
	// something else (a support page's "Privacy" section): a section of a
	// help page or README is not the policy reviewers ask for.
	PolicySection string
	FragNote      string // why the URL's fragment could not be used
}

// legalKinds are the page kinds that are legal documents themselves: a
// terms page, EULA or imprint with a whole privacy policy as one of its
// sections is a combined legal page, and the policy is there.
var legalKinds = map[string]bool{"terms": true, "eula": true, "imprint": true}

// judgePolicy decides whether the reading is a privacy policy, once per
// reading: privacy.is-policy and privacy.topics share the verdict.
func judgePolicy(r *reading, p checks.Params) policyVerdict {
	if r.verdict == nil {
		v := judge(r, p)
		r.verdict = &v
	}
	return *r.verdict
}

func judge(r *reading, p checks.Params) policyVerdict {
	d := r.d
	v := policyVerdict{Need: p.Int("min_phrases"), Scope: d.Text}
	policyNames := append(slices.Clone(r.words.u.Policy), foldAll(p.Strings("title_words"))...)
	weakNames := r.words.u.Weak
	negatives := r.words.u.Negatives

	classify := func(where, text string) (labelMatch, bool) {
		ft := textlang.FoldText(text)
		f := ft.S
		if t := textlang.FirstTerm(f, policyNames); t != "" {
			// "How to write a privacy policy", "Privacy policy template":
			// a page about policies, not one.
			if countWords(text) <= 16 && textlang.FirstTerm(f, r.words.u.About) != "" {
				return labelMatch{Where: where, Text: text, Kind: "devdocs"}, true
			}
			if countWords(text) > 12 {
				// Quote the name as the page writes it, not a whole paragraph.
				i := textlang.IndexTerm(f, t)
				text = text[ft.At(i):ft.At(i+len(t))]
			}
			return labelMatch{Where: where, Text: text, Kind: "policy"}, true
		}
		// A page kind is judged on short labels only: "Terms of Service",
		// not a sentence that mentions terms.
		if countWords(text) <= 12 {
			weak := countWords(text) <= 8 && textlang.FirstTerm(f, weakNames) != ""
			for _, k := range pageKinds {
				if textlang.FirstTerm(f, negatives[k.Kind]) == "" {
					continue
				}
				if k.Kind == "cookies" && weak {
					break // "Privacy & Cookies" names a policy
				}
				return labelMatch{Where: where, Text: text, Kind: k.Kind}, true
			}
		}
		if textlang.FirstTerm(f, weakNames) != "" && countWords(text) <= 8 {
			return labelMatch{Where: where, Text: text, Kind: "policy", Weak: true}, true
		}
		return labelMatch{}, false
	}

	// The fragment's section, when the URL has one and the page has it.
	if r.frag != "" {
		if label, text, ok := d.fragmentSection(r.frag); ok {
			v.Scope, v.Section = text, true
			where := "the section #" + r.frag
			if label == "" {
				label = openingWords(text, 12)
			}
			if m, ok := classify(where, label); ok {
				v.Label = m
			} else if m, ok := classify(where, openingWords(text, 30)); ok && m.Kind == "policy" {
				v.Label = m
			} else {
				v.Label = labelMatch{Where: where, Text: label}
			}
		} else {
			v.FragNote = fmt.Sprintf("no element on the page has the id #%s, so the whole page was read", r.frag)
		}
	}

	// What the page as a whole calls itself: the main heading first (what
	// a reviewer sees), then the title, then the opening words.
	var page labelMatch
	if !v.Section {
		var cands []labelMatch
		if h := mainHeading(d.Headings); h != nil {
			cands = append(cands, labelMatch{Where: "the main heading", Text: h.Text})
		}
		// "Acme Docs – Privacy Policy": the part that names a policy is
		// what the page is, the other the site's name.
		parts := titleParts(d.Title)
		slices.SortStableFunc(parts, func(a, b string) int {
			return boolRank(textlang.FirstTerm(textlang.Fold(b), policyNames) != "") - boolRank(textlang.FirstTerm(textlang.Fold(a), policyNames) != "")
		})
		for _, t := range parts {
			cands = append(cands, labelMatch{Where: "the title", Text: t})
		}
		// A page whose main heading and title are only the app's name
		// ("Farbkarte", then "Datenschutzrichtlinie" below it).
		for _, h := range d.Headings {
			cands = append(cands, labelMatch{Where: "the heading", Text: h.Text})
		}
		// The opening words the page says itself: a link's text names
		// the page it leads to ("Read our Privacy Policy").
		cands = append(cands, labelMatch{Where: "the opening words"})
		for _, c := range cands {
			if c.Where == "the opening words" {
				c.Text = openingWords(d.ownText(), 30) // rendered only when reached
			}
			if m, ok := classify(c.Where, c.Text); ok {
				page = m
				break
			}
		}
		v.Label = page
	}

	// A short page that points elsewhere is a "moved" page whatever its title.
	if moved := movedPage(r, p); moved != "" {
		v.PageKind, v.Why = "moved", moved
		return v
	}

	kinds := func(text string) []string { return statementKinds(textlang.Fold(text), r.words, p) }
	switch {
	case v.Section:
		v.Kinds = kinds(v.Scope)
		v.Pass = v.Label.Kind == "policy" && len(v.Kinds) >= v.Need
		if v.Label.Kind != "policy" && v.Label.Kind != "" {
			v.PageKind, v.Why = v.Label.Kind, fmt.Sprintf("%s is %q", v.Label.Where, v.Label.Text)
		}
		return v
	case page.Kind == "policy":
		// What the text says can overrule what the page calls itself: a
		// cookie notice titled "Privacy", a guide to writing a policy, a
		// deletion form under "Data protection".
		if kind, why := bodyKind(r, p, page); kind != "" {
			v.PageKind, v.Why = kind, why
			return v
		}
		v.Kinds = statementKinds(r.text.S, r.words, p)
		if len(v.Kinds) >= v.Need {
			v.Pass = true
			return v
		}
	}
	// A combined page (Legal, Terms with a policy section): a heading that
	// names a privacy policy, over a section that reads like one. On a
	// support page, a README or a cookie notice the section is not the
	// policy reviewers ask for.
	for i, h := range d.Headings {
		if mh := mainHeading(d.Headings); mh != nil && mh.node == h.node && page.Kind == "policy" {
			continue
		}
		if textlang.FirstTerm(textlang.Fold(h.Text), policyNames) == "" {
			continue
		}
		section := d.Section(d.Headings[i])
		ks := kinds(section)
		if len(ks) < v.Need {
			continue
		}
		if page.Kind != "policy" && page.Kind != "" && !legalKinds[page.Kind] {
			v.PageKind, v.Why, v.PolicySection = page.Kind, fmt.Sprintf("%s is %q", page.Where, page.Text), h.Text
			return v
		}
		v.Pass, v.Section, v.Scope, v.Kinds = true, true, section, ks
		v.Label = labelMatch{Where: "the heading", Text: h.Text, Kind: "policy"}
		if page.Kind != "policy" && page.Kind != "" {
			v.PageKind, v.Why = page.Kind, fmt.Sprintf("%s is %q", page.Where, page.Text)
		}
		return v
	}
	if page.Kind != "" && page.Kind != "policy" {
		v.PageKind, v.Why = page.Kind, fmt.Sprintf("%s is %q", page.Where, page.Text)
		// A "Legal" or "Documents" hub: a few words of its own and the
		// policy's name only as the text of a link.
		if link, ok := linkOnlyName(r, policyNames); ok && legalKinds[page.Kind] && countWords(d.ownText()) <= 40 {
			v.PageKind = "links"
			v.Why = fmt.Sprintf("%s is %q, and %q is only the text of a link (the page says %d words itself)", page.Where, page.Text, link, countWords(d.ownText()))
		}
		return v
	}
	if page.Kind == "" {
		if kind, why := bodyKind(r, p, page); kind != "" {
			v.PageKind, v.Why = kind, why
			return v
		}
		if why := landingPage(r); why != "" {
			v.PageKind, v.Why = "readme", why
			return v
		}
		// Nothing on top names the page, but its own text calls itself a
		// privacy policy further down ("<b>Privacy Policy</b>" under a
		// menu of plain links) and reads like one, more than the minimum.
		own := r.ownText()
		if t := textlang.FirstTerm(own.S, policyNames); t != "" {
			if ks := statementKinds(r.text.S, r.words, p); len(ks) > v.Need {
				i := textlang.IndexTerm(own.S, t)
				v.Pass, v.Kinds = true, ks
				v.Label = labelMatch{Where: "the text", Text: d.ownText()[own.At(i):own.At(i+len(t))], Kind: "policy"}
			}
		} else if link, ok := linkOnlyName(r, policyNames); ok {
			// Its name stands only in a link: the page points at the policy.
			v.PageKind = "links"
			v.Why = fmt.Sprintf("%q is only the text of a link, and the page says nothing a policy says itself (%d words)", link, d.Words)
		}
	}
	return v
}

// linkOnlyName returns the policy's name as a link on the page writes it,
// when the page names a policy only in the text of links to other pages.
func linkOnlyName(r *reading, policyNames []string) (string, bool) {
	if textlang.FirstTerm(r.ownText().S, policyNames) != "" {
		return "", false
	}
	t := textlang.FirstTerm(r.text.S, policyNames)
	if t == "" {
		return "", false
	}
	i := textlang.IndexTerm(r.text.S, t)
	return r.d.Text[r.text.At(i):r.text.At(i+len(t))], true
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// bodyKind reads what a page's text is about when its label is weak or
// missing (or, for cookie notices and guides, even under a policy's name):
//
//   - a cookie notice: at least two of its lines are about cookies, three
//     in ten of them, and the lines that are not make fewer kinds of
//     policy statements than a policy needs;
//   - developer documentation or a guide: it speaks to a developer about
//     their users, app or policy ("your users", "your privacy policy"),
//     among technical words (endpoint, webhook, API key);
//   - a deletion page: it tells how to have an account or data deleted,
//     and is short.
//
// It returns the kind and why, or "".
func bodyKind(r *reading, p checks.Params, label labelMatch) (string, string) {
	sig := r.bodySignals(p)
	strong := label.Kind == "policy" && !label.Weak
	if sig.cookieLines >= 2 && sig.cookieLines*10 >= sig.proseLines*3 && len(sig.otherKinds) < p.Int("min_phrases") {
		return "cookies", fmt.Sprintf("%d of its %d lines are about cookies (%q), and the rest makes %d of the kinds of statements a policy makes", sig.cookieLines, sig.proseLines, sig.cookieLine, len(sig.otherKinds))
	}
	if len(sig.reader) >= 1+boolRank(strong) && len(sig.reader)+len(sig.devdocs) >= 3+boolRank(strong) {
		return "devdocs", fmt.Sprintf("it speaks to developers about their own users and policy: %s", quoteList(first(append(slices.Clone(sig.reader), sig.devdocs...), 4)))
	}
	if !strong && len(sig.deletion) >= 2 && r.d.Words <= 600 {
		return "deletion", fmt.Sprintf("it tells how to have an account or data deleted: %s", quoteList(first(sig.deletion, 3)))
	}
	return "", ""
}

// signals is what bodyKind reads in a page's text, found once per reading.
type signals struct {
	proseLines, cookieLines int
	cookieLine              string   // the first line about cookies, shortened
	otherKinds              []string // statement kinds of the lines not about cookies
	deletion, devdocs       []string // signals found, as the page writes them
	reader                  []string
}

func (r *reading) bodySignals(p checks.Params) signals {
	if r.signals != nil {
		return *r.signals
	}
	var s signals
	u := r.words.u
	// The folded text keeps the lines; each is looked at once.
	var cookieLines []bool
	for _, line := range strings.Split(r.text.S, "\n") {
		if countWords(line) < 4 {
			cookieLines = append(cookieLines, false)
			continue
		}
		s.proseLines++
		isCookie := textlang.FirstTerm(line, u.Signals["cookies"]) != ""
		cookieLines = append(cookieLines, isCookie)
		if isCookie {
			s.cookieLines++
		}
	}
	// What the lines not about cookies say matters only to a page that
	// may be a cookie notice.
	if s.cookieLines >= 2 && s.cookieLines*10 >= s.proseLines*3 {
		var other strings.Builder
		for i, line := range r.d.lines {
			if i < len(cookieLines) && cookieLines[i] {
				if s.cookieLine == "" {
					s.cookieLine = excerpt(line, 0, 80)
				}
				continue
			}
			other.WriteString(line + "\n")
		}
		s.otherKinds = statementKinds(textlang.Fold(other.String()), r.words, p)
	}
	found := func(list []string) []string {
		var out []string
		for _, t := range list {
			if i := textlang.IndexTerm(r.text.S, t); i >= 0 {
				out = append(out, r.d.Text[r.text.At(i):r.text.At(i+len(t))])
			}
		}
		return out
	}
	s.deletion, s.devdocs, s.reader = found(u.Signals["deletion"]), found(u.Signals["devdocs"]), found(u.Signals["reader"])
	r.signals = &s
	return s
}

// mainHeading is the page's first h1, or its first heading when it has no h1.
func mainHeading(hs []heading) *heading {
	for i := range hs {
		if hs[i].Level == 1 {
			return &hs[i]
		}
	}
	if len(hs) > 0 {
		return &hs[0]
	}
	return nil
}

// statementKinds returns the kinds of policy statements (phraseKinds) found
// in folded text, with each kind's first matching phrase.
func statementKinds(text string, ws wordSet, p checks.Params) []string {
	// ws.u is shared by every page in these languages: read it, never write it.
	extra := foldAll(p.Strings("body_phrases"))
	var out []string
	for _, k := range phraseKinds {
		list := ws.u.Phrases[k.Key]
		if k.Key == "extra" {
			list = extra
		}
		if textlang.FirstTerm(text, list) != "" || k.Key == "contact" && hasEmail(text) {
			out = append(out, k.Says)
		}
	}
	return out
}

// hasEmail says whether text holds an e-mail address: in any language, an
// address is how a policy says whom to contact.
func hasEmail(text string) bool {
	for off := 0; ; {
		i := strings.IndexByte(text[off:], '@')
		if i < 0 {
			return false
		}
		i += off
		off = i + 1
		if i == 0 || !isWordByte(text[i-1]) {
			continue
		}
		domain := text[i+1:]
		end := strings.IndexFunc(domain, func(r rune) bool { return !(r == '.' || r == '-' || r < 0x80 && isWordByte(byte(r))) })
		if end < 0 {
			end = len(domain)
		}
		if d := strings.Trim(domain[:end], "."); strings.Contains(d, ".") && len(d) >= 4 {
			return true
		}
	}
}

// movedPage returns why a page is a "this policy has moved" notice, or "":
// a short text that says the policy is elsewhere, or a meta refresh away.
func movedPage(r *reading, p checks.Params) string {
	if r.d.Words > p.Int("moved_max_words") {
		return ""
	}
	if t := textlang.FirstTerm(r.text.S, r.words.u.Moved); t != "" {
		i := textlang.IndexTerm(r.text.S, t)
		return fmt.Sprintf("its %d words say %q", r.d.Words, squash(r.d.Text[r.text.At(i):r.text.At(min(len(r.text.S), i+len(t)+40))]))
	}
	if r.d.RefreshURL != "" {
		return fmt.Sprintf("it has %d words and a meta refresh to %s", r.d.Words, r.d.RefreshURL)
	}
	return ""
}

// landingPage returns why an unlabelled page is a README or landing page, or "".
func landingPage(r *reading) string {
	if t := textlang.FirstTerm(r.text.S, r.words.u.Landing); t != "" {
		i := textlang.IndexTerm(r.text.S, t)
		return fmt.Sprintf("it says %q", r.d.Text[r.text.At(i):r.text.At(i+len(t))])
	}
	readme := r.words.u.Negatives["readme"]
	var hits []string
	for _, h := range r.d.Headings {
		if countWords(h.Text) <= 4 && textlang.FirstTerm(textlang.Fold(h.Text), readme) != "" {
			hits = append(hits, h.Text)
		}
	}
	if len(hits) >= 2 {
		return "its headings are " + quoteList(first(hits, 4))
	}
	return ""
}

// checkIsPolicy is privacy.is-policy.
func checkIsPolicy(r *reading, p checks.Params) checks.Finding {
	const id = "privacy.is-policy"
	v := judgePolicy(r, p)
	lang := r.lang
	ex := &checks.Evidence{Language: lang.Code, Excerpt: "language: " + lang.String() + " · " + excerpt(v.Scope, 0, 200)}
	in := ""
	if lang.Lex != nil && lang.Lex.Code != "en" {
		in = " in " + lang.Lex.Name
	}
	note := ""
	if v.FragNote != "" {
		note = " (" + v.FragNote + ")"
	}
	kinds := fmt.Sprintf("%d kinds of policy statements (%s)", len(v.Kinds), strings.Join(v.Kinds, ", "))
	if v.Pass {
		switch {
		case v.Section && v.PageKind != "":
			return checks.Pass(id, "a combined legal page (%s, and a whole privacy policy as one of its sections)%s: %s %q, with %s; link the policy's own URL or #fragment so reviewers land on it", pageKindSays(v.PageKind), in, v.Label.Where, v.Label.Text, kinds).With(ex)
		case v.Section:
			return checks.Pass(id, "a privacy policy%s: %s %q, with %s%s", in, v.Label.Where, v.Label.Text, kinds, note).With(ex)
		}
		return checks.Pass(id, "a privacy policy%s: %s %q, with %s%s", in, v.Label.Where, v.Label.Text, kinds, note).With(ex)
	}
	unsupported := lang.Lex == nil && lang.Code != ""
	switch {
	case v.PageKind == "moved":
		return checks.Fail(id, "the page is %s, not the policy itself: %s; publish the policy at this address, or point app.privacy_policy_url at the page that has it", pageKindSays("moved"), v.Why).With(ex)
	case v.PolicySection != "":
		return checks.Fail(id, "the page is %s with a privacy section (the heading %q), not a privacy policy: %s%s; publish the policy as a page of its own and link that%s", pageKindSays(v.PageKind), v.PolicySection, v.Why, inLang(lang), note).With(ex)
	case v.PageKind != "":
		return checks.Fail(id, "the page is %s, not a privacy policy: %s%s%s", pageKindSays(v.PageKind), v.Why, inLang(lang), note).With(ex)
	case v.Label.Kind == "policy":
		found := "none"
		if len(v.Kinds) > 0 {
			found = strings.Join(v.Kinds, ", ")
		}
		if unsupported {
			return checks.Skip(id, "%s %q names a privacy policy, but the text is in %s, which pinready has no word lists for, so what it says could not be judged", v.Label.Where, v.Label.Text, lang.Name()).With(ex)
		}
		return checks.Fail(id, "%s %q names a privacy policy, but the text%s reads like something else: it makes %d of the kinds of statements policies make (%s), at least %d expected (what is collected, whether it is shared or stored, how to reach you)%s", v.Label.Where, v.Label.Text, inLang(lang), len(v.Kinds), found, v.Need, note).With(ex)
	case unsupported:
		return checks.Skip(id, "the page is in %s, which pinready has no word lists for: it could not tell whether the page is a privacy policy (title %q)", lang.Name(), r.d.Title).With(ex)
	}
	heading := "any heading"
	if h := mainHeading(r.d.Headings); h != nil {
		heading = fmt.Sprintf("the main heading %q nor any other heading", h.Text)
	}
	if v.Section {
		heading = fmt.Sprintf("the section's heading %q", v.Label.Text)
	}
	return checks.Fail(id, "neither the title %q nor %s nor the opening words call this page a privacy policy%s%s", r.d.Title, heading, inLang(lang), note).With(ex)
}

// inLang is " (the page is in French)" for messages about non-English pages.
func inLang(l language) string {
	if l.Lex != nil && l.Lex.Code == "en" {
		return ""
	}
	return " (the page is in " + l.Name() + ")"
}
