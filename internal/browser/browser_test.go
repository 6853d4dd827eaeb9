package browser_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pinready/pinready/internal/browser"
	"github.com/pinready/pinready/internal/browser/browsertest"
	"github.com/pinready/pinready/internal/resolve"
)

// The browser reaches a made-up host name on loopback through --resolve, and
// a page's alert() does not stall it.
func TestResolveAndDialogs(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<title>hello</title><p id=host></p>
<script>alert("stop"); document.getElementById("host").textContent = location.host + (confirm("Connect to Pinterest?") ? " ok" : " cancel")</script>`)
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	m, err := resolve.ParseAll([]string{"acme.test:" + port + ":127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	b := browsertest.Launch(t, browser.Options{Resolve: m})
	tab, cancel, err := b.NewTab()
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()
	ctx, cancelT := context.WithTimeout(tab, 20*time.Second)
	defer cancelT()
	if err := chromedp.Do(ctx, chromedp.Navigate("http://acme.test:"+port+"/")); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#host")))
	if err != nil {
		t.Fatal(err)
	}
	if want := "acme.test:" + port + " ok"; got != want {
		t.Fatalf("page saw host %q, want %q", got, want)
	}
	// A browser that started and loaded a page has used CPU time in its
	// processes, which the many-apps summary counts.
	if cpu := b.CPUTime(); cpu <= 0 {
		t.Errorf("CPUTime of a browser that loaded a page: %v", cpu)
	}
}

// --resolve maps exactly HOST:PORT in the browser too: the same host on
// another port is not sent to the address (the HTTP client's dialer agrees).
func TestResolveIsPerPort(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<p>reached</p>") })
	mapped, other := httptest.NewServer(h), httptest.NewServer(h)
	defer mapped.Close()
	defer other.Close()
	_, pm, _ := net.SplitHostPort(mapped.Listener.Addr().String())
	_, po, _ := net.SplitHostPort(other.Listener.Addr().String())
	m, err := resolve.ParseAll([]string{"acme.test:" + pm + ":127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	b := browsertest.Launch(t, browser.Options{Resolve: m})
	for _, c := range []struct {
		port    string
		reached bool
	}{{pm, true}, {po, false}} {
		tab, cancel, err := b.NewTab()
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancelT := context.WithTimeout(tab, 15*time.Second)
		err = chromedp.Do(ctx, chromedp.Navigate("http://acme.test:"+c.port+"/"))
		cancelT()
		cancel()
		if (err == nil) != c.reached {
			t.Errorf("acme.test:%s: navigate error %v, want reached=%v", c.port, err, c.reached)
		}
	}
}

// Cancelling the parent context (Ctrl-C) ends Chromium and its profile.
func TestCancelLeavesNothing(t *testing.T) {
	browsertest.Require(t)
	ctx, cancel := context.WithCancel(context.Background())
	b, err := browser.Launch(ctx, browser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if browsertest.ProcessesUsing(b.ProfileDir()) == 0 {
		t.Fatal("no Chromium process found for a running browser; the leak check would be blind")
	}
	// The helpers are found too (the headless shell's carry no
	// --user-data-dir: the browser's process group finds them).
	helpers := 0
	for _, pid := range b.Processes() {
		if cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid)); strings.Contains(string(cmdline), "--type=zygote") {
			helpers++
		}
	}
	if helpers == 0 {
		t.Fatal("no zygote of the browser found; leftovers of a killed browser would go unseen")
	}
	cancel()
	b.Close()
	deadline := time.Now().Add(5 * time.Second)
	for len(b.Processes()) > 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := len(b.Processes()); n > 0 {
		t.Fatalf("%d Chromium processes survive cancellation", n)
	}
	if _, err := os.Stat(b.ProfileDir()); err == nil {
		entries, _ := os.ReadDir(b.ProfileDir())
		t.Fatalf("temporary profile survives cancellation, holding %d entries", len(entries))
	}
}

func TestLazyStartsOnlyOnGet(t *testing.T) {
	browsertest.Require(t)
	l := browser.NewLazy(context.Background(), browser.Options{})
	defer l.Close()
	if l.Started() {
		t.Fatal("started before Get")
	}
	if _, err := l.Get(); err != nil {
		t.Fatal(err)
	}
	if !l.Started() {
		t.Fatal("not started after Get")
	}
}

func TestMissingExecPathIsCannotRun(t *testing.T) {
	_, err := browser.Launch(context.Background(), browser.Options{ExecPath: "/nonexistent/chromium"})
	if err == nil || !strings.Contains(err.Error(), "apt-get install -y chromium") {
		t.Fatalf("err = %v, want a CannotRunError with the install hint", err)
	}
}

func TestMissingChromiumIsCannotRun(t *testing.T) {
	t.Setenv("PINREADY_CHROMIUM", "/nonexistent/chromium")
	_, err := browser.Launch(context.Background(), browser.Options{})
	if err == nil || !strings.Contains(err.Error(), "apt-get install -y chromium") {
		t.Fatalf("err = %v, want a CannotRunError with the install hint", err)
	}
}
