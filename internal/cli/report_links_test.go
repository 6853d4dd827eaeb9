package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/report"
)

// A report written away from the working directory links its artifacts
// relative to itself: every href resolves to the real file.
func TestReportLinksResolveFromNestedOutput(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, f := range []string{"pinready-out/demo.mp4", "pinready-out/trace.json"} {
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	e := testEnv(t, &stdout, &stderr)
	rs, err := e.loadRules("")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := checks.ParseConfig("pinready.yaml", []byte("app:\n  name: Acme Pin Planner\n"))
	if err != nil {
		t.Fatal(err)
	}
	rep := checks.NewReport(checks.Tool{Name: "pinready", Version: Version}, checks.AppRef{Name: cfg.App.Name, Config: cfg.File},
		rs.Complete(nil, cfg, nil, nil), []checks.Artifact{{Kind: "video", Path: "pinready-out/demo.mp4"}, {Kind: "trace", Path: "pinready-out/trace.json"}})
	for _, tt := range []struct{ format, output, dir string }{
		{"html", "reports/ci/report.html", ""},
		{"markdown", "", "deep/er/dir"},
	} {
		if err := e.writeReports(rep, rs, reportOutput{formats: []string{tt.format}, file: tt.output, dir: tt.dir, noColor: true}); err != nil {
			t.Fatal(err)
		}
		path := tt.output
		if path == "" {
			path = filepath.Join(tt.dir, report.FileName(tt.format))
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		links := regexp.MustCompile(`href="([^"#:]+)"|\]\(([^)]+)\)`).FindAllStringSubmatch(string(data), -1)
		if len(links) != 2 {
			t.Fatalf("%s: %d links, want 2 (video, trace): %q", path, len(links), links)
		}
		for _, m := range links {
			target := m[1] + m[2]
			if _, err := os.Stat(filepath.Join(filepath.Dir(path), filepath.FromSlash(target))); err != nil {
				t.Errorf("%s links %q, which does not resolve from the report's directory: %v", path, target, err)
			}
		}
	}
}
