package oauthflow

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pinready/pinready/checks"
)

// sessionApp is modelled on Auth.js' documented way of giving the front end
// the provider's access token: the callback exchanges the code on the
// server and keeps the tokens in a session; the page script then fetches
// /api/auth/session, whose JSON carries "accessToken" when the app copies
// it there in its session callback. No URL, page text, storage or cookie
// ever shows the token.
type sessionApp struct {
	w    *world
	leak bool // copy the access token into the session JSON

	mu       sync.Mutex
	state    string
	sessions map[string]string // session cookie -> access token
}

func (a *sessionApp) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		writePage(w, `<h1>Acme Pin Planner</h1><p><a id="connect-pinterest" href="/api/auth/signin/pinterest">Connect Pinterest</a></p>`)
	})
	mux.HandleFunc("GET /api/auth/signin/pinterest", func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		a.state = fmt.Sprintf("%x", time.Now().UnixNano()) + "-state-0123456789"
		state := a.state
		a.mu.Unlock()
		q := url.Values{"client_id": {clientID}, "redirect_uri": {a.w.redirect}, "response_type": {"code"},
			"scope": {"boards:read,pins:read"}, "state": {state}}
		http.Redirect(w, r, a.w.authorize+"?"+q.Encode(), http.StatusFound)
	})
	mux.HandleFunc("GET /oauth/callback", func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		want := a.state
		a.mu.Unlock()
		code := r.URL.Query().Get("code")
		if r.URL.Query().Get("state") != want || code == "" {
			http.Error(w, "state mismatch", http.StatusBadRequest)
			return
		}
		token, err := a.exchange(r, code)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		sid := fmt.Sprintf("s%d", time.Now().UnixNano())
		a.mu.Lock()
		if a.sessions == nil {
			a.sessions = map[string]string{}
		}
		a.sessions[sid] = token
		a.mu.Unlock()
		http.SetCookie(w, &http.Cookie{Name: "authjs.session-token", Value: sid, Path: "/", HttpOnly: true})
		http.Redirect(w, r, "/dashboard", http.StatusFound)
	})
	// The dashboard renders once the session is known, as useSession() does.
	mux.HandleFunc("GET /dashboard", func(w http.ResponseWriter, r *http.Request) {
		writePage(w, `<p id="who">Loading…</p><div id="app"></div><script>
fetch("/api/auth/session").then((r) => r.json()).then((s) => {
  document.getElementById("who").textContent = "Signed in as " + s.user.name;
  document.getElementById("app").innerHTML = "<h1>Your boards</h1><ul><li>Weeknight dinners</li></ul>";
});
</script>`)
	})
	mux.HandleFunc("GET /api/auth/session", func(w http.ResponseWriter, r *http.Request) {
		session := map[string]any{
			"user":    map[string]any{"name": "Ann", "email": "ann@acme.test", "image": nil},
			"expires": "2026-12-28T00:00:00.000Z",
		}
		if c, err := r.Cookie("authjs.session-token"); err == nil && a.leak {
			a.mu.Lock()
			session["accessToken"] = a.sessions[c.Value]
			a.mu.Unlock()
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(session)
	})
	return mux
}

// exchange trades the code for tokens at the fake Pinterest, server-side.
func (a *sessionApp) exchange(r *http.Request, code string) (string, error) {
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {a.w.redirect}}
	req, err := http.NewRequestWithContext(r.Context(), "POST", "http://api.pinterest.test:"+a.w.fakePort+"/v5/oauth/token", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(clientID, clientSecret)
	res, err := testClient(10 * time.Second).Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var tok struct {
		Access string `json:"access_token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&tok); err != nil || tok.Access == "" {
		return "", fmt.Errorf("token endpoint answered %s: %v", res.Status, err)
	}
	return tok.Access, nil
}

// An app whose page script fetches a session JSON carrying the access token
// fails oauth.token-exposure, and the finding names the endpoint and the
// JSON path; the trace holds no token.
func TestDriveSessionEndpointLeaksToken(t *testing.T) {
	t.Parallel()
	app := &sessionApp{leak: true}
	w := newWorld(t, "session.test", func(w *world) http.Handler { app.w = w; return app.handler() })
	cfg := w.config("")
	tr := w.drive(cfg, Options{})
	fs := findingsOf(t, cfg, tr)
	want(t, fs, "oauth.token-exposure", checks.StatusFail, "fetch/XHR response GET /api/auth/session → $.accessToken")
	want(t, fs, "demo.live-integration", checks.StatusPass, "Your boards")
	tokens := w.fake.IssuedTokens()
	if len(tokens) == 0 {
		t.Fatal("the app never got a token: the test proves nothing")
	}
	raw, _ := json.Marshal(tr)
	msg := fs["oauth.token-exposure"].Message
	for _, tok := range tokens {
		if strings.Contains(string(raw), tok) || strings.Contains(msg, tok) {
			t.Errorf("the trace or the finding holds the issued token %s…", tok[:8])
		}
	}
	// The old inspection saw nothing: no URL, text, storage or cookie has it.
	for _, e := range tr.Exposures {
		if e.Where != "response" {
			t.Errorf("unexpected exposure %+v", e)
		}
	}
}

// The same app without the token in its session passes, and the pass says
// what was searched.
func TestDriveSessionEndpointWithoutTokenPasses(t *testing.T) {
	t.Parallel()
	app := &sessionApp{}
	w := newWorld(t, "safe-session.test", func(w *world) http.Handler { app.w = w; return app.handler() })
	cfg := w.config("")
	tr := w.drive(cfg, Options{})
	want(t, findingsOf(t, cfg, tr), "oauth.token-exposure", checks.StatusPass, "1 fetch/XHR responses")
	if tr.Network.Documents < 2 {
		t.Errorf("HTML sources searched: %d, want the home page, the dashboard…", tr.Network.Documents)
	}
}

// A token handed to page scripts any other way is caught too: in a page's
// HTML source only (a framework's serialized props), in a WebSocket frame,
// in a message a popup posts to its opener.
func TestDriveNetworkExposures(t *testing.T) {
	const (
		hidden = "pina_HIDDENTOKEN1234567890"
		socket = "pinr_SOCKETTOKEN1234567890"
		posted = "pina_POSTEDTOKEN1234567890"
	)
	cases := []struct {
		name, host string
		app        func(a *badApp) http.Handler
		msg        string
	}{
		{
			name: "serialized props in the HTML", host: "nextdata.test",
			app: func(a *badApp) http.Handler {
				a.callback = boardsPage + `<script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{"session":{"accessToken":"` + hidden + `"}}}}</script>`
				return a.handler()
			},
			msg: "HTML source of GET /oauth/callback?code=",
		},
		{
			name: "WebSocket frame", host: "socket.test",
			app: func(a *badApp) http.Handler {
				a.callback = boardsPage + `<script>const ws = new WebSocket("ws://" + location.host + "/live"); ws.onmessage = (e) => { document.title = "live"; };</script>`
				mux := http.NewServeMux()
				mux.Handle("/", a.handler())
				mux.HandleFunc("/live", func(w http.ResponseWriter, r *http.Request) {
					serveOneFrame(t, w, r, `{"event":"ready","session":{"refresh_token":"`+socket+`"}}`)
				})
				return mux
			},
			msg: "WebSocket frame of ws://socket.test:",
		},
		{
			name: "postMessage from a popup", host: "message.test",
			app: func(a *badApp) http.Handler {
				a.home = `<h1>Acme</h1><button id="connect-pinterest" onclick="window.open('/connect','pinterest','width=600,height=700')">Connect Pinterest</button>
<div id="boards"></div><script>window.addEventListener("message", (e) => { if (e.data && e.data.type === "connected") document.getElementById("boards").innerHTML = "<h1>Your boards</h1>"; });</script>`
				a.callback = `<p>Connected.</p><script>fetch("/token").then((r) => r.text()).then((t) => { window.opener.postMessage({type: "connected", accessToken: t}, location.origin); setTimeout(() => window.close(), 300); });</script>`
				mux := http.NewServeMux()
				mux.Handle("/", a.handler())
				mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/plain")
					fmt.Fprint(w, posted)
				})
				return mux
			},
			msg: "postMessage from http://message.test:",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			a := &badApp{}
			w := newWorld(t, c.host, func(w *world) http.Handler { a.w = w; return c.app(a) })
			cfg := w.config("")
			tr := w.drive(cfg, Options{})
			fs := findingsOf(t, cfg, tr)
			want(t, fs, "oauth.token-exposure", checks.StatusFail, c.msg)
			raw, _ := json.Marshal(tr)
			for _, tok := range []string{hidden, socket, posted} {
				if strings.Contains(string(raw), tok[5:]) || strings.Contains(fs["oauth.token-exposure"].Message, tok[5:]) {
					t.Errorf("the trace or the finding holds %s", tok)
				}
			}
			if t.Failed() {
				j, _ := json.MarshalIndent(tr.Exposures, "", " ")
				t.Logf("exposures: %s\nnetwork: %+v", j, tr.Network)
			}
		})
	}
}

// serveOneFrame answers a WebSocket handshake (RFC 6455) and sends one text
// frame, then holds the connection until the client goes.
func serveOneFrame(t *testing.T, w http.ResponseWriter, r *http.Request, text string) {
	key := r.Header.Get("Sec-WebSocket-Key")
	h, ok := w.(http.Hijacker)
	if key == "" || !ok {
		http.Error(w, "not a WebSocket handshake", http.StatusBadRequest)
		return
	}
	sum := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	conn, buf, err := h.Hijack()
	if err != nil {
		t.Error(err)
		return
	}
	defer conn.Close()
	fmt.Fprintf(buf, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n",
		base64.StdEncoding.EncodeToString(sum[:]))
	if len(text) > 125 {
		t.Error("frame too long for the one-byte length")
		return
	}
	buf.Write([]byte{0x81, byte(len(text))})
	buf.WriteString(text)
	if err := buf.Flush(); err != nil {
		return
	}
	// Read until the browser closes: the page keeps the socket open.
	conn.SetReadDeadline(time.Now().Add(time.Minute))
	bufio.NewReader(conn).ReadByte()
}

// value: typed into a password input (here named #pw, so the config check
// cannot know) is refused before anything is typed: a config error, exit
// 2, that names the step and points at value_env.
func TestDriveRefusesLiteralPassword(t *testing.T) {
	t.Parallel()
	app := &badApp{home: `<h1>Acme</h1><form onsubmit="return false"><label>Email <input id="email"></label>
<label>Your key <input id="pw" type="password"></label></form><p><a id="connect-pinterest" href="/connect">Connect Pinterest</a></p>`}
	w := newWorld(t, "literal.test", func(w *world) http.Handler { app.w = w; return app.handler() })
	cfg := w.config("  steps:\n    - fill: \"#email\"\n      value: ann@acme.test\n    - fill: \"#pw\"\n      value: hunter2-in-clear\n")
	o := Options{Browser: needBrowser(t), Timeout: 10 * time.Second, EvidenceDir: t.TempDir()}
	tr, err := Drive(t.Context(), cfg, o)
	var ce *checks.ConfigError
	if !errors.As(err, &ce) || tr != nil {
		t.Fatalf("Drive = %v, %v; want a *checks.ConfigError", tr, err)
	}
	if ce.Field != "oauth.steps[1].value" || ce.Line != cfg.Line("oauth.steps[1].value") || ce.Line == 0 ||
		!strings.Contains(ce.Msg, "password input") || !strings.Contains(ce.Msg, "value_env") {
		t.Errorf("error %q (field %s, line %d), want a config error (exit 2) at oauth.steps[1].value pointing at value_env", err, ce.Field, ce.Line)
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("the error repeats the secret: %v", err)
	}
}
