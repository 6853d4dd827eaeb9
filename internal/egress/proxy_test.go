package egress

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/proxy"

	"github.com/pinready/pinready/internal/resolve"
	"github.com/pinready/pinready/internal/testenv"
)

// countingListener accepts on addr and counts connections; each one is
// answered with "hello".
func countingListener(t *testing.T, addr string) (port string, accepted *atomic.Int32) {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s here: %v", addr, err)
	}
	t.Cleanup(func() { l.Close() })
	accepted = &atomic.Int32{}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			io.WriteString(c, "hello")
			c.Close()
		}
	}()
	_, port, _ = net.SplitHostPort(l.Addr().String())
	return port, accepted
}

// The browser's proxy is the policy: a mapped host is reached at its
// address, an internal address is refused with SOCKS "not allowed" before
// any connection is made, and the refusal is logged like any other.
func TestProxyAppliesPolicy(t *testing.T) {
	port, mappedHits := countingListener(t, "127.0.0.1:0")
	privPort, privHits := countingListener(t, "127.0.0.2:0")
	m, _ := resolve.ParseAll([]string{"acme.test:" + port + ":127.0.0.1"})
	var refused atomic.Int32
	p := New(Options{Resolve: m, OnRefuse: func(Refusal) { refused.Add(1) }})
	x, err := p.ListenProxy()
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	d, err := proxy.SOCKS5("tcp", x.Addr(), nil, &net.Dialer{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	c, err := d.Dial("tcp", "acme.test:"+port)
	if err != nil {
		t.Fatalf("the mapped host through the proxy: %v", err)
	}
	got, _ := io.ReadAll(c)
	c.Close()
	if string(got) != "hello" || mappedHits.Load() != 1 {
		t.Errorf("the mapped host answered %q (%d connections)", got, mappedHits.Load())
	}
	for _, to := range []string{"127.0.0.2:" + privPort, "[::ffff:127.0.0.2]:" + privPort, "localhost:" + port} {
		if c, err := d.Dial("tcp", to); err == nil {
			c.Close()
			t.Errorf("%s: the proxy connected", to)
		} else if !bytes.Contains([]byte(err.Error()), []byte("not allowed")) {
			t.Errorf("%s: %v, want SOCKS's \"connection not allowed by ruleset\"", to, err)
		}
	}
	if n := privHits.Load(); n != 0 {
		t.Errorf("%d connections reached 127.0.0.2", n)
	}
	if refused.Load() < 3 {
		t.Errorf("the policy heard %d refusals, want 3", refused.Load())
	}
	// Chromium hears every failure as one SOCKS error: the proxy keeps the
	// cause for the browser to tell.
	var re *RefusedError
	if err := x.Failure("127.0.0.2:" + privPort); !errors.As(err, &re) {
		t.Errorf("the cause of a refusal: %v, want a *RefusedError", err)
	}
	if c, err := d.Dial("tcp", "no-such-host.invalid:80"); err == nil {
		c.Close()
		t.Error("a name that does not resolve was connected")
	}
	var dnsErr *net.DNSError
	if err := x.Failure("NO-SUCH-HOST.invalid:80"); !errors.As(err, &dnsErr) {
		t.Errorf("the cause of a failed lookup: %v, want a *net.DNSError", err)
	}
}

// DNS rebinding: the answer the browser's request was checked with (public)
// is not the one the connection would use (loopback). The proxy dials the
// address it checks at connect time, so the connection is refused.
func TestProxyClosesRebinding(t *testing.T) {
	port, hits := countingListener(t, "127.0.0.1:0")
	p := New(Options{Lookup: func(context.Context, string) ([]netip.Addr, error) {
		return []netip.Addr{netip.MustParseAddr("93.184.216.34")}, nil // what the check hears
	}})
	target := "http://localhost:" + port + "/"
	if err := p.CheckURL(context.Background(), target); err != nil {
		t.Fatalf("the check heard a public answer, yet refused: %v", err)
	}
	x, err := p.ListenProxy()
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	d, _ := proxy.SOCKS5("tcp", x.Addr(), nil, &net.Dialer{Timeout: 5 * time.Second})
	if c, err := d.Dial("tcp", "localhost:"+port); err == nil {
		c.Close()
		t.Fatal("the proxy connected to localhost, which resolves to loopback when dialled")
	}
	if hits.Load() != 0 {
		t.Errorf("%d connections reached the loopback listener", hits.Load())
	}
}

// Close cuts the connections the proxy relays and ends its goroutines: a
// page's WebSocket held open does not hold the browser's end.
func TestProxyCloseCutsRelays(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close() // never answers, never closes
		}
	}()
	p := New(Options{Allow: []string{l.Addr().String()}})
	x, err := p.ListenProxy()
	if err != nil {
		t.Fatal(err)
	}
	d, _ := proxy.SOCKS5("tcp", x.Addr(), nil, &net.Dialer{Timeout: 5 * time.Second})
	c, err := d.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	closed := make(chan error, 1)
	go func() { closed <- x.Close() }()
	if err := <-closed; err != nil {
		t.Errorf("Close: %v", err)
	}
	c.SetReadDeadline(time.Now().Add(testenv.Hang)) // Close ends the relay: EOF, not the deadline
	if _, err := c.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Errorf("read from a relay after Close: %v, want EOF", err)
	}
}

// What a client may send: malformed greetings and requests end in an error
// (and at most a SOCKS reply), never a panic or a dial.
func FuzzProxyRequest(f *testing.F) {
	f.Add([]byte{5, 1, 0, 5, 1, 0, 1, 127, 0, 0, 2, 0, 80})
	f.Add([]byte{5, 1, 0, 5, 1, 0, 3, 9, 'a', 'c', 'm', 'e', '.', 't', 'e', 's', 't', 1, 187})
	f.Add([]byte{5, 1, 0, 5, 1, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 80})
	f.Add([]byte{5, 1, 0, 5, 3, 0, 1, 0, 0, 0, 0, 0, 0}) // UDP ASSOCIATE
	f.Add([]byte{5, 1, 2})                               // username/password only
	f.Add([]byte{4, 1, 0, 80, 127, 0, 0, 1, 0})          // SOCKS4
	f.Add([]byte{5, 1, 0, 5, 1, 0, 3, 0, 0, 80})         // an empty name
	f.Fuzz(func(t *testing.T, in []byte) {
		rw := &fakeConn{in: bytes.NewReader(in)}
		target, rep, err := readRequest(rw)
		if err == nil {
			host, port, splitErr := net.SplitHostPort(target)
			if splitErr != nil || host == "" {
				t.Fatalf("accepted %q", target)
			}
			if _, convErr := strconv.Atoi(port); convErr != nil {
				t.Fatalf("port %q", port)
			}
		} else if rep == repSucceeded && rw.out.Len() > 2 {
			t.Fatalf("an error with a success reply: %x", rw.out.Bytes())
		}
	})
}

type fakeConn struct {
	in  *bytes.Reader
	out bytes.Buffer
}

func (f *fakeConn) Read(p []byte) (int, error)  { return f.in.Read(p) }
func (f *fakeConn) Write(p []byte) (int, error) { return f.out.Write(p) }
