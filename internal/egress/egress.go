// Package egress is pinready's one egress policy: which addresses the HTTP
// client and Chromium may connect to while auditing URLs that anyone on the
// internet controls. A public page must not make pinready read the machine's
// own services or the cloud metadata endpoint (169.254.169.254) by
// redirecting there, and then quote what came back in a report.
//
// Loopback, private, link-local, carrier-grade NAT, metadata and the other
// special-purpose ranges are refused (code.dny.dev/ssrf decides which), unless
// the user asked for them:
//   - a --resolve HOST:PORT:ADDR rule: connections to HOST:PORT go to ADDR,
//     whatever it is (staging servers, the example world, tests);
//   - a HOST:PORT the app's config names (its website on localhost:3000 in
//     CI, the `pinready sandbox` at 127.0.0.1:8085 as oauth.authorize_url);
//   - --allow-private: every address.
//
// The HTTP client applies the policy at dial time (DialContext), to the
// address it really connects to, on every redirect hop. Chromium applies the
// same decision (CheckURL) to every request it is about to send, through
// request interception (internal/browser).
package egress

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"syscall"

	"code.dny.dev/ssrf"

	"github.com/pinready/pinready/internal/resolve"
)

// Options say what the user asked for.
type Options struct {
	// Resolve is --resolve: a mapped HOST:PORT may reach its address.
	Resolve resolve.Map
	// Allow are URLs (or HOST:PORT) the user named in the config: their
	// exact host and port may be internal.
	Allow []string
	// AllowPrivate (--allow-private) lets every address through.
	AllowPrivate bool
	// OnRefuse, if set, hears every refusal (a progress line); it must not
	// block.
	OnRefuse func(Refusal)
	// Lookup replaces the system resolver for CheckURL's answers (nil: the
	// system's). The dialer always resolves with the system, so tests use
	// it to play a DNS answer that changes between the check and the
	// connection (rebinding).
	Lookup func(ctx context.Context, host string) ([]netip.Addr, error)
}

// Policy decides where connections may go. It is safe for concurrent use.
type Policy struct {
	resolve  resolve.Map
	allowed  map[string]bool // "host:port", lower-case
	allowAll bool
	guard    *ssrf.Guardian
	onRefuse func(Refusal)
	lookup   func(ctx context.Context, host string) ([]netip.Addr, error)

	mu       sync.Mutex
	decided  map[string]error // CheckURL's answers by "host:port"
	refusals []Refusal
}

// Refusal is one connection the policy refused.
type Refusal struct {
	URL  string     // what was requested, without query or fragment ("" for a dial)
	Host string     // the host name or address asked for
	Addr netip.Addr // the internal address it resolves to
	What string     // the kind of address: "loopback", "cloud metadata service", …
}

// maxRefusals bounds the log a hostile page could grow by the thousand.
const maxRefusals = 100

// maxDecided bounds the cache of CheckURL's answers.
const maxDecided = 4096

// New returns the policy for a run.
func New(o Options) *Policy {
	p := &Policy{
		resolve:  o.Resolve,
		allowed:  map[string]bool{},
		allowAll: o.AllowPrivate,
		// Any port: apps and their staging servers listen on 3000, 8080, …
		// The networks stay tcp4/tcp6, what HTTP and Chromium use.
		guard:    ssrf.New(ssrf.WithAnyPort()),
		onRefuse: o.OnRefuse,
		lookup: func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		},
		decided: map[string]error{},
	}
	if o.Lookup != nil {
		p.lookup = o.Lookup
	}
	for _, a := range o.Allow {
		if hp := hostPort(a); hp != "" {
			p.allowed[hp] = true
		}
	}
	return p
}

// AllowAll is the policy of --allow-private: every address may be reached.
func AllowAll() *Policy { return New(Options{AllowPrivate: true}) }

// AllowsAll reports whether the policy lets everything through (--allow-private).
func (p *Policy) AllowsAll() bool { return p.allowAll }

// hostPort turns a URL or HOST:PORT into a lower-case "host:port" with the
// scheme's default port; "" when it is neither.
func hostPort(s string) string {
	if strings.Contains(s, "://") {
		u, err := url.Parse(s)
		if err != nil || u.Hostname() == "" {
			return ""
		}
		port := u.Port()
		if port == "" {
			port = defaultPort(u.Scheme)
		}
		if port == "" {
			return ""
		}
		return net.JoinHostPort(strings.ToLower(u.Hostname()), port)
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return ""
	}
	return net.JoinHostPort(strings.ToLower(host), port)
}

func defaultPort(scheme string) string {
	switch strings.ToLower(scheme) {
	case "http", "ws":
		return "80"
	case "https", "wss":
		return "443"
	}
	return ""
}

// askedFor reports whether the user asked for this "host:port" (lower-case).
func (p *Policy) askedFor(hostport string) bool {
	if p.allowAll || p.allowed[hostport] {
		return true
	}
	_, mapped := p.resolve.Lookup(hostport)
	return mapped
}

// DialContext wraps d for an HTTP transport: --resolve rules are applied (as
// resolve.Map.DialContext does), and every other connection is refused at
// dial time when the address it resolved to is internal. It is checked per
// connection, so every redirect hop is, and with the address really dialled:
// a DNS answer that changes between check and use changes nothing.
func (p *Policy) DialContext(d *net.Dialer) func(ctx context.Context, network, address string) (net.Conn, error) {
	return func(ctx context.Context, network, address string) (net.Conn, error) {
		if to, ok := p.resolve.Lookup(address); ok {
			return d.DialContext(ctx, network, to)
		}
		if p.askedFor(strings.ToLower(address)) {
			return d.DialContext(ctx, network, address)
		}
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			host = address
		}
		guarded := *d
		guarded.Control = func(network, addr string, c syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(addr)
			if err != nil {
				return err
			}
			if err := p.check(host, "", ap.Addr()); err != nil {
				return err
			}
			if d.Control != nil {
				return d.Control(network, addr, c)
			}
			return nil
		}
		return guarded.DialContext(ctx, network, address)
	}
}

// CheckURL is the decision for a request Chromium is about to send: nil lets
// it go, a *RefusedError refuses it. Schemes that reach no network (data:,
// blob:, file:) pass. A host name that does not resolve here is refused too
// (as an error that is not a *RefusedError): the policy cannot vouch for it.
// Answers are cached per host and port for the life of the policy, so an
// allowed page's hundred requests cost one lookup.
func (p *Policy) CheckURL(ctx context.Context, rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return fmt.Errorf("a malformed URL: %w", err)
	}
	port := u.Port()
	if port == "" {
		port = defaultPort(u.Scheme)
	}
	if port == "" || u.Hostname() == "" {
		return nil // not a network request
	}
	host := strings.ToLower(u.Hostname())
	hp := net.JoinHostPort(host, port)
	if p.askedFor(hp) {
		return nil
	}
	p.mu.Lock()
	err, ok := p.decided[hp]
	p.mu.Unlock()
	if ok {
		if re, isRefusal := err.(*RefusedError); isRefusal {
			p.note(stripQuery(u), re)
		}
		return err
	}
	err = p.decide(ctx, host, stripQuery(u))
	var re *RefusedError
	if err != nil && !errors.As(err, &re) {
		return err // a failed lookup or an ended ctx: not an answer to remember
	}
	p.mu.Lock()
	if len(p.decided) >= maxDecided {
		clear(p.decided)
	}
	p.decided[hp] = err
	p.mu.Unlock()
	return err
}

// decide resolves host and checks every address it has: Chromium may pick
// any of them.
func (p *Policy) decide(ctx context.Context, host, shownURL string) error {
	if ip, err := netip.ParseAddr(host); err == nil {
		return p.check(host, shownURL, ip)
	}
	addrs, err := p.lookup(ctx, host)
	if err != nil {
		return fmt.Errorf("%s does not resolve: %w", host, err)
	}
	for _, a := range addrs {
		if err := p.check(host, shownURL, a); err != nil {
			return err
		}
	}
	return nil
}

// check refuses an internal address, and logs the refusal.
func (p *Policy) check(host, shownURL string, addr netip.Addr) error {
	if p.allowAll || p.guard.SafeAddr(addr) == nil {
		return nil
	}
	re := &RefusedError{Host: host, Addr: addr.Unmap(), What: Describe(addr)}
	p.note(shownURL, re)
	return re
}

func (p *Policy) note(shownURL string, re *RefusedError) {
	r := Refusal{URL: shownURL, Host: re.Host, Addr: re.Addr, What: re.What}
	p.mu.Lock()
	if len(p.refusals) < maxRefusals {
		p.refusals = append(p.refusals, r)
	}
	p.mu.Unlock()
	if p.onRefuse != nil {
		p.onRefuse(r)
	}
}

// Refusals returns the refusals logged so far (at most the first 100).
func (p *Policy) Refusals() []Refusal {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Refusal(nil), p.refusals...)
}

// stripQuery shows a URL without its query and fragment: what a refusal
// message needs, and nothing a callback's code or a token could hide in.
func stripQuery(u *url.URL) string {
	c := *u
	c.RawQuery, c.Fragment, c.RawFragment, c.User = "", "", "", nil
	return c.String()
}

// RefusedError is a connection the policy refused.
type RefusedError struct {
	Host string     // what was asked for: a host name, or the address itself
	Addr netip.Addr // the internal address
	What string     // Describe(Addr)
}

func (e *RefusedError) Error() string {
	if e.Host != "" && e.Host != e.Addr.String() && strings.Trim(e.Host, "[]") != e.Addr.String() {
		return fmt.Sprintf("%s resolves to %s, an internal address (%s); pinready does not connect to internal addresses unless asked (--resolve, --allow-private)", e.Host, e.Addr, e.What)
	}
	return fmt.Sprintf("%s is an internal address (%s); pinready does not connect to internal addresses unless asked (--resolve, --allow-private)", e.Addr, e.What)
}

// ranges name the special-purpose addresses for messages, most specific first.
var ranges = []struct {
	prefix netip.Prefix
	what   string
}{
	{netip.MustParsePrefix("169.254.169.254/32"), "cloud metadata service"},
	{netip.MustParsePrefix("169.254.170.2/32"), "cloud metadata service"},
	{netip.MustParsePrefix("100.100.100.200/32"), "cloud metadata service"},
	{netip.MustParsePrefix("fd00:ec2::254/128"), "cloud metadata service"},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},
	{netip.MustParsePrefix("::1/128"), "loopback"},
	{netip.MustParsePrefix("0.0.0.0/8"), "this host"},
	{netip.MustParsePrefix("::/128"), "this host"},
	{netip.MustParsePrefix("10.0.0.0/8"), "private network"},
	{netip.MustParsePrefix("172.16.0.0/12"), "private network"},
	{netip.MustParsePrefix("192.168.0.0/16"), "private network"},
	{netip.MustParsePrefix("fc00::/7"), "private network"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local"},
	{netip.MustParsePrefix("fe80::/10"), "link-local"},
	{netip.MustParsePrefix("100.64.0.0/10"), "carrier-grade NAT"},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast"},
	{netip.MustParsePrefix("ff00::/8"), "multicast"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
}

// Describe names the kind of an address for a message: "loopback",
// "private network", "link-local", "cloud metadata service", … An
// IPv4-mapped IPv6 address is named as its IPv4 address.
func Describe(addr netip.Addr) string {
	a := addr.Unmap().WithZone("")
	for _, r := range ranges {
		if r.prefix.Contains(a) {
			return r.what
		}
	}
	return "special-purpose"
}
