package redact

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

// PageScript is an expression whose value is a JavaScript function that
// takes PageRules' JSON and returns the page masker: {mask(text),
// maskTree(root, record), hides(value), …}. The scripts of oauthflow
// (evidence screenshots) and demo (the video) call it with the rules of
// their run; it holds no pattern of its own.
//
//go:embed page.js
var PageScript string

// pageRule is a Rule as page.js reads it.
type pageRule struct {
	Name        string `json:"name"`
	Source      string `json:"source"`
	Flags       string `json:"flags"`
	Fingerprint bool   `json:"fingerprint,omitempty"`
}

// pageRules is the grammar and the run's secrets, as page.js reads them.
type pageRules struct {
	Dots                  string     `json:"dots"`
	Ellipsis              string     `json:"ellipsis"`
	MaxCodeShown          int        `json:"maxCodeShown"`
	MinCodeForFingerprint int        `json:"minCodeForFingerprint"`
	MinSecret             int        `json:"minSecret"`
	Secrets               []string   `json:"secrets"` // as typed, for form fields being filled
	Rules                 []pageRule `json:"rules"`
}

// PageRules is the grammar and m's secrets as a JSON object for
// PageScript. The JSON escapes <, > and &, so it may be pasted into any
// script text. m may be nil.
func (m *Masker) PageRules() string {
	secrets := m.Secrets()
	pr := pageRules{
		Dots: Masked, Ellipsis: Ellipsis, MaxCodeShown: MaxCodeShown,
		MinCodeForFingerprint: MinCodeForFingerprint, MinSecret: MinSecret,
		Secrets: append([]string{}, secrets...), Rules: []pageRule{},
	}
	if src := secretsSource(secrets); src != "" {
		pr.Rules = append(pr.Rules, pageRule{Name: "secret", Source: src, Flags: "gi"})
	}
	for _, r := range Rules {
		pr.Rules = append(pr.Rules, pageRule{Name: r.Name, Source: r.Source(), Flags: "gi", Fingerprint: r.Fingerprint})
	}
	b, err := json.Marshal(pr)
	if err != nil {
		panic(fmt.Sprintf("redact: page rules: %v", err)) // strings only: cannot fail
	}
	return string(b)
}

// PageMasker is a script expression that builds the page masker of m:
// (PageScript)(PageRules).
func (m *Masker) PageMasker() string {
	return "(" + PageScript + ")(" + m.PageRules() + ")"
}
