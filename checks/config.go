package checks

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Config is pinready.yaml (README, "Configuration"; schema/ for editors).
type Config struct {
	App    App      `yaml:"app"`
	OAuth  OAuth    `yaml:"oauth"`
	Demo   Demo     `yaml:"demo"`
	Ignore []Ignore `yaml:"ignore"`

	// File is the path the config was read from, as the user named it.
	File  string         `yaml:"-"`
	lines map[string]int // dotted field path -> line of its key
}

// App describes the Pinterest app as registered and as described in the access form.
type App struct {
	Name             string   `yaml:"name"`
	ID               string   `yaml:"id"`
	Company          string   `yaml:"company"`
	Website          string   `yaml:"website"`
	Domains          []string `yaml:"domains"`
	PrivacyPolicyURL string   `yaml:"privacy_policy_url"`
	Description      string   `yaml:"description"`
	Scopes           []string `yaml:"scopes"`
	RedirectURIs     []string `yaml:"redirect_uris"`
	Access           string   `yaml:"access"`
}

// OAuth says how to drive the app's "Connect Pinterest" flow.
type OAuth struct {
	StartURL        string `yaml:"start_url"`
	Steps           []Step `yaml:"steps"`
	ConnectSelector string `yaml:"connect_selector"`
	AuthorizeURL    string `yaml:"authorize_url"`
	ApproveSelector string `yaml:"approve_selector"`
	SuccessText     string `yaml:"success_text"`
	SuccessSelector string `yaml:"success_selector"`
	After           []Step `yaml:"after"`
	ProfileDir      string `yaml:"profile_dir"`
	// SuccessPattern is a regular expression alternative to SuccessText:
	// what the app shows (the page's text, or a terminal flow's output)
	// only with live Pinterest data.
	SuccessPattern string `yaml:"success_pattern"`
	// Command is the argv of a program that runs the OAuth flow from a
	// terminal, for an app with no web page: it opens (or prints)
	// Pinterest's authorize URL and receives the redirect on its own
	// loopback listener. It runs from the config file's folder.
	Command []string `yaml:"command"`
	// Env is added to Command's environment.
	Env []EnvVar `yaml:"env"`
}

// EnvVar is one variable of oauth.env: its value is Value, or for secrets
// the value of the environment variable ValueEnv (never written anywhere).
type EnvVar struct {
	Name     string `yaml:"name"`
	Value    string `yaml:"value"`
	ValueEnv string `yaml:"value_env"`

	Field string `yaml:"-"` // "oauth.env[1]", for messages
}

// Terminal reports whether the flow runs from a terminal (oauth.command).
func (o OAuth) Terminal() bool { return len(o.Command) > 0 }

// Step is one browser action; exactly one of Goto, Click, Fill, Wait is set.
// A Fill's text comes from Value or, for secrets, from the environment
// variable ValueEnv (never written anywhere).
type Step struct {
	Goto     string `yaml:"goto"`
	Click    string `yaml:"click"`
	Fill     string `yaml:"fill"`
	Value    string `yaml:"value"`
	ValueEnv string `yaml:"value_env"`
	Wait     string `yaml:"wait"`

	Field string `yaml:"-"` // "oauth.steps[1]", for messages
}

// Demo configures the recorded video.
type Demo struct {
	Out   string `yaml:"out"`
	Video string `yaml:"video"`
	Size  string `yaml:"size"`
}

// Ignore is a baseline entry: a known, justified failure reported as skip
// until Expires (YYYY-MM-DD, optional).
type Ignore struct {
	Rule    string `yaml:"rule"`
	Reason  string `yaml:"reason"`
	Expires string `yaml:"expires"`
}

// Defaults the README gives for omitted keys.
const (
	DefaultAuthorizeURL    = "https://www.pinterest.com/oauth/"
	DefaultApproveSelector = "text=Give access"
	DefaultDemoOut         = "pinready-out"
	DefaultDemoVideo       = "mp4"
	DefaultDemoSize        = "1920x1080"
)

// VideoFormats are the demo.video (and record --video) values.
var VideoFormats = []string{"mp4", "webm", "gif"}

// LoadConfig reads and validates a config file. Every problem is a
// *ConfigError naming the file, line and field.
// The file may be at most MaxConfigBytes.
func LoadConfig(path string) (*Config, error) {
	return LoadConfigContext(context.Background(), path)
}

// ParseConfig validates config text; file is used in messages only.
func ParseConfig(file string, data []byte) (*Config, error) {
	doc, err := oneDocument(file, data)
	if err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return nil, &ConfigError{File: file, Msg: "the file is empty; it needs at least app.name"}
	}
	root := doc.Content[0]
	cfg := &Config{File: file, lines: map[string]int{}}
	if err := checkShape(file, root, reflect.TypeOf(*cfg), "", cfg.lines); err != nil {
		return nil, err
	}
	if err := root.Decode(cfg); err != nil {
		return nil, yamlError(file, err)
	}
	cfg.setDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

var yamlLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`line (\d+)`) })

// yamlError turns a yaml.v3 error into a ConfigError with its line.
func yamlError(file string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLine().FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = strings.TrimSpace(yamlLine().ReplaceAllString(msg, ""))
		msg = strings.TrimLeft(msg, ": ")
	}
	return &ConfigError{File: file, Line: line, Msg: "invalid YAML: " + msg}
}

// checkShape walks the YAML tree against the Go type: unknown keys and values
// of the wrong kind are errors, and the line of every key is recorded so that
// findings and errors can point at it.
func checkShape(file string, n *yaml.Node, t reflect.Type, path string, lines map[string]int) error {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	bad := func(want string) error {
		return &ConfigError{File: file, Line: n.Line, Field: path, Msg: fmt.Sprintf("expected %s, got %s", want, kindName(n))}
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			return nil
		}
		if n.Kind != yaml.MappingNode {
			return bad("a mapping of keys")
		}
		known := map[string]reflect.StructField{}
		var names []string
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
			if tag == "" || tag == "-" {
				continue
			}
			known[tag] = f
			names = append(names, tag)
		}
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			field := joinPath(path, k.Value)
			f, ok := known[k.Value]
			if !ok {
				return &ConfigError{File: file, Line: k.Line, Field: field,
					Msg: fmt.Sprintf("unknown key (known keys here: %s)", strings.Join(names, ", "))}
			}
			if seen[k.Value] {
				return &ConfigError{File: file, Line: k.Line, Field: field, Msg: "key given twice"}
			}
			seen[k.Value] = true
			lines[field] = k.Line
			if err := checkShape(file, v, f.Type, field, lines); err != nil {
				return err
			}
		}
	case reflect.Slice:
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			return nil
		}
		if n.Kind != yaml.SequenceNode {
			return bad("a list")
		}
		for i, item := range n.Content {
			field := fmt.Sprintf("%s[%d]", path, i)
			lines[field] = item.Line
			if err := checkShape(file, item, t.Elem(), field, lines); err != nil {
				return err
			}
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			return bad("a text value")
		}
	}
	return nil
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return fmt.Sprintf("%q", n.Value)
}

func joinPath(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// Line returns the line of a dotted field path, falling back to its nearest
// ancestor that is in the file (0 if none is).
func (c *Config) Line(field string) int {
	for field != "" {
		if l, ok := c.lines[field]; ok {
			return l
		}
		i := strings.LastIndexAny(field, ".[")
		if i < 0 {
			break
		}
		field = field[:i]
	}
	return 0
}

func (c *Config) setDefaults() {
	if c.OAuth.StartURL == "" && !c.OAuth.Terminal() {
		c.OAuth.StartURL = c.App.Website
	}
	if c.OAuth.AuthorizeURL == "" {
		c.OAuth.AuthorizeURL = DefaultAuthorizeURL
	}
	if c.OAuth.ApproveSelector == "" {
		c.OAuth.ApproveSelector = DefaultApproveSelector
	}
	if c.App.Access == "" {
		c.App.Access = "trial"
	}
	if c.Demo.Out == "" {
		c.Demo.Out = DefaultDemoOut
	}
	if c.Demo.Video == "" {
		c.Demo.Video = DefaultDemoVideo
	}
	if c.Demo.Size == "" {
		c.Demo.Size = DefaultDemoSize
	}
	for i := range c.OAuth.Steps {
		c.OAuth.Steps[i].Field = fmt.Sprintf("oauth.steps[%d]", i)
	}
	for i := range c.OAuth.After {
		c.OAuth.After[i].Field = fmt.Sprintf("oauth.after[%d]", i)
	}
	for i := range c.OAuth.Env {
		c.OAuth.Env[i].Field = fmt.Sprintf("oauth.env[%d]", i)
	}
}

func (c *Config) errorf(field, format string, args ...any) error {
	return &ConfigError{File: c.File, Line: c.Line(field), Field: field, Msg: fmt.Sprintf(format, args...)}
}

// fieldPatterns are the shapes of config values, compiled when a config is
// first validated (never, for pinready --version).
type fieldPatterns struct{ appID, host, size, date, envName *regexp.Regexp }

var patterns = sync.OnceValue(func() *fieldPatterns {
	return &fieldPatterns{
		appID:   regexp.MustCompile(`^[0-9]{1,20}$`),
		host:    regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$`),
		size:    regexp.MustCompile(`^([0-9]{3,4})x([0-9]{3,4})$`),
		date:    regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`),
		envName: regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`),
	}
})

func (c *Config) validate() error {
	if strings.TrimSpace(c.App.Name) == "" {
		return c.errorf("app.name", "required: the app name as registered with Pinterest")
	}
	if c.App.ID != "" && !patterns().appID.MatchString(c.App.ID) {
		return c.errorf("app.id", "%q is not a Pinterest app id (digits only, as shown in the developer portal)", c.App.ID)
	}
	urls := []struct{ field, value string }{
		{"app.website", c.App.Website},
		{"app.privacy_policy_url", c.App.PrivacyPolicyURL},
		{"oauth.start_url", c.OAuth.StartURL},
		{"oauth.authorize_url", c.OAuth.AuthorizeURL},
	}
	for i, u := range c.App.RedirectURIs {
		urls = append(urls, struct{ field, value string }{fmt.Sprintf("app.redirect_uris[%d]", i), u})
	}
	for _, u := range urls {
		if u.value == "" {
			continue
		}
		field := u.field
		if field == "oauth.start_url" && c.lines[field] == 0 {
			field = "app.website" // the default came from there
		}
		if err := c.checkURLLength(field, u.value); err != nil {
			return err
		}
		if err := checkURL(u.value); err != nil {
			return c.errorf(field, "%v", err)
		}
	}
	for i, d := range c.App.Domains {
		if !patterns().host.MatchString(d) || !strings.Contains(d, ".") {
			return c.errorf(fmt.Sprintf("app.domains[%d]", i), "%q is not a domain name (write acme.example, without scheme or path)", d)
		}
	}
	for i, s := range c.App.Scopes {
		if !IsScope(s) {
			return c.errorf(fmt.Sprintf("app.scopes[%d]", i), "%q is not a Pinterest API v5 scope (known: %s)", s, strings.Join(Scopes, ", "))
		}
	}
	switch c.App.Access {
	case "trial", "standard":
	default:
		return c.errorf("app.access", "%q: want trial or standard", c.App.Access)
	}
	for _, steps := range [][]Step{c.OAuth.Steps, c.OAuth.After} {
		for _, s := range steps {
			if err := c.validateStep(s); err != nil {
				return err
			}
		}
	}
	if c.OAuth.SuccessPattern != "" {
		if _, err := Regexp(c.OAuth.SuccessPattern); err != nil {
			return c.errorf("oauth.success_pattern", "%q is not a regular expression: %v", c.OAuth.SuccessPattern, err)
		}
	}
	if err := c.validateCommand(); err != nil {
		return err
	}
	if !slices.Contains(VideoFormats, c.Demo.Video) {
		return c.errorf("demo.video", "%q: want mp4, webm or gif", c.Demo.Video)
	}
	if _, _, err := c.Demo.Dimensions(); err != nil {
		return c.errorf("demo.size", "%v", err)
	}
	for i, ig := range c.Ignore {
		field := fmt.Sprintf("ignore[%d]", i)
		if ig.Rule == "" {
			return c.errorf(field, "needs rule: the id of the rule to ignore")
		}
		if strings.TrimSpace(ig.Reason) == "" {
			return c.errorf(field+".reason", "needs a reason: say why this failure is acceptable")
		}
		if ig.Expires != "" && !patterns().date.MatchString(ig.Expires) {
			return c.errorf(field+".expires", "%q: want a date as YYYY-MM-DD", ig.Expires)
		}
	}
	return nil
}

// validateCommand checks oauth.command and oauth.env, and that a terminal
// flow is not mixed with keys that drive a web page: with a command there
// is no page to start on, click or wait in, so those keys cannot hold.
func (c *Config) validateCommand() error {
	o := c.OAuth
	if !o.Terminal() {
		if c.lines["oauth.command"] != 0 {
			return c.errorf("oauth.command", "is empty: give the command's argv as a list, e.g. [python3, get_access_token.py]")
		}
		if len(o.Env) > 0 {
			return c.errorf("oauth.env", "goes with oauth.command: it is the environment of the command that runs the flow from a terminal")
		}
		return nil
	}
	for i, a := range o.Command {
		if i == 0 && strings.TrimSpace(a) == "" {
			return c.errorf("oauth.command[0]", "the program to run is empty")
		}
		if strings.ContainsRune(a, 0) {
			return c.errorf(fmt.Sprintf("oauth.command[%d]", i), "holds a NUL character")
		}
	}
	// Keys of a web flow that a terminal flow cannot honour.
	web := []struct {
		field string
		set   bool
		why   string
	}{
		{"oauth.start_url", c.lines["oauth.start_url"] != 0, "the command starts the flow, there is no page to start on"},
		{"oauth.connect_selector", o.ConnectSelector != "", "the command opens Pinterest's authorize page itself, there is no control to click"},
		{"oauth.steps", len(o.Steps) > 0, "steps run in the app's web page before connecting, and a terminal flow has none"},
		{"oauth.after", len(o.After) > 0, "steps after connecting run in the app's web page; show the live API call in the command's output instead"},
		{"oauth.success_selector", o.SuccessSelector != "", "a selector is looked for in a web page; use success_text or success_pattern, looked for in the command's output"},
	}
	for _, w := range web {
		if w.set {
			return c.errorf(w.field, "cannot be used with oauth.command: %s", w.why)
		}
	}
	seen := map[string]bool{}
	for _, e := range o.Env {
		if !patterns().envName.MatchString(e.Name) {
			return c.errorf(e.Field+".name", "%q is not an environment variable name (letters, digits and _, not starting with a digit)", e.Name)
		}
		if seen[e.Name] {
			return c.errorf(e.Field+".name", "%s is given twice", e.Name)
		}
		seen[e.Name] = true
		if e.Value != "" && e.ValueEnv != "" {
			return c.errorf(e.Field, "give value or value_env, not both")
		}
		if e.ValueEnv != "" && !patterns().envName.MatchString(e.ValueEnv) {
			return c.errorf(e.Field+".value_env", "%q is not an environment variable name", e.ValueEnv)
		}
		if w := secretEnvName(e.Name); w != "" && e.Value != "" {
			return c.errorf(e.Field+".value", "%s holds a %s: value: would write it in clear into pinready.yaml, trace.json and the video; "+
				"put it in pinready's environment and name that with value_env (e.g. value_env: %s) instead of value:", e.Name, w, e.Name)
		}
	}
	return nil
}

func (c *Config) validateStep(s Step) error {
	set := 0
	for _, v := range []string{s.Goto, s.Click, s.Fill, s.Wait} {
		if v != "" {
			set++
		}
	}
	if set != 1 {
		return c.errorf(s.Field, "a step needs exactly one of goto, click, fill, wait")
	}
	if s.Goto != "" {
		if err := c.checkURLLength(s.Field+".goto", s.Goto); err != nil {
			return err
		}
		if err := checkURL(s.Goto); err != nil {
			return c.errorf(s.Field+".goto", "%v", err)
		}
	}
	if s.Fill == "" && (s.Value != "" || s.ValueEnv != "") {
		return c.errorf(s.Field, "value and value_env go with fill")
	}
	if s.Fill != "" && s.Value != "" && s.ValueEnv != "" {
		return c.errorf(s.Field, "give value or value_env, not both")
	}
	if w := SecretField(s.Fill); w != "" && s.Value != "" {
		return c.errorf(s.Field+".value", "fill %s is a %s field: value: would type it in clear into trace.json, the screenshots and the video; "+
			"put it in an environment variable and name that with value_env (e.g. value_env: ACME_PASSWORD) instead of value:", s.Fill, w)
	}
	return nil
}

// secretFieldWords are the words that mark a form field as holding a
// secret, in a selector or a field's name, id, autocomplete or label, and
// the kind of secret each names.
var secretFieldWords = []struct{ word, kind string }{
	{"password", "password"}, {"passwd", "password"}, {"passcode", "password"}, {"pwd", "password"},
	{"secret", "secret"}, {"token", "token"},
}

// SecretField says what secret text (a fill selector, a field's name or
// label) says a field holds: "password", "secret", "token", or "". A
// secret typed by oauth.steps must come from value_env, which every output
// masks; oauthflow asks the same of the field it finds in the page.
func SecretField(text string) string {
	lower := strings.ToLower(text)
	for _, w := range secretFieldWords {
		if strings.Contains(lower, w.word) {
			return w.kind
		}
	}
	return ""
}

// secretEnvName says what secret an environment variable's name says it
// holds, by its last word (PINTEREST_APP_SECRET, ACCESS_TOKEN, API_KEY), or
// "": PINTEREST_OAUTH_TOKEN_DIR names a folder, not a token.
func secretEnvName(name string) string {
	words := strings.Split(strings.ToUpper(name), "_")
	switch words[len(words)-1] {
	case "SECRET":
		return "secret"
	case "PASSWORD", "PASSWD", "PWD", "PASS", "PASSPHRASE":
		return "password"
	case "TOKEN":
		return "token"
	case "KEY", "APIKEY":
		return "key"
	}
	return ""
}

// checkURL accepts absolute http(s) URLs with a host.
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a valid URL: %v", raw, errors.Unwrap(err))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q: want an absolute http:// or https:// URL", raw)
	}
	if u.Hostname() == "" {
		return fmt.Errorf("%q has no host", raw)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("%q: port %q is out of range", raw, p)
		}
	}
	if strings.ContainsAny(u.Hostname(), " \t") || (net.ParseIP(u.Hostname()) == nil && strings.Contains(u.Hostname(), "..")) {
		return fmt.Errorf("%q has a malformed host", raw)
	}
	return nil
}

// Dimensions parses demo.size ("1920x1080"); both numbers must be even for H.264.
func (d Demo) Dimensions() (w, h int, err error) {
	m := patterns().size.FindStringSubmatch(d.Size)
	if m == nil {
		return 0, 0, fmt.Errorf("%q: want WIDTHxHEIGHT, e.g. 1920x1080", d.Size)
	}
	w, _ = strconv.Atoi(m[1])
	h, _ = strconv.Atoi(m[2])
	if w < 640 || h < 360 || w%2 != 0 || h%2 != 0 {
		return 0, 0, fmt.Errorf("%q: width and height must be even and at least 640x360", d.Size)
	}
	return w, h, nil
}

// Origins returns the app's own origins ("scheme://host[:port]"), from the
// website, the redirect URIs and the start URL.
func (c *Config) Origins() []string {
	seen := map[string]bool{}
	var out []string
	for _, raw := range append([]string{c.App.Website, c.OAuth.StartURL}, c.App.RedirectURIs...) {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			continue
		}
		o := u.Scheme + "://" + strings.ToLower(u.Host)
		if !seen[o] {
			seen[o] = true
			out = append(out, o)
		}
	}
	return out
}
