package privacy

import (
	"bytes"
	"compress/gzip"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// fixtureHosts are the names the fixtures are served under; every one maps
// to loopback through resolve.Map, for the HTTP client and for Chromium.
var fixtureHosts = []string{"acme.test", "www.acme.test", "acme-legal.test", "creme-pins.test", "docs.google.com"}

// testCA issues the certificate of the HTTPS fixture server, so that the
// good policies pass privacy.https for real.
type testCA struct {
	pool *x509.CertPool
	leaf tls.Certificate
}

func newTestCA(hosts []string) (*testCA, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	ca := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "pinready test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	caCert, _ := x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	leaf := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: hosts[0]}, DNSNames: hosts,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	return &testCA{pool: pool, leaf: tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: key}}, nil
}

// fixtures serves testdata/privacy and the hostile behaviours that files
// cannot express. It counts what it sends so tests can prove a huge page was
// not read in full.
type fixtures struct {
	dir        string
	port       string // the HTTPS server's, for links inside pages
	hugeBytes  atomic.Int64
	mu         sync.Mutex
	busy       map[string]int // /busy-once?key=K: requests seen per key
	bombOnce   sync.Once
	bomb       []byte
	silentConn []net.Conn
}

// hugeSize is the size of /huge: far past max_body_bytes.
const hugeSize = 40 << 20

func (f *fixtures) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/" || p == "/home":
		home := f.file("home.html")
		if pol := r.URL.Query().Get("policy"); pol != "" {
			home = strings.ReplaceAll(home, `href="/privacy"`, fmt.Sprintf("href=%q", pol))
		}
		if name := r.URL.Query().Get("name"); name != "" {
			home = strings.ReplaceAll(home, "Acme Pin Planner", name)
		}
		f.html(w, r, 200, home)
	case strings.HasPrefix(p, "/home-"):
		f.html(w, r, 200, f.file(strings.TrimPrefix(p, "/")+".html"))
	case p == "/privacy":
		f.html(w, r, 200, f.file("policy-legal.html"))
	case p == "/privacy-policy" || p == "/privacy-policy/":
		http.Redirect(w, r, "/privacy", http.StatusMovedPermanently)
	case p == "/plain":
		// The charset is only in the page's <meta>: the fetcher must find it.
		f.html(w, r, 200, f.file("policy-plain.html"))
	case p == "/sections":
		f.html(w, r, 200, f.file("policy-sections.html"))
	case p == "/spa/privacy":
		f.html(w, r, 200, f.file("policy-spa.html"))
	case p == "/spa/policy.json":
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(f.file("policy-spa.json")))
	case strings.HasPrefix(p, "/document/d/e/"):
		f.html(w, r, 200, f.file("policy-docs.html"))
	case p == "/template":
		f.html(w, r, 200, f.file("policy-template.html"))
	case p == "/terms":
		f.html(w, r, 200, f.file("terms.html"))
	case p == "/thin":
		f.html(w, r, 200, f.file("policy-thin.html"))
	case p == "/short":
		f.html(w, r, 200, f.file("policy-short.html"))
	case p == "/template-short":
		f.html(w, r, 200, f.file("policy-template-short.html"))
	case p == "/legal":
		f.html(w, r, 200, f.file("legal.html"))
	case p == "/cookie-wall":
		f.html(w, r, 200, f.file("cookie-wall.html"))
	case p == "/challenge":
		w.Header().Set("cf-mitigated", "challenge")
		f.html(w, r, http.StatusForbidden, f.file("challenge.html"))
	case p == "/members/privacy":
		http.Redirect(w, r, "/login?next=%2Fmembers%2Fprivacy", http.StatusFound)
	case p == "/login":
		f.html(w, r, 200, f.file("login.html"))
	case p == "/password":
		f.html(w, r, 200, f.file("password.html"))
	case p == "/basic":
		w.Header().Set("WWW-Authenticate", `Basic realm="Acme staff"`)
		http.Error(w, "Unauthorized", http.StatusUnauthorized)
	case p == "/forbidden":
		f.html(w, r, http.StatusForbidden, "<!DOCTYPE html><title>403 Forbidden</title><h1>Forbidden</h1><p>You don't have permission to access this resource.</p>")
	case p == "/bot-gate":
		if c, err := r.Cookie("js_ok"); err == nil && c.Value == "1" {
			f.html(w, r, 200, f.file("policy-legal.html"))
			return
		}
		f.html(w, r, http.StatusForbidden, f.file("bot-gate.html"))
	case p == "/policy.pdf":
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte(f.file("policy.pdf")))
	case p == "/loop/a":
		http.Redirect(w, r, "/loop/b", http.StatusFound)
	case p == "/loop/b":
		http.Redirect(w, r, "/loop/a", http.StatusFound)
	case strings.HasPrefix(p, "/hops/"):
		var n int
		fmt.Sscan(strings.TrimPrefix(p, "/hops/"), &n)
		http.Redirect(w, r, fmt.Sprintf("/hops/%d", n+1), http.StatusFound)
	case p == "/huge":
		f.huge(w)
	case p == "/slow":
		f.slow(w, r)
	case p == "/busy-once":
		f.mu.Lock()
		f.busy[r.URL.Query().Get("key")]++
		n := f.busy[r.URL.Query().Get("key")]
		f.mu.Unlock()
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		f.html(w, r, 200, f.file("policy-legal.html"))
	case p == "/busy-forever":
		w.Header().Set("Retry-After", "3600")
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
	case p == "/gzip-bomb":
		f.bombOnce.Do(f.makeBomb)
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(f.bomb)
	case p == "/hang":
		f.html(w, r, 200, f.file("hang.html"))
	default:
		http.NotFound(w, r)
	}
}

func (f *fixtures) file(name string) string {
	b, err := os.ReadFile(filepath.Join(f.dir, name))
	if err != nil {
		panic(err)
	}
	return strings.ReplaceAll(string(b), "{{PORT}}", f.port)
}

// html sends a page gzip-compressed when the client accepts it, as real
// servers do, so every test also exercises the fetcher's decoding.
func (f *fixtures) html(w http.ResponseWriter, r *http.Request, status int, body string) {
	w.Header().Set("Content-Type", "text/html")
	if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		w.WriteHeader(status)
		w.Write([]byte(body))
		return
	}
	w.Header().Set("Content-Encoding", "gzip")
	w.WriteHeader(status)
	gz := gzip.NewWriter(w)
	gz.Write([]byte(body))
	gz.Close()
}

// huge streams the legal policy followed by 40 MB of markup, counting bytes
// until the client hangs up.
func (f *fixtures) huge(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	page := f.file("policy-legal.html")
	head, tail, _ := strings.Cut(page, "</article>")
	n, _ := w.Write([]byte(head + "</article>"))
	f.hugeBytes.Add(int64(n))
	chunk := []byte("<div class=\"ad-slot\" data-x=\"" + strings.Repeat("0", 4000) + "\"></div>\n")
	for sent := 0; sent < hugeSize; sent += len(chunk) {
		n, err := w.Write(chunk)
		f.hugeBytes.Add(int64(n))
		if err != nil {
			return
		}
	}
	w.Write([]byte(tail))
}

// slow sends its headers, then one byte every 100 ms for ever.
func (f *fixtures) slow(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(200)
	for {
		if _, err := w.Write([]byte(" ")); err != nil {
			return
		}
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// makeBomb compresses 64 MB of HTML comment into about 64 KB.
func (f *fixtures) makeBomb() {
	var b bytes.Buffer
	gz, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	gz.Write([]byte("<!DOCTYPE html><title>Privacy</title><!--"))
	pad := bytes.Repeat([]byte(" "), 1<<20)
	for i := 0; i < 64; i++ {
		gz.Write(pad)
	}
	gz.Write([]byte("--></html>"))
	gz.Close()
	f.bomb = b.Bytes()
}

// silent accepts connections and never answers them.
func (f *fixtures) silent(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		f.mu.Lock()
		f.silentConn = append(f.silentConn, c)
		f.mu.Unlock()
	}
}
