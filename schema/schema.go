// Package schema holds the JSON Schema of pinready.yaml, for editors
// (yaml-language-server, VS Code, JetBrains) to complete and check the
// config as it is typed. pinready itself loads configs with checks.LoadConfig,
// which is the authority; tests keep the two in step.
package schema

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// JSON is schema/pinready.schema.json (draft 2020-12).
//
//go:embed pinready.schema.json
var JSON []byte

// URL is the schema's $id, the address README's modeline points editors at.
const URL = "https://raw.githubusercontent.com/pinready/pinready/main/schema/pinready.schema.json"

var compiled = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(JSON))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(URL, doc); err != nil {
		return nil, err
	}
	return c.Compile(URL)
})

// Validate checks YAML config text against the schema, the way an editor
// sees it.
func Validate(yamlText []byte) error {
	s, err := compiled()
	if err != nil {
		return fmt.Errorf("compile the pinready.yaml schema: %w", err)
	}
	inst, err := FromYAML(yamlText)
	if err != nil {
		return err
	}
	return s.Validate(inst)
}

// FromYAML converts YAML to the JSON value an editor's YAML language server
// validates: YAML 1.2 scalars, so a date or a version stays a string, while
// numbers and booleans keep their type (and fail where text is wanted).
func FromYAML(text []byte) (any, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	v, err := nodeValue(doc.Content[0])
	if err != nil {
		return nil, err
	}
	// Round-trip through JSON so numbers are what the validator expects.
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(data))
}

func nodeValue(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.AliasNode:
		return nodeValue(n.Alias)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := nodeValue(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := nodeValue(c)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	}
	switch n.Tag {
	case "!!null":
		return nil, nil
	case "!!bool":
		return strconv.ParseBool(n.Value)
	case "!!int", "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, err
		}
		return f, nil
	}
	return n.Value, nil
}
