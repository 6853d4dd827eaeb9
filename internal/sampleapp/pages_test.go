package sampleapp_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/pinready/pinready/internal/fakepinterest"
)

var tags = regexp.MustCompile(`(?s)<style.*?</style>|<[^>]+>`)

func TestHomepageNamesTheAppAndLinksThePolicy(t *testing.T) {
	w := newWorld(t, fakepinterest.AccessTrial, fakepinterest.DefaultSandboxHost)
	resp, page := w.get(w.appURL + "/")
	footer := page[strings.Index(page, "<footer>"):]
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "<h1>Acme Pin Planner") ||
		!strings.Contains(footer, `<a href="/privacy">Privacy policy</a>`) || !strings.Contains(page, ">Connect Pinterest</a>") {
		t.Errorf("homepage: %d\n%s", resp.StatusCode, page)
	}
	if strings.Contains(page, "<script") {
		t.Errorf("homepage needs JavaScript")
	}
}

func TestPrivacyPolicyIsCompleteAndServerRendered(t *testing.T) {
	w := newWorld(t, fakepinterest.AccessTrial, fakepinterest.DefaultSandboxHost)
	resp, page := w.get(w.appURL + "/privacy")
	if strings.Contains(page, "<script") {
		t.Errorf("policy needs JavaScript")
	}
	text := tags.ReplaceAllString(page, " ")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if n := len(strings.Fields(text)); n < 300 {
		t.Errorf("policy has %d words, want 300+", n)
	}
	for _, want := range []string{"Acme Pin Planner", "Acme Inc.", "Last updated:", "Information we collect", "How we use information",
		"Sharing", "Retention", "Your rights", "delete", "Contact us", "privacy@acme-pins.test", "Portland", "Pinterest data"} {
		if !strings.Contains(text, want) {
			t.Errorf("policy lacks %q", want)
		}
	}
	for _, bad := range []string{"example.com", "lorem", "[", "{{"} {
		if strings.Contains(strings.ToLower(text), bad) {
			t.Errorf("policy contains %q", bad)
		}
	}
}
