package demo

import (
	"context"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pinready/pinready/internal/browser"
	"github.com/pinready/pinready/internal/browser/browsertest"
	"github.com/pinready/pinready/internal/ocrtest"
	"github.com/pinready/pinready/internal/redact/redacttest"
	"github.com/pinready/pinready/internal/resolve"
	"github.com/pinready/pinready/internal/testenv"
)

// The property, for every image the recorder writes: secrets drawn from the
// grammar (tokens holding / + = % - _ ., JWTs, credentials under every key
// spelling, URL userinfo, value_env secrets upper-cased by CSS or split
// over elements, some registered only during the flow) are shown by the
// page in large type, and OCR of sampled video frames, of every step
// picture and of the storyboard finds no 6-character run of any of them.
func TestPropertyVideoHidesEverySecret(t *testing.T) {
	browsertest.Require(t)
	ocrtest.RequireTools(t, "ffmpeg", "tesseract")
	gen := redacttest.New(1313)
	pages := [][]redacttest.Sample{gen.Samples(10), gen.Samples(10)}
	// The cases, whatever the draw: a token with "/" and one with "%".
	slash, pct := "pina_AbCdEfGh/IjKlMnOp+QrStUv=", "pinr_0a1b2c3d%2F4e5f6a7b8c9d0e1f"
	pages[0] = append(pages[0], redacttest.Sample{Name: "slash", Secret: slash, HTML: "<p>Slash token " + slash + "</p>"})
	pages[1] = append(pages[1], redacttest.Sample{Name: "percent", Secret: pct, HTML: "<p>Percent token " + pct + "</p>"})
	var early, late []string // registered before the recording, and during it
	for i, p := range pages {
		for _, s := range redacttest.EnvSecrets(p) {
			if i == 0 {
				early = append(early, s)
			} else {
				late = append(late, s)
			}
		}
	}

	mux := http.NewServeMux()
	mux.HandleFunc("/samples/{n}", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(r.PathValue("n"), &n)
		var b strings.Builder
		for _, s := range pages[n%2] {
			b.WriteString(s.HTML)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><title>Samples %d</title><style>
body{margin:0;padding:24px 48px;font:26px/1.25 sans-serif;background:#fff;color:#000} p,pre,code{margin:0 0 6px;font:26px/1.25 sans-serif;display:block}
</style></head><body><h1 style="font-size:30px;margin:0 0 8px">Weeknight dinners %d</h1>%s</body></html>`, n, n, b.String())
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	m, err := resolve.ParseAll([]string{"acme.test:" + port + ":127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}

	out := t.TempDir()
	o := Options{OutDir: out, AppName: testAppName, AppID: testAppID, Secrets: early, TitleCard: -1}
	vw, vh := ViewportSize(o)
	b := browsertest.Launch(t, browser.Options{Resolve: m, Width: vw, Height: vh, DeviceScale: DeviceScale(o)})
	tab, closeTab, err := b.NewTab()
	if err != nil {
		t.Fatal(err)
	}
	defer closeTab()
	ctx, cancel := context.WithTimeout(tab, testenv.Hang)
	defer cancel()
	r, err := NewRecorder(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Abort()
	if err := r.Tab(ctx); err != nil {
		t.Fatal(err)
	}
	var shown []float64 // when each page was on screen, on the video's clock (from the recorder's start)
	for n := range pages {
		if n == 1 {
			for _, s := range late {
				r.Secret(s) // masked from the moment it is registered
			}
		}
		// The address bar carries a token with "/" and "%" in the query.
		u := fmt.Sprintf("http://acme.test:%s/samples/%d?access_token=%s&next=%s", port, n, url.QueryEscape(slash), url.QueryEscape(pct))
		r.Step(fmt.Sprintf("page-%d", n), fmt.Sprintf("Samples page %d", n))
		if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
			t.Fatal(err)
		}
		// The page stays at least 1.5s: its middle is on screen.
		shown = append(shown, time.Since(r.start).Seconds()+0.75)
		time.Sleep(1500 * time.Millisecond)
	}
	r.Step("end", "Done")
	time.Sleep(300 * time.Millisecond)
	res, err := r.Finish()
	if err != nil {
		t.Fatal(err)
	}

	var secrets []string
	for _, p := range pages {
		for _, s := range p {
			secrets = append(secrets, s.Secret)
		}
	}
	check := func(what, text string) {
		t.Helper()
		sq := redacttest.Squash(text)
		for _, s := range secrets {
			if run := redacttest.Leak(sq, redacttest.Squash(s)); run != "" {
				t.Errorf("%s shows %q of %q:\n%s", what, run, s, text)
			}
		}
	}
	readable := 0
	for i, sec := range shown {
		img := ocrtest.FrameAt(t, res.Video, sec)
		p := filepath.Join(t.TempDir(), fmt.Sprintf("frame-%d.png", i))
		ocrtest.WritePNG(t, p, img)
		text := ocrtest.File(t, p, "3")
		if strings.Contains(text, "Weeknight dinners") {
			readable++
		}
		check(fmt.Sprintf("video frame at %.1fs", sec), text)
	}
	for _, st := range res.Steps {
		text := ocrtest.File(t, st.Path, "3")
		if strings.Contains(text, "Weeknight dinners") {
			readable++
		}
		check("step picture "+filepath.Base(st.Path), text)
	}
	check("the storyboard", ocrtest.File(t, res.Storyboard, "3"))
	// OCR that reads nothing proves nothing: the pages' headings must be read.
	if readable < 2 {
		t.Errorf("OCR read the samples pages in only %d images: the check proves nothing", readable)
	}
	t.Logf("%d secrets, %d frames, %d step pictures checked by OCR; %s", len(secrets), len(shown), len(res.Steps), html.EscapeString(res.Video))
}
