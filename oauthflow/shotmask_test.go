package oauthflow

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/ocrtest"
)

// An app that prints a token on its page fails oauth.token-exposure, yet the
// token is not in the evidence screenshot of that page: no secret reaches a
// file pinready writes.
func TestEvidenceScreenshotsMaskTokens(t *testing.T) {
	ocrtest.RequireTools(t, "tesseract")
	app := &badApp{callback: boardsPage + `<p style="font: 40px sans-serif">Your token: pina_SHOWNTOKEN1234567890</p>` +
		`<input style="font: 40px sans-serif; width: 900px" value="pina_FIELDTOKEN1234567890">` +
		`<p style="font: 40px sans-serif">client_secret=SECRETVALUE987654</p>`}
	w := newWorld(t, "shown.test", func(w *world) http.Handler { app.w = w; return app.handler() })
	cfg := w.config("")
	tr := w.drive(cfg, Options{})
	want(t, findingsOf(t, cfg, tr), "oauth.token-exposure", checks.StatusFail, "page-text")
	if tr.Callback == nil || tr.Callback.Screenshot == "" {
		t.Fatalf("no screenshot of the callback page: %+v", tr.Callback)
	}
	text := ocrtest.File(t, tr.Callback.Screenshot, "3")
	if !strings.Contains(text, "Your token") || !strings.Contains(text, "boards") {
		t.Fatalf("OCR cannot read the page, so it proves nothing about the token:\n%s", text)
	}
	if strings.Contains(text, "SHOWNTOKEN") || strings.Contains(text, "FIELDTOKEN") || strings.Contains(text, "pina_") || strings.Contains(text, "SECRETVALUE") {
		t.Fatalf("the evidence screenshot shows the token:\n%s", text)
	}
}
