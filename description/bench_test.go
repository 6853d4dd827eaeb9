package description

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/pinready/pinready/checks"
)

// readCases reads the descriptions of testdata/descriptions whose file
// names match glob ("good-*.yaml").
func readCases(tb testing.TB, glob string) []descriptionCase {
	tb.Helper()
	files, _ := filepath.Glob("../testdata/descriptions/" + glob)
	var out []descriptionCase
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		var c descriptionCase
		if err := yaml.Unmarshal(data, &c); err != nil {
			tb.Fatalf("%s: %v", f, err)
		}
		out = append(out, c)
	}
	return out
}

// benchDescription builds a description of at least n words from the good
// corpus: real shapes of sentences, repeated.
func benchDescription(b *testing.B, n int) string {
	b.Helper()
	var parts []string
	for _, c := range readCases(b, "good-*.yaml") {
		parts = append(parts, c.Description)
	}
	var sb strings.Builder
	for words := 0; words < n; {
		for _, p := range parts {
			sb.WriteString(p)
			sb.WriteString("\n\n")
			words += len(strings.Fields(p))
		}
	}
	return sb.String()
}

// The description audit of a 5,000-word description: issue 17 asks for
// under 100 ms. go test -bench Describe5000 -run '^$' ./description/
func BenchmarkDescribe5000Words(b *testing.B) {
	rs := loadRules(b)
	desc := benchDescription(b, 5000)
	cfg := &checks.Config{App: checks.App{Name: "Acme Pin Planner", Description: desc, Scopes: checks.Scopes}}
	// Once per process, not per description: the rule patterns are compiled.
	Audit(cfg, rs)
	b.ResetTimer()
	for b.Loop() {
		if got := Audit(cfg, rs); len(got) != len(Rules) {
			b.Fatalf("%d findings", len(got))
		}
	}
}

// The description audit of every description in testdata/descriptions (166
// in 17 languages), one after another: what a --jobs run over many apps
// pays per description. go test -bench DescribeCorpus -run '^$' ./description/
func BenchmarkDescribeCorpus(b *testing.B) {
	rs := loadRules(b)
	var cfgs []*checks.Config
	for _, c := range readCases(b, "*.yaml") {
		cfgs = append(cfgs, &checks.Config{App: checks.App{Name: c.Name, Scopes: c.Scopes, Description: c.Description}})
	}
	for _, cfg := range cfgs {
		Audit(cfg, rs) // word lists and patterns, once per process
	}
	b.ResetTimer()
	for b.Loop() {
		for _, cfg := range cfgs {
			Audit(cfg, rs)
		}
	}
	b.ReportMetric(float64(b.N*len(cfgs))/b.Elapsed().Seconds(), "descriptions/s")
}
