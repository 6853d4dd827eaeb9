package privacy

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// URL userinfo in app.website or app.privacy_policy_url reaches no finding
// and no progress line: the audit fetches with it, and shows •••.
func TestUserinfoInNoOutput(t *testing.T) {
	cfg := acme()
	cfg.App.PrivacyPolicyURL = ports.Replace("https://ann:polic7pass@acme.test:{tls}/privacy")
	cfg.App.Website = ports.Replace("https://ann:webs1tepass@acme.test:{tls}/")
	o := options(noBrowser(t))
	var progress strings.Builder
	o.Progress = &progress
	got, err := Audit(context.Background(), cfg, testRules(t, nil), o)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(got)
	for _, secret := range []string{"polic7pass", "webs1tepass", "ann:"} {
		if strings.Contains(string(out), secret) || strings.Contains(progress.String(), secret) {
			t.Errorf("%q is in the output:\n%s\n%s", secret, out, progress.String())
		}
	}
	if !strings.Contains(string(out), "https://•••@acme.test") || !strings.Contains(progress.String(), "https://•••@acme.test") {
		t.Errorf("the URLs are not shown masked:\n%s\n%s", out, progress.String())
	}
}
