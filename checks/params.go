package checks

import (
	"fmt"
	"time"

	"go.yaml.in/yaml/v3"
)

// Params are a rule's tunable parameters: thresholds, word lists, host lists.
// Accessors panic on a missing or mistyped key, which only a bug in our own
// code can cause: user overrides are type-checked when they are loaded.
type Params map[string]any

func (p Params) get(key string) any {
	v, ok := p[key]
	if !ok {
		panic(fmt.Sprintf("rules.yaml: missing parameter %q", key))
	}
	return v
}

// Int returns an integer parameter.
func (p Params) Int(key string) int {
	switch v := p.get(key).(type) {
	case int:
		return v
	case float64:
		return int(v)
	}
	panic(fmt.Sprintf("rules.yaml: parameter %q is not a number", key))
}

// Float returns a number parameter.
func (p Params) Float(key string) float64 {
	switch v := p.get(key).(type) {
	case int:
		return float64(v)
	case float64:
		return v
	}
	panic(fmt.Sprintf("rules.yaml: parameter %q is not a number", key))
}

// String returns a text parameter.
func (p Params) String(key string) string {
	if s, ok := p.get(key).(string); ok {
		return s
	}
	panic(fmt.Sprintf("rules.yaml: parameter %q is not text", key))
}

// Duration returns a text parameter parsed as a Go duration ("2s").
func (p Params) Duration(key string) time.Duration {
	d, err := time.ParseDuration(p.String(key))
	if err != nil {
		panic(fmt.Sprintf("rules.yaml: parameter %q: %v", key, err))
	}
	return d
}

// Strings returns a list-of-text parameter.
func (p Params) Strings(key string) []string {
	list, ok := p.get(key).([]any)
	if !ok {
		panic(fmt.Sprintf("rules.yaml: parameter %q is not a list", key))
	}
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = fmt.Sprint(v)
	}
	return out
}

// StringLists returns a mapping of lists of text (e.g. scope -> words).
func (p Params) StringLists(key string) map[string][]string {
	m, ok := asMap(p.get(key))
	if !ok {
		panic(fmt.Sprintf("rules.yaml: parameter %q is not a mapping", key))
	}
	out := map[string][]string{}
	for k, v := range m {
		list, _ := v.([]any)
		for _, s := range list {
			out[k] = append(out[k], fmt.Sprint(s))
		}
	}
	return out
}

// override replaces parameters from a user's rules file. Each key must exist
// and keep its kind (number, text, list, mapping), so no user file can make
// an accessor panic.
func (p Params) override(file, id string, n *yaml.Node) error {
	var m map[string]yaml.Node
	if err := n.Decode(&m); err != nil {
		return &ConfigError{File: file, Line: n.Line, Field: "rules.params", Msg: id + ": params must be a mapping"}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		old, ok := p[k.Value]
		if !ok {
			return &ConfigError{File: file, Line: k.Line, Field: "rules.params." + k.Value, Msg: fmt.Sprintf("%s has no parameter %q", id, k.Value)}
		}
		var nv any
		if err := v.Decode(&nv); err != nil {
			return yamlError(file, err)
		}
		if kindOf(old) != kindOf(nv) || !sameElems(old, nv) {
			return &ConfigError{File: file, Line: v.Line, Field: "rules.params." + k.Value, Msg: fmt.Sprintf("%s: want %s like the default", id, kindOf(old))}
		}
		if _, isDur := old.(string); isDur {
			if _, err := time.ParseDuration(old.(string)); err == nil {
				if _, err := time.ParseDuration(nv.(string)); err != nil {
					return &ConfigError{File: file, Line: v.Line, Field: "rules.params." + k.Value, Msg: fmt.Sprintf("%s: want a duration like %q", id, old)}
				}
			}
		}
		p[k.Value] = nv
	}
	return nil
}

func kindOf(v any) string {
	switch v.(type) {
	case int, float64:
		return "a number"
	case string:
		return "text"
	case []any:
		return "a list"
	case map[string]any, Params:
		return "a mapping"
	case bool:
		return "true or false"
	}
	return fmt.Sprintf("%T", v)
}

// sameElems checks that mappings hold lists, as every mapping parameter does.
func sameElems(old, nv any) bool {
	if _, ok := asMap(old); !ok {
		return true
	}
	m, _ := asMap(nv)
	for _, v := range m {
		if _, ok := v.([]any); !ok {
			return false
		}
	}
	return true
}

// asMap accepts both shapes yaml.v3 gives a nested mapping: decoded inside a
// Params it is a Params, decoded on its own a map[string]any.
func asMap(v any) (map[string]any, bool) {
	switch m := v.(type) {
	case Params:
		return m, true
	case map[string]any:
		return m, true
	}
	return nil, false
}
