package demo

import (
	"strings"
	"testing"
)

func TestMaskText(t *testing.T) {
	var m masker
	m.add("hunter2-SEKRET", "s3cr3t/+&")
	tests := []struct{ in, want string }{
		{"token pina_SECRETTOKEN123 here", "token ••• here"},
		{"refresh pinr_abcd.EFGH-1234 and pinc_zzzz9999", "refresh ••• and •••"},
		{"the pina_ prefix alone stays", "the pina_ prefix alone stays"},
		{`{"access_token": "abc.def", "expires_in": 2592000}`, `{"access_token": "•••", "expires_in": 2592000}`},
		{"x?access_token=abc&y=1", "x?access_token=•••&y=1"},
		{"CLIENT_SECRET=topsecret", "CLIENT_SECRET=•••"},
		{"password is hunter2-SEKRET!", "password is •••!"},
		{"escaped s3cr3t%2F%2B%26 too", "escaped ••• too"},
		{"nothing to hide", "nothing to hide"},
	}
	for _, tt := range tests {
		if got := m.text(tt.in); got != tt.want {
			t.Errorf("text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDisplayURL(t *testing.T) {
	var m masker
	m.add("hunter2-SEKRET")
	tests := []struct {
		name, in string
		want     shownURL
	}{
		{"authorize keeps the query in order",
			"https://www.pinterest.com/oauth/?client_id=1500001&redirect_uri=https%3A%2F%2Facme.example%2Fcb&response_type=code&scope=boards:read,pins:write&state=abc123",
			shownURL{"https://", "www.pinterest.com", "/oauth/?client_id=1500001&redirect_uri=https%3A%2F%2Facme.example%2Fcb&response_type=code&scope=boards:read,pins:write&state=abc123", true}},
		{"code shows its first four characters",
			"http://acme.test:8085/callback?code=ABCD1234EFGH5678&state=abc123",
			shownURL{"http://", "acme.test:8085", "/callback?code=ABCD…&state=abc123", false}},
		{"a short code is masked whole", "http://a.test/cb?code=AB", shownURL{"http://", "a.test", "/cb?code=•••", false}},
		{"a 9-character code shows a third", "http://a.test/cb?code=ABCDEFGHI", shownURL{"http://", "a.test", "/cb?code=ABC…", false}},
		{"tokens in the query", "https://a.test/x?access_token=pina_abcdefgh&refresh_token=r1&Token=t",
			shownURL{"https://", "a.test", "/x?access_token=•••&refresh_token=•••&Token=•••", true}},
		{"token in the fragment", "https://a.test/x#access_token=abc&token_type=bearer",
			shownURL{"https://", "a.test", "/x#access_token=•••&token_type=bearer", true}},
		{"token in the path", "https://a.test/t/pina_SECRETTOKEN123/view", shownURL{"https://", "a.test", "/t/•••/view", true}},
		{"registered secret, escaped", "https://a.test/q?p=hunter2-SEKRET&u=" + "hunter2%2DSEKRET",
			shownURL{"https://", "a.test", "/q?p=•••&u=hunter2%2DSEKRET", true}},
		{"userinfo is dropped", "https://user:pw@a.test/", shownURL{"https://", "a.test", "/", true}},
		{"blank page", "about:blank", shownURL{}},
		{"not a URL of a host", "data:text/html,pina_SECRETTOKEN123", shownURL{Rest: "data:text/html,•••"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := m.displayURL(tt.in); got != tt.want {
				t.Errorf("displayURL(%q)\n got %#v\nwant %#v", tt.in, got, tt.want)
			}
		})
	}
}

func TestMaskScriptEmbedsSecrets(t *testing.T) {
	s := maskScript([]string{`a"b</script>`})
	if strings.Contains(s, "__SECRETS__") || !strings.Contains(s, `["a\"b\u003c/script\u003e"]`) {
		t.Fatalf("secrets not embedded as JSON: %s", s[len(s)-80:])
	}
	if !strings.Contains(maskScript(nil), "})([]);") {
		t.Fatal("no secrets must give an empty list, not null")
	}
}
