package oauthflow

import (
	"strings"
	"testing"
)

// The trace masks with internal/redact; these cases pin what trace.json
// shows for the shapes it meets most.
func TestMask(t *testing.T) {
	m := &masker{}
	m.add("hunter2-secret")
	m.add("ab") // too short to mask safely
	cases := []struct{ in, want string }{
		{"token pina_AbCdEf0123456789xyz here", "token ••• here"},
		{"refresh pinr_ZZZZ/ZZZZ%2BZZZZ", "refresh •••"},
		{"https://a.test/cb#access_token=pina_xyz123456789&state=s", "https://a.test/cb#access_token=•••&state=s"},
		{"https://a.test/cb?code=Q1W2E3R4T5&state=s", "https://a.test/cb?code=Q1W…&state=s"},
		{`{"access_token": "abc.def", "id_token": "x"}`, `{"access_token": "•••", "id_token": "•••"}`},
		{"password hunter2-secret and ab", "password ••• and ab"},
		{"escaped hunter2%2Dsecret%21 and HUNTER2-SECRET", "escaped •••%21 and •••"},
		{"https://ann:pw@acme.test/", "https://•••@acme.test/"},
	}
	for _, c := range cases {
		if got := m.mask(c.in); got != c.want {
			t.Errorf("mask(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFindExposures(t *testing.T) {
	m := &masker{}
	raw := "https://acme.test/done#access_token=pina_AAAAAAAAAAAAAAAA&token_type=bearer&client_secret=s3cr3t-app-secret"
	got := m.findExposures("url", raw, raw)
	var rules []string
	for _, e := range got {
		rules = append(rules, e.Pattern)
		if strings.Contains(e.URL+e.Excerpt, "AAAAAAAA") || strings.Contains(e.URL+e.Excerpt, "app-secret") {
			t.Errorf("exposure keeps the secret: %+v", e)
		}
	}
	if strings.Join(rules, ",") != "pinterest-token,token-parameter,client-secret" {
		t.Errorf("exposures %v, want the token, the access_token= parameter and the client secret", rules)
	}
	if none := m.findExposures("page-text", "", "pina_short and code=abc"); len(none) != 0 {
		t.Errorf("false positives: %+v", none)
	}
}
