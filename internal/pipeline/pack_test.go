package pipeline

import (
	"path/filepath"
	"testing"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/testkit"
	"github.com/pinready/pinready/report"
)

// The checklist marks a field ✗ only for failures at or above --fail-on
// (blockers with never), ? when nothing judged it, and ✓ otherwise.
func TestChecklistStatus(t *testing.T) {
	env := Env{Rules: testkit.Rules(t), Tool: checks.Tool{Name: "pinready", Version: "test"}}
	cfg, err := checks.LoadConfig(filepath.Join(testkit.Root(), "testdata/configs/good.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	checkRep := &checks.Report{Findings: []checks.Finding{
		checks.Pass("privacy.url", "ok"), checks.Fail("privacy.https", "plain HTTP"),
		checks.Fail("description.length", "too short"), checks.Pass("oauth.state", "ok"),
	}}
	recordRep := &checks.Report{Findings: []checks.Finding{
		checks.Fail("oauth.state", "state reused"), checks.Skip("description.length", "run check"),
		checks.Pass("demo.video", "ok"),
	}}
	rep := combineReports(env, cfg, []*checks.Report{checkRep, recordRep}, nil)
	status := map[string]checks.Status{}
	for _, f := range rep.Findings {
		status[f.Rule] = f.Status
	}
	if status["oauth.state"] != checks.StatusFail || status["description.length"] != checks.StatusFail || status["demo.video"] != checks.StatusPass || status["privacy.names-app"] != checks.StatusSkip {
		t.Fatalf("combined statuses: %v", status)
	}
	tests := []struct {
		failOn checks.FailOn
		want   map[string]string
	}{
		{checks.FailOnBlocker, map[string]string{"Description": "failing", "Privacy policy URL": "ready", "Demo video": "ready", "App name": "unchecked", "Current tier": "ready"}},
		{checks.FailOnWarning, map[string]string{"Description": "failing", "Privacy policy URL": "failing", "Demo video": "failing", "App name": "unchecked"}},
		{checks.FailOnNever, map[string]string{"Description": "failing", "Privacy policy URL": "ready"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.failOn), func(t *testing.T) {
			fields := report.Checklist(cfg, rep, tt.failOn, "demo.mp4")
			got := map[string]string{}
			for _, f := range fields {
				got[f.Name] = f.Status
			}
			for name, want := range tt.want {
				if got[name] != want {
					t.Errorf("%s: %s, want %s", name, got[name], want)
				}
			}
		})
	}
}
