package checks

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// The contract's rule ids (DESIGN.md) must all be in rules.yaml, in their
// contract severity and reason.
func TestRulesYAMLHasContractIDs(t *testing.T) {
	rs := loadRules(t)
	contract := map[string][2]string{
		"privacy.url": {"blocker", "privacy-policy"}, "privacy.reachable": {"blocker", "privacy-policy"},
		"privacy.public": {"blocker", "privacy-policy"}, "privacy.renders": {"blocker", "privacy-policy"},
		"privacy.https": {"warning", "privacy-policy"}, "privacy.format": {"warning", "privacy-policy"},
		"privacy.hosting": {"blocker", "privacy-policy"}, "privacy.domain": {"blocker", "privacy-policy"},
		"privacy.is-policy": {"blocker", "privacy-policy"}, "privacy.placeholder": {"blocker", "privacy-policy"},
		"privacy.names-app": {"warning", "privacy-policy"}, "privacy.topics": {"warning", "privacy-policy"},
		"privacy.pinterest": {"info", "privacy-policy"}, "privacy.updated": {"info", "privacy-policy"},
		"privacy.linked": {"warning", "privacy-policy"}, "site.homepage": {"warning", "app-description"},
		"app.name": {"warning", "app-description"}, "description.length": {"blocker", "app-description"},
		"description.placeholder": {"blocker", "app-description"}, "description.pinterest-use": {"blocker", "app-description"},
		"description.scopes": {"warning", "app-description"}, "description.audience": {"warning", "app-description"},
		"description.red-flags": {"warning", "app-description"}, "oauth.authorize": {"blocker", "demo-auth-flow"},
		"oauth.client-id": {"blocker", "demo-auth-flow"}, "oauth.response-type": {"blocker", "demo-oauth-approved"},
		"oauth.redirect-uri": {"blocker", "demo-auth-flow"}, "oauth.redirect-https": {"warning", "demo-auth-flow"},
		"oauth.state": {"warning", "demo-oauth-approved"}, "oauth.scopes": {"warning", "demo-auth-flow"},
		"oauth.no-credentials": {"blocker", "demo-oauth-approved"}, "oauth.consent": {"blocker", "demo-auth-flow"},
		"oauth.callback": {"blocker", "demo-auth-flow"}, "oauth.token-exposure": {"blocker", "demo-oauth-approved"},
		"demo.live-integration": {"blocker", "demo-live-integration"}, "demo.video": {"info", "demo-auth-flow"},
		// Added in the next release: Trial's production trap (code 29).
		"demo.trial-sandbox": {"blocker", "demo-live-integration"},
	}
	for id, want := range contract {
		r := rs.Get(id)
		if r == nil {
			t.Errorf("rules.yaml lacks contract rule %s", id)
			continue
		}
		if string(r.Severity) != want[0] || string(r.Reason) != want[1] {
			t.Errorf("%s: %s/%s, contract says %s/%s", id, r.Severity, r.Reason, want[0], want[1])
		}
		if !strings.HasPrefix(r.Source, "K:") {
			t.Errorf("%s: source %q does not cite KNOWLEDGE.md", id, r.Source)
		}
	}
	if len(rs.Rules) != len(contract) {
		t.Errorf("rules.yaml has %d rules, contract %d: update the contract test with new rules", len(rs.Rules), len(contract))
	}
}

func TestExtendOverrides(t *testing.T) {
	rs := loadRules(t)
	user := `rules:
  - id: description.length
    severity: warning
    params: {min_words: 60}
  - id: privacy.updated
    disabled: true
`
	if err := rs.Extend("mine.yaml", []byte(user)); err != nil {
		t.Fatal(err)
	}
	if r := rs.Get("description.length"); r.Severity != SeverityWarning || r.Params.Int("min_words") != 60 {
		t.Fatalf("override not applied: %+v", r)
	}
	got := rs.Complete(nil, nil, map[string]bool{}, nil)
	i := slices.IndexFunc(got, func(f Finding) bool { return f.Rule == "privacy.updated" })
	if got[i].Status != StatusSkip || !strings.Contains(got[i].Message, "disabled") {
		t.Fatalf("disabled rule reported as %+v", got[i])
	}
}

func TestExtendErrors(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"unknown id", "rules:\n  - id: privacy.nope\n", "mine.yaml:2: rules.id: unknown rule id"},
		{"unknown param", "rules:\n  - id: description.length\n    params:\n      max_words: 3\n", "mine.yaml:4: rules.params.max_words"},
		{"param type", "rules:\n  - id: description.length\n    params:\n      min_words: many\n", "mine.yaml:4: rules.params.min_words: description.length: want a number"},
		{"list type", "rules:\n  - id: description.red-flags\n    params:\n      patterns: bulk\n", "want a list"},
		{"bad severity", "rules:\n  - id: app.name\n    severity: fatal\n", "want blocker, warning or info"},
		{"reason fixed", "rules:\n  - id: app.name\n    reason: privacy-policy\n", "cannot be overridden"},
		{"unknown key", "rules:\n  - id: app.name\n    colour: red\n", "mine.yaml:3: rules.colour: unknown key"},
		{"top key", "checks: []\n", "mine.yaml:1: checks: unknown key"},
		{"bad duration", "rules:\n  - id: privacy.reachable\n    params:\n      max_retry_after: soon\n", "want a duration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := loadRules(t).Extend("mine.yaml", []byte(tt.yaml))
			var ce *ConfigError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want a ConfigError containing %q", err, tt.want)
			}
		})
	}
}

func TestCompilePatternsRejectsBadRegexp(t *testing.T) {
	rs := loadRules(t)
	if err := rs.Extend("mine.yaml", []byte("rules:\n  - id: description.red-flags\n    params:\n      patterns: ['(unclosed']\n")); err != nil {
		t.Fatal(err)
	}
	if err := rs.CompilePatterns("mine.yaml"); err == nil || !regexp.MustCompile(`mine\.yaml:2: .*description\.red-flags`).MatchString(err.Error()) {
		t.Fatalf("err = %v, want it to name mine.yaml:2 and the rule", err)
	}
}

func TestCompleteAndVerdict(t *testing.T) {
	rs := loadRules(t)
	cfg, err := ParseConfig("p.yaml", []byte(goodConfig))
	if err != nil {
		t.Fatal(err)
	}
	findings := []Finding{
		Fail("description.length", "3 words"),
		Pass("app.name", "ok"),
	}
	got := rs.Complete(findings, cfg, map[string]bool{"description": true}, map[string]string{"oauth": "not implemented yet"})
	if len(got) != len(rs.Rules) {
		t.Fatalf("Complete returned %d findings for %d rules", len(got), len(rs.Rules))
	}
	by := map[string]Finding{}
	for _, f := range got {
		by[f.Rule] = f
	}
	if f := by["description.length"]; f.Severity != SeverityBlocker || f.Title != rs.Get("description.length").FailTitle || f.Location == nil || f.Location.Line != 8 {
		t.Errorf("description.length completed as %+v (location %+v)", f, f.Location)
	}
	if f := by["description.scopes"]; f.Status != StatusError {
		t.Errorf("a rule its group forgot should be error, got %s", f.Status)
	}
	if f := by["oauth.consent"]; f.Status != StatusSkip || f.Message != "not implemented yet" {
		t.Errorf("oauth.consent = %s %q", f.Status, f.Message)
	}
	if f := by["privacy.url"]; f.Status != StatusSkip || !strings.Contains(f.Message, "--only") {
		t.Errorf("privacy.url = %s %q", f.Status, f.Message)
	}
	r := NewReport(Tool{"pinready", "test"}, AppRef{"A", "p.yaml"}, got, nil)
	if r.Verdict != VerdictLikelyDenied || r.Summary.Passed != 1 {
		t.Errorf("verdict %s, summary %+v", r.Verdict, r.Summary)
	}
	for _, tt := range []struct {
		on   FailOn
		want bool
	}{{FailOnBlocker, true}, {FailOnWarning, true}, {FailOnNever, false}} {
		if got := r.Fails(tt.on); got != tt.want {
			t.Errorf("Fails(%s) = %v, want %v", tt.on, got, tt.want)
		}
	}
}

func TestVerdictWarningsOnly(t *testing.T) {
	r := NewReport(Tool{}, AppRef{}, []Finding{
		{Rule: "a", Status: StatusFail, Severity: SeverityWarning},
		{Rule: "b", Status: StatusPass, Severity: SeverityBlocker},
		{Rule: "c", Status: StatusFail, Severity: SeverityInfo},
	}, nil)
	if r.Verdict != VerdictAtRisk || r.Fails(FailOnBlocker) || !r.Fails(FailOnWarning) {
		t.Fatalf("verdict %s, fails(blocker) %v, fails(warning) %v", r.Verdict, r.Fails(FailOnBlocker), r.Fails(FailOnWarning))
	}
}

func TestApplyIgnores(t *testing.T) {
	cfg := &Config{Ignore: []Ignore{
		{Rule: "privacy.updated", Reason: "date added next sprint", Expires: "2026-12-31"},
		{Rule: "app.name", Reason: "legacy name", Expires: "2026-01-01"},
	}}
	fs := ApplyIgnores([]Finding{Fail("privacy.updated", "no date"), Fail("app.name", "has Pinterest")}, cfg, time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC))
	if fs[0].Status != StatusSkip || !strings.Contains(fs[0].Message, "date added next sprint") {
		t.Errorf("ignored finding = %+v", fs[0])
	}
	if fs[1].Status != StatusFail || !strings.Contains(fs[1].Message, "expired") {
		t.Errorf("expired ignore = %+v", fs[1])
	}
}

// A terminal flow's findings carry the rule's terminal fix and point at
// oauth.command where the web rule points at a web-only key.
func TestCompleteTerminalFix(t *testing.T) {
	rs := loadRules(t)
	cfg, err := ParseConfig("pinready.yaml", []byte("app:\n  name: A\noauth:\n  command: [python3, x.py]\n"))
	if err != nil {
		t.Fatal(err)
	}
	fs := rs.Complete([]Finding{Fail("oauth.authorize", "no"), Fail("oauth.state", "no")}, cfg, map[string]bool{}, nil)
	for _, f := range fs {
		switch f.Rule {
		case "oauth.authorize":
			if !strings.Contains(f.Fix, "oauth.command") || f.Location == nil || f.Location.Line != 4 {
				t.Errorf("oauth.authorize: fix %q, location %+v", f.Fix, f.Location)
			}
		case "oauth.state":
			if !strings.Contains(f.Fix, "each run") {
				t.Errorf("oauth.state: fix %q", f.Fix)
			}
		}
	}
	web, _ := ParseConfig("pinready.yaml", []byte("app:\n  name: A\n"))
	for _, f := range rs.Complete([]Finding{Fail("oauth.authorize", "no")}, web, map[string]bool{}, nil) {
		if f.Rule == "oauth.authorize" && strings.Contains(f.Fix, "oauth.command") {
			t.Errorf("a web app gets the terminal fix: %q", f.Fix)
		}
	}
}

func loadRules(t testing.TB) *Ruleset {
	t.Helper()
	rs, err := ReadRules("../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return rs
}
