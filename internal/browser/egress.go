package browser

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/egress"
)

// closeEgress starts the policy's proxy and returns the launch options that
// leave the browser no other way out. Every TCP connection Chromium makes
// goes through the proxy, which decides it with the policy at connect time
// (internal/egress.Proxy); what cannot go through a SOCKS proxy is turned
// off for the whole browser, because no flow pinready drives needs it:
//
//   - --proxy-server=socks5://…: navigations, subresources, workers,
//     WebSockets, speculation-rules prefetches and prerenders, preconnects,
//     WebRTC's TCP candidates and TURN servers. SOCKS5 hands the proxy the
//     host name: Chromium looks nothing up itself.
//   - --proxy-bypass-list=<-loopback>: Chromium sends loopback and
//     "localhost" straight out by default; they go through the proxy too.
//   - --host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1: should
//     anything still want an address from Chromium's own resolver (a DNS
//     prefetch), it gets none. 127.0.0.1 is the proxy's own address.
//   - --webrtc-ip-handling-policy=disable_non_proxied_udp (Chromium reads
//     it as the WebRTC IP handling policy pref; the headless shell reads
//     only the force- spelling; each was seen to matter, on Chromium 156
//     and its headless shell): WebRTC sends no UDP at all (no STUN, no UDP
//     TURN, no ICE checks to a peer) and gathers no host candidate; its
//     TCP goes through the proxy.
//   - the temporary profile's network prediction is off (Preferences):
//     no preconnect, no DNS prefetch, no speculation-rules prefetch or
//     prerender is even tried. A profile the user gave is left as it is;
//     the proxy still decides what it tries.
//
// --resolve needs no host-resolver rule any more: the proxy dials a mapped
// HOST:PORT at its address.
func (b *Browser) closeEgress(p *egress.Policy) ([]chromedp.ExecAllocatorOption, error) {
	if b.tempProfile {
		if err := writePreferences(b.profile); err != nil {
			return nil, &checks.CannotRunError{What: "write the browser profile's preferences", Err: err}
		}
	}
	proxy, err := p.ListenProxy()
	if err != nil {
		return nil, &checks.CannotRunError{What: "start the browser's egress proxy on 127.0.0.1", Err: err}
	}
	b.proxy = proxy
	return []chromedp.ExecAllocatorOption{
		chromedp.Flag("proxy-server", "socks5://"+proxy.Addr()),
		chromedp.Flag("proxy-bypass-list", "<-loopback>"),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"),
		chromedp.Flag("webrtc-ip-handling-policy", webrtcPolicy),
		chromedp.Flag("force-webrtc-ip-handling-policy", webrtcPolicy),
	}, nil
}

// webrtcPolicy: WebRTC uses no UDP that is not proxied, and no SOCKS proxy
// carries UDP for Chromium.
const webrtcPolicy = "disable_non_proxied_udp"

// networkPredictionNever is Chromium's NetworkPredictionOptions::kDisabled,
// the value of net.network_prediction_options that turns preloading off
// (chrome/browser/preloading/preloading_prefs.h).
const networkPredictionNever = 2

// writePreferences writes the temporary profile's Default/Preferences
// before the first start: network prediction (preconnect, DNS prefetch,
// speculation rules) off.
func writePreferences(profile string) error {
	prefs, err := json.Marshal(map[string]any{
		"net": map[string]any{"network_prediction_options": networkPredictionNever},
	})
	if err != nil {
		return err
	}
	dir := filepath.Join(profile, "Default")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "Preferences"), prefs, 0o600)
}

// egressCheckTimeout bounds one request's decision (a DNS lookup at most).
const egressCheckTimeout = 10 * time.Second

// interceptEgress makes Chromium ask the egress policy before it sends any
// request, on every redirect hop, from every tab, popup, frame and worker:
// interception is enabled on the browser's own session, which sees the
// requests of all targets and browser contexts. A refused request fails
// with net::ERR_BLOCKED_BY_CLIENT, so nothing of an internal server reaches
// a page, a screenshot or a video. With --allow-private nothing is
// intercepted at all.
func interceptEgress(bctx context.Context, p *egress.Policy) error {
	if p.AllowsAll() {
		return nil
	}
	paused := chromedp.BrowserEvents(bctx, fetch.RequestPaused) // subscribe before enabling
	_, err := chromedp.CallBrowser(bctx, fetch.Enable, fetch.EnableParams{
		Patterns: []*fetch.RequestPattern{{URLPattern: "*", RequestStage: fetch.RequestStageRequest}},
	})
	if err != nil {
		return err
	}
	go func() {
		for ev, err := range paused {
			if err != nil {
				return // the browser is closing
			}
			// Answered concurrently: a slow DNS answer for one host must
			// not hold up the page's other requests.
			go answerPaused(bctx, p, ev)
		}
	}()
	return nil
}

// answerPaused lets one paused request go on, or fails it.
func answerPaused(bctx context.Context, p *egress.Policy, ev fetch.EventRequestPaused) {
	ctx, cancel := context.WithTimeout(bctx, egressCheckTimeout)
	defer cancel()
	if err := p.CheckURL(ctx, ev.Request.URL); err != nil {
		chromedp.CallBrowser(bctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
		return
	}
	chromedp.CallBrowser(bctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
}

// ExplainNetError puts the cause back into a navigation error of a page
// at rawURL: Chromium reports whatever stopped its SOCKS proxy (a host
// that does not resolve, a refused or timed-out connection, the policy) as
// net::ERR_SOCKS_CONNECTION_FAILED, and the proxy knows which it was. The
// text gets the code Chromium would have given without a proxy
// (net::ERR_NAME_NOT_RESOLVED, net::ERR_CONNECTION_REFUSED, …); any other
// text is returned as it is.
func (b *Browser) ExplainNetError(rawURL, text string) string {
	const socks = "net::ERR_SOCKS_CONNECTION_FAILED"
	if b.proxy == nil || !strings.Contains(text, socks) {
		return text
	}
	u, err := url.Parse(rawURL)
	if err != nil || u.Hostname() == "" {
		return text
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "ws": "80", "https": "443", "wss": "443"}[u.Scheme]
	}
	cause := b.proxy.Failure(net.JoinHostPort(u.Hostname(), port))
	if cause == nil {
		return text
	}
	return strings.Replace(text, socks, "net::"+chromiumNetError(cause), 1)
}

// chromiumNetError is the net::ERR_ code Chromium gives the failure of a
// connection it makes itself.
func chromiumNetError(err error) string {
	var refused *egress.RefusedError
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &refused):
		return "ERR_BLOCKED_BY_CLIENT"
	case errors.As(err, &dnsErr):
		return "ERR_NAME_NOT_RESOLVED"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "ERR_CONNECTION_REFUSED"
	case errors.Is(err, syscall.ECONNRESET):
		return "ERR_CONNECTION_RESET"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "ERR_ADDRESS_UNREACHABLE"
	case errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, context.DeadlineExceeded):
		return "ERR_CONNECTION_TIMED_OUT"
	}
	return "ERR_SOCKS_CONNECTION_FAILED"
}
