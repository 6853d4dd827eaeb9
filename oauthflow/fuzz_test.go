package oauthflow

import (
	"github.com/pinready/pinready/internal/redact"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzSecret is a value_env value the masker knows; it must never survive
// into a masked URL or parameter.
const fuzzSecret = "hunter2-secret-value"

// The authorize-URL parser never panics, every parameter it keeps is masked,
// and a known secret or Pinterest token never survives masking.
func FuzzParseAuthorize(f *testing.F) {
	f.Add("https://www.pinterest.com/oauth/?client_id=1500001&redirect_uri=https%3A%2F%2Facme.example%2Foauth%2Fcallback&response_type=code&scope=boards:read,pins:read&state=0123456789abcdef0123")
	f.Add("http://www.pinterest.test:8080/oauth/?client_id=1&response_type=token&scope=boards%3Aread+pins%3Aread")
	f.Add("https://www.pinterest.com/oauth/?state=&state=x&client_id=%ZZ")
	f.Add("https://www.pinterest.com/oauth/?access_token=pina_AAAAAAAAAAAAAAAA&password=" + fuzzSecret)
	f.Add("https://www.pinterest.com/oauth/?;client_id=1;state=2")
	f.Add("//[::1]:99999/oauth/?%")
	f.Add("")
	m := &masker{}
	m.add(fuzzSecret)
	f.Fuzz(func(t *testing.T, raw string) {
		a := parseAuthorize(raw, m)
		if a == nil {
			t.Fatalf("parseAuthorize(%q) = nil", raw)
		}
		q, err := url.Parse(raw)
		if err != nil {
			return // a URL only a browser accepts: no reference to compare with
		}
		want := q.Query()
		if a.ClientID != want.Get("client_id") || a.State != want.Get("state") || a.HasState != want.Has("state") ||
			a.RedirectURI != m.mask(want.Get("redirect_uri")) || a.Scope != want.Get("scope") || a.ResponseType != want.Get("response_type") {
			t.Fatalf("parseAuthorize(%q) = %+v, disagrees with the query %v", raw, a, want)
		}
		if len(a.Params) != len(want) {
			t.Fatalf("%d params kept of %d", len(a.Params), len(want))
		}
		for k, v := range a.Params {
			if strings.Contains(v, fuzzSecret) {
				t.Fatalf("param %s keeps the secret: %q", k, v)
			}
			if m.mask(v) != v {
				t.Fatalf("param %s = %q is not stable under masking", k, v)
			}
		}
		if strings.Contains(a.RedirectURI, fuzzSecret) {
			t.Fatalf("redirect_uri %q keeps the secret", a.RedirectURI)
		}
		if strings.Contains(a.URL, fuzzSecret) && !strings.Contains(raw, fuzzSecret+fuzzSecret) {
			t.Fatalf("masked URL %q keeps the secret", a.URL)
		}
		for _, e := range redact.Find(a.URL) {
			if e.Rule == "pinterest-token" {
				t.Fatalf("masked URL %q keeps a token %q", a.URL, a.URL[e.Start:e.End])
			}
		}
	})
}

// What an app puts into the authorize URL comes back out of the parser
// unchanged, whatever the values.
func FuzzAuthorizeRoundTrip(f *testing.F) {
	f.Add("1500001", "https://acme.example/oauth/callback", "code", "boards:read,pins:read", "0123456789abcdef")
	f.Add("", "", "", "", "")
	f.Add("1 2", "http://x/?a=b&c=d#e", "code token", "boards:read pins:read", "&state=evil")
	f.Add("%", "\x00", "é", "+", "=")
	m := &masker{}
	f.Fuzz(func(t *testing.T, clientID, redirectURI, responseType, scope, state string) {
		q := url.Values{"client_id": {clientID}, "redirect_uri": {redirectURI}, "response_type": {responseType},
			"scope": {scope}, "state": {state}}
		raw := "https://www.pinterest.com/oauth/?" + q.Encode()
		a := parseAuthorize(raw, m)
		if a == nil {
			t.Fatalf("parseAuthorize(%q) = nil", raw)
		}
		// url.Values cannot carry invalid UTF-8 through Encode and Parse unchanged
		// either way; compare what the standard library itself round-trips.
		back, _ := url.ParseQuery(q.Encode())
		got := []string{a.ClientID, a.RedirectURI, a.ResponseType, a.Scope, a.State}
		for i, k := range []string{"client_id", "redirect_uri", "response_type", "scope", "state"} {
			want := back.Get(k)
			if k == "redirect_uri" {
				want = m.mask(want) // the trace keeps it masked
			}
			if got[i] != want {
				t.Fatalf("%s: put %q, parsed %q", k, want, got[i])
			}
		}
		if !a.HasState {
			t.Fatal("state was sent but HasState is false")
		}
	})
}

// The callback parser never panics, never keeps more of the code than its
// fingerprint, and reads code and state from the query or the fragment.
func FuzzParseCallback(f *testing.F) {
	f.Add("https://acme.example/oauth/callback?code=abcdef0123456789&state=0123456789abcdef")
	f.Add("https://acme.example/oauth/callback#code=abcdef0123456789&state=s")
	f.Add("https://acme.example/oauth/callback?error=access_denied&state=s")
	f.Add("https://acme.example/oauth/callback?code=é漢字漢字漢字&state=%zz")
	f.Add("https://acme.example/oauth/callback?code=&code=second-code-value")
	f.Add("::")
	// Found by random fuzzing: a 4-character code of 12 bytes in a fragment
	// was its own "first 4 characters" fingerprint.
	f.Add("A0000000000000000000000000000000000#code=漢字漢字")
	m := &masker{}
	f.Fuzz(func(t *testing.T, raw string) {
		cb := parseCallback(raw, m)
		if cb == nil {
			t.Fatalf("parseCallback(%q) = nil", raw)
		}
		u, err := url.Parse(raw)
		if err != nil {
			return // no reference to compare with
		}
		q := u.Query()
		frag, _ := url.ParseQuery(u.Fragment)
		code := q.Get("code")
		if !q.Has("code") {
			code = frag.Get("code")
		}
		if cb.HasCode != (code != "") {
			t.Fatalf("HasCode %v for code %q", cb.HasCode, code)
		}
		if cb.Code != "" && cb.Code != redact.Masked {
			shown := utf8.RuneCountInString(strings.TrimSuffix(cb.Code, "…"))
			if shown > 4 || 3*shown > utf8.RuneCountInString(code) || !strings.HasSuffix(cb.Code, "…") {
				t.Fatalf("the code %q is kept as %q, not a fingerprint", code, cb.Code)
			}
		}
		// A plainly written code= parameter never reaches the trace in full,
		// however few characters it has (a 4-character code is masked whole).
		long := len(code) >= 12 && utf8.ValidString(code) && !strings.ContainsAny(code, "&#\"' \t\r\n\f\v%+") &&
			strings.Count(raw, code) == 1 && strings.Contains(raw, "code="+code)
		if long && strings.Contains(cb.URL, code) {
			t.Fatalf("masked callback URL %q keeps the code %q", cb.URL, code)
		}
	})
}
