package oauthflow

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/fakepinterest"
	"github.com/pinready/pinready/internal/testkit"
)

// observer records what a recorder would see.
type observer struct {
	mu       sync.Mutex
	tabs     int
	steps    []string
	captions []string
	pointers int
	clicks   int
	secrets  []string
}

func (o *observer) Tab(context.Context) error { o.mu.Lock(); o.tabs++; o.mu.Unlock(); return nil }
func (o *observer) Step(name, caption string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.steps, o.captions = append(o.steps, name), append(o.captions, caption)
}
func (o *observer) Pointer(x, y float64) { o.mu.Lock(); o.pointers++; o.mu.Unlock() }
func (o *observer) Click(x, y float64)   { o.mu.Lock(); o.clicks++; o.mu.Unlock() }
func (o *observer) Secret(v string)      { o.mu.Lock(); o.secrets = append(o.secrets, v); o.mu.Unlock() }

// testClient reaches the test world's names on loopback through the
// product's own --resolve dialer (the browser's map, testResolve).
func testClient(timeout time.Duration) *http.Client {
	return &http.Client{Transport: testkit.Transport(testResolve), Timeout: timeout}
}

// The compliant sample app against the fake Pinterest passes every rule,
// recorded (observer, pace) and with --state-twice, and its trace holds no
// token, no full code and no secret.
func TestDriveSampleAppPassesAll(t *testing.T) {
	t.Parallel()
	w := sampleWorld(t, "acme-pins.test", fakepinterest.DefaultSandboxHost)
	cfg := w.config("  approve_selector: \"text=Give access\"\n")
	obs := &observer{}
	tr := w.drive(cfg, Options{Observer: obs, Pace: 10 * time.Millisecond, StateTwice: true})

	for id, f := range findingsOf(t, cfg, tr) {
		if f.Status != checks.StatusPass {
			t.Errorf("%s: %s %s", id, f.Status, f.Message)
		}
	}
	if tr.Stalled != nil {
		t.Errorf("stalled: %+v", tr.Stalled)
	}
	wantSteps := []string{"open-app", "connect", "consent", "approve", "callback", "live-data"}
	if !slices.Equal(obs.steps, wantSteps) {
		t.Errorf("observer steps %v, want %v", obs.steps, wantSteps)
	}
	if obs.captions[1] != "Click Connect Pinterest" || !strings.HasPrefix(obs.captions[2], "Pinterest shows the consent screen: boards:read, boards:write") || obs.captions[3] != "Click Give access" {
		t.Errorf("captions %q", obs.captions)
	}
	if obs.clicks != 2 || obs.pointers < 20 || obs.tabs != 1 {
		t.Errorf("observer saw %d clicks, %d pointer moves, %d tabs; want 2 clicks, a glide, 1 tab", obs.clicks, obs.pointers, obs.tabs)
	}
	if tr.SecondAuthorize == nil || tr.SecondAuthorize.State == tr.Authorize.State {
		t.Errorf("second connect: %+v", tr.SecondAuthorize)
	}
	for _, s := range tr.Steps {
		if s.Screenshot == "" {
			t.Errorf("step %s has no screenshot", s.Name)
		} else if _, err := os.Stat(s.Screenshot); err != nil {
			t.Errorf("step %s: %v", s.Name, err)
		}
	}
	if tr.Callback == nil || tr.Callback.Status != 200 || len(tr.Callback.Code) != len("abcd…") {
		t.Errorf("callback %+v", tr.Callback)
	}
	raw, err := json.Marshal(tr)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range w.fake.IssuedTokens() {
		if strings.Contains(string(raw), tok) {
			t.Errorf("the trace holds an issued token %s…", tok[:8])
		}
	}
	if strings.Contains(string(raw), "code=") && !strings.Contains(string(raw), "…") {
		t.Errorf("codes are not fingerprinted")
	}
}

// Each bad app breaks one rule; the driver must see it in a real browser.
func TestDriveBadApps(t *testing.T) {
	cases := []struct {
		name   string
		host   string
		app    *badApp
		extra  string // more oauth: config
		opts   Options
		rule   string
		status checks.Status
		msg    string
		check  func(t *testing.T, tr *Trace)
	}{
		{
			name: "popup flow passes", host: "popup.test",
			app: &badApp{
				home:     `<h1>Acme</h1><button id="connect-pinterest" onclick="window.open('/connect','pinterest','width=600,height=700')">Connect Pinterest</button>`,
				callback: `<p>Connected, closing…</p><script>setTimeout(() => { window.opener.location = '/dashboard'; window.close(); }, 300)</script>`,
			},
			rule: "demo.live-integration", status: checks.StatusPass, msg: "Your boards",
			check: func(t *testing.T, tr *Trace) {
				if !tr.Popup || tr.Authorize == nil || !strings.HasPrefix(tr.Authorize.Tab, "popup-") {
					t.Errorf("popup not followed: popup=%v authorize=%+v", tr.Popup, tr.Authorize)
				}
				fs := findingsOf(t, nil, tr)
				for _, id := range []string{"oauth.authorize", "oauth.consent", "oauth.callback", "oauth.token-exposure", "oauth.response-type"} {
					if fs[id].Status != checks.StatusPass {
						t.Errorf("%s: %s %s", id, fs[id].Status, fs[id].Message)
					}
				}
			},
		},
		{
			// Pinterest's 400 page ends the wait for consent at once: the
			// long timeout is never waited out, on a busy machine or not.
			name: "implicit grant", host: "implicit.test", app: &badApp{responseType: "token"},
			opts: Options{Timeout: 30 * time.Second},
			rule: "oauth.response-type", status: checks.StatusFail, msg: "implicit grant",
			check: func(t *testing.T, tr *Trace) {
				if tr.Consent.Shown || tr.Consent.Status != 400 || !strings.Contains(tr.Consent.Excerpt, "response_type") {
					t.Errorf("consent %+v", tr.Consent)
				}
				if tr.Stalled == nil || !strings.Contains(tr.Stalled.Reason, "Pinterest answered the authorize request with HTTP 400") {
					t.Errorf("the flow did not stop on Pinterest's error page: %+v", tr.Stalled)
				}
			},
		},
		{
			name: "static state", host: "static.test", app: &badApp{staticState: "acme-fixed-state-0001"},
			opts: Options{StateTwice: true},
			rule: "oauth.state", status: checks.StatusFail, msg: "same state",
		},
		{
			name: "token in URL fragment", host: "fragment.test",
			app:  &badApp{afterConnect: "/dashboard#access_token=pina_FRAGMENTTOKEN1234567890"},
			rule: "oauth.token-exposure", status: checks.StatusFail, msg: "url of",
			check: func(t *testing.T, tr *Trace) {
				if tr.Callback == nil || tr.Callback.Status != 302 || !strings.Contains(tr.Callback.RedirectedTo, "#access_token=•••") {
					t.Errorf("callback %+v", tr.Callback)
				}
			},
		},
		{
			name: "token in localStorage", host: "storage.test",
			app:  &badApp{callback: boardsPage + `<script>localStorage.setItem('pinterest', 'pina_STORAGETOKEN1234567890')</script>`},
			rule: "oauth.token-exposure", status: checks.StatusFail, msg: "localStorage of http://storage.test",
		},
		{
			name: "password form", host: "password.test",
			app: &badApp{connectPage: `<form><h2>Connect your Pinterest account</h2><label>Pinterest email <input name="email"></label>
<label>Pinterest password <input type="password" name="pinterest_password"></label><button>Connect</button></form>`},
			rule: "oauth.no-credentials", status: checks.StatusFail, msg: "password field (pinterest_password)",
		},
		{
			name: "unregistered redirect", host: "unregistered.test", app: &badApp{redirectURI: "http://unregistered.test/other"},
			opts: Options{Timeout: 30 * time.Second},
			rule: "oauth.redirect-uri", status: checks.StatusFail, msg: `"http://unregistered.test/other" is not one of the registered`,
		},
		{
			name: "no data after connecting", host: "nodata.test", app: &badApp{callback: `<h1>Connected!</h1><p>Thanks.</p>`},
			rule: "demo.live-integration", status: checks.StatusFail, msg: `never showed text "Your boards"`,
			check: func(t *testing.T, tr *Trace) {
				if fs := findingsOf(t, nil, tr); fs["oauth.callback"].Status != checks.StatusPass {
					t.Errorf("callback should pass: %s", fs["oauth.callback"].Message)
				}
			},
		},
		{
			// The app's own sign-in, filled by oauth.steps with a secret from
			// the environment: allowed, and the secret appears nowhere.
			name: "own sign-in with a secret", host: "login.test",
			app: &badApp{home: `<h1>Acme</h1><form onsubmit="return false"><label>Email <input id="email"></label>
<label>Password <input id="password" type="password" oninput="console.log('typed ' + this.value)"></label></form>
<p><a href="/connect">Connect Pinterest</a></p>`},
			extra: "  connect_selector: \"text=Connect Pinterest\"\n  steps:\n    - fill: \"#email\"\n      value: ann@acme.test\n    - fill: \"#password\"\n      value_env: ACME_PASSWORD\n",
			opts:  Options{Getenv: func(k string) string { return map[string]string{"ACME_PASSWORD": "hunter2-very-secret"}[k] }},
			rule:  "oauth.no-credentials", status: checks.StatusPass, msg: "no app page",
			check: func(t *testing.T, tr *Trace) {
				raw, _ := json.Marshal(tr)
				if strings.Contains(string(raw), "hunter2") {
					t.Errorf("the secret is in the trace")
				}
				if len(tr.Fields) < 2 || !tr.Fields[1].FilledByStep || !strings.Contains(string(raw), "typed •••") {
					t.Errorf("fields %+v; console %+v", tr.Fields, tr.Console)
				}
				if fs := findingsOf(t, nil, tr); fs["demo.live-integration"].Status != checks.StatusPass {
					t.Errorf("flow did not complete: %s", fs["demo.live-integration"].Message)
				}
			},
		},
		{
			name: "connect selector never appears", host: "noconnect.test", app: &badApp{home: `<h1>Acme</h1><p>Coming soon.</p>`},
			rule: "oauth.authorize", status: checks.StatusFail, msg: "the connect control #connect-pinterest did not appear",
			check: func(t *testing.T, tr *Trace) {
				f := findingsOf(t, nil, tr)["oauth.authorize"]
				if f.Evidence == nil || f.Evidence.Screenshot == "" {
					t.Fatalf("no screenshot: %+v", f.Evidence)
				}
				if _, err := os.Stat(f.Evidence.Screenshot); err != nil {
					t.Error(err)
				}
				if f.Field != "oauth.connect_selector" {
					t.Errorf("field %q", f.Field)
				}
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, c.host, func(w *world) http.Handler { c.app.w = w; return c.app.handler() })
			cfg := w.config(c.extra)
			tr := w.drive(cfg, c.opts) // fails the test if Drive hangs
			fs := findingsOf(t, cfg, tr)
			want(t, fs, c.rule, c.status, c.msg)
			if t.Failed() {
				j, _ := json.MarshalIndent(tr, "", " ")
				t.Logf("trace: %s", j)
			}
			raw, _ := json.Marshal(tr)
			if strings.Contains(string(raw), "TOKEN1234567890") {
				t.Errorf("the trace holds the raw token")
			}
			if c.check != nil {
				c.check(t, tr)
			}
		})
	}
}
