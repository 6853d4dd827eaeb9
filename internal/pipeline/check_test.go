package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/browser/browsertest"
	"github.com/pinready/pinready/internal/example"
	"github.com/pinready/pinready/internal/testkit"
)

// An agency's run: 20 configs of the same compliant app, all on one host
// name, checked in full (OAuth included) at --jobs 1 and at --jobs 8. Each
// app's verdict must not depend on what runs beside it: when the flows
// shared one browser profile, one app's state cookie overwrote another's
// and its callback was refused (issue 18).
func TestManyAppsSameReportsAtAnyJobs(t *testing.T) {
	browsertest.Require(t)
	w := testkit.World(t, example.Options{})
	dir := t.TempDir()
	var cfgs []*checks.Config
	for i := range 20 {
		path := filepath.Join(dir, fmt.Sprintf("staging-%02d.yaml", i+1))
		if err := os.WriteFile(path, []byte(w.Config()), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, err := checks.LoadConfig(path)
		if err != nil {
			t.Fatal(err)
		}
		cfgs = append(cfgs, cfg)
	}
	run := func(jobs int) ([]*AppResult, string) {
		var progress bytes.Buffer
		env := Env{Rules: testkit.Rules(t), Tool: checks.Tool{Name: "pinready", Version: "test"}, Progress: &progress,
			Getenv: func(string) string { return "" }}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		var usage Usage
		res, err := Check(ctx, env, cfgs, CheckOptions{Resolve: w.Resolve, Timeout: 20 * time.Second, Jobs: jobs, Usage: &usage})
		if err != nil {
			t.Fatalf("--jobs %d: %v", jobs, err)
		}
		// Twenty OAuth flows cost Chromium CPU time, and the run's total
		// holds it.
		if usage.Chromium <= 0 || usage.CPU <= usage.Chromium {
			t.Errorf("--jobs %d: usage %+v", jobs, usage)
		}
		return res, progress.String()
	}
	one, _ := run(1)
	eight, progress := run(8)
	for i := range cfgs {
		sameReports(t, one[i].Name, one[i].Report, eight[i].Report)
		if eight[i].Err != nil {
			t.Errorf("%s: %v", eight[i].Name, eight[i].Err)
		}
		// The example is served over plain HTTP, so privacy.https warns:
		// at-risk, and nothing fails.
		if eight[i].Report.Verdict != checks.VerdictAtRisk {
			t.Errorf("%s at --jobs 8: %s", eight[i].Name, eight[i].Report.Verdict)
		}
		for _, f := range eight[i].Report.Findings {
			if (f.Status == checks.StatusFail || f.Status == checks.StatusError) && f.Rule != "privacy.https" {
				t.Errorf("%s at --jobs 8: %s %s: %s", eight[i].Name, f.Rule, f.Status, f.Message)
			}
		}
		// Each app's time and slowest step are measured for the summary.
		tm := eight[i].Timing
		if tm.Wall <= 0 || tm.SlowestTook <= 0 || tm.SlowestTook > tm.Wall || tm.Slowest == "" {
			t.Errorf("%s: timing %+v", eight[i].Name, tm)
		}
	}
	if t.Failed() {
		t.Logf("progress at --jobs 8:\n%s", progress)
	}
}

// sameReports fails unless a and b say the same, finding by finding, once
// what each connect draws at random (state, PKCE challenge, code) is masked.
func sameReports(t *testing.T, name string, a, b *checks.Report) {
	t.Helper()
	if len(a.Findings) != len(b.Findings) {
		t.Errorf("%s: %d findings at --jobs 1, %d at --jobs 8", name, len(a.Findings), len(b.Findings))
		return
	}
	for i := range a.Findings {
		if x, y := findingJSON(t, a.Findings[i]), findingJSON(t, b.Findings[i]); x != y {
			t.Errorf("%s: %s differs:\n--jobs 1: %s\n--jobs 8: %s", name, a.Findings[i].Rule, x, y)
		}
	}
	a.Findings, b.Findings = nil, nil
	if x, y := reportJSON(t, a), reportJSON(t, b); x != y {
		t.Errorf("%s: the report differs:\n--jobs 1: %s\n--jobs 8: %s", name, x, y)
	}
}

// perConnect matches what a connect draws at random: the state, the PKCE
// challenge, and the code's fingerprint in URLs and in messages.
var perConnect = regexp.MustCompile(`(state|code_challenge|code)=[^&"\\]*|code \([^)]*\)`)

func findingJSON(t *testing.T, f checks.Finding) string {
	t.Helper()
	data, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return perConnect.ReplaceAllString(string(data), "$1=*")
}

// reportJSON is the report as the contract writes it.
func reportJSON(t *testing.T, r *checks.Report) string {
	t.Helper()
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// An app's slowest step is a check, or the OAuth flow's own slowest step
// when the flow ran (not the OAuth check as a whole).
func TestTimingNamesTheSlowestStep(t *testing.T) {
	w := testkit.World(t, example.Options{})
	path := filepath.Join(t.TempDir(), "pinready.yaml")
	if err := os.WriteFile(path, []byte(w.Config()), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := checks.LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	env := Env{Rules: testkit.Rules(t), Tool: checks.Tool{Name: "pinready", Version: "test"}, Progress: &bytes.Buffer{},
		Getenv: func(string) string { return "" }}
	for _, c := range []struct {
		only   []string
		prefix string
	}{
		{[]string{"description"}, "description"},
		{[]string{"oauth"}, "oauth "},
	} {
		if c.prefix == "oauth " {
			browsertest.Require(t) // the description's timing is checked under -short too
		}
		res, err := Check(context.Background(), env, []*checks.Config{cfg}, CheckOptions{Only: c.only, Resolve: w.Resolve, Timeout: 20 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		tm := res[0].Timing
		if !strings.HasPrefix(tm.Slowest, c.prefix) || tm.Wall <= 0 || tm.SlowestTook > tm.Wall {
			t.Errorf("--only %s: timing %+v, want a slowest step named %q…", c.only, tm, c.prefix)
		}
	}
}
