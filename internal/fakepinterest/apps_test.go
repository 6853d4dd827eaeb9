package fakepinterest

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseApp(t *testing.T) {
	got, err := ParseApp("1500001:s3cret:http://localhost:8085/")
	if err != nil {
		t.Fatal(err)
	}
	want := App{ID: "1500001", Secret: "s3cret", Name: "App 1500001", RedirectURIs: []string{"http://localhost:8085/"}, Access: AccessTrial}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseApp = %+v, want %+v", got, want)
	}
}

func TestParseAppRejects(t *testing.T) {
	for _, in := range []string{"", "1500001", "1500001:s3cret", "1500001:s3cret:", ":s3cret:http://localhost:8085/",
		"1500001::http://localhost:8085/", "1500001:s3cret:localhost:8085", "1500001:s3cret:ftp://files.test/"} {
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
