// Package resolve implements --resolve HOST:PORT:ADDR with curl's meaning:
// connections to HOST:PORT go to ADDR:PORT. One Map serves both Go's HTTP
// client and Chromium (whose every connection internal/egress's proxy
// dials, with the same Lookup), so the tool and the browser always reach
// the same server.
package resolve

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
)

// Rule maps one HOST:PORT to an address.
type Rule struct {
	Host string // lower-case host name
	Port string // decimal port, or AnyPort
	Addr string // IP address (IPv6 without brackets)
}

// AnyPort in a Rule maps the host on every port. The command line never
// makes one (--resolve names a port, as curl's does); tests that start their
// servers after the browser use it.
const AnyPort = "*"

func (r Rule) String() string {
	return r.Host + ":" + r.Port + ":" + bracket(r.Addr)
}

// Parse reads one --resolve value: HOST:PORT:ADDR, ADDR an IPv4 address or an
// IPv6 address, optionally in brackets ("[::1]").
func Parse(s string) (Rule, error) {
	host, rest, ok := strings.Cut(s, ":")
	port, addr, ok2 := strings.Cut(rest, ":")
	if !ok || !ok2 || host == "" || port == "" || addr == "" {
		return Rule{}, fmt.Errorf("--resolve %q: want HOST:PORT:ADDR, e.g. acme.example:443:127.0.0.1", s)
	}
	if strings.ContainsAny(host, "/ []") {
		return Rule{}, fmt.Errorf("--resolve %q: %q is not a host name", s, host)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return Rule{}, fmt.Errorf("--resolve %q: port %q is not a number from 1 to 65535", s, port)
	}
	addr = strings.TrimSuffix(strings.TrimPrefix(addr, "["), "]")
	if net.ParseIP(addr) == nil {
		return Rule{}, fmt.Errorf("--resolve %q: %q is not an IP address", s, addr)
	}
	return Rule{Host: strings.ToLower(host), Port: port, Addr: addr}, nil
}

// Map is a set of rules; the zero value maps nothing.
type Map []Rule

// ParseAll parses every --resolve value.
func ParseAll(values []string) (Map, error) {
	var m Map
	for _, v := range values {
		r, err := Parse(v)
		if err != nil {
			return nil, err
		}
		m = append(m, r)
	}
	return m, nil
}

// Lookup returns where a connection to host:port should go, and whether a
// rule applied.
func (m Map) Lookup(hostport string) (string, bool) {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return hostport, false
	}
	host = strings.ToLower(host)
	for _, r := range m {
		if r.Host == host && (r.Port == port || r.Port == AnyPort) {
			return net.JoinHostPort(r.Addr, port), true
		}
	}
	return hostport, false
}

// Dialer is what net.Dialer and friends provide.
type Dialer interface {
	DialContext(ctx context.Context, network, address string) (net.Conn, error)
}

// DialContext wraps a dialer so mapped hosts are dialled at their address.
func (m Map) DialContext(d Dialer) func(ctx context.Context, network, address string) (net.Conn, error) {
	return func(ctx context.Context, network, address string) (net.Conn, error) {
		to, _ := m.Lookup(address)
		return d.DialContext(ctx, network, to)
	}
}

// HostResolverRules renders the map as Chromium's --host-resolver-rules, for
// a browser pinready does not start (bench/world hands it to Playwright).
// Chromium matches a MAP pattern against "host:port" as well as "host", so
// each rule maps exactly its HOST:PORT, as the HTTP client's dialer does; the
// port of the URL is kept.
func (m Map) HostResolverRules() string {
	var parts []string
	for _, r := range m {
		pattern := r.Host + ":" + r.Port
		if r.Port == AnyPort {
			pattern = r.Host
		}
		if part := "MAP " + pattern + " " + bracket(r.Addr); !slices.Contains(parts, part) {
			parts = append(parts, part)
		}
	}
	return strings.Join(parts, ", ")
}

func bracket(addr string) string {
	if strings.Contains(addr, ":") {
		return "[" + addr + "]"
	}
	return addr
}
