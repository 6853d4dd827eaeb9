package report

import (
	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/redact"
)

// redactedReport is a copy of r whose findings went through
// redact.Finding: no report format prints URL userinfo
// (https://user:pass@host/ in app.website or app.privacy_policy_url), a
// token or a credential, whichever audit wrote the finding. r is left
// alone.
func redactedReport(r *checks.Report) *checks.Report {
	c := *r
	c.Findings = make([]checks.Finding, len(r.Findings))
	for i, f := range r.Findings {
		c.Findings[i] = redact.Finding(f)
	}
	return &c
}
