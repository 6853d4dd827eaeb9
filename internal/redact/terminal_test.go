package redact

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCoverKeepsLength(t *testing.T) {
	m := NewMasker("s3cret-value-42")
	code := "AbCdEfGhIjKlMnOpQrSt"
	tests := []struct{ in, want string }{
		{"no secret here", "no secret here"},
		{"token pina_ABCDEFGHIJKLMNOP end", "token ••••••••••••••••••••• end"},
		{"the s3cret-value-42 ok", "the ••••••••••••••• ok"},
		{"GET /?code=" + code + "&state=x", "GET /?code=AbCd…•••••••••••••••&state=x"},
		{"Authorization: Basic QUJDOkRFRg==", "Authorization: Basic ••••••••••••"},
	}
	for _, tt := range tests {
		got := m.Cover(tt.in)
		if got != tt.want {
			t.Errorf("Cover(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
		if utf8.RuneCountInString(got) != utf8.RuneCountInString(tt.in) {
			t.Errorf("Cover(%q) changed the length: %d runes, want %d", tt.in, utf8.RuneCountInString(got), utf8.RuneCountInString(tt.in))
		}
	}
}

func TestFindPrinted(t *testing.T) {
	m := NewMasker("hunter2-client-secret")
	tests := []struct {
		line  string
		rules []string
	}{
		{"clear text access token: pina_AMAZWYAWABC123XYZ456", []string{"pinterest-token"}},
		{"hashed access token: 2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae", nil},
		{`{"access_token": "abcdefghijklmnopqrstuvwxyz012345"}`, []string{"token-field"}},
		{"Authorization: Basic MTUwMDAwMTpzM2NyZXQtdmFsdWU=", []string{"authorization-header"}},
		{"app secret is hunter2-client-secret", []string{"secret"}},
		{"access_token: YOUR_ACCESS_TOKEN_HERE_PLEASE", nil},
		{"token: none", nil},
		{"Redirect request path: /?code=abcdefghijklmnop&state=123", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, x := range m.FindPrinted(tt.line) {
			got = append(got, x.Rule)
		}
		if strings.Join(got, ",") != strings.Join(tt.rules, ",") {
			t.Errorf("FindPrinted(%q) = %v, want %v", tt.line, got, tt.rules)
		}
	}
}
