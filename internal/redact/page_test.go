package redact

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/pinready/pinready/internal/browser"
	"github.com/pinready/pinready/internal/browser/browsertest"
	"github.com/pinready/pinready/internal/egress"
	"github.com/pinready/pinready/internal/redact/redacttest"
	"github.com/pinready/pinready/internal/testenv"
)

// shared is the one Chromium the page tests use, started by the first.
var shared struct {
	once sync.Once
	b    *browser.Browser
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.b != nil {
		shared.b.Close()
		if n := len(shared.b.Processes()); n > 0 {
			fmt.Fprintf(os.Stderr, "%d Chromium processes left after Close\n", n)
			code = 1
		}
	}
	os.Exit(code)
}

// pageTab opens a page with body in a new tab and returns its context.
func pageTab(t *testing.T, body string) context.Context {
	t.Helper()
	browsertest.Require(t)
	// The pages are served on 127.0.0.1, which the default egress policy refuses.
	shared.once.Do(func() {
		shared.b, shared.err = browser.Launch(context.Background(), browser.Options{Egress: egress.AllowAll()})
	})
	if shared.err != nil {
		t.Fatalf("launch Chromium: %v", shared.err)
	}
	b := shared.b
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><title>Masking</title></head><body style="font: 16px sans-serif">%s</body></html>`, body)
	}))
	t.Cleanup(srv.Close)
	tab, cancel, err := b.NewTab()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(tab, testenv.Hang)
	t.Cleanup(cancelT)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// page.js masks every text exactly as Text does: the page has no grammar
// of its own, only the one PageRules hands it.
func TestPageMaskerMatchesGo(t *testing.T) {
	samples := redacttest.New(7).Samples(300)
	m := NewMasker(append(redacttest.EnvSecrets(samples), "s3cr3t/+&", "Hunter2Secret")...)
	inputs := []string{
		"pina_AbC/dEf+GhI=JkL%2FmNo-PqR_sTu.VwX!", "the pina_ prefix", "code=abc", "https://a.test/cb?code=ABCD1234EFGH5678&state=s",
		"https://a.test/cb?code=漢字漢字漢字漢字漢字漢字&x=1", "https://a.test/cb?code=AB", "https://ann:pw@acme.example/",
		`{"access_token": "abc.def", "id_token":"eyJx"}`, `"{\"refresh_token\":\"r1-abc\"}"`, "access_token: abcdefgh\nrefresh-token: zzz\n",
		"Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l", "sent Bearer abcdefghijklmnopqrstu", "bearer tokens",
		"p=s3cr3t%2F%2B%26&q=s3cr3t%2f%2b%26", "s3cr3t/+&amp; and s3cr3t&#x2f;+&#38;", `"s3cr3t\/+\u0026"`, "HUNTER2SECRET!",
		"access_token=•••", "code=ABCD…", "Password: forgot it?", "x?Token=t&password=p&api_key=k",
	}
	for _, s := range samples {
		inputs = append(inputs, s.Text)
	}
	in, _ := json.Marshal(inputs)
	ctx := pageTab(t, "")
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](fmt.Sprintf(`(() => { const c = %s; return %s.map((s) => c.mask(s)); })()`, m.PageMasker(), in)))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(inputs) {
		t.Fatalf("page masked %d texts, want %d", len(got), len(inputs))
	}
	for i, s := range inputs {
		if want := m.Text(s); got[i] != want {
			t.Errorf("page and Go disagree on %q:\npage %q\n  go %q", s, got[i], want)
		}
	}
}

// In a page, masking works on the rendered text of whole elements: a
// secret split over elements, re-cased by CSS or laid out by flexbox is
// hidden, and nothing else changes (a script's text least of all).
func TestPageMaskerHidesRenderedText(t *testing.T) {
	samples := redacttest.New(21).Samples(40)
	var body strings.Builder
	body.WriteString(`<h1>Your boards</h1>`)
	for _, s := range samples {
		body.WriteString(s.HTML)
	}
	body.WriteString(`<div style="display:flex"><span>Tulip00abcd</span><span>!XYZab</span></div>`)
	body.WriteString(`<p>Hello <i>Hun</i><b>ter2</b><span style="text-transform:uppercase">sekret</span> again</p>`)
	body.WriteString(`<p><span style="display:inline-block">Quok</span><span style="display:inline-block">ka42abcd/xyzab</span></p>`)
	body.WriteString(`<script id=s>window.kept = "pina_SCRIPTTOKEN12345";</script><p>Weeknight dinners</p>`)
	ctx := pageTab(t, body.String())
	secrets := append(redacttest.EnvSecrets(samples), "Hunter2Sekret", "Tulip00abcd!XYZab", "Quokka42abcd/xyzab")
	m := NewMasker(secrets...)
	type result struct {
		Changed int    `json:"changed"`
		Text    string `json:"text"`
		Script  string `json:"script"`
		Kept    string `json:"kept"`
	}
	res, err := chromedp.Run(ctx, chromedp.Evaluate[result](fmt.Sprintf(`(() => {
		const c = %s;
		const changed = c.maskTree(document.documentElement);
		return {changed, text: document.body.innerText, script: document.getElementById("s").textContent, kept: window.kept};
	})()`, m.PageMasker())))
	if err != nil {
		t.Fatal(err)
	}
	if res.Changed == 0 || !strings.Contains(res.Text, "Your boards") || !strings.Contains(res.Text, "Weeknight dinners") {
		t.Fatalf("the page lost its ordinary text, or nothing was masked (%d nodes):\n%s", res.Changed, res.Text)
	}
	if !strings.Contains(res.Script, "pina_SCRIPTTOKEN12345") || res.Kept != "pina_SCRIPTTOKEN12345" {
		t.Errorf("a script's text was changed: %q", res.Script)
	}
	for _, s := range samples {
		if run := redacttest.Leak(res.Text, s.Secret); run != "" {
			t.Errorf("%s: %q is still in the page's rendered text", s.Name, run)
		}
	}
	for _, s := range secrets[len(secrets)-3:] {
		if run := redacttest.Leak(res.Text, s); run != "" {
			t.Errorf("split secret %q: %q is still in the page's rendered text:\n%s", s, run, res.Text)
		}
	}
	if !strings.Contains(res.Text, "Hello "+Masked+" again") {
		t.Errorf("a secret split over three elements is not one mask:\n%s", res.Text)
	}
	// Masking again finds nothing more to do.
	again, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`(%s).maskTree(document.documentElement)`, m.PageMasker())))
	if err != nil || again != 0 {
		t.Errorf("a second pass changed %d nodes (%v)", again, err)
	}
}
