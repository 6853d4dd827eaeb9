package oauthflow

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/ocrtest"
	"github.com/pinready/pinready/internal/redact/redacttest"
	"github.com/pinready/pinready/report"
)

// The property, for every sink Drive and Assess feed: secrets drawn from
// the grammar, shown by an app in its pages (split over elements,
// upper-cased by CSS), typed into its fields from value_env, logged to the
// console, kept in localStorage and served to its scripts as JSON, leave no
// 6-character run in trace.json, in the text of any evidence screenshot
// (OCR), or in any report format written from the findings.
func TestPropertyTraceShotsAndReportsHideEverySecret(t *testing.T) {
	ocrtest.RequireTools(t, "tesseract")
	samples := redacttest.New(4242).Samples(20)
	env := map[string]string{}
	var fields, steps strings.Builder
	for i, s := range redacttest.EnvSecrets(samples) {
		v := fmt.Sprintf("ACME_SECRET_%d", i)
		env[v] = s
		fmt.Fprintf(&fields, `<input id="f%d" style="font: 22px sans-serif; width: 600px">`, i)
		fmt.Fprintf(&steps, "    - fill: \"#f%d\"\n      value_env: %s\n", i, v)
	}
	var shown, texts strings.Builder
	for _, s := range samples {
		shown.WriteString(s.HTML)
		texts.WriteString(s.Text + "\n")
	}
	textsJSON, _ := json.Marshal(texts.String())
	app := &badApp{
		home: `<h1>Acme Pin Planner</h1><form onsubmit="return false">` + fields.String() + `</form><p><a id="connect-pinterest" href="/connect">Connect Pinterest</a></p>`,
		callback: `<div style="font: 22px sans-serif">` + boardsPage + shown.String() + `</div><script>
const texts = ` + string(textsJSON) + `;
console.log(texts);
localStorage.setItem("debug", texts);
fetch("/api/debug").then((r) => r.json());
</script>`,
	}
	w := newWorld(t, "property.test", func(w *world) http.Handler {
		app.w = w
		mux := http.NewServeMux()
		mux.Handle("/", app.handler())
		mux.HandleFunc("/api/debug", func(rw http.ResponseWriter, r *http.Request) {
			rw.Header().Set("Content-Type", "application/json")
			json.NewEncoder(rw).Encode(map[string]string{"texts": texts.String()})
		})
		return mux
	})
	cfg := w.config("  steps:\n" + steps.String())
	tr := w.drive(cfg, Options{Getenv: func(k string) string { return env[k] }})
	findings := Assess(cfg, loadRules(t), tr)

	leaks := func(what, out string) {
		t.Helper()
		for _, s := range samples {
			if run := redacttest.Leak(out, s.Secret); run != "" {
				t.Errorf("%s shows %q of %s %q", what, run, s.Name, s.Secret)
			}
		}
	}
	raw, err := json.MarshalIndent(tr, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	leaks("trace.json", string(raw))
	if len(tr.Exposures) == 0 || tr.Network.Responses == 0 || len(tr.Console) == 0 {
		t.Fatalf("the app's exposures were not all seen (exposures %d, responses %d, console %d): the test proves nothing",
			len(tr.Exposures), tr.Network.Responses, len(tr.Console))
	}

	read := 0
	for _, st := range tr.Steps {
		if st.Screenshot == "" {
			continue
		}
		text := ocrtest.File(t, st.Screenshot, "3")
		if strings.Contains(text, "Your boards") || strings.Contains(text, "Acme Pin Planner") {
			read++
		}
		leaks("screenshot "+st.Screenshot, redacttest.Squash(text))
	}
	if read < 2 {
		t.Errorf("OCR read only %d screenshots: the check proves nothing", read)
	}

	r := checks.NewReport(checks.Tool{Name: "pinready", Version: "test"}, checks.AppRef{Name: cfg.App.Name, Config: cfg.File}, findings, nil)
	for _, format := range report.Formats {
		wr, err := report.New(format, report.Options{Rules: loadRules(t)})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := wr.Write(&b, r); err != nil {
			t.Fatal(err)
		}
		// HTML escapes what it prints; compare what a reader sees.
		leaks("the "+format+" report", html.UnescapeString(b.String()))
	}
	want(t, findingsOf(t, cfg, tr), "oauth.token-exposure", checks.StatusFail, "fetch/XHR response GET /api/debug → $.texts")
}
