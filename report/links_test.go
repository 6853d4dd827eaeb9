package report

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestLinkPath(t *testing.T) {
	wd, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, output, path, want string
	}{
		{"stdout keeps the path", "", "pinready-out/demo.mp4", "pinready-out/demo.mp4"},
		{"report beside the artifact", "pinready-out/report.html", "pinready-out/demo.mp4", "demo.mp4"},
		{"report in a nested directory", "reports/ci/report.html", "pinready-out/demo.mp4", "../../pinready-out/demo.mp4"},
		{"report in the working directory", "report.html", "pinready-out/demo.mp4", "pinready-out/demo.mp4"},
		{"both absolute", "/srv/out/sub/report.html", "/srv/out/demo.mp4", "../demo.mp4"},
		{"absolute artifact, relative report", "reports/report.html", filepath.Join(wd, "pinready-out", "demo.mp4"), "../pinready-out/demo.mp4"},
		{"relative artifact, absolute report", filepath.Join(wd, "out", "report.html"), "pinready-out/trace.json", "../pinready-out/trace.json"},
		{"URLs are left alone", "out/report.html", "https://example.com/a.png", "https://example.com/a.png"},
		{"empty path", "out/report.html", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := linkPath(tt.output, tt.path); got != tt.want {
				t.Errorf("linkPath(%q, %q) = %q, want %q", tt.output, tt.path, got, tt.want)
			}
		})
	}
}

// With OutputPath, the HTML and Markdown links resolve from the report's own
// directory; without it (stdout) they stay as the run recorded them.
func TestOutputPathMakesLinksRelative(t *testing.T) {
	r, rs := sampleReport(t)
	html := string(render(t, "html", Options{Rules: rs, OutputPath: "reports/nested/report.html"}, r))
	for _, want := range []string{`href="../../pinready-out/demo.mp4"`, `href="../../pinready-out/trace.json"`, `<code>../../testdata/policy.png</code>`} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %s", want)
		}
	}
	if strings.Contains(html, `href="pinready-out/`) {
		t.Error("HTML still links paths relative to the working directory")
	}
	// The storyboard is still read from where the run wrote it.
	if n := strings.Count(html, `src="data:image/png;base64,`); n != 2 {
		t.Errorf("%d embedded images, want 2", n)
	}
	md := string(render(t, "markdown", Options{OutputPath: "reports/nested/report.md"}, r))
	if !strings.Contains(md, "[../../pinready-out/demo.mp4](../../pinready-out/demo.mp4)") {
		t.Errorf("Markdown video link not relative to the report:\n%s", md)
	}
}
