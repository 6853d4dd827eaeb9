package description

import (
	"strings"
	"testing"

	"github.com/pinready/pinready/checks"
)

func TestPlainTextKeepsLinkText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Built on [CyberSyn](https://example.com/cybersyn).", "Built on CyberSyn."},
		{"You need a [Pinterest business account](https://business.pinterest.com/ \"Business\").", "You need a Pinterest business account."},
		{"[Get an account][signup] first.\n\n[signup]: https://example.com/signup", "Get an account first.\n\n"},
		{"![Screenshot of the planner](shot.png) Plan Pins.", "Screenshot of the planner Plan Pins."},
		{`Read the <a href="https://example.com/docs" target="_blank">setup guide</a> &amp; start.`, "Read the setup guide  & start."},
		{"See <https://example.com/help>.", "See https://example.com/help."},
		{"Replace <App Name> with yours.", "Replace <App Name> with yours."},
		{"Plain text stays.", "Plain text stays."},
	}
	for _, tt := range tests {
		if got := plainText(tt.in); got != tt.want {
			t.Errorf("plainText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestReadTextSentencesAndWords(t *testing.T) {
	tx := readText("Plan Pins, e.g. recipes. Visit https://acme.example/pins?x=1. Then v2.5 ships!\n- Bullet one\n- Bullet two")
	var got []string
	for k := range tx.sents {
		got = append(got, tx.sentence(k))
	}
	want := []string{"Plan Pins, e.g. recipes", "Visit https://acme.example/pins?x=1", "Then v2.5 ships", "Bullet one", "Bullet two"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("sentences = %q, want %q", got, want)
	}
	if n := readText("Schedule Pins at https://acme.example/a/b/c for florists.").wordCount(); n != 5 {
		t.Errorf("words = %d, want 5 (an address is no word of prose)", n)
	}
	if n := readText("Endpoints: GET /v5/boards/{board_id}/pins, POST /v5/pins and boards:read, pins:write.").wordCount(); n != 4 {
		t.Errorf("words = %d, want 4 (paths and scope names are no words of prose)", n)
	}
	if tk := readText("The florists' boards").tokens[1]; tk.lower != "florists'" || tk.stem != "florist" {
		t.Errorf("plural possessive read as %+v", tk)
	}
}

func TestNegated(t *testing.T) {
	tests := []struct {
		text, word string
		want       bool
	}{
		{"The app never creates Pins.", "creates", true},
		{"It does not read your boards.", "read", true},
		{"The app never creates, edits or deletes Pins.", "deletes", true},
		{"The app never creates a Pin without the user's click.", "creates", false},
		{"It not only schedules Pins but reports on them.", "schedules", false},
		{"No account is needed. It creates Pins.", "creates", false},
	}
	for _, tt := range tests {
		tx := readText(tt.text)
		i := -1
		for k, tk := range tx.tokens {
			if tk.lower == tt.word {
				i = k
				break
			}
		}
		if got := tx.negated(i, negations, false); got != tt.want {
			t.Errorf("negated(%q in %q) = %v, want %v", tt.word, tt.text, got, tt.want)
		}
	}
}

// Every literal a pre-check demands must occur in every text the pattern
// matches; a wrong literal would hide a red flag.
func TestRequiredLiteralsNeverHideAMatch(t *testing.T) {
	rs := loadRules(t)
	samples := map[string]string{
		// The inner-word path, in ASCII and non-ASCII texts, and the runes
		// that fold to ASCII letters (Kelvin sign, long s).
		"(?i)\\b(insert|enter|add|put) (your |the )?(company|app|application|business|website|product|brand) name\\b": "Please INSERT your Company NAME — soon",
		"(?i)\\bheadless (browser|chrome|chromium|session|mode)s?\\b":                                                 "Café: a Headless Chromium run",
		"(?i)\\bgrowth hack":                "a GROWTH HAC\u212A for Pins",
		"(?i)\\bsession cookies?\\b":        "your ses\u017Fion cookie",
		"(?i)\\bscrap(e|es|ed|ing|ers?)\\b": "They SCRAPERS run",
		"(?i)\\bonly (for )?me\\b":          "it is Only For Me",
		"(?i)\\bwithout (an? |the |any )?(official |public )?(pinterest )?api\\b": "works WITHOUT an official API",
		"\\[[A-Za-z ]{3,30}\\]": "[App Name] is",
		"<(?i:app|company|your|insert|name|website|url|product|brand)[^<>\\n]{0,30}>": "<Your Brand>",
		"(?i)\\b(todo|tbd|tba|fixme|xxx+)\\b":                                         "Details TBA soon",
	}
	for pat, sample := range samples {
		if !checks.MustRegexp(pat).MatchString(sample) {
			t.Fatalf("sample %q does not match %s", sample, pat)
		}
		if !mayMatch(pat, readText(sample)) {
			t.Errorf("pre-check of %s skips %q, which matches (literals %+v)", pat, sample, requiredLiterals(pat))
		}
	}
	for _, id := range []string{"description.placeholder", "description.red-flags"} {
		for _, p := range rs.Get(id).Params.Strings("patterns") {
			for _, l := range requiredLiterals(p) {
				if l.s == "" {
					t.Errorf("%s: an empty literal filters nothing", p)
				}
			}
		}
	}
}
