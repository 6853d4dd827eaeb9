package privacy

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/browser"
	"github.com/pinready/pinready/internal/browser/browsertest"
)

const (
	pass = checks.StatusPass
	fail = checks.StatusFail
	skip = checks.StatusSkip
)

// want is what one rule must report: a status, and text its message contains.
type want struct {
	status checks.Status
	msg    string
}

// auditCase is one fixture and the rules it proves. Rules not listed in
// want may report anything, unless allPass is set: then every rule must pass.
type auditCase struct {
	name    string
	policy  string // URL with {tls} {http} {bad} {dead} for the fixture ports
	website string // default: the compliant homepage; "-" for none
	domains []string
	appName string
	render  string
	timeout time.Duration
	browser bool // needs Chromium; otherwise the audit must not start one
	allPass bool
	want    map[string]want
}

var auditCases = []auditCase{
	// ── good policies: every rule passes ───────────────────────────────────
	{name: "long legal policy, server-rendered", policy: "https://acme.test:{tls}/privacy", allPass: true,
		want: map[string]want{"privacy.renders": {pass, "no browser needed"}, "privacy.linked": {pass, "/privacy"}}},
	{name: "plain-language policy in windows-1252", policy: "https://creme-pins.test:{tls}/plain",
		website: "https://creme-pins.test:{tls}/home?policy=/plain&name=Crème+Planner", appName: "Crème Planner", allPass: true,
		want: map[string]want{"privacy.names-app": {pass, "Crème Planner"}, "privacy.updated": {pass, "12 February 2026"}}},
	{name: "sectioned policy on a domain listed in app.domains", policy: "https://acme-legal.test:{tls}/sections",
		website: "https://acme.test:{tls}/home?policy=https://acme-legal.test:{tls}/sections", domains: []string{"acme-legal.test"}, allPass: true,
		want: map[string]want{"privacy.domain": {pass, "app.domains"}, "privacy.updated": {pass, "2026-01-15"}}},
	{name: "single-page app rendered in Chromium", policy: "https://acme.test:{tls}/spa/privacy",
		website: "https://acme.test:{tls}/home?policy=/spa/privacy", browser: true, allPass: true,
		want: map[string]want{"privacy.renders": {pass, "JavaScript renders it"}}},
	{name: "bot protection a real browser passes", policy: "https://acme.test:{tls}/bot-gate",
		website: "https://acme.test:{tls}/home?policy=/bot-gate", browser: true, allPass: true,
		want: map[string]want{"privacy.reachable": {pass, "plain HTTP client got 403"}, "privacy.public": {pass, "only the plain HTTP client got 403"}}},
	{name: "503 once, then the policy", policy: "https://acme.test:{tls}/busy-once?key=a",
		website: "https://acme.test:{tls}/home?policy=/busy-once?key=a", allPass: true,
		want: map[string]want{"privacy.reachable": {pass, "after 1 retries"}}},
	{name: "40 MB page judged on its first 5 MiB", policy: "https://acme.test:{tls}/huge",
		website: "https://acme.test:{tls}/home?policy=/huge", allPass: true,
		want: map[string]want{"privacy.reachable": {pass, "judged on its first"}}},

	// ── where the policy is ──────────────────────────────────────────────
	{name: "published Google Doc on docs.google.com", policy: "https://docs.google.com:{tls}/document/d/e/2PACX-1vTx/pub",
		want: map[string]want{
			"privacy.hosting": {fail, "docs.google.com is a shared hosting service"}, "privacy.domain": {fail, "google.com"},
			"privacy.is-policy": {pass, ""}, "privacy.names-app": {pass, ""}, "privacy.reachable": {pass, ""},
			"privacy.linked": {fail, "not to the policy URL"}}},
	{name: "policy on a domain the app does not list", policy: "https://acme-legal.test:{tls}/sections",
		want: map[string]want{"privacy.domain": {fail, "neither the website's domain nor in app.domains (acme.test)"}, "privacy.hosting": {pass, ""}}},
	{name: "no website and no domains", policy: "https://acme.test:{tls}/privacy", website: "-",
		want: map[string]want{"privacy.domain": {fail, "both empty"}, "privacy.linked": {skip, "app.website is not set"}, "site.homepage": {skip, "app.website is not set"}}},
	{name: "no website, domain listed", policy: "https://acme-legal.test:{tls}/sections", website: "-", domains: []string{"https://acme-legal.test/"},
		want: map[string]want{"privacy.domain": {pass, "app.domains"}}},
	{name: "plain HTTP", policy: "http://acme.test:{http}/privacy", website: "http://acme.test:{http}/",
		want: map[string]want{"privacy.https": {fail, "plain HTTP"}, "privacy.reachable": {pass, ""}, "privacy.linked": {pass, ""}}},
	{name: "certificate for another host", policy: "https://acme.test:{bad}/privacy",
		want: map[string]want{"privacy.https": {fail, "certificate"}, "privacy.reachable": {fail, "certificate warning"}, "privacy.is-policy": {pass, ""}}},

	// ── what is on the page ──────────────────────────────────────────────
	{name: "template with placeholders", policy: "https://acme.test:{tls}/template",
		want: map[string]want{"privacy.placeholder": {fail, `"[Company Name]"`}, "privacy.names-app": {fail, "never names"},
			"privacy.updated": {fail, "no date next to it"}, "privacy.is-policy": {pass, ""}}},
	{name: "terms of service instead of the policy", policy: "https://acme.test:{tls}/terms",
		want: map[string]want{"privacy.is-policy": {fail, "Terms of Service"}, "privacy.placeholder": {pass, ""}}},
	{name: "thin generic policy", policy: "https://acme.test:{tls}/thin",
		want: map[string]want{"privacy.names-app": {fail, "never names"}, "privacy.topics": {fail, "retention, rights, contact"},
			"privacy.pinterest": {fail, "in passing"}, "privacy.updated": {fail, "no effective or last-updated date"},
			"privacy.is-policy": {pass, ""}, "privacy.placeholder": {pass, ""}}},
	{name: "short server-rendered policy: judged without a browser", policy: "https://acme.test:{tls}/short",
		want: map[string]want{"privacy.renders": {pass, "no browser needed"}, "privacy.is-policy": {pass, `the main heading "Privacy Policy"`},
			"privacy.public": {pass, ""}, "privacy.placeholder": {pass, ""}, "privacy.updated": {pass, "March 1, 2026"},
			"privacy.topics": {pass, ""}}},
	{name: "short template policy: its failure is the placeholders, not rendering", policy: "https://acme.test:{tls}/template-short",
		want: map[string]want{"privacy.placeholder": {fail, `"[Your App Name]"`}, "privacy.renders": {pass, "no browser needed"}, "privacy.is-policy": {pass, ""}}},
	{name: "combined legal page, policy URL with #privacy", policy: "https://acme.test:{tls}/legal#privacy",
		want: map[string]want{"privacy.is-policy": {pass, `the section #privacy "Privacy Policy"`}, "privacy.topics": {pass, ""}, "privacy.updated": {pass, "2026-02-02"}}},
	{name: "combined legal page without the fragment", policy: "https://acme.test:{tls}/legal",
		want: map[string]want{"privacy.is-policy": {pass, "a combined legal page"}}},
	{name: "PDF", policy: "https://acme.test:{tls}/policy.pdf",
		want: map[string]want{"privacy.format": {fail, "PDF"}, "privacy.reachable": {pass, ""}, "privacy.renders": {skip, "PDF"}, "privacy.is-policy": {skip, "PDF"}}},

	// ── who can see it ───────────────────────────────────────────────────
	{name: "cookie wall", policy: "https://acme.test:{tls}/cookie-wall", browser: true,
		want: map[string]want{"privacy.public": {fail, "cookie wall"}, "privacy.renders": {skip, "privacy.public"}, "privacy.is-policy": {skip, "not reached: privacy.public failed"}}},
	{name: "bot challenge", policy: "https://acme.test:{tls}/challenge", browser: true,
		want: map[string]want{"privacy.public": {fail, `bot challenge ("Just a moment...")`}, "privacy.reachable": {fail, "403"}}},
	{name: "redirect to a login page", policy: "https://acme.test:{tls}/members/privacy", browser: true,
		want: map[string]want{"privacy.public": {fail, "redirects to a login page"}}},
	{name: "password-protected page", policy: "https://acme.test:{tls}/password", browser: true,
		want: map[string]want{"privacy.public": {fail, "password form"}}},
	{name: "HTTP basic auth", policy: "https://acme.test:{tls}/basic",
		want: map[string]want{"privacy.public": {fail, "401"}, "privacy.reachable": {fail, "401"}}},
	{name: "403 for everyone", policy: "https://acme.test:{tls}/forbidden", browser: true,
		want: map[string]want{"privacy.public": {fail, "a real browser got it too"}, "privacy.reachable": {fail, "403"}}},
	{name: "403 with --render never", policy: "https://acme.test:{tls}/forbidden", render: RenderNever,
		want: map[string]want{"privacy.public": {fail, "not confirmed in a browser"}}},

	// ── does it load ─────────────────────────────────────────────────────
	{name: "404", policy: "https://acme.test:{tls}/gone",
		want: map[string]want{"privacy.reachable": {fail, "HTTP 404"}, "privacy.public": {skip, "not reached: privacy.reachable failed"}, "privacy.topics": {skip, "not reached: privacy.reachable failed"}}},
	{name: "redirect loop", policy: "https://acme.test:{tls}/loop/a",
		want: map[string]want{"privacy.reachable": {fail, "redirect loop"}, "privacy.is-policy": {skip, "not reached: privacy.reachable failed"}}},
	{name: "eleven redirects", policy: "https://acme.test:{tls}/hops/0",
		want: map[string]want{"privacy.reachable": {fail, "more than 10 redirects"}}},
	{name: "server that never answers", policy: "https://acme.test:{dead}/privacy", timeout: 2 * time.Second,
		want: map[string]want{"privacy.reachable": {fail, "within 2s"}, "privacy.https": {skip, "not reached: privacy.reachable failed"}}},
	{name: "server that drips a byte at a time", policy: "https://acme.test:{tls}/slow", timeout: 2 * time.Second,
		want: map[string]want{"privacy.reachable": {fail, "within 2s"}}},
	{name: "page whose script never ends", policy: "https://acme.test:{tls}/hang", timeout: 6 * time.Second, browser: true,
		want: map[string]want{"privacy.renders": {fail, "did not finish rendering"}, "privacy.reachable": {pass, ""}}},
	{name: "gzip bomb", policy: "https://acme.test:{tls}/gzip-bomb", render: RenderNever,
		want: map[string]want{"privacy.reachable": {pass, "judged on its first"}}},

	// ── the URL itself ───────────────────────────────────────────────────
	{name: "no policy URL", policy: "",
		want: map[string]want{"privacy.url": {fail, "not set"}, "privacy.reachable": {skip, "not reached: privacy.url failed"}, "privacy.is-policy": {skip, "not reached: privacy.url failed"},
			"privacy.linked": {skip, "not reached: privacy.url failed"}, "site.homepage": {pass, ""}}},
	{name: "loopback address", policy: "https://127.0.0.1:{tls}/privacy",
		want: map[string]want{"privacy.url": {fail, "loopback"}, "privacy.domain": {skip, "not reached: privacy.url failed"}}},
	{name: "localhost", policy: "http://localhost:{http}/privacy", want: map[string]want{"privacy.url": {fail, "localhost"}}},
	{name: "relative URL", policy: "/privacy", want: map[string]want{"privacy.url": {fail, "not an absolute http(s) URL"}}},

	// ── the homepage ─────────────────────────────────────────────────────
	{name: "policy link only in a hidden menu", policy: "https://acme.test:{tls}/privacy", website: "https://acme.test:{tls}/home-hidden-link",
		want: map[string]want{"privacy.linked": {fail, "without opening a menu"}, "site.homepage": {pass, ""}}},
	{name: "homepage links an old policy", policy: "https://acme.test:{tls}/privacy", website: "https://acme.test:{tls}/home-other-link",
		want: map[string]want{"privacy.linked": {fail, "/legal/privacy-2019"}}},
	{name: "homepage link that redirects to the policy", policy: "https://acme.test:{tls}/privacy", website: "https://acme.test:{tls}/home-redirect-link",
		want: map[string]want{"privacy.linked": {pass, "privacy-policy"}}},
	{name: "homepage that is a login form", policy: "https://acme.test:{tls}/privacy", website: "https://acme.test:{tls}/home-login", render: RenderNever,
		want: map[string]want{"site.homepage": {fail, "only a login form"}, "privacy.linked": {pass, ""}}},
	{name: "homepage that names another app", policy: "https://acme.test:{tls}/privacy", appName: "Zephyr Boards",
		want: map[string]want{"site.homepage": {fail, `never names the app "Zephyr Boards"`}, "privacy.names-app": {pass, "Acme Inc."}}},
	{name: "JavaScript app with --render never", policy: "https://acme.test:{tls}/spa/privacy", render: RenderNever,
		want: map[string]want{"privacy.renders": {skip, "--render never"}, "privacy.is-policy": {skip, "--render never"}, "privacy.reachable": {pass, ""}}},
}

func TestAudit(t *testing.T) {
	for _, c := range auditCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			b := shared
			if c.browser {
				browsertest.Require(t)
			} else {
				b = noBrowser(t)
			}
			cfg := acme()
			cfg.App.PrivacyPolicyURL = ports.Replace(c.policy)
			switch c.website {
			case "":
			case "-":
				cfg.App.Website = ""
			default:
				cfg.App.Website = ports.Replace(c.website)
			}
			cfg.App.Domains = c.domains
			if c.appName != "" {
				cfg.App.Name = c.appName
			}
			o := options(b)
			o.Render = c.render
			if c.timeout > 0 {
				o.Timeout = c.timeout
			}
			got, err := auditOrHang(t, cfg, testRules(t, nil), o)
			if err != nil {
				t.Fatalf("Audit: %v", err)
			}
			checkFindings(t, got, c)
		})
	}
}

func checkFindings(t *testing.T, got []checks.Finding, c auditCase) {
	t.Helper()
	var ids []string
	byID := map[string]checks.Finding{}
	for _, f := range got {
		ids = append(ids, f.Rule)
		byID[f.Rule] = f
	}
	if !slices.Equal(ids, Rules) {
		t.Fatalf("findings for %v, want one per rule in order %v", ids, Rules)
	}
	for _, f := range got {
		if f.Status == checks.StatusError {
			t.Errorf("%s: status error: %s", f.Rule, f.Message)
		}
		if c.allPass && f.Status != pass {
			t.Errorf("%s: %s (%s), want pass", f.Rule, f.Status, f.Message)
		}
		if f.Status != skip && f.Rule != "privacy.url" && (f.Evidence == nil || f.Evidence.URL == "") {
			t.Errorf("%s: no evidence URL", f.Rule)
		}
	}
	for id, w := range c.want {
		f := byID[id]
		if f.Status != w.status || !strings.Contains(f.Message, w.msg) {
			t.Errorf("%s: %s %q, want %s containing %q", id, f.Status, f.Message, w.status, w.msg)
		}
	}
	if t.Failed() {
		for _, f := range got {
			t.Logf("  %-20s %-5s %s", f.Rule, f.Status, f.Message)
		}
	}
}

// A rendered page is screenshotted into --evidence and the finding points at it.
func TestEvidenceScreenshot(t *testing.T) {
	browsertest.Require(t)
	dir := t.TempDir()
	cfg := acme()
	cfg.App.PrivacyPolicyURL = ports.Replace("https://acme.test:{tls}/spa/privacy")
	o := options(shared)
	o.EvidenceDir = dir
	var progress strings.Builder
	o.Progress = &progress
	got, err := Audit(context.Background(), cfg, testRules(t, nil), o)
	if err != nil {
		t.Fatal(err)
	}
	f := got[slices.Index(Rules, "privacy.renders")]
	if f.Evidence == nil || f.Evidence.Screenshot == "" {
		t.Fatalf("privacy.renders has no screenshot: %+v", f.Evidence)
	}
	png, err := os.ReadFile(f.Evidence.Screenshot)
	if err != nil || !strings.HasPrefix(string(png), "\x89PNG") {
		t.Fatalf("screenshot %s is not a PNG (%v)", f.Evidence.Screenshot, err)
	}
	if !strings.Contains(progress.String(), "rendering the privacy policy in Chromium") {
		t.Errorf("progress did not say the page was rendered:\n%s", progress.String())
	}
}

// When the browser cannot start, the rules that needed it are errors, the
// others are still judged, and the CannotRunError comes back for exit code 3.
func TestBrowserMissing(t *testing.T) {
	// Not Options.ExecPath: browser.Launch with a missing ExecPath hangs in
	// Close (reported); PINREADY_CHROMIUM makes Find fail before launching.
	t.Setenv("PINREADY_CHROMIUM", "/nonexistent/chromium")
	broken := browser.NewLazy(context.Background(), browser.Options{})
	defer broken.Close()
	cfg := acme()
	cfg.App.PrivacyPolicyURL = ports.Replace("https://acme.test:{tls}/spa/privacy")
	got, err := Audit(context.Background(), cfg, testRules(t, nil), options(broken))
	var cr *checks.CannotRunError
	if !errors.As(err, &cr) {
		t.Fatalf("err = %v, want a *checks.CannotRunError", err)
	}
	status := map[string]checks.Status{}
	for _, f := range got {
		status[f.Rule] = f.Status
	}
	for id, w := range map[string]checks.Status{
		"privacy.renders": checks.StatusError, "privacy.is-policy": checks.StatusError,
		"privacy.reachable": pass, "privacy.domain": pass, "privacy.https": pass,
	} {
		if status[id] != w {
			t.Errorf("%s: %s, want %s", id, status[id], w)
		}
	}
}

// The 40 MB page is cut off, not read: the server gets to send only a little
// more than max_body_bytes before the client hangs up.
func TestHugePageNotReadInFull(t *testing.T) {
	f := newFetcher(options(nil), testRules(t, nil).Get("privacy.reachable").Params, ca.pool)
	before := fx.hugeBytes.Load()
	p, err := f.get(context.Background(), ports.Replace("https://acme.test:{tls}/huge"))
	if err != nil {
		t.Fatal(err)
	}
	if !p.Truncated || int64(len(p.Body)) != f.maxBody {
		t.Errorf("body %d bytes, truncated %v; want exactly %d and truncated", len(p.Body), p.Truncated, f.maxBody)
	}
	time.Sleep(200 * time.Millisecond) // let the handler notice the hang-up
	if sent := fx.hugeBytes.Load() - before; sent > hugeSize/2 {
		t.Errorf("the server sent %d MB of the %d MB page", sent>>20, hugeSize>>20)
	}
}

// Retry-After is honoured but bounded by max_retry_after: an hour-long
// Retry-After costs at most retries × max_retry_after.
func TestRetryAfterBounded(t *testing.T) {
	rs := testRules(t, map[string]any{"privacy.reachable:max_retry_after": "300ms", "privacy.reachable:retries": 2})
	f := newFetcher(options(nil), rs.Get("privacy.reachable").Params, ca.pool)
	// The waits asked for are recorded, not timed: the answer does not
	// depend on how busy the machine is.
	var waits []time.Duration
	f.pause = func(_ context.Context, d time.Duration) bool { waits = append(waits, d); return true }
	p, err := f.get(context.Background(), ports.Replace("https://acme.test:{tls}/busy-forever"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != 503 || p.Retried != 2 {
		t.Errorf("status %d after %d retries, want 503 after 2", p.Status, p.Retried)
	}
	if want := []time.Duration{300 * time.Millisecond, 300 * time.Millisecond}; !slices.Equal(waits, want) {
		t.Errorf("waited %v; want two waits bounded to 300ms", waits)
	}
}
