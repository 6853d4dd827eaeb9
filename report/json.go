package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/pinready/pinready/checks"
)

// JSON is the contract's report (README, "JSON report"): the checks.Report struct as is (its field order
// is the contract's), 2-space indent, trailing newline.
type JSON struct{}

func (JSON) Write(w io.Writer, r *checks.Report) error {
	out := *redactedReport(r)
	// Scripts index these arrays; null would break `.findings | length`.
	if out.Findings == nil {
		out.Findings = []checks.Finding{}
	}
	if out.Artifacts == nil {
		out.Artifacts = []checks.Artifact{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// URLs and excerpts keep & < > readable; the report is not embedded in HTML.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&out); err != nil {
		return fmt.Errorf("write JSON report: %w", err)
	}
	return nil
}
