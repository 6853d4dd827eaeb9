package privacy

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/browser"
	"github.com/pinready/pinready/internal/resolve"
	"github.com/pinready/pinready/internal/testenv"
)

// One set of servers and one browser serve the whole test binary.
var (
	fx         *fixtures
	ca         *testCA
	ports      *strings.Replacer // {tls} {http} {bad} {dead} → port numbers
	resolveTo  resolve.Map       // the HTTP client's: exact HOST:PORT rules
	browserMap resolve.Map       // the browser's: the fixture hosts on any port
	shared     *browser.Lazy     // started by the first test that needs rendering
)

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	var err error
	if ca, err = newTestCA(fixtureHosts); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fx = &fixtures{dir: "../testdata/privacy", busy: map[string]int{}}

	secure := httptest.NewUnstartedServer(fx) // HTTPS with a certificate the tests trust
	secure.TLS = &tls.Config{Certificates: []tls.Certificate{ca.leaf}}
	secure.StartTLS()
	defer secure.Close()
	plain := httptest.NewServer(fx) // plain HTTP
	defer plain.Close()
	untrusted := httptest.NewTLSServer(fx) // httptest's own certificate, for example.com
	defer untrusted.Close()
	silent, err := net.Listen("tcp", "127.0.0.1:0") // accepts and never answers
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer silent.Close()
	go fx.silent(silent)

	portOf := func(addr string) string { _, p, _ := net.SplitHostPort(addr); return p }
	p := map[string]string{
		"{tls}": portOf(secure.Listener.Addr().String()), "{http}": portOf(plain.Listener.Addr().String()),
		"{bad}": portOf(untrusted.Listener.Addr().String()), "{dead}": portOf(silent.Addr().String()),
	}
	fx.port = p["{tls}"]
	var pairs, rules []string
	for k, v := range p {
		pairs = append(pairs, k, v)
		for _, h := range fixtureHosts {
			rules = append(rules, h+":"+v+":127.0.0.1")
		}
	}
	ports = strings.NewReplacer(pairs...)
	if resolveTo, err = resolve.ParseAll(rules); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// The browser maps the fixture hosts on every port: some tests start
	// their servers after it.
	for _, h := range fixtureHosts {
		browserMap = append(browserMap, resolve.Rule{Host: h, Port: resolve.AnyPort, Addr: "127.0.0.1"})
	}
	shared = browser.NewLazy(context.Background(), browser.Options{Resolve: browserMap, IgnoreCertErrors: true})
	code := m.Run()
	if shared.Started() {
		b, _ := shared.Get()
		shared.Close()
		if n := len(b.Processes()); n > 0 {
			fmt.Fprintf(os.Stderr, "%d Chromium processes left behind\n", n)
			code = 1
		}
	}
	return code
}

// testRules is the embedded rules.yaml with the changes a test needs
// (parameters keyed "rule.param"). Rendering waits 1s instead of 3s to keep
// the suite fast.
func testRules(t *testing.T, set map[string]any) *checks.Ruleset {
	t.Helper()
	rs, err := checks.ReadRules("../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rs.Get("privacy.renders").Params["render_wait"] = "1s"
	for k, v := range set {
		id, param, _ := strings.Cut(k, ":")
		rs.Get(id).Params[param] = v
	}
	return rs
}

// acme is the config of the compliant sample app, on the HTTPS fixture server.
func acme() *checks.Config {
	return &checks.Config{File: "pinready.yaml", App: checks.App{
		Name: "Acme Pin Planner", Company: "Acme Inc.",
		Website:          ports.Replace("https://acme.test:{tls}/"),
		PrivacyPolicyURL: ports.Replace("https://acme.test:{tls}/privacy"),
	}}
}

// options are the audit's options for tests: the shared browser, the test
// CA, and the default timeout of each wait. A test of a wait that must run
// out sets a short one; every other wait ends on an event, and 15s leaves
// a busy machine's Chromium room to load and render a page.
func options(b *browser.Lazy) Options {
	return Options{Resolve: resolveTo, Browser: b, Timeout: 15 * time.Second, roots: ca.pool}
}

// auditOrHang runs Audit and fails the test if it does not end within
// testenv.Hang: a hang detector, which no busy machine reaches.
func auditOrHang(t *testing.T, cfg *checks.Config, rs *checks.Ruleset, o Options) ([]checks.Finding, error) {
	t.Helper()
	type result struct {
		fs  []checks.Finding
		err error
	}
	done := make(chan result, 1)
	go func() {
		fs, err := Audit(context.Background(), cfg, rs, o)
		done <- result{fs, err}
	}()
	select {
	case r := <-done:
		return r.fs, r.err
	case <-time.After(testenv.Hang):
		t.Fatalf("the audit of %s did not end within %s: pinready hangs", cfg.App.PrivacyPolicyURL, testenv.Hang)
		return nil, nil
	}
}

// noBrowser is a browser that fails the test if anything starts it.
func noBrowser(t *testing.T) *browser.Lazy {
	l := browser.NewLazy(context.Background(), browser.Options{Resolve: browserMap, IgnoreCertErrors: true})
	t.Cleanup(func() {
		if l.Started() {
			t.Error("the audit started a browser it did not need")
		}
		l.Close()
	})
	return l
}

var _ http.Handler = (*fixtures)(nil)
