package schema_test

import (
	"encoding/json"
	"fmt"
	"github.com/pinready/pinready/internal/testkit"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/example"
	"github.com/pinready/pinready/schema"
)

// Every config the repository ships validates: the test configs, the
// example world's, and the one in README's "Configuration" section. (The
// `pinready init` starter is validated in package main, which owns it.)
func TestExampleConfigsValidate(t *testing.T) {
	configs := map[string][]byte{}
	for _, name := range []string{"good.yaml", "warning.yaml", "blocker.yaml"} {
		data, err := os.ReadFile("../testdata/configs/" + name)
		if err != nil {
			t.Fatal(err)
		}
		configs[name] = data
	}
	w, err := example.Start(example.Options{})
	if err != nil {
		t.Fatal(err)
	}
	configs["example world"] = []byte(w.Config())
	w.Close()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)### Configuration \\(`pinready.yaml`\\)\n+```yaml\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README has no yaml block under \"### Configuration (`pinready.yaml`)\"")
	}
	configs["README"] = m[1]
	// The terminal flow's configs, in their own section.
	sec := regexp.MustCompile("(?s)### Apps with no web page[^\n]*\n(.*?)\n### ").FindSubmatch(readme)
	if sec == nil {
		t.Fatal("README has no \"### Apps with no web page\" section")
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllSubmatch(sec[1], -1)
	if len(blocks) < 2 {
		t.Fatalf("README's terminal section has %d yaml blocks, want the Python and the bash one", len(blocks))
	}
	for i, b := range blocks {
		configs[fmt.Sprintf("README terminal %d", i+1)] = b[1]
	}
	for _, stack := range []string{example.StackTerminal} {
		tw, err := example.Start(example.Options{Stack: stack})
		if err != nil {
			t.Fatal(err)
		}
		configs["example world, "+stack] = []byte(tw.Config())
		tw.Close()
	}

	for name, data := range configs {
		t.Run(name, func(t *testing.T) {
			if _, err := checks.ParseConfig(name, data); err != nil {
				t.Fatalf("pinready itself rejects it: %v", err)
			}
			if err := schema.Validate(data); err != nil {
				t.Errorf("the schema rejects a config pinready accepts:\n%v", err)
			}
		})
	}
}

// Shapes pinready rejects are rejected by the schema too, so editors flag
// them before a run does.
func TestBadConfigsAreRejected(t *testing.T) {
	const app = "app:\n  name: Acme Pin Planner\n"
	tests := map[string]string{
		"unknown-key.yaml":         "",
		"malformed.yaml":           "",
		"no app name":              "app:\n  id: \"1\"\n",
		"empty app name":           "app:\n  name: \"  \"\n",
		"unknown top-level key":    app + "video: mp4\n",
		"unknown app key":          app + "  homepage: https://acme.example/\n",
		"unknown demo key":         app + "demo:\n  fps: 30\n",
		"app id with letters":      app + "  id: abc123\n",
		"website without scheme":   app + "  website: acme.example\n",
		"ftp policy":               app + "  privacy_policy_url: ftp://acme.example/privacy\n",
		"redirect without host":    app + "  redirect_uris: [\"https:///callback\"]\n",
		"domain with scheme":       app + "  domains: [https://acme.example]\n",
		"unknown scope":            app + "  scopes: [boards:read, boards:delete]\n",
		"scopes as text":           app + "  scopes: boards:read\n",
		"access tier":              app + "  access: premium\n",
		"video format":             app + "demo:\n  video: avi\n",
		"video size":               app + "demo:\n  size: 1080p\n",
		"step with two actions":    app + "oauth:\n  steps:\n    - click: \"#a\"\n      wait: \"#b\"\n",
		"value without fill":       app + "oauth:\n  steps:\n    - click: \"#a\"\n      value: x\n",
		"value and value_env":      app + "oauth:\n  after:\n    - fill: \"#a\"\n      value: x\n      value_env: X\n",
		"empty step":               app + "oauth:\n  steps:\n    - {}\n",
		"unknown step":             app + "oauth:\n  steps:\n    - press: Enter\n",
		"goto without scheme":      app + "oauth:\n  steps:\n    - goto: acme.example/login\n",
		"ignore without reason":    app + "ignore:\n  - rule: privacy.updated\n",
		"ignore with blank reason": app + "ignore:\n  - rule: privacy.updated\n    reason: \" \"\n",
		"ignore unknown rule":      app + "ignore:\n  - rule: privacy.nope\n    reason: because\n",
		"ignore bad expiry":        app + "ignore:\n  - rule: privacy.updated\n    reason: because\n    expires: next year\n",
	}
	for name, text := range tests {
		t.Run(name, func(t *testing.T) {
			data := []byte(text)
			if text == "" {
				var err error
				if data, err = os.ReadFile("../testdata/configs/" + name); err != nil {
					t.Fatal(err)
				}
			}
			if err := schema.Validate(data); err == nil {
				t.Errorf("the schema accepts:\n%s", data)
			}
			// Not a test of the schema, but of the test: each shape is one
			// pinready rejects (except an unknown ignore rule, which the
			// loader leaves to the report).
			if _, err := checks.ParseConfig(name, data); err == nil && name != "ignore unknown rule" {
				t.Errorf("pinready accepts it, so the schema should too:\n%s", data)
			}
		})
	}
}

// schemaDoc is the schema as plain JSON, for the drift tests.
func schemaDoc(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(schema.JSON, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func obj(v any, path ...string) map[string]any {
	for _, p := range path {
		v = v.(map[string]any)[p]
	}
	return v.(map[string]any)
}

func strs(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// yamlTags are the keys a Go struct reads from YAML.
func yamlTags(v any) []string {
	t := reflect.TypeOf(v)
	var out []string
	for i := 0; i < t.NumField(); i++ {
		if tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]; tag != "" && tag != "-" {
			out = append(out, tag)
		}
	}
	sort.Strings(out)
	return out
}

// The schema and the Go structs describe the same keys and the same enums,
// so neither can change without the other.
func TestSchemaMatchesConfigStructs(t *testing.T) {
	doc := schemaDoc(t)
	props := obj(doc, "properties")
	stepKeys := map[string]any{}
	for _, alt := range doc["$defs"].(map[string]any)["step"].(map[string]any)["oneOf"].([]any) {
		for k, v := range obj(alt, "properties") {
			stepKeys[k] = v
		}
	}
	tests := []struct {
		name   string
		schema []string
		goKeys []string
	}{
		{"top level", keys(props), yamlTags(checks.Config{})},
		{"app", keys(obj(props, "app", "properties")), yamlTags(checks.App{})},
		{"oauth", keys(obj(props, "oauth", "properties")), yamlTags(checks.OAuth{})},
		{"demo", keys(obj(props, "demo", "properties")), yamlTags(checks.Demo{})},
		{"ignore entry", keys(obj(props, "ignore", "items", "properties")), yamlTags(checks.Ignore{})},
		{"step", keys(stepKeys), yamlTags(checks.Step{})},
	}
	for _, tt := range tests {
		if !slices.Equal(tt.schema, tt.goKeys) {
			t.Errorf("%s: schema has %v, the Go struct reads %v", tt.name, tt.schema, tt.goKeys)
		}
	}
	if got := strs(obj(doc, "$defs", "scope")["enum"]); !slices.Equal(got, checks.Scopes) {
		t.Errorf("scope enum %v, want checks.Scopes %v", got, checks.Scopes)
	}
	if got := strs(obj(props, "demo", "properties", "video")["enum"]); !slices.Equal(got, []string{"mp4", "webm", "gif"}) {
		t.Errorf("demo.video enum %v", got)
	}
	if got := strs(obj(props, "app", "properties", "access")["enum"]); !slices.Equal(got, []string{"trial", "standard"}) {
		t.Errorf("app.access enum %v", got)
	}
	defaults := map[string]string{
		"oauth.authorize_url": checks.DefaultAuthorizeURL, "oauth.approve_selector": checks.DefaultApproveSelector,
		"demo.out": checks.DefaultDemoOut, "demo.video": checks.DefaultDemoVideo, "demo.size": checks.DefaultDemoSize,
	}
	for path, want := range defaults {
		section, key, _ := strings.Cut(path, ".")
		if got := obj(props, section, "properties", key)["default"]; got != want {
			t.Errorf("%s default %v, want %s", path, got, want)
		}
	}
	// ignore[].rule completes rule ids: exactly those of rules.yaml.
	rs := testkit.Rules(t)
	var ids []string
	for _, r := range rs.Rules {
		ids = append(ids, r.ID)
	}
	if got := strs(obj(props, "ignore", "items", "properties", "rule")["enum"]); !slices.Equal(got, ids) {
		t.Errorf("ignore rule enum %v, want the ids of rules.yaml %v", got, ids)
	}
	if doc["$id"] != schema.URL {
		t.Errorf("$id %v, want %s", doc["$id"], schema.URL)
	}
}

// Every property carries a description: it is what editors show on hover.
func TestEveryPropertyIsDescribed(t *testing.T) {
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if props, ok := v["properties"].(map[string]any); ok {
				for k, p := range props {
					if d, _ := p.(map[string]any)["description"].(string); d == "" {
						t.Errorf("%s.%s has no description", path, k)
					}
				}
			}
			for k, x := range v {
				walk(path+"/"+k, x)
			}
		case []any:
			for _, x := range v {
				walk(path, x)
			}
		}
	}
	walk("", schemaDoc(t))
}

// YAML 1.2 scalars, as editors read them: a date stays text, a number does
// not pass for text.
func TestFromYAML(t *testing.T) {
	v, err := schema.FromYAML([]byte("a: 2026-12-31\nb: 1500001\nc: true\nd:\ne: [x]\n"))
	if err != nil {
		t.Fatal(err)
	}
	m := v.(map[string]any)
	if m["a"] != "2026-12-31" || m["c"] != true || m["d"] != nil {
		t.Fatalf("FromYAML = %#v", m)
	}
	if _, ok := m["b"].(string); ok {
		t.Fatalf("an unquoted number became text: %#v", m["b"])
	}
	if err := schema.Validate([]byte("app:\n  name: Acme\n  id: 1500001\n")); err == nil {
		t.Error("an unquoted app id passed; editors would accept what the README says to quote")
	}
}
