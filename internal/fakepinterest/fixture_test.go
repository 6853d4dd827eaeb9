package fakepinterest

import (
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	trialApp = App{ID: "1500001", Secret: "trial-secret", Name: "Acme Pin Planner",
		RedirectURIs: []string{"http://acme-pins.test/oauth/callback"}, Access: AccessTrial}
	standardApp = App{ID: "1500002", Secret: "standard-secret", Name: "Grown-up Planner",
		RedirectURIs: []string{"https://planner.test/cb", "http://localhost:8085/"}, Access: AccessStandard}
)

// fakeClock is a settable clock for expiry tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fixture is a fake Pinterest on a loopback listener and a client that never
// follows redirects, so tests see every Location.
type fixture struct {
	t      *testing.T
	srv    *Server
	url    string
	clock  *fakeClock
	client *http.Client
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clock := &fakeClock{t: time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)}
	srv, err := New(Options{
		Apps:  []App{trialApp, standardApp},
		Clock: clock.now,
		Rand:  rand.NewChaCha8([32]byte{7}),
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &fixture{t: t, srv: srv, url: ts.URL, clock: clock, client: &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// do sends a request to the listener with the given Host header and returns
// the response with its body read.
func (f *fixture) do(method, host, path string, body io.Reader, header http.Header) (*http.Response, string) {
	f.t.Helper()
	req, err := http.NewRequest(method, f.url+path, body)
	if err != nil {
		f.t.Fatal(err)
	}
	req.Host = host
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := f.client.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	return resp, string(b)
}

func authorizeQuery(app App, scope, state string) url.Values {
	q := url.Values{"client_id": {app.ID}, "redirect_uri": {app.RedirectURIs[0]}, "response_type": {"code"}, "scope": {scope}}
	if state != "" {
		q.Set("state", state)
	}
	return q
}

var consentField = regexp.MustCompile(`name="consent" value="([0-9a-f]+)"`)

// answer opens the consent page for q and submits action ("allow" or
// "cancel"), returning the redirect's Location.
func (f *fixture) answer(q url.Values, action string) *url.URL {
	f.t.Helper()
	resp, body := f.do("GET", DefaultWebHost, "/oauth/?"+q.Encode(), nil, nil)
	if resp.StatusCode != http.StatusOK {
		f.t.Fatalf("consent page: status %d: %s", resp.StatusCode, body)
	}
	m := consentField.FindStringSubmatch(body)
	if m == nil {
		f.t.Fatalf("consent page has no consent field:\n%s", body)
	}
	form := url.Values{"consent": {m[1]}, "action": {action}}
	resp, body = f.do("POST", DefaultWebHost, "/oauth/", strings.NewReader(form.Encode()), formHeader())
	if resp.StatusCode != http.StatusFound {
		f.t.Fatalf("consent answer: status %d, want 302: %s", resp.StatusCode, body)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		f.t.Fatal(err)
	}
	return loc
}

// code runs the authorize flow and returns a fresh authorization code.
func (f *fixture) code(app App, scope string) string {
	f.t.Helper()
	return f.answer(authorizeQuery(app, scope, "s"), "allow").Query().Get("code")
}

// token posts form to /v5/oauth/token with Basic id:secret (none if id is "").
func (f *fixture) token(host, id, secret string, form url.Values) (int, map[string]any) {
	f.t.Helper()
	h := formHeader()
	if id != "" {
		req := http.Request{Header: http.Header{}}
		req.SetBasicAuth(id, secret)
		h.Set("Authorization", req.Header.Get("Authorization"))
	}
	resp, body := f.do("POST", host, "/v5/oauth/token", strings.NewReader(form.Encode()), h)
	return resp.StatusCode, decode(f.t, body)
}

// accessToken runs the whole flow for app with scope and returns a pina_ token.
func (f *fixture) accessToken(app App, scope string) string {
	f.t.Helper()
	status, body := f.token(DefaultAPIHost, app.ID, app.Secret, url.Values{
		"grant_type": {"authorization_code"}, "code": {f.code(app, scope)}, "redirect_uri": {app.RedirectURIs[0]}})
	if status != http.StatusOK {
		f.t.Fatalf("token exchange: status %d: %v", status, body)
	}
	return body["access_token"].(string)
}

// api calls a v5 endpoint with a Bearer token and an optional JSON body.
func (f *fixture) api(method, host, path, token, jsonBody string) (int, map[string]any) {
	f.t.Helper()
	h := http.Header{"Authorization": {"Bearer " + token}, "Content-Type": {"application/json"}}
	resp, body := f.do(method, host, path, strings.NewReader(jsonBody), h)
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		f.t.Errorf("%s %s: Content-Type %q, want application/json", method, path, ct)
	}
	return resp.StatusCode, decode(f.t, body)
}

func formHeader() http.Header {
	return http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
}

func decode(t *testing.T, body string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("response is not a JSON object: %v\n%s", err, body)
	}
	return m
}

// wantError checks a v5 error body.
func wantError(t *testing.T, status int, body map[string]any, wantStatus, wantCode int) {
	t.Helper()
	if status != wantStatus || body["code"] != float64(wantCode) {
		t.Fatalf("got status %d body %v, want status %d code %d", status, body, wantStatus, wantCode)
	}
	if msg, _ := body["message"].(string); msg == "" {
		t.Errorf("error body has no message: %v", body)
	}
}
