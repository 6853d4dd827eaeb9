package pipeline

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/browser/browsertest"
	"github.com/pinready/pinready/internal/example"
	"github.com/pinready/pinready/internal/testkit"
)

// The reports come before anything that can hang: Check hands each app's
// report, as it stands, to Checkpoint before every group (marked cut short,
// the rules not yet judged skipped), and the finished reports to Finished
// while the browser still runs; the browser is gone when Check returns.
func TestReportsComeBeforeTheBrowserCloses(t *testing.T) {
	browsertest.Require(t)
	w := testkit.World(t, example.Options{})
	path := filepath.Join(t.TempDir(), "pinready.yaml")
	if err := os.WriteFile(path, []byte(w.Config()), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := checks.LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	// Chromium's processes all name their TMPDIR's profile: this run's.
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	var mu sync.Mutex
	var checkpoints []*checks.Report
	var runningAtFinish int
	var progress bytes.Buffer
	env := Env{Rules: testkit.Rules(t), Tool: checks.Tool{Name: "pinready", Version: "test"}, Progress: &progress,
		Getenv: func(string) string { return "" }}
	opts := CheckOptions{Resolve: w.Resolve, Timeout: 20 * time.Second, Only: []string{"description", "oauth"},
		Checkpoint: func(r *AppResult) {
			mu.Lock()
			checkpoints = append(checkpoints, r.Report)
			mu.Unlock()
		},
		Finished: func(rs []*AppResult) error {
			runningAtFinish = browsertest.ProcessesUsing(tmp)
			return nil
		},
	}
	res, err := Check(context.Background(), env, []*checks.Config{cfg}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if runningAtFinish == 0 {
		t.Error("Finished was called after the browser closed")
	}
	if n := browsertest.ProcessesUsing(tmp); n != 0 {
		t.Errorf("%d Chromium processes still run after Check returned", n)
	}
	if len(checkpoints) != 2 {
		t.Fatalf("%d checkpoints, want one before each of the 2 groups", len(checkpoints))
	}
	// The checkpoint before the oauth group: description judged, oauth
	// not, and marked.
	cp := checkpoints[1]
	if !cp.CutShort || res[0].Report.CutShort {
		t.Errorf("cut_short: checkpoint %v, final %v", cp.CutShort, res[0].Report.CutShort)
	}
	for _, f := range cp.Findings {
		switch {
		case strings.HasPrefix(f.Rule, "description.") && f.Status == checks.StatusSkip:
			t.Errorf("%s skipped in the checkpoint after its group ran: %s", f.Rule, f.Message)
		case slices.Contains(oauthRulesForTest(), f.Rule) && (f.Status != checks.StatusSkip || !strings.Contains(f.Message, "cut short")):
			t.Errorf("%s in the checkpoint before its group: %s %q, want a skip saying cut short", f.Rule, f.Status, f.Message)
		}
	}
}

func oauthRulesForTest() []string {
	for _, g := range Groups {
		if g.Name == "oauth" {
			return g.Rules
		}
	}
	return nil
}
