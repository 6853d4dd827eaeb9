package checks

import (
	"crypto/sha256"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Rule is one audit as rules.yaml declares it: metadata and parameters are
// data; the logic that evaluates it lives in the package of its group.
type Rule struct {
	ID        string   `yaml:"id" json:"id"`
	Group     string   `yaml:"group" json:"group"` // privacy | description | oauth | record
	Severity  Severity `yaml:"severity" json:"severity"`
	Reason    Reason   `yaml:"reason" json:"reason"`
	Title     string   `yaml:"title" json:"title"`           // what passing means
	FailTitle string   `yaml:"fail_title" json:"fail_title"` // what failing means
	Fix       string   `yaml:"fix" json:"fix"`
	// FixTerminal replaces Fix for an app whose flow runs from a terminal
	// (oauth.command), where the web fix names things it does not have.
	FixTerminal string `yaml:"fix_terminal" json:"fix_terminal,omitempty"`
	Source      string `yaml:"source" json:"source"` // where the fact it rests on comes from (Pinterest's documents, public reports)
	Field       string `yaml:"field" json:"field,omitempty"`
	Disabled    bool   `yaml:"disabled" json:"disabled,omitempty"`
	Params      Params `yaml:"params" json:"params,omitempty"`

	Line int `yaml:"-" json:"-"` // line in the file that last set it
}

// Groups are the --only selections, in the order they run.
var Groups = []string{"privacy", "description", "oauth", "record"}

// Ruleset is the embedded rules.yaml, possibly extended by --rules.
type Ruleset struct {
	Rules []*Rule
	byID  map[string]*Rule
}

type rulesFile struct {
	Rules []yaml.Node `yaml:"rules"`
}

// ParseRules reads the rule definitions (the embedded rules.yaml). The
// bytes of the repository's rules.yaml are not parsed at all: rules_gen.go
// wrote what they parse to (rules_embedded.go), and that is built instead.
func ParseRules(file string, data []byte) (*Ruleset, error) {
	if sha256.Sum256(data) == embeddedRulesSum {
		rs := &Ruleset{Rules: newEmbeddedRules(), byID: map[string]*Rule{}}
		for _, r := range rs.Rules {
			rs.byID[r.ID] = r
		}
		return rs, nil
	}
	return ParseRulesYAML(file, data)
}

// ParseRulesYAML is ParseRules that always reads the YAML.
//
//go:generate go run rules_gen.go ../rules.yaml
func ParseRulesYAML(file string, data []byte) (*Ruleset, error) {
	nodes, err := ruleNodes(file, data)
	if err != nil {
		return nil, err
	}
	rs := &Ruleset{byID: map[string]*Rule{}}
	for _, n := range nodes {
		r := &Rule{Line: n.Line}
		if err := n.Decode(r); err != nil {
			return nil, yamlError(file, err)
		}
		if err := r.validate(file); err != nil {
			return nil, err
		}
		if rs.byID[r.ID] != nil {
			return nil, &ConfigError{File: file, Line: n.Line, Field: "rules.id", Msg: fmt.Sprintf("rule %s defined twice", r.ID)}
		}
		rs.Rules = append(rs.Rules, r)
		rs.byID[r.ID] = r
	}
	return rs, nil
}

func ruleNodes(file string, data []byte) ([]yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(file, err)
	}
	if len(doc.Content) == 0 {
		return nil, &ConfigError{File: file, Msg: "the file is empty; it needs a rules: list"}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, &ConfigError{File: file, Line: root.Line, Msg: "expected a mapping with a rules: list"}
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if k := root.Content[i]; k.Value != "rules" {
			return nil, &ConfigError{File: file, Line: k.Line, Field: k.Value, Msg: "unknown key (the file has one key: rules)"}
		}
	}
	var f rulesFile
	if err := root.Decode(&f); err != nil {
		return nil, yamlError(file, err)
	}
	for _, n := range f.Rules {
		if n.Kind != yaml.MappingNode {
			return nil, &ConfigError{File: file, Line: n.Line, Field: "rules", Msg: "each rule is a mapping with an id"}
		}
		if err := checkShape(file, &n, ruleShape, "rules", map[string]int{}); err != nil {
			return nil, err
		}
	}
	return f.Rules, nil
}

// ruleShape is what a rule entry may contain; params are checked separately.
var ruleShape = reflect.TypeOf(Rule{})

func (r *Rule) validate(file string) error {
	errf := func(field, format string, args ...any) error {
		return &ConfigError{File: file, Line: r.Line, Field: "rules." + field, Msg: fmt.Sprintf(format, args...)}
	}
	if r.ID == "" {
		return errf("id", "every rule needs an id")
	}
	if !slices.Contains(Groups, r.Group) {
		return errf("group", "%s: group %q, want one of %s", r.ID, r.Group, strings.Join(Groups, ", "))
	}
	if r.Severity.rank() == 0 {
		return errf("severity", "%s: severity %q, want blocker, warning or info", r.ID, r.Severity)
	}
	if !slices.Contains(Reasons, r.Reason) {
		return errf("reason", "%s: reason %q is not one of the five denial reasons", r.ID, r.Reason)
	}
	if r.Title == "" || r.FailTitle == "" || r.Fix == "" || r.Source == "" {
		return errf("title", "%s: title, fail_title, fix and source are all required", r.ID)
	}
	return nil
}

// Extend applies a user's --rules file: each entry names an existing id and
// may override severity, titles, fix, disabled and any parameter (which must
// keep the type of the default).
func (rs *Ruleset) Extend(file string, data []byte) error {
	nodes, err := ruleNodes(file, data)
	if err != nil {
		return err
	}
	for _, n := range nodes {
		var o struct {
			ID        string    `yaml:"id"`
			Severity  *Severity `yaml:"severity"`
			Title     *string   `yaml:"title"`
			FailTitle *string   `yaml:"fail_title"`
			Fix       *string   `yaml:"fix"`
			FixTerm   *string   `yaml:"fix_terminal"`
			Disabled  *bool     `yaml:"disabled"`
			Params    yaml.Node `yaml:"params"`
		}
		if err := n.Decode(&o); err != nil {
			return yamlError(file, err)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			switch k := n.Content[i]; k.Value {
			case "group", "reason", "source", "field":
				return &ConfigError{File: file, Line: k.Line, Field: "rules." + k.Value, Msg: "cannot be overridden (only severity, title, fail_title, fix, fix_terminal, disabled, params)"}
			}
		}
		r := rs.byID[o.ID]
		if r == nil {
			return &ConfigError{File: file, Line: n.Line, Field: "rules.id", Msg: fmt.Sprintf("unknown rule id %q (see `pinready rules`)", o.ID)}
		}
		if o.Severity != nil {
			if o.Severity.rank() == 0 {
				return &ConfigError{File: file, Line: n.Line, Field: "rules.severity", Msg: fmt.Sprintf("%s: severity %q, want blocker, warning or info", o.ID, *o.Severity)}
			}
			r.Severity = *o.Severity
		}
		for _, s := range []struct {
			dst *string
			src *string
		}{{&r.Title, o.Title}, {&r.FailTitle, o.FailTitle}, {&r.Fix, o.Fix}, {&r.FixTerminal, o.FixTerm}} {
			if s.src != nil {
				*s.dst = *s.src
			}
		}
		if o.Disabled != nil {
			r.Disabled = *o.Disabled
		}
		if o.Params.Kind != 0 {
			if err := r.Params.override(file, r.ID, &o.Params); err != nil {
				return err
			}
		}
		r.Line = n.Line
	}
	return nil
}

// webOnlyField are the config keys of a web flow that a terminal flow's
// findings point to oauth.command instead of.
var webOnlyField = map[string]bool{"oauth.connect_selector": true, "oauth.start_url": true, "oauth.steps": true}

// Get returns the rule with the id, or nil.
func (rs *Ruleset) Get(id string) *Rule { return rs.byID[id] }

// InGroup returns the rules of a group, in file order.
func (rs *Ruleset) InGroup(group string) []*Rule {
	var out []*Rule
	for _, r := range rs.Rules {
		if r.Group == group {
			out = append(out, r)
		}
	}
	return out
}

// NotSelected is the message of a rule outside --only's groups; human
// report formats fold these into one line.
const NotSelected = "not selected (--only)"

// Complete fills in each finding's metadata from its rule and its location
// from the config, and adds a finding for every rule that has none: skip with
// why for rules of groups that did not run, error for rules a group that ran
// forgot (none may be silently missing). Disabled rules become skip.
// The result is in rules.yaml order.

func (rs *Ruleset) Complete(findings []Finding, cfg *Config, ran map[string]bool, why map[string]string) []Finding {
	got := map[string]Finding{}
	for _, f := range findings {
		if _, dup := got[f.Rule]; !dup || f.Status == StatusFail {
			got[f.Rule] = f
		}
	}
	out := make([]Finding, 0, len(rs.Rules))
	for _, r := range rs.Rules {
		f, ok := got[r.ID]
		switch {
		case r.Disabled:
			f = Skip(r.ID, "disabled by the rules file")
		case !ok && ran[r.Group]:
			f = Errorf(r.ID, "the %s audit ran but did not evaluate this rule", r.Group)
		case !ok && why[r.Group] != "":
			f = Skip(r.ID, "%s", why[r.Group])
		case !ok:
			f = Skip(r.ID, "%s", NotSelected)
		}
		f.Severity, f.Reason, f.Fix = r.Severity, r.Reason, r.Fix
		terminal := cfg != nil && cfg.OAuth.Terminal()
		if terminal && r.FixTerminal != "" {
			f.Fix = r.FixTerminal
		}
		f.Title = r.Title
		if f.Status == StatusFail || f.Status == StatusError {
			f.Title = r.FailTitle
		}
		if f.Field == "" {
			f.Field = r.Field
			if terminal && webOnlyField[f.Field] {
				f.Field = "oauth.command" // what drives the flow instead
			}
		}
		if cfg != nil && f.Field != "" {
			if line := cfg.Line(f.Field); line > 0 {
				f.Location = &Location{File: cfg.File, Line: line}
			}
		}
		out = append(out, f)
	}
	return out
}

// ApplyIgnores turns failures listed in the config's ignore: baseline into
// skips with their reason, unless the entry has expired by today.
func ApplyIgnores(findings []Finding, cfg *Config, today time.Time) []Finding {
	if cfg == nil {
		return findings
	}
	for _, ig := range cfg.Ignore {
		for i, f := range findings {
			if f.Rule != ig.Rule || f.Status != StatusFail {
				continue
			}
			if ig.Expires != "" {
				exp, err := time.Parse("2006-01-02", ig.Expires)
				if err == nil && !today.Before(exp.AddDate(0, 0, 1)) {
					findings[i].Message += fmt.Sprintf(" (the ignore entry for this rule expired on %s)", ig.Expires)
					continue
				}
			}
			findings[i].Status = StatusSkip
			findings[i].Message = fmt.Sprintf("ignored: %s (was: %s)", ig.Reason, f.Message)
		}
	}
	return findings
}

// ReadRules parses a rules file from disk and checks its patterns: the tests
// of every package read the repository's rules.yaml with it, so they run
// against the parameters users get.
func ReadRules(path string) (*Ruleset, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &ConfigError{File: path, Msg: err.Error()}
	}
	rs, err := ParseRules(path, data)
	if err != nil {
		return nil, err
	}
	if err := rs.CompilePatterns(path); err != nil {
		return nil, err
	}
	return rs, nil
}

// paramChecks are the checks of rule parameters beyond their types, by rule
// id: the package that judges a rule knows what its parameters must say
// (description.scopes' intents name concepts and scopes) and registers the
// check with CheckParams, so a bad --rules file is an exit-2 error.
var paramChecks = map[string]func(Params) error{}

// CheckParams registers the check of a rule's parameters that
// CompilePatterns runs. The package that judges the rule calls it from init
// (so no lock: init runs before any rules load); the check is a function,
// nothing is compiled until the rules load.
func CheckParams(id string, check func(Params) error) {
	paramChecks[id] = check
}

// CompilePatterns checks every regular expression parameter ("patterns") of
// every rule, and the parameters a rule's package checks (CheckParams), so a
// bad --rules file is an exit-2 error rather than a panic or a rule that
// cannot run.
func (rs *Ruleset) CompilePatterns(file string) error {
	for _, r := range rs.Rules {
		if _, ok := r.Params["patterns"]; ok {
			for _, p := range r.Params.Strings("patterns") {
				if _, err := Regexp(p); err != nil {
					return &ConfigError{File: file, Line: r.Line, Field: "rules.params.patterns", Msg: fmt.Sprintf("%s: %v", r.ID, err)}
				}
			}
		}
		if check := paramChecks[r.ID]; check != nil {
			if err := check(r.Params); err != nil {
				return &ConfigError{File: file, Line: r.Line, Field: "rules.params", Msg: fmt.Sprintf("%s: %v", r.ID, err)}
			}
		}
	}
	return nil
}
