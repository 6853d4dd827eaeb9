package privacy

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/browser/browsertest"
	"github.com/pinready/pinready/internal/resolve"
)

// Hostile servers the fixture server cannot play: each gets its own
// listener, reached as acme.test on its port. Every audit must end (within
// testenv.Hang, a hang detector) with the right findings and no panic; the
// findings say which of the audit's own deadlines ended a wait.

// hostileAudit audits policyURL with the given timeout and fails the test if
// the audit hangs.
func hostileAudit(t *testing.T, policyURL string, timeout time.Duration, render string, extra resolve.Map, roots *x509.CertPool) map[string]checks.Finding {
	t.Helper()
	b := shared
	if render == RenderNever {
		b = noBrowser(t)
	}
	cfg := acme()
	cfg.App.PrivacyPolicyURL = policyURL
	o := options(b)
	o.Timeout, o.Render = timeout, render
	o.Resolve = append(append(resolve.Map{}, resolveTo...), extra...)
	if roots != nil {
		o.roots = roots
	}
	fs, err := auditOrHang(t, cfg, testRules(t, nil), o)
	if err != nil {
		t.Fatalf("Audit: %v", err)
	}
	out := map[string]checks.Finding{}
	for _, f := range fs {
		out[f.Rule] = f
		if f.Status == checks.StatusError {
			t.Errorf("%s: status error: %s", f.Rule, f.Message)
		}
	}
	return out
}

// expect asserts rule statuses and message parts, logging every finding on failure.
func expect(t *testing.T, got map[string]checks.Finding, want map[string]want) {
	t.Helper()
	for id, w := range want {
		f := got[id]
		if f.Status != w.status || !strings.Contains(f.Message, w.msg) {
			t.Errorf("%s: %s %q, want %s containing %q", id, f.Status, f.Message, w.status, w.msg)
		}
	}
	if t.Failed() {
		for _, id := range Rules {
			t.Logf("  %-20s %-5s %s", id, got[id].Status, got[id].Message)
		}
	}
}

// ruleFor maps acme.test on l's port to loopback and returns the port's rule.
func ruleFor(t *testing.T, addr net.Addr) (string, resolve.Map) {
	t.Helper()
	_, port, _ := net.SplitHostPort(addr.String())
	return port, resolve.Map{{Host: "acme.test", Port: port, Addr: "127.0.0.1"}}
}

// A server that sends its status line, then one header byte a second.
func TestSlowlorisHeaders(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				// The request first: a status line written before it
				// arrives is, to Go's client, an unsolicited answer on an
				// idle connection (a loaded machine made that race).
				if _, err := http.ReadRequest(bufio.NewReader(c)); err != nil {
					return
				}
				if _, err := c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: ")); err != nil {
					return
				}
				for {
					time.Sleep(time.Second)
					if _, err := c.Write([]byte("a")); err != nil {
						return
					}
				}
			}()
		}
	}()
	port, rm := ruleFor(t, l.Addr())
	// The audit ends (hostileAudit's hang detector) on its own 2s deadline,
	// which its finding names: a byte a second never resets it.
	got := hostileAudit(t, "http://acme.test:"+port+"/privacy", 2*time.Second, RenderNever, rm, nil)
	expect(t, got, map[string]want{
		"privacy.reachable": {fail, "no complete answer within 2s"},
		"privacy.is-policy": {skip, "not reached: privacy.reachable failed"},
	})
}

// A 1 GB page is cut off after max_body_bytes: the server gets to send far
// less than the whole body before the client hangs up, and the policy at its
// start is still judged.
func TestGigabyteBody(t *testing.T) {
	t.Parallel()
	var sent atomic.Int64
	const size = 1 << 30
	head, _, _ := strings.Cut(fx.file("policy-legal.html"), "</article>")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", fmt.Sprint(size))
		n, _ := w.Write([]byte(head + "</article>"))
		sent.Add(int64(n))
		chunk := []byte("<p>" + strings.Repeat("padding ", 8190) + "</p>\n")
		for total := n; total < size; total += len(chunk) {
			n, err := w.Write(chunk[:min(len(chunk), size-total)])
			sent.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	port, rm := ruleFor(t, srv.Listener.Addr())
	got := hostileAudit(t, "http://acme.test:"+port+"/privacy", 3*time.Second, RenderNever, rm, nil)
	expect(t, got, map[string]want{
		"privacy.reachable": {pass, "judged on its first 5242880"},
		"privacy.is-policy": {pass, ""},
		"privacy.names-app": {pass, ""},
	})
	srv.CloseClientConnections()
	time.Sleep(100 * time.Millisecond)
	if n := sent.Load(); n > 64<<20 {
		t.Errorf("the server sent %d MB of the 1 GB page", n>>20)
	}
}

// Bytes that are not the declared charset: invalid UTF-8 in a UTF-8 page,
// and a windows-1252 page whose header claims UTF-8. Nothing panics and the
// content is judged; the garbled app name is reported as missing, as a
// reviewer's browser would show it garbled too.
func TestWrongCharsets(t *testing.T) {
	t.Parallel()
	invalid := strings.NewReplacer(". ", ".\xff\xfe ", "Acme ", "Acme \xc3\x28 ").Replace(fx.file("policy-legal.html"))
	plain := fx.file("policy-plain.html") // windows-1252 bytes, charset only in <meta>
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/invalid-utf8":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(invalid))
		case "/claims-utf8":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(plain))
		case "/unknown-charset":
			w.Header().Set("Content-Type", "text/html; charset=x-klingon")
			w.Write([]byte(fx.file("policy-legal.html")))
		}
	}))
	t.Cleanup(srv.Close)
	port, rm := ruleFor(t, srv.Listener.Addr())
	base := "http://acme.test:" + port
	t.Run("invalid UTF-8", func(t *testing.T) {
		got := hostileAudit(t, base+"/invalid-utf8", 3*time.Second, RenderNever, rm, nil)
		expect(t, got, map[string]want{"privacy.is-policy": {pass, ""}, "privacy.names-app": {pass, "Acme"}, "privacy.updated": {pass, ""}})
		for id, f := range got {
			if !utf8.ValidString(f.Message) || (f.Evidence != nil && !utf8.ValidString(f.Evidence.Excerpt)) {
				t.Errorf("%s: the report would carry invalid UTF-8: %q", id, f.Message)
			}
		}
	})
	t.Run("windows-1252 declared as UTF-8", func(t *testing.T) {
		got := hostileAudit(t, base+"/claims-utf8", 3*time.Second, RenderNever, rm, nil)
		expect(t, got, map[string]want{"privacy.is-policy": {pass, ""}, "privacy.reachable": {pass, ""}, "privacy.topics": {pass, ""}})
		if f := got["privacy.names-app"]; f.Status == skip || f.Status == checks.StatusError {
			t.Errorf("privacy.names-app was not judged: %s %s", f.Status, f.Message)
		}
	})
	t.Run("unknown charset", func(t *testing.T) {
		got := hostileAudit(t, base+"/unknown-charset", 3*time.Second, RenderNever, rm, nil)
		expect(t, got, map[string]want{"privacy.is-policy": {pass, ""}, "privacy.names-app": {pass, ""}})
	})
}

// tlsServer serves the legal policy over TLS with cert.
func tlsServer(t *testing.T, cert tls.Certificate) (string, resolve.Map) {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(fx.file("policy-legal.html")))
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.Config.ErrorLog = nil
	srv.StartTLS()
	t.Cleanup(srv.Close)
	port, rm := ruleFor(t, srv.Listener.Addr())
	return "https://acme.test:" + port + "/privacy", rm
}

// issue makes a certificate for acme.test valid from notBefore to notAfter,
// signed by parent (self-signed when parent is nil); it returns the
// certificate and a pool holding the signer.
func issue(t *testing.T, notBefore, notAfter time.Time, selfSigned bool) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leaf := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "acme.test"}, DNSNames: []string{"acme.test"},
		NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	pool := x509.NewCertPool()
	if selfSigned {
		der, err := x509.CreateCertificate(rand.Reader, leaf, leaf, &key.PublicKey, key)
		if err != nil {
			t.Fatal(err)
		}
		pool.AddCert(ca.poolCert(t)) // the trusted test CA, which did not sign this one
		return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
	}
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "expired-test CA"},
		NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(48 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	der, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	pool.AddCert(caCert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// poolCert is a stand-in trusted root for the self-signed case.
func (c *testCA) poolCert(t *testing.T) *x509.Certificate {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "some trusted CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return cert
}

// An expired and a self-signed certificate: privacy.https names the problem,
// the page is still read and judged, nothing crashes.
func TestBadCertificates(t *testing.T) {
	t.Parallel()
	expired, expiredRoots := issue(t, time.Now().Add(-60*24*time.Hour), time.Now().Add(-30*24*time.Hour), false)
	self, selfRoots := issue(t, time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour), true)
	for _, c := range []struct {
		name  string
		cert  tls.Certificate
		roots *x509.CertPool
		https string
	}{
		{"expired", expired, expiredRoots, "expired"},
		{"self-signed", self, selfRoots, "self-signed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			u, rm := tlsServer(t, c.cert)
			got := hostileAudit(t, u, 3*time.Second, RenderNever, rm, c.roots)
			t.Logf("privacy.https: %s", got["privacy.https"].Message)
			expect(t, got, map[string]want{
				"privacy.https":     {fail, c.https},
				"privacy.reachable": {fail, "certificate warning"},
				"privacy.is-policy": {pass, ""},
			})
		})
	}
}

// A download instead of a page: privacy.format fails, the content is not read.
func TestDownloadInsteadOfPage(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Disposition", `attachment; filename="privacy.html"`)
		w.Write([]byte(fx.file("policy-legal.html")))
	}))
	t.Cleanup(srv.Close)
	port, rm := ruleFor(t, srv.Listener.Addr())
	got := hostileAudit(t, "http://acme.test:"+port+"/privacy", 3*time.Second, RenderAuto, rm, nil)
	expect(t, got, map[string]want{
		"privacy.format":    {fail, "file download (Content-Disposition: attachment"},
		"privacy.reachable": {pass, ""},
		"privacy.renders":   {skip, "see privacy.format"},
		"privacy.is-policy": {skip, "pinready reads only HTML"},
	})
}

// A JavaScript policy that greets the visitor with alert(), confirm() and a
// beforeunload guard is still rendered and judged; one that alerts for ever
// ends at the timeout as a finding. Neither hangs the browser or the run.
func TestDialogsOnRenderedPolicy(t *testing.T) {
	browsertest.Require(t)
	t.Parallel()
	_, article, _ := strings.Cut(fx.file("policy-legal.html"), "<article")
	article, _, _ = strings.Cut(article, "</article>")
	policy, _ := json.Marshal("<article" + article + "</article>")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		script := `alert("We use cookies"); if (!confirm("Continue to the policy?")) { document.title = "Privacy Policy" }
window.addEventListener("beforeunload", e => { e.preventDefault(); e.returnValue = "Leave?" });
setTimeout(() => { alert("Still here?"); document.getElementById("app").innerHTML = ` + string(policy) + ` }, 200);`
		if r.URL.Path == "/alert-forever" {
			script = `setTimeout(() => { for (;;) alert("again") }, 100)`
		}
		fmt.Fprintf(w, `<!doctype html><html><head><title>Privacy Policy</title></head><body><div id="app">Loading…</div><script>%s</script></body></html>`, script)
	}))
	t.Cleanup(srv.Close)
	port, rm := ruleFor(t, srv.Listener.Addr())
	t.Run("alert, confirm and beforeunload", func(t *testing.T) {
		got := hostileAudit(t, "http://acme.test:"+port+"/dialogs", 3*time.Second, RenderAuto, rm, nil)
		expect(t, got, map[string]want{"privacy.renders": {pass, "JavaScript renders it"}, "privacy.is-policy": {pass, ""}})
	})
	t.Run("alert for ever", func(t *testing.T) {
		got := hostileAudit(t, "http://acme.test:"+port+"/alert-forever", 3*time.Second, RenderAuto, rm, nil)
		if f := got["privacy.renders"]; f.Status != fail {
			t.Errorf("privacy.renders: %s %q, want fail", f.Status, f.Message)
		}
	})
}
