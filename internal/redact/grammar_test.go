package redact

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/pinready/pinready/internal/redact/redacttest"
)

func TestText(t *testing.T) {
	m := NewMasker("Hunter2Secret", "s3cr3t/+&", "ab") // "ab" is too short to hide in text
	cases := []struct{ name, in, want string }{
		{"token", "token pina_SECRETTOKEN123 here", "token ••• here"},
		{"token with / + = % - _ .", "pina_AbC/dEf+GhI=JkL%2FmNo-PqR_sTu.VwX!", "•••!"},
		{"upper-cased token", "PINA_ABCDEFGHIJKL and Pinr_abcd.EFGH-1234", "••• and •••"},
		{"the bare prefix stays", "the pina_ prefix, pina_short", "the pina_ prefix, pina_short"},
		{"token in an escaped URL", "redirect_uri=https%3A%2F%2Fa%2Fcb%3Ftoken%3Dpina_abcdefghijk", "redirect_uri=https%3A%2F%2Fa%2Fcb%3Ftoken%3D•••"},
		{"query parameters", "x?access_token=abc&y=1&refresh_token=r1&id_token=i&Token=t&password=p", "x?access_token=•••&y=1&refresh_token=•••&id_token=•••&Token=•••&password=•••"},
		{"fragment", "https://a.test/cb#access_token=pina_xyz123456789&state=s", "https://a.test/cb#access_token=•••&state=s"},
		{"client secret in a form body", "grant_type=x&client_secret=topsecret&CLIENT_SECRET=s2", "grant_type=x&client_secret=•••&CLIENT_SECRET=•••"},
		{"JSON", `{"access_token": "abc.def", "id_token":"eyJx", "expires_in": 2592000}`, `{"access_token": "•••", "id_token":"•••", "expires_in": 2592000}`},
		{"escaped JSON", `"{\"refresh_token\":\"r1-abc\"}"`, `"{\"refresh_token\":\"•••\"}"`},
		{"camelCase JSON", `{"accessToken":"abc","clientSecret":"def"}`, `{"accessToken":"•••","clientSecret":"•••"}`},
		{"YAML", "access_token: abcdefgh\nrefresh-token: zzz\n", "access_token: •••\nrefresh-token: •••\n"},
		{"header", "Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l", "Authorization: Basic •••"},
		{"bearer in a log", "sent Bearer abcdefghijklmnopqrstu", "sent Bearer •••"},
		{"bearer in prose stays", "bearer tokens and Bearer authentication", "bearer tokens and Bearer authentication"},
		{"JWT", "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl end", "jwt ••• end"},
		{"userinfo", "https://ann:pw@acme.example/privacy and ftp://x@h/", "https://•••@acme.example/privacy and ftp://•••@h/"},
		{"an e-mail is not userinfo", "write to ann@acme.example", "write to ann@acme.example"},
		{"code fingerprint", "https://a.test/cb?code=ABCD1234EFGH5678&state=s", "https://a.test/cb?code=ABCD…&state=s"},
		{"short code masked whole", "https://a.test/cb?code=AB", "https://a.test/cb?code=•••"},
		{"prose password stays", "Password: forgot it?", "Password: forgot it?"},
		{"secret", "password is Hunter2Secret!", "password is •••!"},
		{"secret in another case", "HUNTER2SECRET and hunter2secret", "••• and •••"},
		{"secret URL-escaped", "p=s3cr3t%2F%2B%26&q=s3cr3t%2f%2b%26", "p=•••&q=•••"},
		{"secret escaped twice", "u=s3cr3t%252F%252B%2526", "u=•••"},
		{"secret HTML-escaped", "s3cr3t/+&amp; and s3cr3t&#x2f;+&#38;", "••• and •••"},
		{"secret JSON-escaped", `"s3cr3t\/+\u0026"`, `"•••"`},
		{"short secrets are not hidden in text", "ab cd", "ab cd"},
		{"nothing to hide", "Your boards: Weeknight dinners", "Your boards: Weeknight dinners"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := m.Text(c.in)
			if got != c.want {
				t.Errorf("Text(%q)\n got %q\nwant %q", c.in, got, c.want)
			}
			if again := m.Text(got); again != got {
				t.Errorf("masking twice changed %q to %q", got, again)
			}
		})
	}
}

func TestURL(t *testing.T) {
	cases := []struct{ in, want string }{
		{"https://user:pass@acme.example/privacy", "https://•••@acme.example/privacy"},
		{"https://acme.example/privacy", "https://acme.example/privacy"},
		{"https://acme.example/cb?code=0123456789abcdef&access_token=x", "https://acme.example/cb?code=0123…&access_token=•••"},
		{"HTTP://USER@ACME.EXAMPLE/", "HTTP://•••@ACME.EXAMPLE/"},
	}
	for _, c := range cases {
		if got := URL(c.in); got != c.want {
			t.Errorf("URL(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFind(t *testing.T) {
	cases := []struct {
		in   string
		want []string // rule names, in order
	}{
		{"https://acme.test/done#access_token=pina_AAAAAAAAAAAAAAAA&token_type=bearer", []string{"pinterest-token", "token-parameter"}},
		{"https://acme.test/x?client_secret=abcdefgh123", []string{"client-secret"}},
		{`{"client_secret": "abcdefgh123"}`, []string{"client-secret"}},
		{"pinr_ZZZZZZZZZZZZ", []string{"pinterest-token"}},
		{"PINA_UPPERCASE123", []string{"pinterest-token"}},
		// Not exposures: too short, only masked kinds, already masked.
		{"pina_short and code=abc and access_token=abc", nil},
		{`{"access_token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig"}`, nil},
		{"Authorization: Bearer abcdefghijklmnopqrstuv", nil},
		{"access_token=•••", nil},
		// Placeholders in documentation are masked, not exposures.
		{"client_secret=YOUR_CLIENT_SECRET and pina_xxxxxxxxxxxx and access_token=<ACCESS_TOKEN>", nil},
	}
	for _, c := range cases {
		var got []string
		for _, m := range Find(c.in) {
			got = append(got, m.Rule)
		}
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("Find(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestFindJSON(t *testing.T) {
	// Auth.js' session, with the access token handed to the browser.
	body := `{"user":{"name":"Ann","email":"ann@acme.example","image":null},"expires":"2026-12-28T00:00:00.000Z",` +
		`"accessToken":"pina_ABCDEFGHIJ12345","x y":[1,{"t":"pinr_zzzzzzzzzzzz"}],"client_secret":"abcdefgh123","n":12}`
	got, ok := FindJSON([]byte(body))
	want := []JSONMatch{{"$.accessToken", "pinterest-token"}, {`$["x y"][1].t`, "pinterest-token"}, {"$.client_secret", "client-secret"}}
	if !ok || len(got) != len(want) {
		t.Fatalf("FindJSON = %v, %v; want %v", got, ok, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("match %d = %v, want %v", i, got[i], want[i])
		}
	}
	if _, ok := FindJSON([]byte("<html>pina_ABCDEFGHIJ12345</html>")); ok {
		t.Error("HTML read as JSON")
	}
	if got, _ := FindJSON([]byte(`["pina_ABCDEFGHIJ12345"]`)); len(got) != 1 || got[0].Path != "$[0]" {
		t.Errorf("top-level array: %v", got)
	}
	if got, _ := FindJSON([]byte(`{"pina_ABCDEFGHIJ12345": true}`)); len(got) != 1 || got[0].Path != `$["•••"]` {
		t.Errorf("a token as a key must be found and masked in its path: %v", got)
	}
}

// Every rule is (prefix)(secret)suffix in syntax that RE2 and ECMAScript
// read alike, so page.js can run it unchanged.
func TestRulesArePortable(t *testing.T) {
	// Constructs that differ between the two, or that one lacks.
	notPortable := regexp.MustCompile(`\\[sSdDwWpPAzZQE]|\(\?[^:]|\[\[:|\\x\{`)
	names := map[string]bool{}
	for _, r := range Rules {
		if names[r.Name] {
			t.Errorf("rule %s defined twice", r.Name)
		}
		names[r.Name] = true
		re, err := regexp.Compile("(?i)" + r.Source())
		if err != nil {
			t.Errorf("%s: %v", r.Name, err)
			continue
		}
		if re.NumSubexp() != 2 {
			t.Errorf("%s has %d groups, want exactly (prefix)(secret)", r.Name, re.NumSubexp())
		}
		if loc := notPortable.FindString(r.Source()); loc != "" {
			t.Errorf("%s uses %q, which ECMAScript reads differently", r.Name, loc)
		}
	}
	src := secretsSource([]string{`a.b*c(d)[e]{f}|g^h$i\j/k&l"m'n o😀p`})
	if loc := notPortable.FindString(src); loc != "" {
		t.Errorf("the secrets' expression uses %q", loc)
	}
	if re := regexp.MustCompile("(?i)" + src); !re.MatchString(`a.b*c(d)[e]{f}|g^h$i\j/k&l"m'n o😀p`) {
		t.Error("a secret full of metacharacters does not match itself")
	}
}

// The property: a secret drawn from the grammar, in any place and spelling
// apps use, leaves no run of 6 of its characters in masked text.
func TestPropertyTextHidesEverySecret(t *testing.T) {
	samples := redacttest.New(13).Samples(600)
	m := NewMasker(redacttest.EnvSecrets(samples)...)
	for _, s := range samples {
		out := m.Text(s.Text)
		if run := redacttest.Leak(out, s.Secret); run != "" {
			t.Errorf("%s: %q survives in %q (from %q)", s.Name, run, out, s.Text)
		}
	}
}

// Masking never panics, is stable, and leaves nothing detection would call
// an exposure.
func FuzzText(f *testing.F) {
	for _, s := range redacttest.New(3).Samples(20) {
		f.Add(s.Text, s.Secret)
	}
	f.Add("pina_AbC/dEf+GhI=JkL%2FmNo", "x")
	f.Add("https://u:p@h/?code=漢字漢字漢字漢字漢字&client_secret=abcdefghij", "漢字")
	f.Add("\xff\xfe access_token=\xffabcdefgh", "\xff")
	f.Fuzz(func(t *testing.T, s, secret string) {
		m := NewMasker(secret)
		out := m.Text(s)
		if again := m.Text(out); again != out {
			t.Fatalf("Text(%q) = %q, and again %q", s, out, again)
		}
		if found := Find(out); len(found) > 0 {
			t.Fatalf("Text(%q) = %q still holds %s at %d", s, out, found[0].Rule, found[0].Start)
		}
	})
}

func TestWriterMasksLines(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b, NewMasker("Hunter2Secret"))
	// A secret split over two writes is still one line.
	for _, p := range []string{"oauth: step-1 Hunter2", "Secret done\nprivacy: https://u:p@", "a.test/\nlast pina_ABCDEFGHIJK"} {
		if n, err := w.Write([]byte(p)); err != nil || n != len(p) {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	if strings.Contains(b.String(), "last") {
		t.Errorf("an unfinished line was written before Flush: %q", b.String())
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "oauth: step-1 ••• done\nprivacy: https://•••@a.test/\nlast •••"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

// BenchmarkTextPage masks a 53 KB page text with two run secrets: clean
// (the common case: the rules' Needs skip every expression) and with one
// token (its expression then scans the whole text).
func BenchmarkTextPage(b *testing.B) {
	m := NewMasker("Hunter2Secret", "another-secret-value")
	clean := strings.Repeat("Your boards: Weeknight dinners, Garden ideas. Plan your Pins a week ahead. ", 700)
	for _, c := range []struct{ name, page string }{{"clean", clean}, {"one-token", clean + "pina_ABCDEFGHIJKLMNOP"}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.page)))
			for b.Loop() {
				m.Text(c.page)
			}
		})
	}
}

// An excerpt is cut from the masked text: the key that makes a value a
// secret may lie outside the window, and markup may split a token.
func TestExcerpts(t *testing.T) {
	m := NewMasker()
	s := "grant_type=authorization_code&client_secret=7tglD2dGsVbuTjoonxBpIs0fbVxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx&note=pina_ABCDEFGHIJKLMNOP"
	ms := Find(s)
	ex := m.Excerpts(s, ms, false)
	for i, e := range ex {
		if strings.Contains(e, "7tglD2") || strings.Contains(e, "ABCDEFGH") || !strings.Contains(e, Masked) {
			t.Errorf("excerpt %d = %q", i, e)
		}
	}
	h := `<p>Your boards</p><p>token pinc_o0Zmj6-lKLX<b>KB0J3Z5nqIUXWPZTPby2sEVKo</b></p><input value="pina_ATTRIBUTE12345">`
	ex = m.Excerpts(h, Find(h), true)
	if len(ex) != 2 {
		t.Fatalf("found %d in the markup, want the split token and the attribute's", len(ex))
	}
	for _, e := range ex {
		if strings.Contains(e, "KB0J3Z") || strings.Contains(e, "ATTRIBUTE") || strings.Contains(e, "o0Zmj6") {
			t.Errorf("markup excerpt %q keeps a piece of a token", e)
		}
	}
}

// Needs never hides a match: every match of a rule holds one of its words.
func TestNeedsHoldForEveryMatch(t *testing.T) {
	var corpus []string
	for _, s := range redacttest.New(5).Samples(400) {
		corpus = append(corpus, s.Text)
	}
	corpus = append(corpus, "HTTPS://U:P@H/ AUTHORIZATION: BASIC abc PINA_ABCDEFGHIJ EYJABCDEF.EYJABCDEF.X ?CODE=1 API-KEY=1 PWD=2 ACCESS-TOKEN%3Dx")
	for i := range Rules {
		re := compiled(i)
		for _, text := range corpus {
			for _, m := range re.FindAllStringIndex(text, -1) {
				if !worth(lowerASCII(text[m[0]:m[1]]), Rules[i].Needs) {
					t.Errorf("%s matched %q, which holds none of %q", Rules[i].Name, text[m[0]:m[1]], Rules[i].Needs)
				}
			}
		}
	}
	m := NewMasker("Hunter2Secret", "s3cr3t/+&", "!!!")
	if got := m.Text("HUNTER2SECRET, !!!"); got != "•••, •••" {
		t.Errorf("secrets' needs skipped a match: %q", got)
	}
}
