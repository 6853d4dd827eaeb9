package description

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/pinready/pinready/checks"
)

func loadRules(t testing.TB) *checks.Ruleset {
	t.Helper()
	rs, err := checks.ReadRules("../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// descriptionCase is one file of testdata/descriptions: a realistic
// description and, for a bad one, the rules it must trip.
type descriptionCase struct {
	Name        string   `yaml:"name"`
	Lang        string   `yaml:"lang"` // the language it is written in ("" for the English cases of issue 17)
	Scopes      []string `yaml:"scopes"`
	Trips       []string `yaml:"trips"`
	Description string   `yaml:"description"`
}

// The corpus (testdata/descriptions, written for pinready and modelled on
// public descriptions of Pinterest-integrated apps): every good description
// passes every description rule; every bad one fails exactly the rules it
// names, so the corpus measures false alarms on bad descriptions too.
func TestDescriptionCorpus(t *testing.T) {
	r := scoreDescriptions(t, "../testdata/descriptions", true)
	if r.good < 40 || r.bad < 40 {
		t.Fatalf("corpus has %d good and %d bad descriptions; want at least 40 of each", r.good, r.bad)
	}
	if r.issue25 < 40 || r.issue25Poor*4 < r.issue25 || r.issue25Foreign*4 < r.issue25 {
		t.Errorf("issue 25's part of the corpus has %d descriptions, %d poor, %d not in English; want at least 40, a quarter of each", r.issue25, r.issue25Poor, r.issue25Foreign)
	}
	r.check(t)
}

// The held-back descriptions (testdata/descriptions/heldback) were written
// before the main ones of issue 25 and before any tuning on them: scored,
// not tuned against.
func TestDescriptionCorpusHeldBack(t *testing.T) {
	r := scoreDescriptions(t, "../testdata/descriptions/heldback", false)
	if r.good+r.bad < 10 {
		t.Fatalf("%d held-back descriptions, want at least 10", r.good+r.bad)
	}
	r.check(t)
}

// descriptionRates are what a folder of descriptions scores: poor ones
// caught with the right rule (every rule they name fails), good ones free
// of a false blocker, by language group.
type descriptionRates struct {
	good, bad, issue25, issue25Poor, issue25Foreign int
	caught                                          rate
	clean                                           map[string]*rate // by language group
}

type rate struct {
	hit, total int
	misses     []string
}

func (r *rate) add(ok bool, file, why string) {
	r.total++
	if ok {
		r.hit++
	} else {
		r.misses = append(r.misses, file+": "+why)
	}
}

func (r *rate) pct() float64 {
	if r.total == 0 {
		return 100
	}
	return 100 * float64(r.hit) / float64(r.total)
}

// languageGroup is how the figures are split: English, the languages
// written in Latin letters, Chinese/Japanese/Korean, and other scripts.
func languageGroup(lang string) string {
	switch lang {
	case "", "en":
		return "English"
	case "ja", "zh-Hans", "zh-Hant", "ko":
		return "Chinese, Japanese, Korean"
	case "ru", "ar":
		return "Cyrillic and Arabic"
	}
	return "other Latin-script languages"
}

// scoreDescriptions audits every description of dir. With exact, a good
// one must pass every rule and a bad one fail exactly the rules it names
// (as a subtest each); either way the rates are gathered.
func scoreDescriptions(t *testing.T, dir string, exact bool) *descriptionRates {
	rs := loadRules(t)
	files, _ := filepath.Glob(dir + "/*.yaml")
	r := &descriptionRates{clean: map[string]*rate{}}
	blocker := map[string]bool{}
	for _, rule := range rs.Rules {
		if rule.Severity == checks.SeverityBlocker {
			blocker[rule.ID] = true
		}
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c descriptionCase
		if err := yaml.Unmarshal(data, &c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		base := filepath.Base(f)
		isGood := strings.HasPrefix(base, "good-")
		if isGood {
			r.good++
			if len(c.Trips) > 0 {
				t.Errorf("%s: a good description trips nothing", f)
			}
		} else {
			r.bad++
			if len(c.Trips) == 0 {
				t.Errorf("%s: a bad description must name the rules it trips", f)
			}
		}
		if c.Lang != "" {
			r.issue25++
			if !isGood {
				r.issue25Poor++
			}
			if c.Lang != "en" {
				r.issue25Foreign++
			}
		}
		for _, id := range c.Trips {
			if !slices.Contains(Rules, id) {
				t.Errorf("%s: trips %q, which is not a description rule", f, id)
			}
		}
		cfg := &checks.Config{App: checks.App{Name: c.Name, Scopes: c.Scopes, Description: c.Description}}
		findings := Audit(cfg, rs)
		if len(findings) != len(Rules) {
			t.Fatalf("%s: Audit returned %d findings, want one per rule (%d)", base, len(findings), len(Rules))
		}
		got := map[string]checks.Finding{}
		for _, fd := range findings {
			got[fd.Rule] = fd
		}
		if isGood {
			var false []string
			for _, fd := range findings {
				if fd.Status == checks.StatusFail && blocker[fd.Rule] {
					false = append(false, fd.Rule+": "+fd.Message)
				}
			}
			g := languageGroup(c.Lang)
			if r.clean[g] == nil {
				r.clean[g] = &rate{}
			}
			r.clean[g].add(len(false) == 0, base, strings.Join(false, "; "))
		} else {
			var missed []string
			for _, id := range c.Trips {
				if got[id].Status != checks.StatusFail {
					missed = append(missed, fmt.Sprintf("%s %s (%s)", id, got[id].Status, got[id].Message))
				}
			}
			r.caught.add(len(missed) == 0, base, strings.Join(missed, "; "))
		}
		if !exact {
			continue
		}
		t.Run(base, func(t *testing.T) {
			for _, fd := range findings {
				want := checks.StatusPass
				if slices.Contains(c.Trips, fd.Rule) {
					want = checks.StatusFail
				}
				if fd.Status != want {
					t.Errorf("%s: %s (%s), want %s", fd.Rule, fd.Status, fd.Message, want)
				}
			}
		})
	}
	return r
}

// check logs the rates and fails those under the issue's bars: 90% of poor
// descriptions caught with the right rule, 90% of good ones free of a false
// blocker in every language group.
func (r *descriptionRates) check(t *testing.T) {
	t.Helper()
	report := func(name string, rt *rate) {
		t.Logf("%-62s %3d/%-3d %5.1f%% (want >= 90%%)", name, rt.hit, rt.total, rt.pct())
		for _, m := range rt.misses {
			t.Logf("    miss: %s", m)
		}
		if rt.pct() < 90 {
			t.Errorf("%s: %.1f%%, want >= 90%%", name, rt.pct())
		}
	}
	report("poor descriptions caught with the right rule", &r.caught)
	for _, g := range slices.Sorted(maps.Keys(r.clean)) {
		report("good descriptions free of a false blocker ("+g+")", r.clean[g])
	}
}

// describe returns the findings of Audit by rule.
func describe(t *testing.T, name, desc string, scopes ...string) map[string]checks.Finding {
	t.Helper()
	out := map[string]checks.Finding{}
	for _, f := range Audit(&checks.Config{App: checks.App{Name: name, Scopes: scopes, Description: desc}}, loadRules(t)) {
		out[f.Rule] = f
	}
	return out
}

// The two descriptions at the top of issue 17 pass every description rule.
func TestDescriptionIssueExamplesPass(t *testing.T) {
	tests := []struct {
		name, desc string
		scopes     []string
	}{
		{"Swatchbook", `Swatchbook is a planning tool for wedding and event florists. A florist connects their Pinterest account, picks the board where they keep arrangement ideas, and Swatchbook shows the Pins from that board next to each event's order sheet. When an arrangement is finished, the florist can publish a photo of it as a Pin to one of their boards, with a link to their shop.`,
			[]string{"user_accounts:read", "boards:read", "pins:read", "pins:write"}},
		{"Plotline", `Plotline helps bloggers, small businesses and marketers grow on Pinterest. After connecting their Pinterest account, users design Pins from their own photos, pick one of their boards and schedule the Pin for a date and time they choose. A calendar shows every scheduled Pin and nothing is published before the time the user set.`,
			[]string{"user_accounts:read", "boards:read", "pins:read", "pins:write"}},
	}
	for _, tt := range tests {
		for id, f := range describe(t, tt.name, tt.desc, tt.scopes...) {
			if f.Status != checks.StatusPass {
				t.Errorf("%s: %s = %s (%s), want pass", tt.name, id, f.Status, f.Message)
			}
		}
	}
}

// Descriptions pasted from a README carry Markdown and HTML links; none of
// them is a template placeholder, while a real "[App Name]" still is.
func TestDescriptionLinksAreNotPlaceholders(t *testing.T) {
	links := []string{
		"Built on [CyberSyn](https://example.com/cybersyn) for shop owners.",
		"Requires a [Pinterest business account](https://business.pinterest.com/).",
		"[Get an account](https://example.com/signup) and connect Pinterest.",
		"[Get an account][1] and connect Pinterest.\n\n[1]: https://example.com/signup",
		`Read the <a href="https://example.com/guide">Setup Guide</a> first.`,
	}
	for _, d := range links {
		if f := describe(t, "X", d)["description.placeholder"]; f.Status != checks.StatusPass {
			t.Errorf("%q: description.placeholder = %s (%s), want pass", d, f.Status, f.Message)
		}
	}
	if f := describe(t, "X", "Lists GET /v5/boards/{board_id}/pins for each board.")["description.placeholder"]; f.Status != checks.StatusPass {
		t.Errorf("a route's parameter: description.placeholder = %s (%s), want pass", f.Status, f.Message)
	}
	if f := describe(t, "X", "{app_name} schedules Pins.")["description.placeholder"]; f.Status != checks.StatusFail || !strings.Contains(f.Message, `"{app_name}"`) {
		t.Errorf("{app_name}: description.placeholder = %s (%s), want a failure quoting it", f.Status, f.Message)
	}
	for _, d := range []string{"[App Name] schedules Pins.", "<App Name> schedules Pins.", "{{app_name}} schedules Pins."} {
		if f := describe(t, "X", d)["description.placeholder"]; f.Status != checks.StatusFail {
			t.Errorf("%q: description.placeholder = %s, want fail", d, f.Status)
		}
	}
}

// Scraping language and the other red flags raise the rule; a denied flag does not.
func TestDescriptionRedFlags(t *testing.T) {
	flagged := []string{
		"Pins are collected without an official API.",
		"It works without the official Pinterest API.",
		"Each run opens a headless session on pinterest.com.",
		"A headless browser session saves the Pins.",
		"We scrape trending boards every hour.",
		"Upload a CSV to create Pins in bulk.",
		"Users enter their Pinterest password once.",
		"The extension drives Puppeteer to click Save.",
	}
	for _, d := range flagged {
		if f := describe(t, "X", d)["description.red-flags"]; f.Status != checks.StatusFail {
			t.Errorf("%q: description.red-flags = %s, want fail", d, f.Status)
		}
	}
	denied := []string{
		"We never scrape Pinterest: every Pin comes from the official API.",
		"The app does not use bots.",
		"Collect ideas without scraping.",
		"We never ask users to enter their Pinterest password.",
	}
	for _, d := range denied {
		if f := describe(t, "X", d)["description.red-flags"]; f.Status != checks.StatusPass {
			t.Errorf("%q: description.red-flags = %s (%s), want pass", d, f.Status, f.Message)
		}
	}
}

// "An app that uses the Pinterest API" and "integrates with Pinterest" say
// nothing a user does: reviewers deny them, and the message says why.
func TestDescriptionGenericIsNotPinterestUse(t *testing.T) {
	for _, d := range []string{
		"Acme is an app that uses the Pinterest API. It helps our customers grow their business with a modern dashboard and great support.",
		"Acme integrates with Pinterest and many other platforms, for marketers who want one place for everything.",
	} {
		f := describe(t, "Acme", d)["description.pinterest-use"]
		if f.Status != checks.StatusFail || !strings.Contains(f.Message, "only says that the app works with Pinterest") {
			t.Errorf("%q: description.pinterest-use = %s (%s), want a failure naming the generic sentence", d, f.Status, f.Message)
		}
	}
	f := describe(t, "Acme", "Acme uses the Pinterest API to publish the Pins each user schedules.")["description.pinterest-use"]
	if f.Status != checks.StatusPass {
		t.Errorf("a sentence with an action: %s (%s), want pass", f.Status, f.Message)
	}
}

// A read-only analytics description requesting pins:write must name the
// scope and hint at the words that would explain it.
func TestDescriptionScopesMessage(t *testing.T) {
	rs := loadRules(t)
	cfg := &checks.Config{App: checks.App{Name: "X", Scopes: []string{"pins:read", "pins:write"},
		Description: "Shows analytics for your pins to bloggers."}}
	var got checks.Finding
	for _, f := range Audit(cfg, rs) {
		if f.Rule == "description.scopes" {
			got = f
		}
	}
	if got.Status != checks.StatusFail || !strings.Contains(got.Message, "pins:write") || strings.Contains(got.Message, "pins:read (") {
		t.Fatalf("description.scopes = %s %q; want a failure naming pins:write only", got.Status, got.Message)
	}
}

func TestPhraseRegexp(t *testing.T) {
	tests := []struct {
		phrase, text string
		want         bool
	}{
		{"schedul*", "We schedule Pins", true},
		{"schedul*", "Scheduling is easy", true},
		{"create pin*", "they create Pins daily", true},
		{"create pin*", "recreate pinned", false},
		{"save* * pin*", "saves their pins", true},
		{"board*", "onboarding flow", false},
		{"pin", "spinning", false},
	}
	for _, tt := range tests {
		if got := PhraseRegexp(tt.phrase).MatchString(tt.text); got != tt.want {
			t.Errorf("PhraseRegexp(%q) on %q = %v, want %v", tt.phrase, tt.text, got, tt.want)
		}
	}
}

// The configs other packages' tests use keep their verdicts: good.yaml's
// description passes every rule, warning.yaml's fails only the audience.
func TestDescriptionTestConfigs(t *testing.T) {
	rs := loadRules(t)
	for file, wantFail := range map[string][]string{"good.yaml": nil, "warning.yaml": {"description.audience"}} {
		cfg, err := checks.LoadConfig("../testdata/configs/" + file)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range Audit(cfg, rs) {
			if want := slices.Contains(wantFail, f.Rule); want != (f.Status == checks.StatusFail) {
				t.Errorf("%s: %s = %s (%s)", file, f.Rule, f.Status, f.Message)
			}
		}
	}
}
