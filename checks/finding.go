// Package checks is the vocabulary every other pinready package speaks: the
// configuration, the rules, the findings they produce, the report and the exit
// code derived from it. It also holds the description audit, which is pure text.
// It imports no other package of ours.
package checks

import "fmt"

// Status is the outcome of evaluating one rule.
type Status string

const (
	StatusPass  Status = "pass"
	StatusFail  Status = "fail"
	StatusSkip  Status = "skip"
	StatusError Status = "error" // the rule could not be evaluated (e.g. the browser crashed)
)

// Severity says how much a failing rule matters to the reviewers.
type Severity string

const (
	SeverityBlocker Severity = "blocker" // Pinterest denies applications that fail it
	SeverityWarning Severity = "warning" // often denied, or unconfirmed
	SeverityInfo    Severity = "info"    // helps the application, never decides it
)

// rank orders severities for --fail-on; a higher rank is more severe.
func (s Severity) rank() int {
	switch s {
	case SeverityBlocker:
		return 3
	case SeverityWarning:
		return 2
	case SeverityInfo:
		return 1
	}
	return 0
}

// Reason is one of Pinterest's five denial reasons (README, "The five
// denial reasons"; each rule's reason is in rules.yaml).
type Reason string

const (
	ReasonPrivacyPolicy       Reason = "privacy-policy"
	ReasonAppDescription      Reason = "app-description"
	ReasonDemoAuthFlow        Reason = "demo-auth-flow"
	ReasonDemoOAuthApproved   Reason = "demo-oauth-approved"
	ReasonDemoLiveIntegration Reason = "demo-live-integration"
)

// Reasons lists the denial reasons in the order reports present them.
var Reasons = []Reason{ReasonPrivacyPolicy, ReasonAppDescription, ReasonDemoAuthFlow, ReasonDemoOAuthApproved, ReasonDemoLiveIntegration}

// ReasonTitles are Pinterest's own words for each denial reason.
var ReasonTitles = map[Reason]string{
	ReasonPrivacyPolicy:       "Privacy policy is inaccurate or not accessible",
	ReasonAppDescription:      "App description is incomplete or unclear",
	ReasonDemoAuthFlow:        "Demo video does not show the authentication flow",
	ReasonDemoOAuthApproved:   "Demo does not demonstrate an approved user authorization flow",
	ReasonDemoLiveIntegration: "Demo video does not show live Pinterest integration",
}

// Finding is the result of one rule, as the JSON report publishes it.
// Audits fill Rule, Status, Message, Evidence and Field; Ruleset.Complete adds
// the rule's metadata and the config location.
type Finding struct {
	Rule     string    `json:"rule"`
	Status   Status    `json:"status"`
	Severity Severity  `json:"severity"`
	Reason   Reason    `json:"reason"`
	Title    string    `json:"title"`
	Message  string    `json:"message"`
	Fix      string    `json:"fix,omitempty"`
	Evidence *Evidence `json:"evidence,omitempty"`
	Location *Location `json:"location,omitempty"`
	// BlockedBy names the rule whose failure kept this one from being judged
	// (the root cause); the finding is then a skip, never a failure, so the
	// verdict and the exit code count each root cause once.
	BlockedBy string `json:"blocked_by,omitempty"`

	// Field is the config key the finding is about ("app.privacy_policy_url",
	// "oauth.steps[2]"); Complete turns it into Location.
	Field string `json:"-"`
}

// Evidence is what a reviewer would look at to confirm a finding.
type Evidence struct {
	URL        string   `json:"url,omitempty"`
	Status     int      `json:"status,omitempty"`    // HTTP status of the final response
	Redirects  []string `json:"redirects,omitempty"` // the chain, first request first
	Excerpt    string   `json:"excerpt,omitempty"`
	Screenshot string   `json:"screenshot,omitempty"` // path of a PNG
	// Detail keeps what the message put in plain words, as it was: the raw
	// error, or a long value (a state, a URL) the message shortened.
	Detail string `json:"detail,omitempty"`
}

// Location points into the config file.
type Location struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

// Failed reports whether the finding counts against the application.
func (f Finding) Failed() bool { return f.Status == StatusFail }

// Pass, Fail, Skip and Errorf build findings for a rule id; the message is
// formatted like fmt.Sprintf.
func Pass(rule, format string, args ...any) Finding {
	return Finding{Rule: rule, Status: StatusPass, Message: fmt.Sprintf(format, args...)}
}

func Fail(rule, format string, args ...any) Finding {
	return Finding{Rule: rule, Status: StatusFail, Message: fmt.Sprintf(format, args...)}
}

func Skip(rule, format string, args ...any) Finding {
	return Finding{Rule: rule, Status: StatusSkip, Message: fmt.Sprintf(format, args...)}
}

func Errorf(rule, format string, args ...any) Finding {
	return Finding{Rule: rule, Status: StatusError, Message: fmt.Sprintf(format, args...)}
}

// Blocked is the skip of a rule that could not be judged because root
// failed: "not reached: ROOT failed".
func Blocked(rule, root string) Finding {
	return Finding{Rule: rule, Status: StatusSkip, Message: "not reached: " + root + " failed", BlockedBy: root}
}

// Shorten cuts s to at most n characters (runes) for a message, marking the
// cut with an ellipsis; the whole value belongs in Evidence.Detail.
func Shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:max(n-1, 1)]) + "…"
}

// With returns f with evidence attached.
func (f Finding) With(e *Evidence) Finding { f.Evidence = e; return f }

// About returns f pointing at a config field.
func (f Finding) About(field string) Finding { f.Field = field; return f }
