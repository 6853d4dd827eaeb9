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
		// A token's body may hold "/" (base64): what follows in the path goes with it.
		{"token in the path", "https://a.test/t/pina_SECRETTOKEN123/view", shownURL{"https://", "a.test", "/t/•••", true}},
		{"registered secret, escaped any way", "https://a.test/q?p=hunter2-SEKRET&u=" + "hunter2%2DSEKRET&v=HUNTER2-sekret",
			shownURL{"https://", "a.test", "/q?p=•••&u=•••&v=•••", true}},
		{"token with / and %", "https://a.test/t?x=pina_AbC/dEf%2FGhI+JkL=", shownURL{"https://", "a.test", "/t?x=•••", true}},
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

// The script carries the page masker of internal/redact with the run's
// rules as JSON, escaped for a script, and no grammar of its own.
func TestMaskScriptEmbedsRules(t *testing.T) {
	s := maskScript([]string{`a"b</script>`})
	if !strings.Contains(s, `"secrets":["a\"b\u003c/script\u003e"]`) || strings.Contains(s, "</script>") {
		t.Fatalf("secrets not embedded as escaped JSON: %s", s[len(s)-200:])
	}
	if !strings.Contains(maskScript(nil), `"secrets":[]`) {
		t.Fatal("no secrets must give an empty list, not null")
	}
	if strings.Contains(maskJS, "pina") || strings.Contains(maskJS, "access_token") {
		t.Fatal("mask.js defines token patterns of its own: they belong to internal/redact")
	}
}
