package checks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// Any description is read without a panic, one finding per rule, and every
// quoted excerpt is text of the description (evidence must be true).
// go test runs the seeds; make fuzz explores.
func FuzzDescribe(f *testing.F) {
	files, _ := filepath.Glob("../testdata/descriptions/*.yaml")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		var c descriptionCase
		if err := yaml.Unmarshal(data, &c); err != nil {
			f.Fatal(err)
		}
		f.Add(c.Description)
	}
	for _, s := range []string{"", "'", "e.g.", "a'", "[x](", "<a href=", "**", "for", "your", "never", "https://", "x@y.zz.", "— - –", "İ", "Users’ boards'", "for a the an", "\xff\xfe"} {
		f.Add(s)
	}
	rs := loadRules(f)
	f.Fuzz(func(t *testing.T, desc string) {
		cfg := &Config{App: App{Name: "Acme", Description: desc, Scopes: Scopes}}
		got := Describe(cfg, rs)
		if len(got) != len(DescriptionRules) {
			t.Fatalf("%d findings for %d rules", len(got), len(DescriptionRules))
		}
		plain := plainText(desc)
		for _, fd := range got {
			if fd.Status == StatusError {
				t.Fatalf("%s: error %s", fd.Rule, fd.Message)
			}
			if fd.Evidence != nil && fd.Evidence.Excerpt != "" && !containsFields(plain, fd.Evidence.Excerpt) {
				t.Fatalf("%s: excerpt %q is not in the description", fd.Rule, fd.Evidence.Excerpt)
			}
		}
	})
}

// containsFields reports whether excerpt, whose white space was collapsed
// as excerpts are, is in text.
func containsFields(text, excerpt string) bool {
	return strings.Contains(strings.Join(strings.Fields(text), " "), excerpt)
}
