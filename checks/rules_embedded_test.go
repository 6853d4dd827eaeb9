package checks

import (
	"crypto/sha256"
	"os"
	"reflect"
	"testing"
)

// rules_embedded.go is what rules.yaml parses to, made from these very
// bytes: ParseRules builds it instead of reading the YAML, so a stale file
// would go unnoticed but for this test (go generate ./checks rewrites it).
func TestEmbeddedRulesAreCurrent(t *testing.T) {
	data, err := os.ReadFile("../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if sha256.Sum256(data) != embeddedRulesSum {
		t.Fatal("rules_embedded.go was made from another rules.yaml: run go generate ./checks")
	}
	fast, err := ParseRules("rules.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	slow, err := ParseRulesYAML("rules.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fast, slow) {
		for i := range slow.Rules {
			if i >= len(fast.Rules) || !reflect.DeepEqual(fast.Rules[i], slow.Rules[i]) {
				t.Fatalf("rule %d differs:\ngenerated %#v\nparsed    %#v", i, fast.Rules[i], slow.Rules[i])
			}
		}
		t.Fatal("the generated rules differ from the parsed ones")
	}
	// Each call is a copy of its own: a --rules file extends one run's.
	again, _ := ParseRules("rules.yaml", data)
	again.Get("description.length").Params["min_words"] = 1
	if fast.Get("description.length").Params.Int("min_words") == 1 {
		t.Error("two ParseRules share their parameters")
	}
	// Other bytes are read as YAML.
	if rs, err := ParseRules("rules.yaml", append(data, "\n"...)); err != nil || !reflect.DeepEqual(rs, slow) {
		t.Errorf("rules.yaml with one more newline: %v", err)
	}
}
