package report

import (
	"github.com/pinready/pinready/internal/testkit"
	"regexp"
	"testing"

	"github.com/pinready/pinready/checks"
)

// sampleConfig gives the findings real config lines, the way a run does.
const sampleConfig = `app:
  name: Acme Pin Planner
  id: "1500001"
  company: Acme Inc.
  website: https://acme.example/
  privacy_policy_url: https://acme.notion.site/privacy
  description: |
    A planner.
  scopes: [boards:read, pins:read]
  redirect_uris: [https://acme.example/oauth/callback]
oauth:
  connect_selector: "#connect-pinterest"
  success_text: Your boards
`

// loadRules parses the real rules.yaml, so a renamed or added rule changes
// the goldens and is seen in review.
func loadRules(t *testing.T) *checks.Ruleset {
	t.Helper()
	return testkit.Rules(t)
}

// sampleReport covers every status under several reasons: failures with and
// without evidence and location, an error, skips (a group that did not run)
// and passes, plus artifacts that can and cannot be embedded. Its text holds
// characters every format must escape.
func sampleReport(t *testing.T) (*checks.Report, *checks.Ruleset) {
	t.Helper()
	rs := loadRules(t)
	cfg, err := checks.ParseConfig("pinready.yaml", []byte(sampleConfig))
	if err != nil {
		t.Fatal(err)
	}
	special := map[string]checks.Finding{
		"privacy.hosting": checks.Fail("privacy.hosting", "The policy is on notion.site, a shared host anyone can publish on.").
			With(&checks.Evidence{URL: "https://acme.notion.site/privacy", Status: 200,
				Redirects: []string{"https://acme.notion.site/privacy", "https://acme.notion.site/Privacy-4f2a?pvs=4"}}),
		"privacy.domain": checks.Fail("privacy.domain", "notion.site is neither acme.example nor one of app.domains.").
			With(&checks.Evidence{URL: "https://acme.notion.site/privacy", Screenshot: "testdata/policy.png"}),
		"privacy.renders": checks.Errorf("privacy.renders", "Chromium crashed while rendering the page: target closed"),
		"privacy.topics": checks.Fail("privacy.topics", "No section on retention or deletion | rights.").
			With(&checks.Evidence{Excerpt: "We collect <b>your</b> data & use it \"as needed\".\n<script>alert(1)</script> ]]> \x1b[2J"}),
		"description.length": checks.Fail("description.length", "The description has 2 words; reviewers want at least 40.").
			With(&checks.Evidence{Excerpt: "A planner."}),
		"oauth.state": checks.Fail("oauth.state", "state is 8 characters (`abcd1234`); want at least 16.").
			With(&checks.Evidence{URL: "https://www.pinterest.com/oauth/?client_id=1500001&state=abcd1234&response_type=code"}),
	}
	ran := map[string]bool{"privacy": true, "description": true, "oauth": true}
	why := map[string]string{"record": "evaluated by `pinready record`"}
	var findings []checks.Finding
	for _, r := range rs.Rules {
		if f, ok := special[r.ID]; ok {
			findings = append(findings, f)
		} else if ran[r.Group] {
			findings = append(findings, checks.Pass(r.ID, "%s: ok", r.ID))
		}
	}
	findings = rs.Complete(findings, cfg, ran, why)
	// One skip from a user's ignore baseline, as a run produces it.
	for i := range findings {
		if findings[i].Rule == "description.red-flags" {
			findings[i].Status = checks.StatusSkip
			findings[i].Message = "ignored: reviewed with Pinterest support (was: \"bulk\" appears once)"
		}
	}
	artifacts := []checks.Artifact{
		{Kind: "storyboard", Path: "testdata/storyboard.png"},
		{Kind: "video", Path: "pinready-out/demo.mp4"},
		{Kind: "screenshot", Path: "pinready-out/missing.png"},
		{Kind: "trace", Path: "pinready-out/trace.json"},
	}
	r := checks.NewReport(checks.Tool{Name: "pinready", Version: "0.1.0"}, checks.AppRef{Name: "Acme Pin Planner", Config: "pinready.yaml"}, findings, artifacts)
	return r, rs
}

// count returns how many findings have the status.
func count(r *checks.Report, s checks.Status) int {
	n := 0
	for _, f := range r.Findings {
		if f.Status == s {
			n++
		}
	}
	return n
}

var regexpANSI = regexp.MustCompile("\x1b\\[[0-9;]*m")
