package oauthflow

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/browser"
	"github.com/pinready/pinready/internal/example"
)

// exampleWorld starts the world of `pinready example` (the compliant sample
// app and the fake Pinterest, on one host name each) and returns its config.
// Every app flow of a many-apps run goes to the same host: the case where
// shared browser state (cookies) made one app's flow spoil another's.
func exampleWorld(tb testing.TB) *checks.Config {
	cfg, _ := startExample(tb)
	return cfg
}

func startExample(tb testing.TB) (*checks.Config, *example.World) {
	tb.Helper()
	w, err := example.Start(example.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(w.Close)
	cfg, err := checks.ParseConfig("pinready.yaml", []byte(w.Config()))
	if err != nil {
		tb.Fatal(err)
	}
	return cfg, w
}

// appRun is one app's flow of a many-apps run.
type appRun struct {
	trace    *Trace
	findings []checks.Finding
	err      error
}

// driveMany runs n flows of cfg, jobs at a time, in the one shared browser,
// each with its own evidence directory, as `check --config DIR --jobs N` does.
func driveMany(tb testing.TB, cfg *checks.Config, rules *checks.Ruleset, n, jobs int, o Options) []appRun {
	tb.Helper()
	if o.Browser == nil {
		o.Browser = shared
	}
	if o.Timeout == 0 {
		o.Timeout = 10 * time.Second
	}
	runs := make([]appRun, n)
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	for i := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			o := o
			o.EvidenceDir = fmt.Sprintf("%s/app-%02d", evidenceRoot(tb), i)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()
			tr, err := Drive(ctx, cfg, o)
			runs[i] = appRun{trace: tr, err: err}
			if err == nil {
				runs[i].findings = Assess(cfg, rules, tr)
			}
		}()
	}
	wg.Wait()
	return runs
}

var evidenceRoots sync.Map // testing.TB -> its temporary directory

// evidenceRoot is one temporary directory per test or benchmark; TempDir
// itself must not be called from many goroutines of a benchmark's loop.
func evidenceRoot(tb testing.TB) string {
	if d, ok := evidenceRoots.Load(tb); ok {
		return d.(string)
	}
	d, _ := evidenceRoots.LoadOrStore(tb, tb.TempDir())
	return d.(string)
}

// varying are the parts of a finding that differ from one flow to the next
// by design: a code, a state or a PKCE challenge in a URL, a code's
// fingerprint in a message ("a code (ab12…)").
var varying = regexp.MustCompile(`\b(code|state|code_challenge)=[^&\s"']+|\(\S{1,8}…\)`)

// normalFindings is what must be the same for every run of the same app.
func normalFindings(fs []checks.Finding) []string {
	var out []string
	for _, f := range fs {
		s := fmt.Sprintf("%s %s %s", f.Rule, f.Status, f.Message)
		if f.Evidence != nil {
			s += fmt.Sprintf(" [%s %d %q]", f.Evidence.URL, f.Evidence.Status, f.Evidence.Excerpt)
		}
		out = append(out, varying.ReplaceAllString(s, "…"))
	}
	return out
}

func rulesOf(tb testing.TB) *checks.Ruleset {
	tb.Helper()
	rs, err := checks.ReadRules("../rules.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	return rs
}

// Twenty apps on one host, eight at a time, in one browser: each flow runs
// in a browser context of its own, so none sees another's session cookie
// and every flow ends as a flow run alone does (before, a flow beside
// another had its state refused: "the callback page answered HTTP 400").
// Two flows one after the other are the reference: the second also shows
// that a finished flow leaves nothing behind for the next one.
func TestManyAppsAtOnce(t *testing.T) {
	needBrowser(t)
	cfg := exampleWorld(t)
	rules := loadRules(t)
	// A wait's limit is generous: this test is about results, not speed,
	// and eight flows share 2 cores with whatever else runs.
	o := Options{Timeout: 60 * time.Second}
	seq := driveMany(t, cfg, rules, 2, 1, o)
	par := driveMany(t, cfg, rules, 20, 8, o)

	want := normalFindings(seq[0].findings)
	for name, runs := range map[string][]appRun{"one at a time": seq, "eight at a time": par} {
		for i, r := range runs {
			if r.err != nil {
				t.Errorf("%s, app %d: %v", name, i, r.err)
				continue
			}
			if r.trace.Stalled != nil {
				t.Errorf("%s, app %d stalled: %+v", name, i, r.trace.Stalled)
			}
			// Every step has its picture, the form submission's too (its
			// page is replaced while it is taken: capture.go).
			for _, s := range r.trace.Steps {
				if s.Screenshot == "" {
					t.Errorf("%s, app %d: step %s has no screenshot", name, i, s.Name)
				}
			}
			fs := map[string]checks.Finding{}
			for _, f := range r.findings {
				fs[f.Rule] = f
			}
			for _, rule := range []string{"oauth.callback", "demo.live-integration", "oauth.state"} {
				if fs[rule].Status != checks.StatusPass {
					t.Errorf("%s, app %d: %s %s: %s", name, i, rule, fs[rule].Status, fs[rule].Message)
				}
			}
			if got := normalFindings(r.findings); !slices.Equal(got, want) {
				t.Errorf("%s, app %d differs from the first app run alone:\n%s%s", name, i, lineDiff(want, got), traceSummary(r.trace))
			}
		}
	}
	// Every flow disposed of its browser context.
	res, err := chromedp.CallBrowser(shared.Context(), target.GetBrowserContexts, cdp.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.BrowserContextIDs) != 0 {
		t.Errorf("%d browser contexts left after the flows", len(res.BrowserContextIDs))
	}
}

// traceSummary is what a differing flow's trace holds, to tell why.
func traceSummary(tr *Trace) string {
	var b strings.Builder
	for _, p := range tr.Pages {
		fmt.Fprintf(&b, "  page text: %s %s\n", p.Step, p.URL)
	}
	for _, c := range tr.Console {
		fmt.Fprintf(&b, "  console: %s %s %s\n", c.Type, c.Text, c.URL)
	}
	for _, s := range tr.Steps {
		fmt.Fprintf(&b, "  step: %s %s %dms\n", s.Name, s.URL, s.DurationMS)
	}
	return b.String()
}

// lineDiff lists the lines only one side has.
func lineDiff(want, got []string) string {
	var b strings.Builder
	for _, w := range want {
		if !slices.Contains(got, w) {
			fmt.Fprintf(&b, "- %s\n", w)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			fmt.Fprintf(&b, "+ %s\n", g)
		}
	}
	return b.String()
}

// BenchmarkManyApps measures what `check --config DIR --jobs N` does with
// the OAuth flow against the world of `pinready example` (connect, consent,
// callback, live data, create a Pin): one app, then 20 apps one at a time,
// then 20 apps four at a time, each run in a browser of its own that it
// launches and closes, as a run of pinready does. The three runs alternate
// within each iteration so that they see the same load on a shared machine.
// The goals: 20 apps at four at a time within 4× one app's wall
// time (ratio-20x4/1), and four at a time faster than one at a time
// (ratio-20x4/20x1 below 1).
//
//	go test -run '^$' -bench ManyApps -benchtime 3x ./oauthflow/
func BenchmarkManyApps(b *testing.B) {
	if shared == nil {
		b.Skip("no browser")
	}
	cfg, w := startExample(b)
	rules := rulesOf(b)
	type run struct {
		apps, jobs       int
		wall, flows      time.Duration
		chromium, goself time.Duration
	}
	runs := []*run{{apps: 1, jobs: 1}, {apps: 20, jobs: 4}, {apps: 20, jobs: 1}}
	for b.Loop() {
		for _, r := range runs {
			start := time.Now()
			self0, _ := cpuTime(nil)
			br, err := browser.Launch(context.Background(), browser.Options{Resolve: w.Resolve})
			if err != nil {
				b.Fatal(err)
			}
			flows := time.Now()
			for i, a := range driveMany(b, cfg, rules, r.apps, r.jobs, Options{Browser: br}) {
				if a.err != nil || a.trace.Stalled != nil {
					b.Fatalf("%d apps at %d: app %d: %v %+v", r.apps, r.jobs, i, a.err, a.trace.Stalled)
				}
			}
			r.flows += time.Since(flows)
			self1, _ := cpuTime(nil)
			r.chromium += br.CPUTime()
			br.Close()
			r.wall += time.Since(start)
			r.goself += self1 - self0
		}
	}
	n := float64(b.N)
	for _, r := range runs {
		name := fmt.Sprintf("%dx%d", r.apps, r.jobs)
		b.ReportMetric(r.wall.Seconds()/n, "s-"+name)
		b.ReportMetric(r.flows.Seconds()/n, "s-flows-"+name)
		b.ReportMetric(r.chromium.Seconds()/n/float64(r.apps), "chromium-cpu-s/app-"+name)
		b.ReportMetric(r.goself.Seconds()/n/float64(r.apps), "go-cpu-s/app-"+name)
	}
	b.ReportMetric(runs[1].wall.Seconds()/runs[0].wall.Seconds(), "ratio-20x4/1")
	b.ReportMetric(runs[1].wall.Seconds()/runs[2].wall.Seconds(), "ratio-20x4/20x1")
	b.ReportMetric(0, "ns/op") // the wall of an iteration says nothing: three runs
}

// cpuTime is the CPU time used so far by this process and, when tb is not
// nil, by every process of the shared browser.
func cpuTime(tb testing.TB) (self, chromium time.Duration) {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	self = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	if tb != nil {
		chromium = shared.CPUTime()
	}
	return self, chromium
}
