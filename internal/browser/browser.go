// Package browser starts and stops the headless Chromium that privacy
// rendering, the OAuth driver and the recorder share. It is the one place that
// knows Chromium's flags: --resolve mapping, the sandbox rule for root, the
// closed network of CI machines, and the temporary profile that must not
// outlive the run.
package browser

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/egress"
	"github.com/pinready/pinready/internal/resolve"
)

// Options say how to start the browser.
type Options struct {
	ExecPath   string      // default: Find(), or FindHeadful() when Headful
	Resolve    resolve.Map // --resolve, for the default policy (Egress nil); a policy carries its own
	Headful    bool        // show the window (a person may sign in or solve a challenge)
	ProfileDir string      // an existing profile (oauth.profile_dir); default: a temporary one
	Width      int         // viewport in CSS pixels; default 1280
	Height     int         // default 800
	// DeviceScale renders every page at this device pixel ratio (the
	// recorder's 1280-wide pages drawn sharp at 1920): set at launch, it
	// holds for popups and survives screenshots, which an emulation
	// override does not. 0 means the default, 1.
	DeviceScale float64
	// IgnoreCertErrors lets the browser open pages with self-signed
	// certificates; the HTTP client still reports them (privacy.https).
	IgnoreCertErrors bool
	// Egress decides every connection of the browser (egress.go); nil
	// means the default policy over Resolve.
	Egress *egress.Policy
}

// Browser is one running Chromium.
type Browser struct {
	ctx         context.Context // browser-level chromedp context; tabs derive from it
	cancelCtx   context.CancelFunc
	cancelAlloc context.CancelFunc
	profile     string        // profile directory
	tempProfile bool          // remove profile on Close
	tmpDir      string        // Chromium's TMPDIR (its org.chromium.Chromium.* folders), removed on Close
	proxy       *egress.Proxy // every connection of the browser goes through it (egress.go)
	pgid        int           // the process group the browser leads (ownGroup); 0 before it starts
	closeOnce   sync.Once
	closeErr    error
}

// Launch starts Chromium and waits until it answers. The browser lives until
// Close or until ctx ends; either way the process and a temporary profile go.
func Launch(ctx context.Context, o Options) (*Browser, error) {
	path := o.ExecPath
	if path == "" {
		find := Find
		if o.Headful {
			find = FindHeadful
		}
		p, err := find()
		if err != nil {
			return nil, err
		}
		path = p
	} else if _, err := exec.LookPath(path); err != nil {
		// chromedp would wait forever for a process that never started.
		return nil, missing(err)
	}
	b := &Browser{profile: o.ProfileDir}
	if b.profile == "" {
		dir, err := os.MkdirTemp("", "pinready-chromium-")
		if err != nil {
			return nil, &checks.CannotRunError{What: "create a browser profile", Err: err}
		}
		b.profile, b.tempProfile = dir, true
	}
	if err := b.makeTempDir(); err != nil {
		b.Close()
		return nil, err
	}
	policy := o.Egress
	if policy == nil {
		policy = egress.New(egress.Options{Resolve: o.Resolve})
	}
	egressOpts, err := b.closeEgress(policy)
	if err != nil {
		b.Close()
		return nil, err
	}
	w, h := o.Width, o.Height
	if w == 0 || h == 0 {
		w, h = 1280, 800
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(b.profile),
		chromedp.WindowSize(w, h),
		chromedp.DisableGPU,
		// A closed network (CI, this kind of machine) refuses Chromium's own
		// background connections by the dozen; turn them off.
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("disable-notifications", true),
		// chromedp turns IPC flooding protection off; pinready needs it on:
		// a page that calls history.pushState by the hundred thousand
		// otherwise grows the browser by gigabytes and hangs its close.
		chromedp.Flag("disable-ipc-flooding-protection", false),
		chromedp.Flag("lang", "en-US"),
		chromedp.Flag("disable-features", strings.Join(disabledFeatures, ",")),
		chromedp.UserAgent(UserAgent),
		chromedp.Env("TMPDIR="+b.tmpDir),
		chromedp.ModifyCmdFunc(ownGroup),
	)
	if o.ProfileDir != "" {
		// A profile the user gave holds their signed-in sessions (Pinterest's
		// above all): every site gets processes of its own, so no page of an
		// audited app shares a renderer with them. Full Chromium does this by
		// default; Chromium's headless shell (the headless default) does not.
		opts = append(opts, chromedp.Flag("site-per-process", true))
	}
	if os.Geteuid() == 0 {
		// Chromium refuses to start as root with its sandbox on.
		opts = append(opts, chromedp.NoSandbox)
	}
	if o.Headful {
		opts = append(opts, chromedp.Flag("headless", false))
	}
	if o.DeviceScale > 0 {
		opts = append(opts, chromedp.Flag("force-device-scale-factor", fmt.Sprint(o.DeviceScale)))
	}
	if o.IgnoreCertErrors {
		opts = append(opts, chromedp.IgnoreCertErrors)
	}
	opts = append(opts, egressOpts...)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelCtx := chromedp.NewContext(allocCtx)
	b.ctx, b.cancelCtx, b.cancelAlloc = bctx, cancelCtx, cancelAlloc
	if err := chromedp.Do(bctx); err != nil { // starts the browser
		b.Close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &checks.CannotRunError{What: "start Chromium (" + path + ")", Err: err,
			Hint: launchHint(err.Error())}
	}
	if c := chromedp.FromContext(bctx); c != nil && c.Browser != nil && c.Browser.Process() != nil {
		b.pgid = c.Browser.Process().Pid // ownGroup made it the leader
	}
	if err := interceptEgress(bctx, policy); err != nil {
		b.Close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &checks.CannotRunError{What: "set up Chromium's egress policy", Err: err}
	}
	return b, nil
}

// disabledFeatures replaces chromedp's --disable-features (its two come
// first). The rest keep the browser's own UI from costing more than the pages
// it shows: each window of new headless Chromium otherwise preloads the
// omnibox popups and other top-chrome WebUI pages in a renderer of their
// own, which, measured on 2 cores, was half the CPU time of an OAuth flow,
// and every app's browser context opens a window. Names Chromium does not
// know are ignored.
var disabledFeatures = []string{
	"Translate", "BlinkGenPropertyTrees",
	"PreloadTopChromeWebUI", "WebUIOmniboxPopup", "WebUIOmniboxAimPopup",
	"InitialWebUI", "WebUIToolbarProcessOverheadExperiment",
}

// UserAgent is a current desktop Chrome's, so servers answer as they would a
// reviewer. The HTTP client uses it too.
const UserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/148.0.0.0 Safari/537.36"

// NewTab opens a tab. JavaScript dialogs (alert, confirm, prompt,
// beforeunload) are answered as they open so that no page can stall the run. Cancel the
// returned function to close the tab.
func (b *Browser) NewTab() (context.Context, context.CancelFunc, error) {
	tctx, cancel := chromedp.NewContext(b.ctx)
	if err := AnswerDialogs(tctx); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("open a browser tab: %w", err)
	}
	return tctx, cancel, nil
}

// AnswerDialogs answers every JavaScript dialog of the tab in ctx (a popup
// the page opened needs it too) with OK, as a person going through the flow
// would: "Connect to Pinterest?" must lead on, and leaving a page must work.
func AnswerDialogs(tctx context.Context) error {
	dialogs := chromedp.Events(tctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			chromedp.Call(tctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true, PromptText: ev.DefaultPrompt})
		}
	}()
	_, err := chromedp.Call(tctx, page.Enable, page.EnableParams{})
	return err
}

// Context is the browser-level chromedp context, for code that attaches to
// targets it did not open (popups).
func (b *Browser) Context() context.Context { return b.ctx }

// ProfileDir is the profile in use; tests check a temporary one is removed.
func (b *Browser) ProfileDir() string { return b.profile }

// closeTimeout bounds Chromium's own shutdown. A browser wedged by a page
// (one that grew it by gigabytes, say) can take minutes, or never end;
// past the bound its whole process group is killed.
const closeTimeout = 10 * time.Second

// killWait bounds the wait for the killed processes to be gone.
const killWait = 5 * time.Second

// Close stops Chromium and removes a temporary profile, in bounded time:
// the browser is asked to close, and if it has not within closeTimeout,
// its process group (the browser and every helper: zygote, renderers, GPU,
// network) is killed. The error, a *ForcedCloseError, says it had to be. It
// is safe to call more than once; every call returns the first's answer.
func (b *Browser) Close() error {
	b.closeOnce.Do(func() {
		if b.cancelCtx != nil {
			b.closeErr = b.stop()
		}
		reap(b.Processes)
		if b.tempProfile {
			os.RemoveAll(b.profile)
		}
		b.removeTempDir()
		if b.proxy != nil {
			b.proxy.Close()
		}
	})
	return b.closeErr
}

// stop asks the browser to close and waits for chromedp to have let go of
// it. A browser still there after closeTimeout is killed with every
// process of its group (chromedp would kill the browser process alone, and
// then wait for helpers that may never end).
func (b *Browser) stop() error {
	ctx, cancel := context.WithTimeout(b.ctx, closeTimeout)
	defer cancel()
	closed := make(chan struct{})
	go func() {
		chromedp.Cancel(ctx) // Browser.close, then the wait for the process
		close(closed)
	}()
	forced := false
	select {
	case <-closed:
		// It waited out its bound. (Cancel also ends ctx, through b.ctx,
		// when the browser does close: that is no deadline.)
		forced = errors.Is(ctx.Err(), context.DeadlineExceeded)
	case <-time.After(closeTimeout + time.Second):
		forced = true
	}
	if forced && b.pgid > 0 {
		syscall.Kill(-b.pgid, syscall.SIGKILL)
	}
	released := make(chan struct{})
	go func() {
		<-closed
		b.cancelCtx()
		b.cancelAlloc() // waits for the process and its output
		close(released)
	}()
	select {
	case <-released:
	case <-time.After(killWait):
		forced = true
	}
	if forced {
		return &ForcedCloseError{After: closeTimeout}
	}
	return nil
}

// ForcedCloseError says Chromium did not close within its bound and its
// processes were killed.
type ForcedCloseError struct{ After time.Duration }

func (e *ForcedCloseError) Error() string {
	return fmt.Sprintf("Chromium did not close within %s; pinready killed its processes", e.After)
}

// Lazy starts the browser on first use, so audits that never need one (a
// server-rendered privacy policy) never start it. Safe for concurrent use.
type Lazy struct {
	ctx  context.Context
	opts Options
	mu   sync.Mutex
	b    *Browser
	err  error
}

// NewLazy returns a browser that starts on the first Get.
func NewLazy(ctx context.Context, o Options) *Lazy { return &Lazy{ctx: ctx, opts: o} }

// Get starts the browser if needed and returns it. A failure to start is
// remembered: every later Get returns the same error.
func (l *Lazy) Get() (*Browser, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b == nil && l.err == nil {
		l.b, l.err = Launch(l.ctx, l.opts)
	}
	return l.b, l.err
}

// Started reports whether Get ever started a browser.
func (l *Lazy) Started() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b != nil
}

// Close stops the browser if it was started (Browser.Close).
func (l *Lazy) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b != nil {
		return l.b.Close()
	}
	return nil
}
