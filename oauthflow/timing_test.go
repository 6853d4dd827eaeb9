package oauthflow

import (
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

func TestSlowest(t *testing.T) {
	tr := &Trace{
		Steps:  []StepRecord{{Name: "open-app", DurationMS: 300}, {Name: "consent", DurationMS: 1200}, {Name: "callback", DurationMS: 800}},
		Timing: Timing{TotalMS: 3000, SetupMS: 400, CloseMS: 200},
	}
	if name, took, ok := tr.Slowest(); !ok || name != "consent" || took != 1200*time.Millisecond {
		t.Errorf("Slowest = %s %s %t, want consent 1.2s", name, took, ok)
	}
	tr.Timing.SetupMS = 1500
	if name, _, _ := tr.Slowest(); name != "setup" {
		t.Errorf("a slow browser context is pinready's own time: got %s, want setup", name)
	}
	tr.Timing.SecondConnectMS = 2000
	if name, _, _ := tr.Slowest(); name != "second-connect" {
		t.Errorf("got %s, want second-connect", name)
	}
	if _, _, ok := (&Trace{Steps: []StepRecord{{Name: "x"}}}).Slowest(); ok {
		t.Error("a trace Drive did not time has no slowest step")
	}
}

// The second connect of --state-twice starts without the app's cookies:
// those of its origins (and of a parent domain they are sent to), not
// Pinterest's.
func TestAppCookie(t *testing.T) {
	d := &driver{cfg: testConfig(t)} // website https://acme.example/
	for _, c := range []struct {
		domain string
		want   bool
	}{
		{"acme.example", true},
		{".acme.example", true},
		{"ACME.example", true},
		{".example", true}, // sent to acme.example too
		{"www.pinterest.com", false},
		{".pinterest.com", false},
		{"notacme.example", false},
		{"sub.acme.example", false}, // a host-only cookie of another host
	} {
		if got := d.appCookie(&network.Cookie{Name: "sid", Domain: c.domain}); got != c.want {
			t.Errorf("appCookie(%q) = %t, want %t", c.domain, got, c.want)
		}
	}
}

func TestBrowserFavicon(t *testing.T) {
	fav := chromedp.ConsoleMessage{Type: chromedp.ConsoleError, URL: "http://acme.test:8080/favicon.ico",
		Text: "Failed to load resource: the server responded with a status of 404 (Not Found)"}
	if !browserFavicon(fav) {
		t.Error("the browser's favicon 404 is kept")
	}
	for _, m := range []chromedp.ConsoleMessage{
		{Type: chromedp.ConsoleError, URL: "http://acme.test/api/me", Text: fav.Text},
		{Type: chromedp.ConsoleLog, URL: "http://acme.test/favicon.ico", Text: "token pina_abc"},
	} {
		if browserFavicon(m) {
			t.Errorf("dropped %+v", m)
		}
	}
}
