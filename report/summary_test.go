package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pinready/pinready/checks"
)

// The summary of a many-apps run names, per app, its verdict, wall time and
// slowest step: in the table a person reads and in summary.json.
func TestSummaryShowsTimeAndSlowestStep(t *testing.T) {
	apps := []AppOutcome{
		{Name: "shop", Report: &checks.Report{App: checks.AppRef{Name: "Shop", Config: "apps/shop.yaml"}, Verdict: checks.VerdictAtRisk},
			Timing: Timing{Wall: 2340 * time.Millisecond, Slowest: "oauth consent", SlowestTook: 910 * time.Millisecond}},
		{Name: "blog", Report: &checks.Report{App: checks.AppRef{Name: "Blog", Config: "apps/blog.yaml"}, Verdict: checks.VerdictReady},
			Timing: Timing{Wall: 40 * time.Millisecond}},
	}
	var table bytes.Buffer
	if err := WriteSummaryTable(&table, apps); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(table.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], "time") || !strings.Contains(lines[0], "slowest step") ||
		!strings.Contains(lines[1], "2.3s") || !strings.Contains(lines[1], "oauth consent (0.9s)") ||
		!strings.Contains(lines[2], "0.0s") || !strings.HasSuffix(lines[2], "-") {
		t.Errorf("table:\n%s", table.String())
	}

	var buf bytes.Buffer
	if err := NewCombined(checks.Tool{Name: "pinready"}, apps, nil).WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Apps []struct {
			Name, Config, Verdict string
			WallMS                int64 `json:"wall_ms"`
			SlowestStep           *struct {
				Name string
				MS   int64
			} `json:"slowest_step"`
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Apps) != 2 || got.Apps[0].Name != "shop" || got.Apps[0].Config != "apps/shop.yaml" || got.Apps[0].Verdict != "at-risk" ||
		got.Apps[0].WallMS != 2340 || got.Apps[0].SlowestStep == nil || *got.Apps[0].SlowestStep != (struct {
		Name string
		MS   int64
	}{"oauth consent", 910}) || got.Apps[1].SlowestStep != nil {
		t.Errorf("summary.json apps: %s", buf.String())
	}
}
