package oauthflow

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/browser"
	"github.com/pinready/pinready/internal/browser/browsertest"
	"github.com/pinready/pinready/internal/resolve"
	"github.com/pinready/pinready/internal/testenv"
)

// headlessShellPopups is how many popups TestHeadlessShellPopups opens.
const headlessShellPopups = 200

// Popups opened through Chromium's headless shell stay attached to
// pinready's session: 200 of them, each opened by a real click on the app's
// page, sent on by a cross-site redirect (the app's /connect to Pinterest's
// authorize page, as an OAuth popup is), attached as Drive attaches one,
// read once loaded, and closed by a click on its own control, which the
// click must take as done.
//
// The shell was kept from being the default by 1 failure in 21 runs of
// demo's popup test, thought to be a popup detaching while it loaded. It
// was that test's click on the popup's Close button: the button's handler
// closes the window, the window can close before Chromium answers the
// mouse release, and chromedp then reports the target detached. Full
// Chromium does the same (2 of 60 in a run of this loop with raw clicks),
// less often. Drive's click takes a click that closes its own window as
// done; the demo test now does too.
func TestHeadlessShellPopups(t *testing.T) {
	shell := headlessShell(t)
	app := httptest.NewServer(nil)
	defer app.Close()
	pin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<title>Pinterest</title><p id=consent>Give access to Popups?</p>
<button id=close style="position:absolute;left:20px;top:60px;width:200px;height:60px" onclick="window.close()">Cancel</button>`)
	}))
	defer pin.Close()
	_, appPort, _ := net.SplitHostPort(app.Listener.Addr().String())
	_, pinPort, _ := net.SplitHostPort(pin.Listener.Addr().String())
	pinURL := "http://pin.test:" + pinPort + "/oauth/"
	app.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/connect" {
			http.Redirect(w, r, pinURL+"?"+r.URL.RawQuery, http.StatusFound)
			return
		}
		io.WriteString(w, `<title>Popups</title><button id=connect style="position:absolute;left:20px;top:20px;width:200px;height:60px"
 onclick="window.open('/connect?n=' + Math.random(), 'pinterest', 'width=600,height=700')">Connect</button>`)
	})
	m, err := resolve.ParseAll([]string{"app.test:" + appPort + ":127.0.0.1", "pin.test:" + pinPort + ":127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	// browsertest checks, when the test ends, that none of the shell's
	// processes outlives it.
	b := browsertest.Launch(t, browser.Options{ExecPath: shell, Resolve: m})
	cfg, err := checks.ParseConfig("pinready.yaml", []byte("app:\n  name: Popups\n  website: http://app.test:"+appPort+"/\n"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	d := &driver{cfg: cfg, o: Options{Browser: b, Timeout: 30 * time.Second}, m: &masker{}, parent: ctx,
		wake: make(chan struct{}, 1), started: time.Now(), tr: &Trace{}}
	bc, err := b.NewContext(nil)
	if err != nil {
		t.Fatal(err)
	}
	main, err := d.openTab(bc, "tab")
	if err != nil {
		t.Fatal(err)
	}
	defer d.closeTabs(bc, 0)
	popups, err := d.watchPopups(main.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.navigate(main, "http://app.test:"+appPort+"/"); err != nil {
		t.Fatal(err)
	}
	attached := 0
	for i := range headlessShellPopups {
		if err := onePopup(d, main, popups, pinURL); err != nil {
			t.Errorf("popup %d: %v", i+1, err)
			continue
		}
		attached++
	}
	t.Logf("%d of %d popups opened through %s stayed attached until they closed themselves", attached, headlessShellPopups, shell)
}

// onePopup opens a popup from main, follows it as Drive does, reads it once
// it has loaded, and closes it with a click on its own control.
func onePopup(d *driver, main *tab, popups <-chan target.ID, pinURL string) error {
	if _, err := d.click(main, "#connect"); err != nil {
		return err
	}
	var id target.ID
	select {
	case id = <-popups:
	case <-time.After(d.o.Timeout):
		return fmt.Errorf("the click opened no popup")
	}
	p, err := d.attachPopup(id)
	if err != nil {
		return err
	}
	defer p.cancel()
	if _, err := d.waitElement(p, "#consent"); err != nil {
		return fmt.Errorf("the consent page never showed: %w (closed: %t)", err, p.closed())
	}
	ctx, cancel := d.within(p)
	loc, err := location(ctx)
	cancel()
	if err != nil || !matchesEndpoint(loc, pinURL) {
		return fmt.Errorf("the popup is at %q (%v), want the authorize page", loc, err)
	}
	if p.closed() {
		return fmt.Errorf("the popup detached once loaded")
	}
	if _, err := d.click(p, "#close"); err != nil {
		return fmt.Errorf("the click that closes the popup: %w", err)
	}
	select {
	case <-p.gone:
		return nil
	case <-time.After(d.o.Timeout):
		return fmt.Errorf("the popup did not close")
	}
}

// headlessShell is Chromium's headless shell: where the run's CI installs
// it, its absence fails the test; elsewhere it skips.
func headlessShell(t *testing.T) string {
	t.Helper()
	testenv.SkipShort(t, "Chromium's headless shell")
	for _, name := range []string{os.Getenv("PINREADY_HEADLESS_SHELL"), "chromium-headless-shell", "chrome-headless-shell"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	testenv.Missing(t, "Chromium's headless shell (apt-get install chromium-headless-shell)", errors.New("not on PATH"))
	return ""
}
