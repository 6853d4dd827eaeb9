package egress

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Proxy is a SOCKS5 server on loopback through which Chromium makes every
// connection it makes (--proxy-server), so that every one of them is the
// policy's decision, whatever started it: a navigation or a subresource
// (which request interception also sees), and what interception never sees
// — a WebSocket, a speculation-rules prefetch, a preconnect, a WebRTC
// TCP candidate or TURN server. Chromium sends the proxy host names, never
// addresses it looked up (SOCKS5 resolves at the proxy), and the proxy
// dials through Policy.DialContext: the address checked is the address
// connected to, so a DNS answer that changes between a check and the
// connection (rebinding) changes nothing.
//
// It speaks only what Chromium needs: no authentication, CONNECT only (no
// BIND, no UDP ASSOCIATE: UDP leaves the browser through no proxy, and
// WebRTC is told to send none, see internal/browser).
type Proxy struct {
	ln     net.Listener
	policy *Policy
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	conns    map[net.Conn]struct{}
	failures map[string]error // the last failed dial per "host:port", lower-case
}

// maxFailures bounds the failures remembered for Failure.
const maxFailures = 256

// handshakeTimeout bounds a client's SOCKS greeting and request: Chromium
// sends both at once.
const handshakeTimeout = 10 * time.Second

// proxyDialTimeout bounds one connection attempt to a destination.
const proxyDialTimeout = 30 * time.Second

// ListenProxy starts the policy's SOCKS5 proxy on 127.0.0.1 (a port of the
// system's choosing). Close stops it and every connection it relays.
func (p *Policy) ListenProxy() (*Proxy, error) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	x := &Proxy{ln: ln, policy: p, ctx: ctx, cancel: cancel, conns: map[net.Conn]struct{}{}, failures: map[string]error{}}
	x.wg.Add(1)
	go x.serve()
	return x, nil
}

// Addr is the proxy's "127.0.0.1:PORT".
func (x *Proxy) Addr() string { return x.ln.Addr().String() }

// Close stops the proxy: no new connection, and every open one is cut.
func (x *Proxy) Close() error {
	x.cancel()
	err := x.ln.Close()
	x.mu.Lock()
	for c := range x.conns {
		c.Close()
	}
	x.mu.Unlock()
	x.wg.Wait()
	return err
}

func (x *Proxy) serve() {
	defer x.wg.Done()
	for {
		c, err := x.ln.Accept()
		if err != nil {
			if x.ctx.Err() != nil {
				return
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return
		}
		if !x.track(c) {
			c.Close()
			return
		}
		x.wg.Add(1)
		go func() {
			defer x.wg.Done()
			defer x.untrack(c)
			x.handle(c)
		}()
	}
}

// track registers a connection to be cut on Close; false once closed.
func (x *Proxy) track(c net.Conn) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.ctx.Err() != nil {
		return false
	}
	x.conns[c] = struct{}{}
	return true
}

func (x *Proxy) untrack(c net.Conn) {
	x.mu.Lock()
	delete(x.conns, c)
	x.mu.Unlock()
	c.Close()
}

// Failure is why the proxy's last connection to hostport ("host:port")
// failed, nil if none did. Chromium reports every failure of a SOCKS
// proxy's as net::ERR_SOCKS_CONNECTION_FAILED; this is the cause (a
// *RefusedError, a *net.DNSError, a refused or timed-out dial).
func (x *Proxy) Failure(hostport string) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.failures[strings.ToLower(hostport)]
}

func (x *Proxy) noteFailure(hostport string, err error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if len(x.failures) >= maxFailures {
		clear(x.failures)
	}
	x.failures[strings.ToLower(hostport)] = err
}

// SOCKS5 (RFC 1928) constants this proxy uses.
const (
	socksVersion = 5

	methodNoAuth       = 0x00
	methodNoAcceptable = 0xff

	cmdConnect = 1

	atypIPv4   = 1
	atypDomain = 3
	atypIPv6   = 4

	repSucceeded          = 0x00
	repGeneralFailure     = 0x01
	repNotAllowed         = 0x02
	repHostUnreachable    = 0x04
	repConnectionRefused  = 0x05
	repCommandUnsupported = 0x07
	repAddressUnsupported = 0x08
)

// handle serves one client: greeting, request, then the relay.
func (x *Proxy) handle(c net.Conn) {
	c.SetDeadline(time.Now().Add(handshakeTimeout))
	target, rep, err := readRequest(c)
	if err != nil {
		if rep != 0 {
			writeReply(c, rep)
		}
		return
	}
	ctx, cancel := context.WithTimeout(x.ctx, proxyDialTimeout)
	up, err := x.policy.DialContext(&net.Dialer{})(ctx, "tcp", target)
	cancel()
	if err != nil {
		x.noteFailure(target, err)
		writeReply(c, replyFor(err))
		return
	}
	if !x.track(up) {
		up.Close()
		return
	}
	defer x.untrack(up)
	if writeReply(c, repSucceeded) != nil {
		return
	}
	c.SetDeadline(time.Time{})
	relay(c, up)
}

// readRequest reads the greeting and a CONNECT request and answers the
// greeting. It returns the destination as "host:port"; on an error, the
// reply to send (0 for none: the client is gone or speaks no SOCKS5).
func readRequest(c io.ReadWriter) (target string, rep byte, err error) {
	var hdr [2]byte
	if _, err := io.ReadFull(c, hdr[:]); err != nil {
		return "", 0, err
	}
	if hdr[0] != socksVersion {
		return "", 0, errors.New("not SOCKS5")
	}
	methods := make([]byte, hdr[1])
	if _, err := io.ReadFull(c, methods); err != nil {
		return "", 0, err
	}
	noAuth := false
	for _, m := range methods {
		noAuth = noAuth || m == methodNoAuth
	}
	if !noAuth {
		c.Write([]byte{socksVersion, methodNoAcceptable})
		return "", 0, errors.New("the client offers no method without authentication")
	}
	if _, err := c.Write([]byte{socksVersion, methodNoAuth}); err != nil {
		return "", 0, err
	}
	var req [4]byte // VER CMD RSV ATYP
	if _, err := io.ReadFull(c, req[:]); err != nil {
		return "", 0, err
	}
	if req[0] != socksVersion {
		return "", 0, errors.New("not SOCKS5")
	}
	var host string
	switch req[3] {
	case atypIPv4, atypIPv6:
		ip := make([]byte, 4)
		if req[3] == atypIPv6 {
			ip = make([]byte, 16)
		}
		if _, err := io.ReadFull(c, ip); err != nil {
			return "", 0, err
		}
		host = net.IP(ip).String()
	case atypDomain:
		var n [1]byte
		if _, err := io.ReadFull(c, n[:]); err != nil {
			return "", 0, err
		}
		name := make([]byte, n[0])
		if _, err := io.ReadFull(c, name); err != nil {
			return "", 0, err
		}
		host = string(name)
		if host == "" {
			return "", repAddressUnsupported, errors.New("an empty host name")
		}
	default:
		return "", repAddressUnsupported, errors.New("an unknown address type")
	}
	var port [2]byte
	if _, err := io.ReadFull(c, port[:]); err != nil {
		return "", 0, err
	}
	if req[1] != cmdConnect {
		return "", repCommandUnsupported, errors.New("only CONNECT is supported")
	}
	return net.JoinHostPort(host, strconv.Itoa(int(binary.BigEndian.Uint16(port[:])))), 0, nil
}

// replyFor is the SOCKS reply for a failed dial.
func replyFor(err error) byte {
	var re *RefusedError
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &re):
		return repNotAllowed
	case errors.As(err, &dnsErr):
		return repHostUnreachable
	case errors.Is(err, syscall.ECONNREFUSED):
		return repConnectionRefused
	}
	return repGeneralFailure
}

// writeReply answers the request; the bound address is not used by
// Chromium and is given as 0.0.0.0:0.
func writeReply(w io.Writer, rep byte) error {
	_, err := w.Write([]byte{socksVersion, rep, 0, atypIPv4, 0, 0, 0, 0, 0, 0})
	return err
}

// relay copies both ways until both sides are done, passing on a half
// close, so a request body's end or a response's end reaches the other
// side as it would without the proxy.
func relay(a, b net.Conn) {
	done := make(chan struct{}, 2)
	cp := func(dst, src net.Conn) {
		io.Copy(dst, src)
		if cw, ok := dst.(interface{ CloseWrite() error }); ok {
			cw.CloseWrite()
		} else {
			dst.Close()
		}
		done <- struct{}{}
	}
	go cp(a, b)
	go cp(b, a)
	<-done
	<-done
}
