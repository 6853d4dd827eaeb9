package checks

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func loadRules(t testing.TB) *Ruleset {
	t.Helper()
	rs, err := ReadRules("../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// descriptionCase is one file of testdata/descriptions: a realistic
// description and, for a bad one, the rules it must trip.
type descriptionCase struct {
	Name        string   `yaml:"name"`
	Scopes      []string `yaml:"scopes"`
	Trips       []string `yaml:"trips"`
	Description string   `yaml:"description"`
}

// The corpus: every good description passes every description rule; every
// bad one fails each rule it names. Rules are tuned on this corpus.
func TestDescriptionCorpus(t *testing.T) {
	rs := loadRules(t)
	files, _ := filepath.Glob("../testdata/descriptions/*.yaml")
	var good, bad int
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c descriptionCase
		if err := yaml.Unmarshal(data, &c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		isGood := strings.HasPrefix(filepath.Base(f), "good-")
		if isGood {
			good++
		} else {
			bad++
			if len(c.Trips) == 0 {
				t.Errorf("%s: a bad description must name the rules it trips", f)
			}
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			cfg := &Config{App: App{Name: c.Name, Scopes: c.Scopes, Description: c.Description}}
			findings := Describe(cfg, rs)
			if len(findings) != len(DescriptionRules) {
				t.Fatalf("Describe returned %d findings, want one per rule (%d)", len(findings), len(DescriptionRules))
			}
			for _, f := range findings {
				want := StatusPass
				if slices.Contains(c.Trips, f.Rule) {
					want = StatusFail
				}
				if isGood && f.Status != StatusPass {
					t.Errorf("%s: %s (%s), want pass", f.Rule, f.Status, f.Message)
				}
				if want == StatusFail && f.Status != StatusFail {
					t.Errorf("%s: %s (%s), want fail", f.Rule, f.Status, f.Message)
				}
			}
		})
	}
	if good < 10 || bad < 15 {
		t.Fatalf("corpus has %d good and %d bad descriptions; want at least 10 and 15", good, bad)
	}
}

// A read-only analytics description requesting pins:write must name the
// scope and hint at the words that would explain it.
func TestDescriptionScopesMessage(t *testing.T) {
	rs := loadRules(t)
	cfg := &Config{App: App{Name: "X", Scopes: []string{"pins:read", "pins:write"},
		Description: "Shows analytics for your pins to bloggers."}}
	var got Finding
	for _, f := range Describe(cfg, rs) {
		if f.Rule == "description.scopes" {
			got = f
		}
	}
	if got.Status != StatusFail || !strings.Contains(got.Message, "pins:write") || strings.Contains(got.Message, "pins:read (") {
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
