package privacy

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/browser/browsertest"
	"github.com/pinready/pinready/internal/resolve"
)

// corpusPage is one entry of testdata/policies/manifest.yaml.
type corpusPage struct {
	File        string `yaml:"file"`
	Lang        string `yaml:"lang"`
	Policy      bool   `yaml:"policy"`
	Placeholder bool   `yaml:"placeholder"`
	Fragment    string `yaml:"fragment"`
	Script      bool   `yaml:"script"`
	Is          string `yaml:"is"`
	Quote       string `yaml:"quote"`
	// Tiny: a page with almost no text (a list of three links), which
	// privacy.renders rightly says has no text to show.
	Tiny bool `yaml:"tiny"`
}

func readCorpus(t *testing.T, manifest string) []corpusPage {
	t.Helper()
	data, err := os.ReadFile(manifest)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Pages []corpusPage `yaml:"pages"`
	}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("manifest.yaml: %v", err)
	}
	return m.Pages
}

// rate is a count of hits out of a total, with the files that missed.
type rate struct {
	hit, total int
	misses     []string
}

func (r *rate) add(ok bool, file, why string) {
	r.total++
	if ok {
		r.hit++
		return
	}
	r.misses = append(r.misses, fmt.Sprintf("%s: %s", file, why))
}

func (r *rate) pct() float64 {
	if r.total == 0 {
		return 100
	}
	return 100 * float64(r.hit) / float64(r.total)
}

// TestCorpus audits every page of testdata/policies as the static audit
// does (served over HTTP, no browser unless the page needs a script) and
// checks the rates the project promises: at least 95% of policies
// recognised, at most 3% false placeholder alarms, at least 90% of
// placeholders caught, at least 90% of hard negatives rejected as what they
// are. Every miss is listed by file. Beyond the rates, no page may fail
// privacy.renders unless its text needs a script, every message quotes
// the page's own heading, and the detected language is reported.
func TestCorpus(t *testing.T) {
	r := scoreCorpus(t, "../testdata/policies")
	if r.policies < 60 || r.negatives < 25 || r.withPlaceholders < 10 || r.nearMiss.total < 40 {
		t.Errorf("the corpus has %d policies, %d negatives (%d near misses), %d with placeholders; want at least 60, 25 (40), 10", r.policies, r.negatives, r.nearMiss.total, r.withPlaceholders)
	}
	if len(r.langs) < 10 || len(r.nearMissLangs) < 8 {
		t.Errorf("the corpus covers %d languages and its near misses %d, want at least 10 and 8", len(r.langs), len(r.nearMissLangs))
	}
	r.check(t, 95)
}

// The held-back near misses (testdata/policies/heldback) were written before
// the main near-miss set and before any tuning on it: the figure they give
// is the one to trust for pages nobody tuned against.
func TestCorpusHeldBack(t *testing.T) {
	r := scoreCorpus(t, "../testdata/policies/heldback")
	if r.nearMiss.total < 10 {
		t.Errorf("%d held-back near misses, want at least 10", r.nearMiss.total)
	}
	r.check(t, 90)
}

// corpusRates are the rates one manifest gives.
type corpusRates struct {
	recognised, falseAlarm, caught, rejected, nearMiss, language, quoted rate
	policies, negatives, withPlaceholders                                int
	langs, nearMissLangs                                                 map[string]bool
}

// scoreCorpus audits every page of dir/manifest.yaml as the static audit
// does (served over HTTP, no browser unless the page needs a script).
// Beyond the rates, no page may fail privacy.renders unless its text needs
// a script.
func scoreCorpus(t *testing.T, dir string) *corpusRates {
	pages := readCorpus(t, dir+"/manifest.yaml")
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	port, rm := ruleFor(t, srv.Listener.Addr())
	rs := testRules(t, nil)

	c := &corpusRates{langs: map[string]bool{}, nearMissLangs: map[string]bool{}}
	for _, pg := range pages {
		if _, err := os.Stat(dir + "/" + pg.File); err != nil {
			t.Errorf("manifest lists %s: %v", pg.File, err)
			continue
		}
		b := noBrowser(t)
		if pg.Script && testing.Short() {
			continue // -short runs no browser; the whole suite reads this page in Chromium
		}
		if pg.Script {
			browsertest.Require(t)
			b = shared
		}
		cfg := &checks.Config{App: checks.App{Name: "Corpus App", PrivacyPolicyURL: "http://acme.test:" + port + "/" + pg.File}}
		if pg.Fragment != "" {
			cfg.App.PrivacyPolicyURL += "#" + pg.Fragment
		}
		o := options(b)
		o.Resolve = append(append(resolve.Map{}, resolveTo...), rm...)
		fs, err := Audit(context.Background(), cfg, rs, o)
		if err != nil {
			t.Errorf("%s: Audit: %v", pg.File, err)
			continue
		}
		got := map[string]checks.Finding{}
		for _, f := range fs {
			got[f.Rule] = f
		}
		isPolicy, placeholder, renders := got["privacy.is-policy"], got["privacy.placeholder"], got["privacy.renders"]

		if renders.Status != checks.StatusPass && !(pg.Tiny && strings.Contains(renders.Message, "no text to show")) {
			t.Errorf("%s: privacy.renders %s: %s (only a page whose text needs a script may fail it)", pg.File, renders.Status, renders.Message)
		}
		if pg.Script != strings.Contains(renders.Message, "JavaScript renders it") {
			t.Errorf("%s: privacy.renders says %q; the page needs a script: %v", pg.File, renders.Message, pg.Script)
		}
		if pg.Policy {
			c.policies++
			c.recognised.add(isPolicy.Status == checks.StatusPass, pg.File, fmt.Sprintf("is-policy %s: %s", isPolicy.Status, isPolicy.Message))
		} else {
			c.negatives++
			says := pageKindSays(pg.Is)
			ok := isPolicy.Status == checks.StatusFail && strings.Contains(isPolicy.Message, says)
			why := fmt.Sprintf("is-policy %s: %s (want a failure naming %s)", isPolicy.Status, isPolicy.Message, says)
			c.rejected.add(ok, pg.File, why)
			if !strings.HasPrefix(pg.File, "negative/") {
				c.nearMiss.add(ok, pg.File, why)
				c.nearMissLangs[pg.Lang] = true
			}
		}
		if pg.Placeholder {
			c.withPlaceholders++
			c.caught.add(placeholder.Status == checks.StatusFail, pg.File, "placeholder "+string(placeholder.Status)+": "+placeholder.Message)
		} else {
			c.falseAlarm.add(placeholder.Status == checks.StatusPass, pg.File, "placeholder "+string(placeholder.Status)+": "+placeholder.Message)
		}
		ev, detected := "", ""
		if isPolicy.Evidence != nil {
			ev, detected = isPolicy.Evidence.Excerpt, isPolicy.Evidence.Language // the JSON report's evidence.language
		}
		c.language.add(detected == pg.Lang, pg.File, fmt.Sprintf("detected %q, want %q (%s)", detected, pg.Lang, ev[:min(len(ev), 90)]))
		c.langs[detected] = true
		if pg.Quote != "" {
			c.quoted.add(strings.Contains(isPolicy.Message, fmt.Sprintf("%q", pg.Quote)), pg.File, fmt.Sprintf("message %q does not quote %q", isPolicy.Message, pg.Quote))
		}
	}

	return c
}

// check logs every rate and its misses, and fails the rates under their
// bars; nearMissBar is the bar of near misses rejected with the right kind.
func (c *corpusRates) check(t *testing.T, nearMissBar float64) {
	t.Helper()
	for _, r := range []struct {
		name string
		r    *rate
		bar  float64
	}{
		{"policies recognised", &c.recognised, 95},
		{"pages without placeholders that pass privacy.placeholder (<= 3% false alarms)", &c.falseAlarm, 97},
		{"placeholders caught", &c.caught, 90},
		{"negatives rejected as what they are", &c.rejected, 90},
		{"near-miss negatives rejected with the right named kind", &c.nearMiss, nearMissBar},
		{"languages detected", &c.language, 95},
		{"messages quoting the page's own heading", &c.quoted, 100},
	} {
		if r.r.total == 0 {
			continue
		}
		t.Logf("%-78s %3d/%-3d %5.1f%% (want >= %.0f%%)", r.name, r.r.hit, r.r.total, r.r.pct(), r.bar)
		for _, m := range r.r.misses {
			t.Logf("    miss: %s", m)
		}
		if r.r.pct() < r.bar {
			t.Errorf("%s: %.1f%%, want >= %.0f%%; misses:\n  %s", r.name, r.r.pct(), r.bar, strings.Join(r.r.misses, "\n  "))
		}
	}
}
