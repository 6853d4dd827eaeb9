package checks

// SchemaVersion of the JSON report; bump only with a contract change.
const SchemaVersion = 1

// Verdict summarises a report in the reviewers' terms.
type Verdict string

const (
	VerdictReady        Verdict = "ready"
	VerdictAtRisk       Verdict = "at-risk"
	VerdictLikelyDenied Verdict = "likely-denied"
)

// Report is the JSON report users and CI parse (README, "JSON report");
// every format renders it.
type Report struct {
	SchemaVersion int     `json:"schema_version"`
	Tool          Tool    `json:"tool"`
	App           AppRef  `json:"app"`
	Verdict       Verdict `json:"verdict"`
	// Interrupted says the run was stopped (Ctrl-C, SIGTERM) before it
	// finished: the rules it did not reach are skipped, so the verdict
	// covers only what finished. Omitted when false.
	Interrupted bool `json:"interrupted,omitempty"`
	// CutShort marks a report written while the run was still going,
	// before a step that could hang or be killed (the browser's OAuth flow,
	// encoding the video): the rules not reached by then are skipped. The
	// finished run replaces it; a report that still says so is from a run
	// that never finished (killed, out of memory). Omitted when false.
	CutShort  bool       `json:"cut_short,omitempty"`
	Summary   Summary    `json:"summary"`
	Findings  []Finding  `json:"findings"`
	Artifacts []Artifact `json:"artifacts"`
}

// Tool names the program that wrote the report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// AppRef names the audited app and the config it came from.
type AppRef struct {
	Name   string `json:"name"`
	Config string `json:"config"`
}

// Summary counts failing findings by severity, and passes and skips.
// Errors count with the severity of their rule: a rule that could not be
// judged is not a pass.
type Summary struct {
	Blocker int `json:"blocker"`
	Warning int `json:"warning"`
	Info    int `json:"info"`
	Passed  int `json:"passed"`
	Skipped int `json:"skipped"`
}

// Artifact is a file the run produced.
type Artifact struct {
	Kind string `json:"kind"` // video | screenshot | storyboard | trace | report
	Path string `json:"path"`
	// SHA256 is the hex SHA-256 of the file, for files another command
	// must be sure of: record's video, which pack refuses unless it is the
	// very file record.json describes. Omitted for the others.
	SHA256 string `json:"sha256,omitempty"`
}

// NewReport computes the summary and verdict for completed findings.
func NewReport(tool Tool, app AppRef, findings []Finding, artifacts []Artifact) *Report {
	r := &Report{SchemaVersion: SchemaVersion, Tool: tool, App: app, Findings: findings, Artifacts: artifacts}
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	if r.Artifacts == nil {
		r.Artifacts = []Artifact{}
	}
	for _, f := range findings {
		switch f.Status {
		case StatusPass:
			r.Summary.Passed++
		case StatusSkip:
			r.Summary.Skipped++
		case StatusFail, StatusError:
			switch f.Severity {
			case SeverityBlocker:
				r.Summary.Blocker++
			case SeverityWarning:
				r.Summary.Warning++
			default:
				r.Summary.Info++
			}
		}
	}
	switch {
	case r.Summary.Blocker > 0:
		r.Verdict = VerdictLikelyDenied
	case r.Summary.Warning > 0:
		r.Verdict = VerdictAtRisk
	default:
		r.Verdict = VerdictReady
	}
	return r
}

// FailOn is the --fail-on threshold.
type FailOn string

const (
	FailOnBlocker FailOn = "blocker"
	FailOnWarning FailOn = "warning"
	FailOnNever   FailOn = "never"
)

// FailOns are the --fail-on thresholds, from the default.
var FailOns = []FailOn{FailOnBlocker, FailOnWarning, FailOnNever}

// Fails reports whether any finding is failing (or unjudgeable) at or above
// the threshold. It depends on the findings only, never on the format; the
// CLI turns it into an exit code.
func (r *Report) Fails(threshold FailOn) bool {
	for _, f := range r.Findings {
		if threshold.Fails(f) {
			return true
		}
	}
	return false
}

// Fails reports whether a finding counts against the threshold: failing (or
// unjudgeable) at its severity or above.
func (threshold FailOn) Fails(f Finding) bool {
	if threshold == FailOnNever {
		return false
	}
	return (f.Status == StatusFail || f.Status == StatusError) && f.Severity.rank() >= Severity(threshold).rank()
}
