package browser_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"golang.org/x/net/websocket"

	"github.com/pinready/pinready/internal/browser"
	"github.com/pinready/pinready/internal/browser/browsertest"
	"github.com/pinready/pinready/internal/egress"
	"github.com/pinready/pinready/internal/resolve"
	"github.com/pinready/pinready/internal/testenv"
)

// privateListeners stand for services on the machine's private network: a
// TCP and a UDP socket on 127.0.0.2, a loopback address no --resolve rule
// and no config names. They count every connection and every datagram, of
// any protocol: a connection that sends nothing (a preconnect) counts.
type privateListeners struct {
	tcpPort, udpPort int
	conns, packets   atomic.Int32
}

func listenPrivate(t *testing.T) *privateListeners {
	t.Helper()
	p := &privateListeners{}
	tl, err := net.Listen("tcp4", "127.0.0.2:0")
	if err != nil {
		testenv.Missing(t, "a listener on 127.0.0.2", err)
	}
	t.Cleanup(func() { tl.Close() })
	p.tcpPort = tl.Addr().(*net.TCPAddr).Port
	go func() {
		for {
			c, err := tl.Accept()
			if err != nil {
				return
			}
			p.conns.Add(1)
			// Answer like an internal web server would, so a client that
			// got this far has something to read.
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(5 * time.Second))
				buf := make([]byte, 4096)
				n, _ := c.Read(buf)
				if os.Getenv("PINREADY_DEBUG_CHANNELS") != "" {
					fmt.Printf("127.0.0.2 heard %q\n", strings.SplitN(string(buf[:n]), "\n", 2)[0])
				}
				io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 21\r\n\r\nINTERNAL-ONLY-SECRETS")
			}()
		}
	}()
	ul, err := net.ListenPacket("udp4", "127.0.0.2:0")
	if err != nil {
		t.Fatalf("listen on udp 127.0.0.2: %v", err)
	}
	t.Cleanup(func() { ul.Close() })
	p.udpPort = ul.LocalAddr().(*net.UDPAddr).Port
	go func() {
		buf := make([]byte, 65536)
		for {
			if _, _, err := ul.ReadFrom(buf); err != nil {
				return
			}
			p.packets.Add(1)
		}
	}()
	return p
}

func (p *privateListeners) reached() string {
	if c, u := p.conns.Load(), p.packets.Load(); c+u > 0 {
		return fmt.Sprintf("%d TCP connections and %d UDP datagrams reached 127.0.0.2", c, u)
	}
	return ""
}

// channelPages are hostile pages, one per way a page can make the browser
// connect somewhere: each aims at the private listeners (%[1]d is the TCP
// port, %[2]d the UDP port) and sets document.title to "done" once its
// attempts have run their course. %[3]s is the page's own origin.
var channelPages = map[string]string{
	"speculation-prefetch": `<title>loading</title>
<script type="speculationrules">{"prefetch": [{"source": "list", "urls": ["http://127.0.0.2:%[1]d/prefetch", "http://127.0.0.2:%[1]d/prefetch2?x"]}]}</script>
<a href="http://127.0.0.2:%[1]d/prefetch">next</a>
<script>setTimeout(() => document.title = "done", 1500)</script>`,
	"speculation-prerender": `<title>loading</title>
<script type="speculationrules">{"prerender": [{"source": "list", "urls": ["http://127.0.0.2:%[1]d/prerender"]}]}</script>
<script>setTimeout(() => document.title = "done", 1500)</script>`,
	"speculation-document-rules": `<title>loading</title>
<script type="speculationrules">{"prefetch": [{"source": "document", "eagerness": "immediate", "where": {"href_matches": "/*"}}], "prerender": [{"source": "document", "eagerness": "immediate", "where": {"href_matches": "/*"}}]}</script>
<a href="http://127.0.0.2:%[1]d/doc-rule">a link</a>
<script>setTimeout(() => document.title = "done", 1500)</script>`,
	"preconnect": `<title>loading</title>
<link rel="preconnect" href="http://127.0.0.2:%[1]d">
<link rel="preconnect" href="https://127.0.0.2:%[1]d" crossorigin>
<link rel="dns-prefetch" href="http://127.0.0.2:%[1]d">
<script>
const l = document.createElement("link"); l.rel = "preconnect"; l.href = "http://127.0.0.2:%[1]d/late"; document.head.appendChild(l);
setTimeout(() => document.title = "done", 1500)</script>`,
	"websocket": `<title>loading</title>
<script>
let pending = 2;
const settle = () => { if (--pending === 0) document.title = "done" };
for (const u of ["ws://127.0.0.2:%[1]d/", "wss://127.0.0.2:%[1]d/"]) {
  const ws = new WebSocket(u); ws.onerror = settle; ws.onopen = settle;
}
</script>`,
	"webrtc": `<title>loading</title>
<script>
(async () => {
  const servers = [
    {urls: "stun:127.0.0.2:%[2]d"},
    {urls: "turn:127.0.0.2:%[2]d?transport=udp", username: "u", credential: "p"},
    {urls: "turn:127.0.0.2:%[1]d?transport=tcp", username: "u", credential: "p"},
  ];
  const a = new RTCPeerConnection({iceServers: servers, iceCandidatePoolSize: 2});
  const b = new RTCPeerConnection();
  a.createDataChannel("x");
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription);
  // A remote peer on the private network: ICE connectivity checks would
  // go to it over UDP, and to its TCP candidate.
  for (const c of [
    "candidate:1 1 udp 2122260223 127.0.0.2 %[2]d typ host",
    "candidate:2 1 tcp 1518280447 127.0.0.2 %[1]d typ host tcptype passive",
  ]) {
    try { await a.addIceCandidate({candidate: c, sdpMid: "0", sdpMLineIndex: 0}) } catch (e) {}
  }
  setTimeout(() => document.title = "done", 2500);
})().catch(() => document.title = "done");
</script>`,
	"webtransport": `<title>loading</title>
<script>
try {
  const wt = new WebTransport("https://127.0.0.2:%[2]d/");
  wt.closed.catch(() => {}).finally(() => setTimeout(() => document.title = "done", 300));
  wt.ready.catch(() => {});
} catch (e) { document.title = "done" }
setTimeout(() => document.title = "done", 3000);
</script>`,
	"http-apis": `<title>loading</title>
<a id="pinged" href="/" ping="http://127.0.0.2:%[1]d/ping">link</a>
<script>
navigator.sendBeacon("http://127.0.0.2:%[1]d/beacon", "x");
new EventSource("http://127.0.0.2:%[1]d/events");
fetch("http://127.0.0.2:%[1]d/fetch", {mode: "no-cors", keepalive: true}).catch(() => {});
new Worker(URL.createObjectURL(new Blob(['fetch("http://127.0.0.2:%[1]d/worker").catch(() => {})'])));
const f = document.createElement("iframe"); f.src = "http://127.0.0.2:%[1]d/frame"; document.body.appendChild(f);
setTimeout(() => document.title = "done", 1500);
</script>`,
}

// No channel a page can open reaches an address the policy refuses: not
// the requests Chromium's request interception sees, and not what it does
// not see (speculation rules, preconnect, WebSocket, WebRTC, WebTransport).
// The page the user meant still loads, and its WebSocket to its own host
// still works.
func TestEgressEveryChannel(t *testing.T) {
	browsertest.Require(t)
	var ownSockets atomic.Int32
	mux := http.NewServeMux()
	mux.Handle("/own-ws", websocket.Handler(func(c *websocket.Conn) {
		ownSockets.Add(1)
		io.WriteString(c, "hello")
		c.Close()
	}))
	var served atomic.Value
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, served.Load().(string))
	})
	public := httptest.NewServer(mux)
	defer public.Close()
	_, port, _ := net.SplitHostPort(public.Listener.Addr().String())
	// A name under .localhost: the page is a secure context, where every
	// API a page may use is open to it (WebTransport among them).
	m, err := resolve.ParseAll([]string{"public.localhost:" + port + ":127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	origin := "http://public.localhost:" + port
	every := []string{"speculation-prefetch", "speculation-prerender", "speculation-document-rules",
		"preconnect", "websocket", "webrtc", "webtransport", "http-apis"}
	variants := []struct {
		name     string
		profile  string
		channels []string
	}{
		{"temporary-profile", "", every},
		// A profile the user gave keeps its own preferences (network
		// prediction on): the proxy alone holds what prediction would try.
		{"user-profile", t.TempDir(), []string{"speculation-prefetch", "speculation-prerender", "preconnect", "http-apis"}},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			b := browsertest.Launch(t, browser.Options{Resolve: m, Egress: egress.New(egress.Options{Resolve: m}), ProfileDir: v.profile})
			for _, name := range v.channels {
				t.Run(name, func(t *testing.T) {
					priv := listenPrivate(t)
					html := fmt.Sprintf(channelPages[name], priv.tcpPort, priv.udpPort, origin)
					if name == "websocket" {
						// The page's WebSocket to its own host must still open.
						html += `<script>const own = new WebSocket("ws://" + location.host + "/own-ws");</script>`
					}
					served.Store(html)
					tab, cancel, err := b.NewTab()
					if err != nil {
						t.Fatal(err)
					}
					defer cancel()
					ctx, cancelT := context.WithTimeout(tab, testenv.Hang)
					defer cancelT()
					res, err := chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: origin + "/" + name})
					if err != nil || res.ErrorText != "" {
						t.Fatalf("the public page did not load: %v %s", err, res.ErrorText)
					}
					// The page's attempts run their course (its title says
					// so); any of them that got through has connected by then.
					if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.title === "done"`)); err != nil {
						t.Fatalf("the page did not finish its attempts: %v", err)
					}
					if name == "websocket" {
						if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`own.readyState >= 1`)); err != nil || ownSockets.Load() == 0 {
							t.Errorf("the page's WebSocket to its own host did not open (%v)", err)
						}
					}
					time.Sleep(300 * time.Millisecond)
					if r := priv.reached(); r != "" {
						t.Error(r)
					}
				})
			}
		})
	}
}

// DNS rebinding: the policy's check of a request heard a public answer for
// its host, but the host resolves to loopback when the connection is made.
// Chromium resolves nothing itself: the proxy dials the host, checking the
// address it really connects to, so nothing reaches the listener. (Played
// here with "localhost", which the check is told is public.)
func TestEgressNoRebinding(t *testing.T) {
	browsertest.Require(t)
	var hits atomic.Int32
	local := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		io.WriteString(w, "INTERNAL-ONLY-SECRETS")
	}))
	defer local.Close()
	_, localPort, _ := net.SplitHostPort(local.Listener.Addr().String())
	public := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<title>public</title><img src="http://localhost:%s/pixel.png">
<script>fetch("http://localhost:%s/api").then(() => document.title = "fetched", () => document.title = "refused")</script>`, localPort, localPort)
	}))
	defer public.Close()
	_, port, _ := net.SplitHostPort(public.Listener.Addr().String())
	m, err := resolve.ParseAll([]string{"public.test:" + port + ":127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	policy := egress.New(egress.Options{Resolve: m, Lookup: func(context.Context, string) ([]netip.Addr, error) {
		return []netip.Addr{netip.MustParseAddr("93.184.216.34")}, nil
	}})
	b := browsertest.Launch(t, browser.Options{Resolve: m, Egress: policy})
	tab, cancel, err := b.NewTab()
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()
	ctx, cancelT := context.WithTimeout(tab, testenv.Hang)
	defer cancelT()
	if err := chromedp.Do(ctx, chromedp.Navigate("http://public.test:"+port+"/")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.title !== "public"`)); err != nil {
		t.Fatal(err)
	}
	title, _ := chromedp.Run(ctx, chromedp.Title())
	if n := hits.Load(); n != 0 || title != "refused" {
		t.Errorf("%d requests reached the loopback server (the page's fetch: %s)", n, title)
	}
}
