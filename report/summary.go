package report

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/pinready/pinready/checks"
)

// AppOutcome is one app's result in a run over several configs.
type AppOutcome struct {
	Name       string // unique, file-system safe: the config's base name
	Report     *checks.Report
	Incomplete bool // a selected check could not run
}

// Combined is the JSON of a run over several configs (stdout with --format
// json, or summary.json in --output-dir): each app's report as the contract
// gives it, and a summary of verdicts.
type Combined struct {
	SchemaVersion int               `json:"schema_version"`
	Tool          checks.Tool       `json:"tool"`
	Summary       map[string]int    `json:"summary"` // apps, ready, at-risk, likely-denied, errors
	Reports       []*checks.Report  `json:"reports"`
	Outputs       map[string]string `json:"outputs,omitempty"` // app -> its report directory
}

// NewCombined counts the verdicts of apps; outputs may be nil.
func NewCombined(tool checks.Tool, apps []AppOutcome, outputs map[string]string) *Combined {
	sum := map[string]int{"apps": len(apps), string(checks.VerdictReady): 0, string(checks.VerdictAtRisk): 0,
		string(checks.VerdictLikelyDenied): 0, "errors": 0}
	c := &Combined{SchemaVersion: checks.SchemaVersion, Tool: tool, Summary: sum, Outputs: outputs}
	for _, a := range apps {
		sum[string(a.Report.Verdict)]++
		if a.Incomplete {
			sum["errors"]++
		}
		c.Reports = append(c.Reports, a.Report)
	}
	return c
}

// WriteJSON writes the combined report as indented JSON.
func (c *Combined) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(c)
}

// WriteSummaryTable is the one table a person reads after a multi-app run.
func WriteSummaryTable(w io.Writer, apps []AppOutcome) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "app\tconfig\tverdict\tblockers\twarnings\tpassed")
	for _, a := range apps {
		s := a.Report.Summary
		verdict := string(a.Report.Verdict)
		if a.Incomplete {
			verdict += " (incomplete)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\n", a.Report.App.Name, a.Report.App.Config, verdict, s.Blocker, s.Warning, s.Passed)
	}
	return tw.Flush()
}
