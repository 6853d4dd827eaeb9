package oauthflow

import (
	"strings"
	"testing"
)

func TestMask(t *testing.T) {
	m := &masker{}
	m.add("hunter2-secret")
	m.add("ab") // too short to mask safely
	cases := []struct{ in, want string }{
		{"token pina_AbCdEf0123456789xyz here", "token pina_••• here"},
		{"refresh pinr_ZZZZZZZZZZZZ", "refresh pinr_•••"},
		{"https://a.test/cb#access_token=pina_xyz123456789&state=s", "https://a.test/cb#access_token=•••&state=s"},
		{"https://a.test/cb?code=Q1W2E3R4T5&state=s", "https://a.test/cb?code=Q1W…&state=s"},
		{`{"access_token": "abc.def", "scope": "x"}`, `{"access_token":"•••", "scope": "x"}`},
		{"password hunter2-secret and ab", "password ••• and ab"},
		{"escaped hunter2-secret%21", "escaped •••%21"},
	}
	for _, c := range cases {
		if got := m.mask(c.in); got != c.want {
			t.Errorf("mask(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFindExposures(t *testing.T) {
	m := &masker{}
	raw := "https://acme.test/done#access_token=pina_AAAAAAAAAAAAAAAA&token_type=bearer"
	got := m.findExposures("url", raw, raw)
	if len(got) != 2 {
		t.Fatalf("got %d exposures %+v, want pina_ and access_token=", len(got), got)
	}
	for _, e := range got {
		if strings.Contains(e.URL+e.Excerpt, "AAAAAAAA") {
			t.Errorf("exposure keeps the token: %+v", e)
		}
	}
	if got[0].Pattern != tokenPatterns[0] || got[1].Pattern != tokenPatterns[3] {
		t.Errorf("patterns %q, %q", got[0].Pattern, got[1].Pattern)
	}
	if none := m.findExposures("page-text", "", "pina_short and code=abc"); len(none) != 0 {
		t.Errorf("false positives: %+v", none)
	}
}
