package report

import (
	"strings"
	"testing"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/redact/redacttest"
)

// No format prints URL userinfo, or any secret the grammar knows, that an
// audit quoted in a message, an excerpt, an evidence URL or a redirect.
func TestEveryFormatRedacts(t *testing.T) {
	r, rs := sampleReport(t)
	samples := redacttest.New(99).Samples(30)
	var secrets []string
	for i, s := range samples {
		if s.Env {
			continue // value_env secrets never reach the audits that write findings
		}
		secrets = append(secrets, s.Secret)
		f := &r.Findings[i%len(r.Findings)]
		f.Message += " " + s.Text
		f.Evidence = &checks.Evidence{URL: "https://ann:hunter2pass@acme.example/privacy", Excerpt: s.Text,
			Redirects: []string{"http://ann:hunter2pass@acme.example/", "https://acme.example/privacy"}}
	}
	secrets = append(secrets, "hunter2pass")
	for _, format := range Formats {
		out := string(render(t, format, Options{Rules: rs}, r))
		for _, s := range secrets {
			if run := redacttest.Leak(out, s); run != "" {
				t.Errorf("%s shows %q of %q", format, run, s)
			}
		}
		// Formats that print the evidence URL keep it, without userinfo.
		if (format == "text" || format == "json" || format == "html") && !strings.Contains(out, "https://•••@acme.example/privacy") {
			t.Errorf("%s lost the URL itself", format)
		}
	}
	// The caller's report is left as it was (it may be rendered again).
	if !strings.Contains(r.Findings[0].Evidence.URL, "hunter2pass") {
		t.Error("rendering changed the caller's report")
	}
}
