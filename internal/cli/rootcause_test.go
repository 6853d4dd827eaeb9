package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/browser/browsertest"
)

// A host that does not resolve is one root cause per group: privacy.reachable
// fails for the privacy group and oauth.authorize for the OAuth flow; every
// rule that needed the page is a skip blocked by its root, and the verdict
// and exit code count the two roots only. The message is in words, the raw
// error in the evidence.
func TestUnresolvableHostIsOneRootPerGroup(t *testing.T) {
	browsertest.Require(t)
	good, err := os.ReadFile("../../testdata/configs/good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "pinready.yaml")
	// acme.example is reserved (RFC 2606): it never resolves.
	if err := os.WriteFile(cfg, append(good, "oauth:\n  success_text: Your boards\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "check", "--config", cfg, "--format", "json", "--timeout", "10s")
	var rep checks.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("exit %d, stdout not JSON: %v\n%s\n%s", code, err, stdout, stderr)
	}
	failing := map[string]checks.Finding{}
	for _, f := range rep.Findings {
		switch {
		case f.Status == checks.StatusFail || f.Status == checks.StatusError:
			failing[f.Rule] = f
		case f.Status == checks.StatusSkip && strings.HasPrefix(f.Message, "not reached:") && f.BlockedBy == "":
			t.Errorf("%s says %q without blocked_by", f.Rule, f.Message)
		}
	}
	if len(failing) != 2 || failing["privacy.reachable"].Rule == "" || failing["oauth.authorize"].Rule == "" {
		var ids []string
		for id, f := range failing {
			ids = append(ids, id+": "+f.Message)
		}
		t.Fatalf("failing:\n%s\nwant privacy.reachable and oauth.authorize only", strings.Join(ids, "\n"))
	}
	blockedBy := map[string]string{}
	for _, f := range rep.Findings {
		blockedBy[f.Rule] = f.BlockedBy
	}
	for rule, root := range map[string]string{
		"site.homepage": "privacy.reachable", "privacy.is-policy": "privacy.reachable", "privacy.linked": "privacy.reachable",
		"oauth.state": "oauth.authorize", "oauth.consent": "oauth.authorize", "oauth.callback": "oauth.authorize",
		"oauth.token-exposure": "oauth.authorize", "demo.live-integration": "oauth.authorize",
	} {
		if blockedBy[rule] != root {
			t.Errorf("%s blocked by %q, want %q", rule, blockedBy[rule], root)
		}
	}
	reach := failing["privacy.reachable"]
	if !strings.Contains(reach.Message, "the host name acme.example does not resolve (DNS)") || reach.Evidence == nil || !strings.Contains(reach.Evidence.Detail, "acme.example") {
		t.Errorf("privacy.reachable says %q with evidence %+v; want the host named in words and the raw error in evidence.detail", reach.Message, reach.Evidence)
	}
	if az := failing["oauth.authorize"]; !strings.Contains(az.Message, "does not resolve") {
		t.Errorf("oauth.authorize says %q; want the DNS failure in words", az.Message)
	}
	if rep.Summary.Blocker != 2 || rep.Verdict != checks.VerdictLikelyDenied || code != exitFindings {
		t.Errorf("summary %+v, verdict %s, exit %d; want 2 blockers, likely-denied, exit 1", rep.Summary, rep.Verdict, code)
	}
}
