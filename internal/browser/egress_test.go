package browser_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/pinready/pinready/internal/browser"
	"github.com/pinready/pinready/internal/browser/browsertest"
	"github.com/pinready/pinready/internal/egress"
	"github.com/pinready/pinready/internal/resolve"
	"github.com/pinready/pinready/internal/testenv"
)

// internalServer listens on addr (a loopback address no --resolve rule
// names) and counts the requests that reach it.
func internalServer(t *testing.T, addr string) (string, *atomic.Int32) {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s here: %v", addr, err)
	}
	var hits atomic.Int32
	srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		io.WriteString(w, "<h1>INTERNAL-METADATA-SECRET</h1>")
	})}}
	srv.Start()
	t.Cleanup(srv.Close)
	return "http://" + l.Addr().String(), &hits
}

// A public-looking host (mapped to loopback with --resolve) that redirects,
// or whose page loads an image or navigates by script, to another loopback
// address: Chromium never sends the request; the page the user meant loads.
func TestEgressPolicyInChromium(t *testing.T) {
	v4, v4hits := internalServer(t, "127.0.0.2:0")
	v6, v6hits := internalServer(t, "[::1]:0")
	public := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/redirect":
			http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
		case "/page":
			fmt.Fprintf(w, `<title>public</title><img src="%s/pixel.png"><script>fetch(%q).catch(() => {})</script>`, v4, v6+"/xhr")
		default:
			io.WriteString(w, "<title>public</title>")
		}
	}))
	defer public.Close()
	_, port, _ := net.SplitHostPort(public.Listener.Addr().String())
	m, err := resolve.ParseAll([]string{"public.test:" + port + ":127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	var refused atomic.Int32
	policy := egress.New(egress.Options{Resolve: m, OnRefuse: func(egress.Refusal) { refused.Add(1) }})
	b := browsertest.Launch(t, browser.Options{Resolve: m, Egress: policy})
	base := "http://public.test:" + port

	navigate := func(url string) string {
		tab, cancel, err := b.NewTab()
		if err != nil {
			t.Fatal(err)
		}
		defer cancel()
		ctx, cancelT := context.WithTimeout(tab, testenv.Hang)
		defer cancelT()
		res, err := chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: url})
		if err != nil {
			t.Fatalf("navigate %s: %v", url, err)
		}
		if res.ErrorText == "" {
			// Let the page's image and script requests go out.
			chromedp.Run(ctx, chromedp.Poll[bool](`document.readyState === "complete"`))
			time.Sleep(300 * time.Millisecond)
		}
		return res.ErrorText
	}
	if e := navigate(base + "/"); e != "" {
		t.Fatalf("the --resolve host did not load: %s", e)
	}
	for _, to := range []string{v4 + "/latest/meta-data/", v6 + "/"} {
		if e := navigate(base + "/redirect?to=" + to); !strings.Contains(e, "ERR_BLOCKED_BY_CLIENT") {
			t.Errorf("redirect to %s: navigation error %q, want net::ERR_BLOCKED_BY_CLIENT", to, e)
		}
	}
	if e := navigate(base + "/page"); e != "" {
		t.Errorf("a page whose subresources are refused did not load: %s", e)
	}
	if n := v4hits.Load() + v6hits.Load(); n != 0 {
		t.Errorf("%d requests reached the internal servers (127.0.0.2: %d, [::1]: %d)", n, v4hits.Load(), v6hits.Load())
	}
	if refused.Load() < 2 {
		t.Errorf("the policy heard %d refusals, want at least 2", refused.Load())
	}

	// --allow-private lets the same redirect through.
	open := browsertest.Launch(t, browser.Options{Egress: egress.New(egress.Options{Resolve: m, AllowPrivate: true})})
	tab, cancel, err := open.NewTab()
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()
	ctx, cancelT := context.WithTimeout(tab, testenv.Hang)
	defer cancelT()
	res, err := chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: base + "/redirect?to=" + v4 + "/"})
	if err != nil || res.ErrorText != "" || v4hits.Load() != 1 {
		t.Errorf("--allow-private: %v %q, %d requests reached 127.0.0.2", err, res.ErrorText, v4hits.Load())
	}
}
