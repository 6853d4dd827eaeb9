package privacy

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/testenv"
)

// analyse is everything the audit does with a page's bytes once they have
// arrived: decode the declared charset, parse the HTML, classify access, and
// run every content rule. It is what the fuzzer and the size test drive.
func analyse(t testing.TB, rs *checks.Ruleset, body []byte, contentType string) {
	t.Helper()
	f := &fetcher{maxBody: int64(rs.Get("privacy.reachable").Params.Int("max_body_bytes"))}
	p, err := f.read(&http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {contentType}}, Body: io.NopCloser(bytes.NewReader(body))})
	if err != nil {
		return
	}
	isDocument(p)
	d, err := parseDocument(string(p.Body))
	if err != nil {
		return
	}
	param := func(id string) checks.Params { return rs.Get(id).Params }
	classifyAccess(accessInput{Chain: []string{"https://acme.test/privacy"}, FinalURL: "https://acme.test/privacy",
		Status: 200, Header: p.Header, Doc: d, MinWords: 150}, param("privacy.public"))
	judgeContent(newReading(d, p.Header, "privacy"), checks.App{Name: "Acme Pin Planner", Company: "Acme Inc."}, param)
}

// The content analysis never panics, whatever bytes and charset a server sends.
func FuzzContentAnalysis(f *testing.F) {
	for _, name := range []string{"policy-legal.html", "policy-plain.html", "policy-template.html", "cookie-wall.html", "login.html"} {
		data, err := os.ReadFile("../testdata/privacy/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, "text/html; charset=utf-8")
	}
	// The multilingual corpus's hardest shapes: fragments of sections,
	// Cloudflare's hidden addresses, right-to-left text, CJK without spaces.
	for _, name := range []string{"en-cloudflare-email.html", "en-legal-anchor.html", "ar-app.html", "ja-tpl-marumaru.html", "zh-Hant-hk.html", "tr-kvkk.html", "negative/en-eula-navbar.html"} {
		data, err := os.ReadFile("../testdata/policies/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, "text/html; charset=utf-8")
	}
	f.Add([]byte(`<a data-cfemail="zz">[email protected]</a><a href="/cdn-cgi/l/email-protection#41">x</a><h2 id="privacy"></h2>`), "text/html")
	f.Add([]byte("<html lang=\"zh-TW\"><h1>隱私權政策</h1><p>最後更新：2026年1月12日 [[\"a\" or \"b\"]] {{x}} <<y>>"), "text/html")
	f.Add([]byte("<title>Privacy Policy</title><p>Last updated March 1, 2026</p>"), "text/html")
	f.Add([]byte("<p>Effective \xff\xfe\xc3 2026-01-01</p>"), "text/html; charset=utf-8")
	f.Add([]byte("<meta charset=utf-16><p>Privacy</p>"), "text/html")
	f.Add([]byte("<p>Privacy</p>"), "text/html; charset=x-klingon")
	f.Add([]byte("\x00<\x00p\x00>\x00"), "text/html; charset=utf-16le")
	data, err := os.ReadFile("../rules.yaml")
	if err != nil {
		f.Fatal(err)
	}
	rs, err := checks.ParseRules("rules.yaml", data)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		// Go's fuzzer has no hang detection: a watchdog turns a stuck
		// analysis into a failure that saves the input.
		done := make(chan struct{})
		go func() { defer close(done); analyse(t, rs, body, contentType) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("analysing %d bytes (%q) did not end within 10s", len(body), contentType)
		}
	})
}

// hostileMegabytes are 1 MB pages of the shapes that make HTML parsers and
// regexps slow (quadratic nesting, backtracking, case folding).
func hostileMegabytes() map[string][]byte {
	const mb = 1 << 20
	fill := func(prefix, unit, suffix string) []byte {
		return []byte(prefix + strings.Repeat(unit, (mb-len(prefix)-len(suffix))/len(unit)) + suffix)
	}
	return map[string][]byte{
		"deep nesting":           fill("<title>Privacy Policy</title>", "<div>", ""),
		"unclosed formatting":    fill("<title>Privacy Policy</title>", "<b><i><a href=x>", ""),
		"one long word":          fill("<p>", "a", "</p>"),
		"date labels everywhere": fill("", "effective updated as of 1.1.", ""),
		"case-changing runes":    fill("<p>", "Ⱥ ", " last updated March 1, 2026</p>"),
		"invalid UTF-8":          fill("<p>", "\xff\xc3(", "</p>"),
		"table soup":             fill("<table>", "<tr><td>x", ""),
	}
}

// Each hostile megabyte is analysed to the end without a panic. A hang
// fails at testenv.Hang; how fast each is analysed is
// BenchmarkContentAnalysisHostileMegabyte's to measure, not a test's.
func TestContentAnalysisOfHostileMegabyte(t *testing.T) {
	t.Parallel() // CPU-bound: overlaps the other tests' waits for servers and Chromium
	rs := testRules(t, nil)
	for name, body := range hostileMegabytes() {
		t.Run(name, func(t *testing.T) {
			done := make(chan struct{})
			go func() { defer close(done); analyse(t, rs, body, "text/html") }()
			select {
			case <-done:
			case <-time.After(testenv.Hang):
				t.Fatalf("analysing 1 MB did not end within %s", testenv.Hang)
			}
		})
	}
}
