package oauthflow

import "testing"

func TestMatchesEndpoint(t *testing.T) {
	const pin = "https://www.pinterest.com/oauth/"
	for _, tt := range []struct {
		raw  string
		want bool
	}{
		{"https://www.pinterest.com/oauth/?client_id=1", true},
		{"https://www.pinterest.com/oauth?client_id=1", true}, // Auth.js leaves the slash out
		{"https://WWW.Pinterest.com:443/oauth/?client_id=1", true},
		{"https://www.pinterest.com/%6Fauth/?client_id=1", true},
		{"http://www.pinterest.com/oauth/?client_id=1", false},
		{"https://www.pinterest.com/oauth/other?client_id=1", false},
		{"https://www.pinterest.com.evil.example/oauth/", false},
		{"https://www.pinterest.com:8443/oauth/", false},
	} {
		if got := matchesEndpoint(tt.raw, pin); got != tt.want {
			t.Errorf("matchesEndpoint(%q) = %v, want %v", tt.raw, got, tt.want)
		}
	}
}
