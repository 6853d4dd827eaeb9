package report

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/pinready/pinready/checks"
)

// AppOutcome is one app's result in a run over several configs.
type AppOutcome struct {
	Name       string // unique, file-system safe: the config's base name
	Report     *checks.Report
	Incomplete bool // a selected check could not run
	Timing          // zero when not measured
}

// Timing is where an app's wall time went, as the audit measures it
// (internal/pipeline) and the summary shows it: Wall from its first check
// to its report (time spent queued behind --jobs not counted), and the
// step that took longest, a check ("privacy", "description") or a step of
// the OAuth flow ("oauth consent", "oauth setup"). It changes from run to
// run: it is not evidence, and stays out of the app's report.
type Timing struct {
	Wall        time.Duration
	Slowest     string
	SlowestTook time.Duration
}

// Consider makes name the slowest step if it took longer than the slowest
// so far.
func (t *Timing) Consider(name string, took time.Duration) {
	if t.Slowest == "" || took > t.SlowestTook {
		t.Slowest, t.SlowestTook = name, took
	}
}

// AppLine is one app's line of the combined summary: what the text table
// shows, for scripts. Times change from run to run; they are not evidence.
type AppLine struct {
	Name    string         `json:"name"`
	Config  string         `json:"config"`
	Verdict checks.Verdict `json:"verdict"`
	// Incomplete: a selected check could not run.
	Incomplete  bool         `json:"incomplete,omitempty"`
	Interrupted bool         `json:"interrupted,omitempty"`
	WallMS      int64        `json:"wall_ms"`
	SlowestStep *SlowestStep `json:"slowest_step,omitempty"`
}

// SlowestStep is the step of an app's audit that took longest.
type SlowestStep struct {
	Name string `json:"name"`
	MS   int64  `json:"ms"`
}

// Combined is the JSON of a run over several configs (stdout with --format
// json, or summary.json in --output-dir): each app's report as the contract
// gives it, and a summary of verdicts.
type Combined struct {
	SchemaVersion int            `json:"schema_version"`
	Tool          checks.Tool    `json:"tool"`
	Summary       map[string]int `json:"summary"` // apps, ready, at-risk, likely-denied, errors
	// Apps has one line per app, in the order of Reports: its verdict, its
	// wall time and its slowest step.
	Apps    []AppLine         `json:"apps"`
	Reports []*checks.Report  `json:"reports"`
	Outputs map[string]string `json:"outputs,omitempty"` // app -> its report directory
	// CPU is where the run's CPU time went; omitted when not measured.
	CPU *CPUTime `json:"cpu,omitempty"`
	// Shard says which part of a run this summary holds (`check --shard
	// K/N`), for `pinready merge`; omitted in a whole run's summary.
	Shard *ShardPart `json:"shard,omitempty"`
}

// CPUTime is a run's CPU time (user and system), all processes counted:
// pinready's own and Chromium's. Like wall times, it is not evidence.
type CPUTime struct {
	TotalMS    int64 `json:"total_ms"`
	ChromiumMS int64 `json:"chromium_ms"` // the part spent in Chromium's processes
	// ChromiumPercent is ChromiumMS as a whole percentage of TotalMS.
	ChromiumPercent int `json:"chromium_percent"`
}

// NewCPUTime is the summary's CPU figures for a run's total and Chromium's
// part of it.
func NewCPUTime(total, chromium time.Duration) *CPUTime {
	c := &CPUTime{TotalMS: total.Milliseconds(), ChromiumMS: chromium.Milliseconds()}
	if c.TotalMS > 0 {
		c.ChromiumPercent = int((c.ChromiumMS*100 + c.TotalMS/2) / c.TotalMS)
	}
	return c
}

// ShardPart is one shard's place in a run split over machines.
type ShardPart struct {
	K int `json:"k"` // this is shard K of N
	N int `json:"n"`
	// Apps is the number of configs in the whole run; Positions are the
	// places of this shard's apps among them (0-based), in the order of
	// the summary's apps and reports.
	Apps      int   `json:"apps"`
	Positions []int `json:"positions"`
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
		line := AppLine{Name: a.Name, Config: a.Report.App.Config, Verdict: a.Report.Verdict, Incomplete: a.Incomplete,
			Interrupted: a.Report.Interrupted, WallMS: a.Wall.Milliseconds()}
		if a.Slowest != "" {
			line.SlowestStep = &SlowestStep{Name: a.Slowest, MS: a.SlowestTook.Milliseconds()}
		}
		c.Apps = append(c.Apps, line)
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
	fmt.Fprintln(tw, "app\tconfig\tverdict\tblockers\twarnings\tpassed\ttime\tslowest step")
	for _, a := range apps {
		s := a.Report.Summary
		verdict := string(a.Report.Verdict)
		switch {
		case a.Report.Interrupted:
			verdict += " (interrupted)"
		case a.Incomplete:
			verdict += " (incomplete)"
		}
		slowest := "-"
		if a.Slowest != "" {
			slowest = fmt.Sprintf("%s (%s)", a.Slowest, seconds(a.SlowestTook))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%s\t%s\n", Printable(oneLine(a.Report.App.Name)), Printable(a.Report.App.Config),
			verdict, s.Blocker, s.Warning, s.Passed, seconds(a.Wall), slowest)
	}
	return tw.Flush()
}

// seconds shows a duration to a tenth of a second, as a person reads it in
// a table ("1.2s").
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.1fs", d.Seconds())
}

// WriteCPULine is the line under the summary table that says where the
// run's CPU time went.
func WriteCPULine(w io.Writer, c *CPUTime) error {
	if c == nil {
		return nil
	}
	_, err := fmt.Fprintf(w, "CPU time: %.1fs in all, %d%% of it in Chromium\n", float64(c.TotalMS)/1000, c.ChromiumPercent)
	return err
}
