package sampleapp_test

import (
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/pinready/pinready/internal/fakepinterest"
	"github.com/pinready/pinready/internal/sampleapp"
	"github.com/pinready/pinready/internal/testkit"
)

const (
	clientID     = "1500001"
	clientSecret = "acme-app-secret-7f3a9c"
)

// world is the sample app and the fake Pinterest on loopback listeners,
// reached under their .test host names, and a browser-like client.
type world struct {
	t        *testing.T
	fake     *fakepinterest.Server
	appURL   string // http://acme-pins.test:PORT
	fakePort string
	browser  *http.Client
	seen     *recorder
}

// newWorld starts both servers. apiHost is the host the app sends its API
// calls to (the sandbox, unless a test wants production).
func newWorld(t *testing.T, access, apiHost string) *world {
	return newStackWorld(t, access, apiHost, sampleapp.StackGo)
}

// newStackWorld is newWorld with the app built like stack.
func newStackWorld(t *testing.T, access, apiHost, stack string) *world {
	t.Helper()
	appTS := httptest.NewUnstartedServer(nil)
	_, appPort, _ := net.SplitHostPort(appTS.Listener.Addr().String())
	appURL := "http://acme-pins.test:" + appPort
	callback := appURL + "/oauth/callback"
	if stack == sampleapp.StackAuthJS {
		callback = appURL + sampleapp.AuthJSCallbackPath
	}
	fake, err := fakepinterest.New(fakepinterest.Options{Apps: []fakepinterest.App{{
		ID: clientID, Secret: clientSecret, Name: "Acme Pin Planner",
		RedirectURIs: []string{callback}, Access: access,
	}}})
	if err != nil {
		t.Fatal(err)
	}
	fakeTS := httptest.NewServer(fake)
	t.Cleanup(fakeTS.Close)
	_, fakePort, _ := net.SplitHostPort(fakeTS.Listener.Addr().String())

	appTS.Config.Handler = sampleapp.New(sampleapp.Options{
		ClientID:     clientID,
		ClientSecret: clientSecret,
		RedirectURI:  callback,
		Stack:        stack,
		AuthorizeURL: "http://" + fakepinterest.DefaultWebHost + ":" + fakePort + "/oauth/",
		APIBase:      "http://" + apiHost + ":" + fakePort,
		HTTPClient:   &http.Client{Transport: testkit.Transport(testkit.LoopbackResolve())},
	})
	appTS.Start()
	t.Cleanup(appTS.Close)

	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	seen := &recorder{next: testkit.Transport(testkit.LoopbackResolve())}
	return &world{t: t, fake: fake, appURL: appURL, fakePort: fakePort, seen: seen,
		browser: &http.Client{Jar: jar, Transport: seen}}
}

// get and post return the final response (after redirects) and its body.
func (w *world) get(u string) (*http.Response, string) {
	w.t.Helper()
	resp, err := w.browser.Get(u)
	return w.read(resp, err)
}

func (w *world) post(u string, form url.Values) (*http.Response, string) {
	w.t.Helper()
	resp, err := w.browser.PostForm(u, form)
	return w.read(resp, err)
}

func (w *world) read(resp *http.Response, err error) (*http.Response, string) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		w.t.Fatal(err)
	}
	return resp, string(b)
}

// noRedirects is the browser's client, stopping at the first response.
func (w *world) noRedirects() *http.Client {
	c := *w.browser
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

var (
	consentField = regexp.MustCompile(`name="consent" value="([^"]+)"`)
	csrfField    = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
)

func field(t *testing.T, re *regexp.Regexp, body string) string {
	t.Helper()
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no %s in page:\n%s", re, body)
	}
	return m[1]
}

// connect walks homepage → Connect Pinterest → consent → the given answer,
// and returns the final response: the callback page.
func (w *world) connect(action string) (*http.Response, string) {
	w.t.Helper()
	_, home := w.get(w.appURL + "/")
	if !strings.Contains(home, `id="connect-pinterest" href="/connect"`) {
		w.t.Fatalf("homepage has no Connect Pinterest link:\n%s", home)
	}
	resp, consent := w.get(w.appURL + "/connect")
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Host != fakepinterest.DefaultWebHost+":"+w.fakePort {
		w.t.Fatalf("Connect Pinterest ended at %s (%d), want the consent page:\n%s", resp.Request.URL, resp.StatusCode, consent)
	}
	form := url.Values{"consent": {field(w.t, consentField, consent)}, "action": {action}}
	return w.post(resp.Request.URL.Scheme+"://"+resp.Request.URL.Host+"/oauth/", form)
}

// recorder keeps everything the browser side saw: URLs, headers and bodies.
type recorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	seen []string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(strings.NewReader(string(b)))
	var sb strings.Builder
	sb.WriteString(req.Method + " " + req.URL.String() + "\n")
	req.Header.Write(&sb)
	resp.Header.Write(&sb)
	sb.Write(b)
	r.mu.Lock()
	r.seen = append(r.seen, sb.String())
	r.mu.Unlock()
	return resp, nil
}

func (r *recorder) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.seen...)
}
