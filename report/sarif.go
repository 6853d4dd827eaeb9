package report

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/pinready/pinready/checks"
)

// SARIF is SARIF 2.1.0 for GitHub code scanning and other SARIF viewers:
// every rule in tool.driver.rules, a result for each failing or unjudgeable
// finding, anchored in pinready.yaml.
type SARIF struct {
	Rules      *checks.Ruleset
	ConfigPath string // pinready.yaml as given; made relative for the artifact URI
}

const (
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifVersion = "2.1.0"
	infoURI      = "https://github.com/pinready/pinready"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifText      `json:"help"`
	DefaultConfiguration sarifRuleConf  `json:"defaultConfiguration"`
	Properties           sarifRuleProps `json:"properties"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRuleConf struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Reason   checks.Reason   `json:"reason"`
	Severity checks.Severity `json:"severity"`
	Tags     []string        `json:"tags"` // GitHub shows tags as filters
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex *int            `json:"ruleIndex,omitempty"` // absent when the rule is not in the driver
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

// sarifLevel maps pinready severities to SARIF levels.
func sarifLevel(s checks.Severity) string {
	switch s {
	case checks.SeverityBlocker:
		return "error"
	case checks.SeverityWarning:
		return "warning"
	}
	return "note"
}

func (s *SARIF) Write(w io.Writer, r *checks.Report) error {
	r = redactedReport(r)
	driver := sarifDriver{Name: "pinready", Version: r.Tool.Version, InformationURI: infoURI, Rules: []sarifRule{}}
	index := map[string]int{}
	if s.Rules != nil {
		for _, rule := range s.Rules.Rules {
			index[rule.ID] = len(driver.Rules)
			driver.Rules = append(driver.Rules, sarifRule{
				ID:                   rule.ID,
				Name:                 ruleName(rule.ID),
				ShortDescription:     sarifText{rule.Title},
				FullDescription:      sarifText{rule.FailTitle},
				Help:                 sarifText{rule.Fix},
				DefaultConfiguration: sarifRuleConf{sarifLevel(rule.Severity)},
				Properties:           sarifRuleProps{Reason: rule.Reason, Severity: rule.Severity, Tags: []string{"pinready", string(rule.Reason)}},
			})
		}
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, Results: []sarifResult{}}
	for _, f := range r.Findings {
		if f.Status != checks.StatusFail && f.Status != checks.StatusError {
			continue
		}
		res := sarifResult{RuleID: f.Rule, Level: sarifLevel(f.Severity), Message: sarifText{resultMessage(f)}}
		if i, ok := index[f.Rule]; ok {
			res.RuleIndex = &i
		}
		res.Locations = []sarifLocation{s.location(f, r)}
		run.Results = append(run.Results, res)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}); err != nil {
		return fmt.Errorf("write SARIF report: %w", err)
	}
	return nil
}

// location anchors every result in the config file. GitHub code scanning
// rejects a whole upload when any result has no location ("expected at least
// one location"), and most pinready findings are about a config value anyway;
// a finding with no config line points at line 1, the top of the file.
func (s *SARIF) location(f checks.Finding, r *checks.Report) sarifLocation {
	file, line := s.ConfigPath, 1
	if f.Location != nil {
		if file == "" {
			file = f.Location.File
		}
		if f.Location.Line > 0 {
			line = f.Location.Line
		}
	}
	if file == "" {
		file = r.App.Config
	}
	if file == "" {
		file = "pinready.yaml"
	}
	return sarifLocation{sarifPhysical{ArtifactLocation: sarifArtifact{URI: artifactURI(file)}, Region: sarifRegion{StartLine: line}}}
}

// artifactURI makes the config path a relative URI: code scanning resolves
// it against the repository root, where CI runs pinready. An absolute path
// under the working directory is made relative; one outside stays a file URI.
func artifactURI(path string) string {
	if filepath.IsAbs(path) {
		if wd, err := filepath.Abs("."); err == nil {
			if rel, err := filepath.Rel(wd, path); err == nil && !strings.HasPrefix(rel, "..") {
				return filepath.ToSlash(rel)
			}
		}
		return "file://" + filepath.ToSlash(path)
	}
	return strings.TrimPrefix(filepath.ToSlash(filepath.Clean(path)), "./")
}

// resultMessage is what the annotation shows: the finding and its fix.
func resultMessage(f checks.Finding) string {
	msg := f.Title + ": " + f.Message
	if f.Status == checks.StatusError {
		msg = f.Title + " (could not be evaluated): " + f.Message
	}
	if f.Fix != "" {
		msg += "\nFix: " + f.Fix
	}
	return msg
}

// ruleName turns "privacy.is-policy" into "PrivacyIsPolicy": SARIF's name is
// an identifier-like form of the id that viewers show next to it.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '.' || r == '-' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}
