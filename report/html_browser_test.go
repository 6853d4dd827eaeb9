package report

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/pinready/pinready/internal/browser"
	"github.com/pinready/pinready/internal/browser/browsertest"
	"github.com/pinready/pinready/internal/egress"
	"github.com/pinready/pinready/internal/testenv"
)

// TestHTMLInBrowser renders the report in real headless Chromium at desktop
// and phone widths: no console errors, no horizontal scrolling on a phone,
// the verdict on screen, every embedded image decoded. Screenshots go to the
// test's artifact directory (go test ./report/ -run HTMLInBrowser -artifacts).
func TestHTMLInBrowser(t *testing.T) {
	r, rs := sampleReport(t)
	page := render(t, "html", Options{Rules: rs}, r)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path != "/" {
			// The page must need nothing else; a request here is a bug.
			t.Errorf("the report requested %s", req.URL.Path)
			http.NotFound(w, req)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	defer srv.Close()

	// The report is served on 127.0.0.1 itself: no egress policy.
	b := browsertest.Launch(t, browser.Options{Egress: egress.AllowAll()})
	tab, closeTab, err := b.NewTab()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(tab, testenv.Hang)
	defer cancel()

	var (
		mu       sync.Mutex
		messages []chromedp.ConsoleMessage
	)
	console := chromedp.Console(ctx)
	drained := make(chan struct{})
	probed := make(chan struct{}) // closed when the probe below is read
	go func() {
		defer close(drained)
		var once sync.Once
		for m, err := range console {
			if err != nil {
				return
			}
			mu.Lock()
			messages = append(messages, m)
			mu.Unlock()
			if strings.Contains(m.Text, "pinready-probe") {
				once.Do(func() { close(probed) })
			}
		}
	}()

	for _, vp := range []struct {
		name          string
		width, height int64
		mobile        bool
	}{
		{"desktop", 1280, 800, false},
		{"phone", 390, 844, true},
	} {
		t.Run(vp.name, func(t *testing.T) {
			opts := []chromedp.EmulateViewportOption{}
			if vp.mobile {
				opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
			}
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.width, vp.height, opts...), chromedp.Navigate(srv.URL+"/")); err != nil {
				t.Fatal(err)
			}
			inner, err := chromedp.Run(ctx, chromedp.Evaluate[int]("window.innerWidth"))
			if err != nil {
				t.Fatal(err)
			}
			if inner != int(vp.width) {
				t.Fatalf("viewport is %dpx wide, want %d", inner, vp.width)
			}
			scroll, err := chromedp.Run(ctx, chromedp.Evaluate[int]("document.documentElement.scrollWidth"))
			if err != nil {
				t.Fatal(err)
			}
			if scroll > inner {
				wide, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](widestJS))
				t.Errorf("page is %dpx wide in a %dpx viewport (horizontal scrolling); wider elements: %v", scroll, inner, wide)
			}
			verdict, err := chromedp.Run(ctx, chromedp.Evaluate[string](verdictVisibleJS))
			if err != nil {
				t.Fatal(err)
			}
			if verdict != "Likely denied" {
				t.Errorf("verdict headline on screen: %q, want %q", verdict, "Likely denied")
			}
			images, err := chromedp.Run(ctx, chromedp.Evaluate[[]int]("[...document.images].map(i => i.complete ? i.naturalWidth : -1)"))
			if err != nil {
				t.Fatal(err)
			}
			if len(images) != 2 {
				t.Errorf("%d images, want 2", len(images))
			}
			for i, w := range images {
				if w <= 0 {
					t.Errorf("image %d did not decode (naturalWidth %d)", i, w)
				}
			}
			shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			full, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(shot, []byte("\x89PNG")) || !bytes.HasPrefix(full, []byte("\x89PNG")) {
				t.Fatal("screenshot is not a PNG")
			}
			dir := t.ArtifactDir()
			os.WriteFile(filepath.Join(dir, "report-"+vp.name+".png"), shot, 0o644)
			os.WriteFile(filepath.Join(dir, "report-"+vp.name+"-full.png"), full, 0o644)
		})
	}

	// Prove the console is being read, so "no errors" means something.
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Run(ctx, chromedp.Evaluate[any]("console.info('pinready-probe'), null"))
		return err
	})); err != nil {
		t.Fatal(err)
	}
	select {
	case <-probed:
	case <-drained: // the console stream ended: the probe came before, or never
	case <-ctx.Done():
	}
	select {
	case <-probed:
	default:
		t.Fatal("the console probe never arrived; console capture is broken")
	}
	closeTab()
	<-drained
	for _, m := range messages {
		if m.IsException() || m.Type == "error" || m.Type == "warning" {
			t.Errorf("console %s: %s", m.Type, m.Text)
		}
	}
}

// verdictVisibleJS returns the headline's text if it is inside the viewport
// and drawn, else "".
const verdictVisibleJS = `(() => {
  const h = document.querySelector('#verdict h1');
  if (!h) return '';
  const r = h.getBoundingClientRect(), s = getComputedStyle(h);
  const shown = r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight &&
    r.left >= 0 && r.right <= innerWidth && s.visibility !== 'hidden' && s.display !== 'none';
  return shown ? h.textContent.trim() : '';
})()`

// widestJS names elements that stick out of the viewport, to debug overflow.
const widestJS = `[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
  .slice(0, 10).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))`
