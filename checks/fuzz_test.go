package checks

import (
	"errors"
	"os"
	"testing"
)

// Any input either loads or is a ConfigError; it never panics.
func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(goodConfig))
	f.Add([]byte("app:\n  name: A\n  scopes: [pins:read]\n"))
	f.Add([]byte("app: &a\n  name: *a\n"))
	f.Add([]byte("app:\n  name: A\noauth:\n  steps:\n    - fill: '#x'\n      value_env: X\n"))
	f.Add([]byte("- 1\n- 2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig("f.yaml", data)
		if err != nil {
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is not a ConfigError", err)
			}
			return
		}
		if cfg.App.Name == "" {
			t.Fatal("a config without app.name loaded")
		}
		for _, s := range cfg.App.Scopes {
			if !IsScope(s) {
				t.Fatalf("unknown scope %q loaded", s)
			}
		}
	})
}

// A --rules file that loads can never make a rule's evaluation panic: every
// parameter keeps the type its accessor expects.
func FuzzExtendRules(f *testing.F) {
	data, err := os.ReadFile("../rules.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte("rules:\n  - id: description.length\n    params: {min_words: 3}\n"))
	f.Add([]byte("rules:\n  - id: description.scopes\n    params:\n      explained_by: {pins:write: [pin]}\n"))
	f.Add([]byte("rules:\n  - id: description.red-flags\n    params:\n      patterns: ['(?i)spam']\n"))
	f.Add([]byte("rules:\n  - id: app.name\n    disabled: true\n    severity: info\n"))
	f.Fuzz(func(t *testing.T, user []byte) {
		rs, err := ParseRules("rules.yaml", data)
		if err != nil {
			t.Fatal(err)
		}
		if err := rs.Extend("user.yaml", user); err != nil {
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is not a ConfigError", err)
			}
			return
		}
		if err := rs.CompilePatterns("user.yaml"); err != nil {
			return
		}
		cfg := &Config{App: App{Name: "Acme", Description: "Acme schedules Pins for small shops.", Scopes: Scopes}}
		Describe(cfg, rs) // must not panic
	})
}
