package oauthflow

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/pinready/pinready/internal/redact"
)

// What page JavaScript can read over the network is as exposed as what it
// can read from storage: an app that hands the access token to its front
// end through its own endpoint (Auth.js' session.accessToken, fetched from
// /api/auth/session) shows it in no URL and no page text. oauth.token-exposure
// therefore also searches:
//
//   - the bodies of fetch/XHR responses from the app's own origins (JSON
//     and text), and the HTML source of its pages, fetched with
//     Network.getResponseBody once each has finished loading;
//   - the text frames of WebSockets to the app's origins;
//   - the payloads of postMessage events the app's pages receive (a popup
//     handing the token to its opener), heard from an isolated world.
//
// Everything is bounded: a body or a payload is searched up to maxBody
// bytes, and a run searches at most maxBodies bodies and maxFrames frames
// and messages.
const (
	maxBody   = 1 << 20
	maxBodies = 200
	maxFrames = 500

	netWorld       = "pinready-net"
	messageBinding = "__pinreadyMessage"
)

// messageJS listens, in its own world, for the messages the page receives.
// The page's scripts cannot see or remove the listener or the binding.
const messageJS = `(() => {
  if (window.__pinreadyMessages) return;
  window.__pinreadyMessages = true;
  window.addEventListener("message", (e) => {
    let data = e.data;
    try { if (typeof data !== "string") data = JSON.stringify(data); } catch (_) { data = String(data); }
    if (typeof data !== "string" || data === "") return;
    try {
      ` + messageBinding + `(JSON.stringify({origin: String(e.origin || ""), url: location.href, data: data.slice(0, ` + "1048576" + `)}));
    } catch (_) {}
  }, true);
})()`

// netWatch is the state of the network inspection of one Drive.
type netWatch struct {
	mu       sync.Mutex
	pending  map[netKey]netResponse // responses of the app's origins waiting for their body
	methods  map[netKey]string      // request method by request
	sockets  map[netKey]string      // WebSocket URL by request
	bodies   int                    // bodies fetched so far
	frames   int                    // frames and messages searched so far
	inflight int                    // body fetches under way
}

// netKey names a request: request ids are unique within a tab only.
type netKey struct {
	tab string
	id  network.RequestID
}

type netResponse struct {
	where, method, url string
}

// watchNetwork starts the inspection of a tab's network: response bodies,
// WebSocket frames and posted messages. startTab calls it for every tab
// and popup of the flow. A popup is being attached under a watchdog (a
// page opening twenty of them is slow to answer): its message listener is
// installed without holding the attach up.
func (d *driver) watchNetwork(t *tab) error {
	if err := chromedp.Listen(t.ctx, d.netListener(t)); err != nil {
		return fmt.Errorf("watch the network of %s: %w", t.name, err)
	}
	if strings.HasPrefix(t.name, "popup-") {
		go d.listenMessages(t)
		return nil
	}
	return d.listenMessages(t)
}

// listenMessages installs messageJS in its own world of every document of
// the tab, and the binding it reports through.
func (d *driver) listenMessages(t *tab) error {
	if _, err := chromedp.Call(t.ctx, runtime.AddBinding, runtime.AddBindingParams{Name: messageBinding, ExecutionContextName: netWorld}); err != nil {
		return fmt.Errorf("listen for messages in %s: %w", t.name, err)
	}
	now := true
	if _, err := chromedp.Call(t.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: messageJS, WorldName: netWorld, RunImmediately: &now,
	}); err != nil {
		return fmt.Errorf("listen for messages in %s: %w", t.name, err)
	}
	return nil
}

// netListener runs in the tab's event loop: it may search text it was
// handed, but a body must be fetched by a command, so that is left to a
// goroutine.
func (d *driver) netListener(t *tab) func(ev any) {
	w := &d.net
	return func(ev any) {
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			if ev.Request != nil && d.onAppOrigin(ev.Request.URL) {
				w.mu.Lock()
				if w.methods == nil {
					w.methods = map[netKey]string{}
				}
				w.methods[netKey{t.name, ev.RequestID}] = ev.Request.Method
				w.mu.Unlock()
			}
		case *network.EventResponseReceived:
			r := ev.Response
			if r == nil || !d.onAppOrigin(r.URL) || (r.Status >= 300 && r.Status < 400) || !textual(r.MimeType) {
				return
			}
			where := ""
			switch ev.Type {
			case network.ResourceTypeXHR, network.ResourceTypeFetch:
				where = "response"
			case network.ResourceTypeDocument:
				where = "html-source"
			default:
				return
			}
			k := netKey{t.name, ev.RequestID}
			w.mu.Lock()
			if w.pending == nil {
				w.pending = map[netKey]netResponse{}
			}
			method := w.methods[k]
			if method == "" {
				method = "GET"
			}
			w.pending[k] = netResponse{where: where, method: method, url: r.URL}
			w.mu.Unlock()
		case *network.EventLoadingFinished:
			k := netKey{t.name, ev.RequestID}
			w.mu.Lock()
			r, ok := w.pending[k]
			delete(w.pending, k)
			delete(w.methods, k)
			if !ok || w.bodies >= maxBodies {
				w.mu.Unlock()
				return
			}
			w.bodies++
			w.inflight++
			w.mu.Unlock()
			go d.inspectBody(t, ev.RequestID, r)
		case *network.EventLoadingFailed:
			k := netKey{t.name, ev.RequestID}
			w.mu.Lock()
			delete(w.pending, k)
			delete(w.methods, k)
			w.mu.Unlock()
		case *network.EventWebSocketCreated:
			if d.onAppOrigin(httpOf(ev.URL)) {
				w.mu.Lock()
				if w.sockets == nil {
					w.sockets = map[netKey]string{}
				}
				w.sockets[netKey{t.name, ev.RequestID}] = ev.URL
				w.mu.Unlock()
			}
		case *network.EventWebSocketFrameReceived:
			d.inspectFrame(t, ev.RequestID, ev.Response)
		case *network.EventWebSocketFrameSent:
			d.inspectFrame(t, ev.RequestID, ev.Response)
		case *runtime.EventBindingCalled:
			if ev.Name == messageBinding {
				d.inspectMessage(ev.Payload)
			}
		}
	}
}

// textual: a body worth searching. Only media and fonts are not; a body
// with no type is searched.
func textual(mime string) bool {
	mime = strings.ToLower(mime)
	for _, p := range []string{"image/", "audio/", "video/", "font/"} {
		if strings.HasPrefix(mime, p) {
			return false
		}
	}
	return true
}

// httpOf maps a WebSocket URL to the origin it belongs to (ws → http).
func httpOf(raw string) string {
	switch {
	case strings.HasPrefix(raw, "ws://"):
		return "http://" + strings.TrimPrefix(raw, "ws://")
	case strings.HasPrefix(raw, "wss://"):
		return "https://" + strings.TrimPrefix(raw, "wss://")
	}
	return raw
}

// inspectBody fetches a finished response's body and searches it.
func (d *driver) inspectBody(t *tab, id network.RequestID, r netResponse) {
	defer func() {
		d.net.mu.Lock()
		d.net.inflight--
		d.net.mu.Unlock()
	}()
	ctx, cancel := context.WithTimeout(t.ctx, d.o.Timeout)
	defer cancel()
	res, err := chromedp.Call(ctx, network.GetResponseBody, network.GetResponseBodyParams{RequestID: id})
	if err != nil {
		return // the tab went away, or Chromium no longer holds the body
	}
	d.mu.Lock()
	switch {
	case d.done:
	case r.where == "html-source":
		d.tr.Network.Documents++
	default:
		d.tr.Network.Responses++
	}
	d.mu.Unlock()
	d.inspectText(r.where, r.url, endpoint(r.method, r.url), string(res.Body))
}

// endpoint names a request as "GET /api/auth/session", the query masked.
func endpoint(method, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return method + " " + redact.Text(raw)
	}
	return method + " " + redact.Text(u.RequestURI())
}

// inspectFrame searches a WebSocket text frame of the app's origins.
func (d *driver) inspectFrame(t *tab, id network.RequestID, f *network.WebSocketFrame) {
	if f == nil || f.Opcode != 1 {
		return
	}
	d.net.mu.Lock()
	u, ok := d.net.sockets[netKey{t.name, id}]
	d.net.mu.Unlock()
	if !ok || !d.spendFrame(func(n *NetworkSeen) { n.Frames++ }) {
		return
	}
	d.inspectText("websocket", u, redact.Text(u), string(f.PayloadData))
}

// inspectMessage searches a message a page of the flow received.
func (d *driver) inspectMessage(payload string) {
	var m struct {
		Origin string `json:"origin"`
		URL    string `json:"url"`
		Data   string `json:"data"`
	}
	if json.Unmarshal([]byte(payload), &m) != nil || !d.onAppOrigin(m.URL) {
		return
	}
	if !d.spendFrame(func(n *NetworkSeen) { n.Messages++ }) {
		return
	}
	d.inspectText("postMessage", m.URL, redact.Text(m.Origin), m.Data)
}

// spendFrame takes one of the run's maxFrames for a WebSocket frame or a
// posted message, false when none is left, and tallies it in the trace
// (unless the trace is already handed over).
func (d *driver) spendFrame(tally func(*NetworkSeen)) bool {
	d.net.mu.Lock()
	if d.net.frames >= maxFrames {
		d.net.mu.Unlock()
		return false
	}
	d.net.frames++
	d.net.mu.Unlock()
	d.mu.Lock()
	if !d.done {
		tally(&d.tr.Network)
	}
	d.mu.Unlock()
	return true
}

// inspectText searches a body or payload, as JSON when it is JSON (the
// exposure then says where in it), else as text.
func (d *driver) inspectText(where, rawURL, endpoint, body string) {
	if len(body) > maxBody {
		body = body[:maxBody]
	}
	if where == "response" || where == "html-source" {
		d.noteTrialRefusal(where, rawURL, endpoint, body)
	}
	var found []Exposure
	if matches, ok := redact.FindJSON([]byte(body)); ok {
		for _, m := range matches {
			found = append(found, Exposure{Where: where, URL: d.m.mask(rawURL), Endpoint: endpoint, Path: m.Path, Pattern: m.Rule})
		}
	} else {
		markup := where == "html-source" || strings.HasPrefix(strings.TrimSpace(body), "<")
		found = d.m.exposures(where, rawURL, body, markup)
		for i := range found {
			found[i].Endpoint = endpoint
		}
	}
	if len(found) == 0 {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.done {
		return
	}
	for _, e := range found {
		// A session endpoint polled every few seconds is one exposure.
		if !containsExposure(d.tr.Exposures, e) {
			d.tr.Exposures = append(d.tr.Exposures, e)
		}
	}
}

// noteTrialRefusal records Pinterest's code-29 refusal in a body the
// app's page read, once per endpoint (assess_trial.go judges it).
func (d *driver) noteTrialRefusal(where, rawURL, endpoint, body string) {
	loc := trialRefusalWords().FindStringIndex(body)
	if loc == nil {
		return
	}
	r := TrialRefusal{Where: where, URL: d.m.mask(rawURL), Endpoint: endpoint, Excerpt: clip(d.m.mask(excerptAround(body, loc[0], loc[1])), 300)}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.done {
		return
	}
	for _, x := range d.tr.TrialRefusals {
		if x.Where == r.Where && x.Endpoint == r.Endpoint {
			return
		}
	}
	d.tr.TrialRefusals = append(d.tr.TrialRefusals, r)
}

func containsExposure(list []Exposure, e Exposure) bool {
	for _, x := range list {
		if x.Where == e.Where && x.URL == e.URL && x.Endpoint == e.Endpoint && x.Path == e.Path && x.Pattern == e.Pattern {
			return true
		}
	}
	return false
}

// drainNetwork waits, within the timeout, for the bodies being fetched,
// so the trace holds what they exposed before the tabs close. A response
// whose body is still arriving gets a short grace (pendingGrace): a
// long-poll never finishes, and must not hold every flow up.
func (d *driver) drainNetwork() {
	start := time.Now()
	for time.Since(start) < d.o.Timeout && d.parent.Err() == nil {
		d.net.mu.Lock()
		busy := d.net.inflight > 0 || (len(d.net.pending) > 0 && time.Since(start) < pendingGrace)
		d.net.mu.Unlock()
		if !busy {
			return
		}
		sleep(d.parent, 20*time.Millisecond)
	}
}

// pendingGrace is how long drainNetwork waits for responses still loading.
const pendingGrace = 2 * time.Second

// describe says where an exposure is, for the finding's message:
// "fetch/XHR response GET /api/auth/session → $.accessToken".
func (e Exposure) describe() string {
	var s string
	switch e.Where {
	case "response":
		s = "fetch/XHR response " + e.Endpoint
	case "html-source":
		s = "HTML source of " + e.Endpoint
	case "websocket":
		s = "WebSocket frame of " + e.Endpoint
	case "postMessage":
		s = "postMessage from " + e.Endpoint + " to " + e.URL
	case "terminal":
		return fmt.Sprintf("printed in the terminal, line %d", e.Line)
	default:
		return e.Where + " of " + e.URL
	}
	if e.Path != "" {
		s += " → " + e.Path
	}
	return s
}
