package fakepinterest

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseApp(t *testing.T) {
	cases := []struct {
		in, redirect, name string
	}{
		// The old three-part form keeps working.
		{"1500001:s3cret:http://localhost:8085/", "http://localhost:8085/", "App 1500001"},
		{"1500001:s3cret:http://localhost:8085", "http://localhost:8085", "App 1500001"},
		{"1500001:s3cret:https://acme.example/oauth/callback", "https://acme.example/oauth/callback", "App 1500001"},
		{"1500001:s3cret:http://[::1]:8085/cb", "http://[::1]:8085/cb", "App 1500001"},
		// A name after the path, after the port, after the host.
		{"1500001:s3cret:http://localhost:8085/:Acme Pin Planner", "http://localhost:8085/", "Acme Pin Planner"},
		{"1500001:s3cret:http://localhost:8085/oauth/callback:Acme Pin Planner", "http://localhost:8085/oauth/callback", "Acme Pin Planner"},
		{"1500001:s3cret:http://localhost:8085:Acme", "http://localhost:8085", "Acme"},
		{"1500001:s3cret:https://acme.example:Acme", "https://acme.example", "Acme"},
		{"1500001:s3cret:http://[::1]:8085/cb:Acme", "http://[::1]:8085/cb", "Acme"},
		// A name may have colons and digits of its own: only the last colon counts.
		{"1500001:s3cret:http://localhost:8085/cb:2026", "http://localhost:8085/cb", "2026"},
		{"1500001:s3cret:https://acme.example/cb?x=a:b:", "https://acme.example/cb?x=a:b", "App 1500001"},
		{"1500001:s3cret:http://localhost:8085/:  Acme  ", "http://localhost:8085/", "Acme"},
	}
	for _, c := range cases {
		got, err := ParseApp(c.in)
		if err != nil {
			t.Errorf("ParseApp(%q): %v", c.in, err)
			continue
		}
		want := App{ID: "1500001", Secret: "s3cret", Name: c.name, RedirectURIs: []string{c.redirect}, Access: AccessTrial}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("ParseApp(%q) = %+v, want %+v", c.in, got, want)
		}
	}
}

func TestParseAppRejects(t *testing.T) {
	for _, in := range []string{"", "1500001", "1500001:s3cret", "1500001:s3cret:", ":s3cret:http://localhost:8085/",
		"1500001::http://localhost:8085/", "1500001:s3cret:localhost:8085", "1500001:s3cret:ftp://files.test/",
		"1500001:s3cret:localhost:Acme", "1500001:s3cret:http://localhost:8085/:Acme\nPins",
		"1500001:s3cret:http://localhost:8085/:" + strings.Repeat("A", 81)} {
		if _, err := ParseApp(in); err == nil || !strings.Contains(err.Error(), "app") {
			t.Errorf("ParseApp(%q) = %v, want an error naming the app", in, err)
		}
	}
}

func TestNewRejectsBadApps(t *testing.T) {
	for name, apps := range map[string][]App{
		"no secret":       {{ID: "1", RedirectURIs: []string{"http://a.test/"}}},
		"no redirect URI": {{ID: "1", Secret: "s"}},
		"unknown access":  {{ID: "1", Secret: "s", RedirectURIs: []string{"http://a.test/"}, Access: "gold"}},
		"duplicate":       {trialApp, trialApp},
	} {
		if _, err := New(Options{Apps: apps}); err == nil {
			t.Errorf("%s: New accepted %+v", name, apps)
		}
	}
}
