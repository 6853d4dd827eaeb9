package egress

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pinready/pinready/internal/resolve"
)

func TestDescribe(t *testing.T) {
	for addr, want := range map[string]string{
		"169.254.169.254":  "cloud metadata service",
		"fd00:ec2::254":    "cloud metadata service",
		"100.100.100.200":  "cloud metadata service",
		"127.0.0.2":        "loopback",
		"::1":              "loopback",
		"::ffff:127.0.0.1": "loopback",
		"10.1.2.3":         "private network",
		"192.168.1.1":      "private network",
		"fd12::1":          "private network",
		"169.254.1.1":      "link-local",
		"fe80::1":          "link-local",
		"100.64.0.1":       "carrier-grade NAT",
		"0.0.0.0":          "this host",
	} {
		if got := Describe(netip.MustParseAddr(addr)); got != want {
			t.Errorf("Describe(%s) = %q, want %q", addr, got, want)
		}
	}
}

// CheckURL is the browser's decision: internal addresses are refused unless
// the user asked for them, public ones pass, and no-network schemes pass.
func TestCheckURL(t *testing.T) {
	m, _ := resolve.ParseAll([]string{"acme.test:8080:127.0.0.1", "staging.example:443:10.0.0.5"})
	var lookups atomic.Int32
	p := New(Options{Resolve: m, Allow: []string{"http://localhost:3000/", "http://127.0.0.1:8085/oauth/"}})
	p.lookup = func(_ context.Context, host string) ([]netip.Addr, error) {
		lookups.Add(1)
		switch host {
		case "public.example":
			return []netip.Addr{netip.MustParseAddr("93.184.216.34")}, nil
		case "rebind.example":
			return []netip.Addr{netip.MustParseAddr("93.184.216.34"), netip.MustParseAddr("10.0.0.7")}, nil
		case "localhost":
			return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
		}
		return nil, errors.New("no such host")
	}
	tests := []struct {
		url, refused string // refused: a word of the refusal, "" for allowed
	}{
		{"http://acme.test:8080/connect", ""},
		{"https://staging.example/privacy", ""},
		{"http://localhost:3000/", ""},
		{"http://127.0.0.1:8085/oauth/?client_id=1", ""},
		{"https://public.example/privacy", ""},
		{"data:text/html,hi", ""},
		{"http://acme.test:9090/", "does not resolve"}, // mapped on 8080 only, as Chromium's MAP rule
		{"http://127.0.0.2:8080/", "loopback"},
		{"http://[::1]:8080/", "loopback"},
		{"http://169.254.169.254/latest/meta-data/", "cloud metadata service"},
		{"http://localhost:3001/", "loopback"},
		{"http://rebind.example/", "private network"},
		{"http://100.64.1.1/", "carrier-grade NAT"},
	}
	for _, tt := range tests {
		err := p.CheckURL(context.Background(), tt.url)
		switch {
		case tt.refused == "" && err != nil:
			t.Errorf("%s: refused: %v", tt.url, err)
		case tt.refused != "" && (err == nil || !strings.Contains(err.Error(), tt.refused)):
			t.Errorf("%s: %v, want a refusal naming %q", tt.url, err, tt.refused)
		}
	}
	before := lookups.Load()
	for range 5 {
		p.CheckURL(context.Background(), "https://public.example/style.css")
	}
	if lookups.Load() != before {
		t.Errorf("an allowed host was looked up again %d times", lookups.Load()-before)
	}
	var seen []string
	for _, r := range p.Refusals() {
		seen = append(seen, r.Addr.String())
	}
	if got := strings.Join(seen, " "); !strings.Contains(got, "169.254.169.254") || !strings.Contains(got, "::1") {
		t.Errorf("refusals logged: %s", got)
	}
	if all := AllowAll(); all.CheckURL(context.Background(), "http://169.254.169.254/") != nil {
		t.Error("--allow-private refused the metadata address")
	}
}

// The HTTP client is refused at dial time on every redirect hop: a host
// mapped with --resolve may redirect only to addresses the user asked for.
func TestDialRefusesRedirectHops(t *testing.T) {
	internal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "SECRET-METADATA-CREDENTIALS")
	}))
	defer internal.Close()
	_, port, _ := net.SplitHostPort(internal.Listener.Addr().String())
	// 127.0.0.2 is loopback on Linux without any setup, and differs from the
	// 127.0.0.1 the --resolve rule names.
	public := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("to") == "" {
			fmt.Fprint(w, "public page")
			return
		}
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	}))
	defer public.Close()
	_, pubPort, _ := net.SplitHostPort(public.Listener.Addr().String())
	m, _ := resolve.ParseAll([]string{"public.test:" + pubPort + ":127.0.0.1"})

	var heard atomic.Int32
	p := New(Options{Resolve: m, OnRefuse: func(Refusal) { heard.Add(1) }})
	client := &http.Client{Transport: &http.Transport{DialContext: p.DialContext(&net.Dialer{})}}
	for _, to := range []string{"http://127.0.0.2:" + port + "/", "http://[::1]:" + port + "/", "http://127.0.0.1:" + port + "/"} {
		resp, err := client.Get("http://public.test:" + pubPort + "/?to=" + to)
		var re *RefusedError
		if !errors.As(err, &re) {
			if resp != nil {
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				t.Errorf("redirect to %s was followed: HTTP %d %q", to, resp.StatusCode, body)
				continue
			}
			t.Errorf("redirect to %s: %v, want a *RefusedError", to, err)
			continue
		}
		if re.What != "loopback" {
			t.Errorf("redirect to %s: refused as %q", to, re.What)
		}
	}
	if heard.Load() < 3 {
		t.Errorf("OnRefuse heard %d refusals, want 3", heard.Load())
	}

	// The mapped host itself, and --allow-private, reach loopback.
	resp, err := client.Get("http://public.test:" + pubPort + "/")
	if err != nil {
		t.Fatalf("the --resolve host was refused: %v", err)
	}
	resp.Body.Close()
	open := &http.Client{Transport: &http.Transport{DialContext: AllowAll().DialContext(&net.Dialer{})}}
	resp, err = open.Get(internal.URL)
	if err != nil {
		t.Fatalf("--allow-private: %v", err)
	}
	resp.Body.Close()
}

// What Chromium pays per allowed request once its host is decided: the
// interception round trip aside, a map lookup.
func BenchmarkCheckURLAllowed(b *testing.B) {
	p := New(Options{})
	p.lookup = func(context.Context, string) ([]netip.Addr, error) {
		return []netip.Addr{netip.MustParseAddr("93.184.216.34")}, nil
	}
	ctx := context.Background()
	for b.Loop() {
		if err := p.CheckURL(ctx, "https://public.example/static/app.js?v=3"); err != nil {
			b.Fatal(err)
		}
	}
}
