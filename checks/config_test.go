package checks

import (
	"errors"
	"strings"
	"testing"
)

const goodConfig = `app:
  name: Acme Pin Planner
  id: "1500001"
  company: Acme Inc.
  website: https://acme.example/
  domains: [acme-legal.example]
  privacy_policy_url: https://acme.example/privacy
  description: |
    Text.
  scopes: [boards:read, pins:read, pins:write, user_accounts:read]
  redirect_uris: [https://acme.example/oauth/callback]
  access: trial
oauth:
  steps:
    - goto: https://acme.example/login
    - fill: "#email"
      value: demo@acme.example
    - fill: "#password"
      value_env: ACME_DEMO_PASSWORD
    - click: "#sign-in"
    - wait: "#dashboard"
  connect_selector: "#connect-pinterest"
  success_text: Your boards
demo:
  video: webm
`

func TestParseConfigAcceptsEveryKey(t *testing.T) {
	cfg, err := ParseConfig("pinready.yaml", []byte(goodConfig))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.OAuth.StartURL != "https://acme.example/" || cfg.OAuth.AuthorizeURL != DefaultAuthorizeURL || cfg.OAuth.ApproveSelector != DefaultApproveSelector {
		t.Errorf("defaults not applied: %+v", cfg.OAuth)
	}
	if got := cfg.Line("app.privacy_policy_url"); got != 7 {
		t.Errorf("Line(app.privacy_policy_url) = %d, want 7", got)
	}
	if got := cfg.Line("oauth.steps[2].value_env"); got != 19 {
		t.Errorf("Line(oauth.steps[2].value_env) = %d, want 19", got)
	}
	if got := cfg.Line("oauth.authorize_url"); got != 13 {
		t.Errorf("Line of an absent key falls back to its parent: got %d, want 13", got)
	}
	if cfg.OAuth.Steps[2].ValueEnv != "ACME_DEMO_PASSWORD" || cfg.OAuth.Steps[2].Field != "oauth.steps[2]" {
		t.Errorf("step 2 = %+v", cfg.OAuth.Steps[2])
	}
	if w, h, _ := cfg.Demo.Dimensions(); w != 1920 || h != 1080 {
		t.Errorf("default size = %dx%d", w, h)
	}
	if got := strings.Join(cfg.Origins(), " "); got != "https://acme.example" {
		t.Errorf("Origins() = %q", got)
	}
}

// Each bad config is an error naming file, line and field.
func TestParseConfigErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		wantLine   int
		wantField  string
		wantMsg    string
	}{
		{"unknown key", "app:\n  name: A\n  homepage: https://a.example/\n", 3, "app.homepage", "unknown key"},
		{"unknown top key", "app:\n  name: A\nauth: {}\n", 3, "auth", "unknown key"},
		{"bad url", "app:\n  name: A\n  privacy_policy_url: acme.example/privacy\n", 3, "app.privacy_policy_url", "absolute http"},
		{"bad scheme", "app:\n  name: A\n  website: ftp://acme.example/\n", 3, "app.website", "absolute http"},
		{"bad redirect", "app:\n  name: A\n  redirect_uris:\n    - https://a.example/cb\n    - /cb\n", 5, "app.redirect_uris[1]", "absolute http"},
		{"unknown scope", "app:\n  name: A\n  scopes: [boards:read, pins:delete]\n", 3, "app.scopes[1]", "not a Pinterest API v5 scope"},
		{"wrong type list", "app:\n  name: A\n  scopes: boards:read\n", 3, "app.scopes", "expected a list"},
		{"wrong type map", "app: [a, b]\n", 1, "app", "expected a mapping"},
		{"wrong type text", "app:\n  name: {first: A}\n", 2, "app.name", "expected a text value"},
		{"missing name", "app:\n  id: \"1\"\n", 1, "app.name", "required"},
		{"bad id", "app:\n  name: A\n  id: abc\n", 3, "app.id", "digits only"},
		{"bad access", "app:\n  name: A\n  access: premium\n", 3, "app.access", "trial or standard"},
		{"bad step", "app:\n  name: A\noauth:\n  steps:\n    - click: '#a'\n      goto: https://a.example/\n", 5, "oauth.steps[0]", "exactly one"},
		{"value without fill", "app:\n  name: A\noauth:\n  after:\n    - click: '#a'\n      value: x\n", 5, "oauth.after[0]", "go with fill"},
		{"bad video", "app:\n  name: A\ndemo:\n  video: avi\n", 4, "demo.video", "mp4, webm or gif"},
		{"bad size", "app:\n  name: A\ndemo:\n  size: 1921x1080\n", 4, "demo.size", "even"},
		{"bad domain", "app:\n  name: A\n  domains: [https://a.example]\n", 3, "app.domains[0]", "not a domain"},
		{"duplicate key", "app:\n  name: A\n  name: B\n", 3, "app.name", ""},
		{"bad yaml", "app:\n  name: A\n   id: 1\n", 3, "", "invalid YAML"},
		{"empty", "", 0, "", "empty"},
		{"ignore without reason", "app:\n  name: A\nignore:\n  - rule: privacy.updated\n", 4, "ignore[0].reason", "needs a reason"},
		// A secret given as value: would be typed in clear into every output.
		{"value on a password field", "app:\n  name: A\noauth:\n  steps:\n    - fill: \"#password\"\n      value: hunter2\n", 6, "oauth.steps[0].value", "value_env"},
		{"value on a password input", "app:\n  name: A\noauth:\n  steps:\n    - fill: \"input[type=password]\"\n      value: x\n", 6, "oauth.steps[0].value", "password field"},
		{"value on a secret field", "app:\n  name: A\noauth:\n  after:\n    - fill: \"[name=client_secret]\"\n      value: s3cr3t\n", 6, "oauth.after[0].value", "secret field"},
		{"value on a token field", "app:\n  name: A\noauth:\n  steps:\n    - fill: \"text=API token\"\n      value: t\n", 6, "oauth.steps[0].value", "token field"},
		{"value on a pwd field", "app:\n  name: A\noauth:\n  steps:\n    - fill: \"#pwd\"\n      value: t\n", 6, "oauth.steps[0].value", "password field"},
		// A terminal flow (oauth.command) and the keys that cannot go with it.
		{"empty command", "app:\n  name: A\noauth:\n  command: []\n", 4, "oauth.command", "argv as a list"},
		{"command as text", "app:\n  name: A\noauth:\n  command: python3 x.py\n", 4, "oauth.command", "expected a list"},
		{"command with connect", "app:\n  name: A\noauth:\n  command: [python3, x.py]\n  connect_selector: \"#c\"\n", 5, "oauth.connect_selector", "cannot be used with oauth.command"},
		{"command with start_url", "app:\n  name: A\noauth:\n  start_url: https://a.example/\n  command: [x]\n", 4, "oauth.start_url", "no page to start on"},
		{"command with steps", "app:\n  name: A\noauth:\n  command: [x]\n  steps:\n    - click: '#a'\n", 5, "oauth.steps", "cannot be used with oauth.command"},
		{"command with success_selector", "app:\n  name: A\noauth:\n  command: [x]\n  success_selector: '#b'\n", 5, "oauth.success_selector", "success_pattern"},
		{"env without command", "app:\n  name: A\noauth:\n  env:\n    - {name: A, value: b}\n", 4, "oauth.env", "goes with oauth.command"},
		{"env bad name", "app:\n  name: A\noauth:\n  command: [x]\n  env:\n    - {name: 1A, value: b}\n", 6, "oauth.env[0].name", "not an environment variable name"},
		{"env twice", "app:\n  name: A\noauth:\n  command: [x]\n  env:\n    - {name: A, value: b}\n    - {name: A, value: c}\n", 7, "oauth.env[1].name", "given twice"},
		{"env both", "app:\n  name: A\noauth:\n  command: [x]\n  env:\n    - {name: A, value: b, value_env: B}\n", 6, "oauth.env[0]", "not both"},
		{"env secret in clear", "app:\n  name: A\noauth:\n  command: [x]\n  env:\n    - name: PINTEREST_APP_SECRET\n      value: s3cr3t\n", 7, "oauth.env[0].value", "value_env"},
		{"bad success_pattern", "app:\n  name: A\noauth:\n  success_pattern: \"Username: (\"\n", 4, "oauth.success_pattern", "not a regular expression"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig("my.yaml", []byte(tt.yaml))
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *ConfigError", err)
			}
			if ce.File != "my.yaml" || ce.Line != tt.wantLine || ce.Field != tt.wantField || !strings.Contains(ce.Msg, tt.wantMsg) {
				t.Fatalf("err = %q (line %d, field %q); want line %d, field %q, message with %q", err, ce.Line, ce.Field, tt.wantLine, tt.wantField, tt.wantMsg)
			}
		})
	}
}

// A terminal flow's config: the command, its environment (a folder named
// like a token is not a secret), and no start URL from the website.
func TestParseTerminalConfig(t *testing.T) {
	cfg, err := ParseConfig("my.yaml", []byte(`app:
  name: A
  website: https://a.example/
oauth:
  command: [python3, get_access_token.py, --scopes, "boards:read"]
  env:
    - {name: PINTEREST_APP_ID, value: "1"}
    - {name: PINTEREST_APP_SECRET, value_env: PIN_SECRET}
    - {name: PINTEREST_OAUTH_TOKEN_DIR, value: ./tokens}
  success_pattern: "Username: \\w+"
`))
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.OAuth.Terminal() || len(cfg.OAuth.Command) != 4 || cfg.OAuth.StartURL != "" {
		t.Errorf("oauth %+v", cfg.OAuth)
	}
	if e := cfg.OAuth.Env[1]; e.ValueEnv != "PIN_SECRET" || e.Field != "oauth.env[1]" {
		t.Errorf("env %+v", e)
	}
}

func TestLoadConfigMissingFile(t *testing.T) {
	_, err := LoadConfig(t.TempDir() + "/nope.yaml")
	var ce *ConfigError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "pinready init") {
		t.Fatalf("err = %v, want a config error suggesting pinready init", err)
	}
}
