package oauthflow

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// videoObserver records what a recorder hears, in order, with the time.
type videoObserver struct {
	mu     sync.Mutex
	events []videoEvent
}

type videoEvent struct {
	kind, step, text string
	status           int
	w, h             float64
	at               time.Time
}

func (o *videoObserver) add(e videoEvent) {
	o.mu.Lock()
	defer o.mu.Unlock()
	e.at = time.Now()
	if n := len(o.events); e.kind != "step" && n > 0 {
		e.step = o.events[n-1].step
	}
	o.events = append(o.events, e)
}

func (o *videoObserver) Tab(context.Context) error { o.add(videoEvent{kind: "tab"}); return nil }
func (o *videoObserver) Step(name, caption string) {
	o.add(videoEvent{kind: "step", step: name, text: caption})
}
func (o *videoObserver) Pointer(x, y float64) { o.add(videoEvent{kind: "pointer"}) }
func (o *videoObserver) Click(x, y float64)   { o.add(videoEvent{kind: "click"}) }
func (o *videoObserver) Secret(v string)      { o.add(videoEvent{kind: "secret"}) }
func (o *videoObserver) Highlight(x, y, w, h float64) {
	o.add(videoEvent{kind: "highlight", w: w, h: h})
}
func (o *videoObserver) Moment() { o.add(videoEvent{kind: "moment"}) }
func (o *videoObserver) Redirect(u string, status int) {
	o.add(videoEvent{kind: "redirect", text: u, status: status})
}

var _ VideoObserver = (*videoObserver)(nil)

// of returns the events of one kind.
func (o *videoObserver) of(kind string) []videoEvent {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []videoEvent
	for _, e := range o.events {
		if e.kind == kind {
			out = append(out, e)
		}
	}
	return out
}

// cssLike finds what only CSS looks like in a caption: an #id, an
// [attribute], a text= selector, a combinator.
var cssLike = regexp.MustCompile(`#[\w-]|\[[\w-]+[~|^$*]?=?|text=|\s>\s`)

// A recorded flow through an app's own sign-in: captions and progress
// lines name what a person sees; each step is pictured at the moment of its
// action; the cursor rests on each control before it is clicked; the
// consent page stays long enough; and the callback's redirect hop is
// reported as it happens, before the callback step, only when the callback
// answered with a redirect.
func TestRecordedFlowCaptionsMomentsAndHop(t *testing.T) {
	for _, redirect := range []bool{true, false} {
		t.Run(fmt.Sprintf("callback redirects=%t", redirect), func(t *testing.T) {
			t.Parallel()
			host := "captions.test"
			if !redirect {
				host = "captions-page.test"
			}
			app := &badApp{home: `<h1>Acme Pin Planner</h1>
<form id="login" onsubmit="document.getElementById('after').hidden = false; return false">
  <label for="email">Email</label> <input id="email" type="email">
  <label>Password <input id="password" type="password"></label>
  <button id="signin">Sign in</button>
</form>
<div id="after" hidden><a id="connect-pinterest" href="/connect">Connect Pinterest</a>
<button class="js-icon-only" aria-label="Settings">⚙</button></div>`}
			if redirect {
				app.afterConnect = "/dashboard"
			}
			w := newWorld(t, host, func(w *world) http.Handler { app.w = w; return app.handler() })
			cfg := w.config(`  approve_selector: "text=Give access"
  steps:
    - fill: "#email"
      value: ann@acme.test
    - fill: "#password"
      value_env: ACME_PASSWORD
    - click: "#signin"
    - wait: "#connect-pinterest"
    - click: "[aria-label=Settings]"
`)
			obs := &videoObserver{}
			var progress strings.Builder
			pace := 300 * time.Millisecond
			tr := w.drive(cfg, Options{Observer: obs, Pace: pace, Progress: &progress,
				Getenv: func(k string) string { return map[string]string{"ACME_PASSWORD": "hunter2-very-secret"}[k] }})
			if tr.Stalled != nil {
				t.Fatalf("stalled: %+v", tr.Stalled)
			}

			callbackHost := strings.TrimPrefix(w.appURL, "http://")
			wantCaptions := []string{
				"Open Acme Pin Planner", "Fill in Email", "Fill in Password (hidden)", "Click Sign in",
				"Wait for Connect Pinterest", "Click Settings", "Click Connect Pinterest",
				"Pinterest shows the consent screen: boards:read, pins:read", "Click Give access",
				"Pinterest redirected back to " + callbackHost + "/oauth/callback with an authorization code",
				"Live data from the Pinterest API",
			}
			var captions, steps []string
			for _, e := range obs.of("step") {
				captions, steps = append(captions, e.text), append(steps, e.step)
			}
			if !slices.Equal(captions, wantCaptions) {
				t.Errorf("captions\n%q\nwant\n%q", captions, wantCaptions)
			}
			selectors := []string{"#email", "#password", "#signin", "#connect-pinterest", "[aria-label=Settings]", "text=Give access", "signin", "connect-pinterest"}
			for _, line := range strings.Split(strings.TrimSpace(progress.String()), "\n") {
				if cssLike.MatchString(line) {
					t.Errorf("a progress line shows CSS: %q", line)
				}
				for _, sel := range selectors {
					if strings.Contains(line, sel) {
						t.Errorf("a progress line shows the selector %s: %q", sel, line)
					}
				}
			}
			for _, c := range captions {
				if cssLike.MatchString(c) {
					t.Errorf("a caption shows CSS: %q", c)
				}
				if !strings.Contains(progress.String(), ": "+c+"\n") {
					t.Errorf("no progress line for %q:\n%s", c, progress.String())
				}
			}

			// Every step with an action is pictured at it; every click is
			// preceded by the control outlined, the cursor resting, the moment.
			moments := map[string]int{}
			for _, e := range obs.of("moment") {
				moments[e.step]++
			}
			for _, s := range []string{"step-1", "step-2", "step-3", "step-4", "step-5", "connect", "approve", "callback", "live-data"} {
				if moments[s] == 0 {
					t.Errorf("step %s has no moment (moments %v)", s, moments)
				}
			}
			obs.mu.Lock()
			events := slices.Clone(obs.events)
			obs.mu.Unlock()
			clicks := 0
			for i, e := range events {
				if e.kind != "click" {
					continue
				}
				clicks++
				if i < 3 || events[i-1].kind != "moment" || events[i-2].kind != "highlight" || events[i-3].kind != "pointer" {
					t.Errorf("click %d in step %s is not preceded by pointer, highlight, moment: %v", clicks, e.step, kinds(events[max(0, i-3):i+1]))
					continue
				}
				if events[i-2].w <= 0 || events[i-2].h <= 0 {
					t.Errorf("the highlight of step %s has no size: %+v", e.step, events[i-2])
				}
				if rest := events[i-1].at.Sub(events[i-3].at); rest < restTime {
					t.Errorf("the cursor rested %v on the control of step %s, want at least %v", rest, e.step, restTime)
				}
			}
			if clicks != 6 { // two fields, sign in, settings, connect, give access
				t.Errorf("%d clicks, want 6", clicks)
			}
			// The consent page is on screen at least its dwell before Give access is pressed.
			var consentAt, approveClick time.Time
			for _, e := range events {
				if e.kind == "step" && e.step == "consent" {
					consentAt = e.at
				}
				if e.kind == "click" && e.step == "approve" {
					approveClick = e.at
				}
			}
			if dwell := consentOnScreen * pace / DefaultPace; approveClick.Sub(consentAt) < dwell {
				t.Errorf("the consent page was on screen %v before the click, want at least %v", approveClick.Sub(consentAt), dwell)
			}

			hops := obs.of("redirect")
			if !redirect {
				if len(hops) != 0 {
					t.Errorf("a callback that answered with a page was reported as a hop: %+v", hops)
				}
				if tr.Callback.RedirectedTo != "" {
					t.Errorf("callback %+v", tr.Callback)
				}
				return
			}
			if len(hops) != 1 || hops[0].status != 302 || !strings.HasPrefix(hops[0].text, w.redirect+"?code=") || hops[0].step != "approve" {
				t.Fatalf("redirect hops %+v, want one 302 from %s?code=… while approving", hops, w.redirect)
			}
			// Reported before the callback step began, and pictured in it.
			if i := slices.Index(steps, "callback"); i < 0 || !obs.of("step")[i].at.After(hops[0].at) {
				t.Errorf("the hop was not reported before the callback step")
			}
			if tr.Callback.Status != 302 || !strings.HasSuffix(tr.Callback.RedirectedTo, "/dashboard") {
				t.Errorf("callback %+v", tr.Callback)
			}
		})
	}
}

func kinds(es []videoEvent) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.kind)
	}
	return out
}
