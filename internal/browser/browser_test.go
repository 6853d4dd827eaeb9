package browser_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pinready/pinready/internal/browser"
	"github.com/pinready/pinready/internal/browser/browsertest"
	"github.com/pinready/pinready/internal/egress"
	"github.com/pinready/pinready/internal/resolve"
	"github.com/pinready/pinready/internal/testenv"
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
	ctx, cancelT := context.WithTimeout(tab, testenv.Hang)
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
		ctx, cancelT := context.WithTimeout(tab, testenv.Hang)
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
	deadline := time.Now().Add(testenv.Hang)
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

// A browser that no longer answers (every process of it stopped: what a
// page that grew it by gigabytes can leave) does not hold pinready: past
// Close's bound its process group is killed, Close says so, and no process
// or profile is left (browsertest's cleanup checks).
func TestCloseIsBounded(t *testing.T) {
	b := browsertest.Launch(t, browser.Options{})
	pids := browser.ProcessesUsing(b.ProfileDir())
	if len(pids) == 0 {
		t.Fatal("no Chromium process found")
	}
	for _, pid := range pids {
		syscall.Kill(pid, syscall.SIGSTOP)
	}
	done := make(chan error, 1)
	go func() { done <- b.Close() }()
	select {
	case err := <-done:
		var forced *browser.ForcedCloseError
		if !errors.As(err, &forced) {
			t.Errorf("Close of a wedged browser: %v, want a *ForcedCloseError", err)
		}
	case <-time.After(testenv.Hang):
		for _, pid := range pids {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		t.Fatal("Close of a wedged browser did not return: it waits for ever")
	}
}

// A page whose renderer never yields (a loop in the page, in its
// beforeunload handler and in a worker) and one that calls
// history.pushState 200,000 times: closing the tab, the browser context
// and the browser each return, and nothing of the browser is left
// (browsertest's cleanup checks).
func TestHostilePagesCloseInBoundedTime(t *testing.T) {
	pages := map[string]string{
		"never-yields": `<title>busy</title><script>
new Worker(URL.createObjectURL(new Blob(["for (;;) {}"])));
window.addEventListener("beforeunload", e => { e.preventDefault(); for (;;) {} });
setTimeout(() => { for (;;) {} }, 50)</script>`,
		"pushstate-flood": `<title>flood</title><script>
for (let i = 0; i < 200000; i++) history.pushState({i}, "", "?i=" + i);
document.title = "flooded"</script>`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, pages[strings.TrimPrefix(r.URL.Path, "/")])
	}))
	defer srv.Close()
	for name := range pages {
		t.Run(name, func(t *testing.T) {
			b := browsertest.Launch(t, browser.Options{Egress: egress.New(egress.Options{Allow: []string{srv.URL}})})
			c, err := b.NewContext(nil)
			if err != nil {
				t.Fatal(err)
			}
			tab, closeTab, err := c.NewTab()
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(tab, 20*time.Second)
			defer cancel()
			chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"+name))
			// The page ran. chromedp's Poll can outlive ctx: on the page's
			// DOM update its target holds the frame's lock while it asks
			// the never-yielding renderer for the document, and Poll waits
			// for that lock without looking at ctx (seen on a busy machine).
			// Closing the tab below releases it.
			ran := make(chan struct{})
			go func() {
				defer close(ran)
				chromedp.Run(ctx, chromedp.Poll[bool](`document.title !== ""`))
			}()
			select {
			case <-ran:
			case <-ctx.Done():
			}
			ended := make(chan string, 1)
			go func() {
				closeTab()
				c.Close()
				if err := b.Close(); err != nil {
					ended <- err.Error()
					return
				}
				ended <- ""
			}()
			select {
			case msg := <-ended:
				if msg != "" {
					// The bound held; on an idle machine Chromium closes by itself.
					t.Logf("the browser had to be killed: %s", msg)
				}
			case <-time.After(testenv.Hang):
				t.Fatal("closing the tab, its context and the browser did not end")
			}
		})
	}
}
