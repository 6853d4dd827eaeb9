package checks

import (
	"errors"
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
