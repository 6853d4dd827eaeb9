package resolve

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    Rule
		wantErr string
	}{
		{in: "acme.test:443:127.0.0.1", want: Rule{"acme.test", "443", "127.0.0.1"}},
		{in: "ACME.test:80:[::1]", want: Rule{"acme.test", "80", "::1"}},
		{in: "acme.test:80:::1", want: Rule{"acme.test", "80", "::1"}},
		{in: "acme.test:443", wantErr: "want HOST:PORT:ADDR"},
		{in: ":443:127.0.0.1", wantErr: "want HOST:PORT:ADDR"},
		{in: "acme.test:http:127.0.0.1", wantErr: "not a number"},
		{in: "acme.test:70000:127.0.0.1", wantErr: "not a number"},
		{in: "acme.test:443:localhost", wantErr: "not an IP address"},
		{in: "a/b:443:127.0.0.1", wantErr: "not a host name"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse(%q) error = %v, want it to contain %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Parse(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestHostResolverRules(t *testing.T) {
	m, err := ParseAll([]string{"a.test:80:127.0.0.1", "a.test:443:127.0.0.1", "b.test:80:[::1]"})
	if err != nil {
		t.Fatal(err)
	}
	m = append(m, Rule{Host: "c.test", Port: AnyPort, Addr: "127.0.0.1"})
	if got, want := m.HostResolverRules(), "MAP a.test:80 127.0.0.1, MAP a.test:443 127.0.0.1, MAP b.test:80 [::1], MAP c.test 127.0.0.1"; got != want {
		t.Fatalf("HostResolverRules() = %q, want %q", got, want)
	}
}

// A real HTTP client reaches a made-up host name on loopback through the map,
// and only on the mapped port.
func TestDialContextReachesLoopback(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "host="+r.Host)
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	m, err := ParseAll([]string{"acme.test:" + port + ":127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{DialContext: m.DialContext(&net.Dialer{})}}
	resp, err := client.Get("http://acme.test:" + port + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if want := "host=acme.test:" + port; string(body) != want {
		t.Fatalf("body = %q, want %q", body, want)
	}
	if _, ok := m.Lookup("acme.test:1"); ok {
		t.Fatal("a rule for one port mapped another port")
	}
	if _, err := m.DialContext(&net.Dialer{})(context.Background(), "tcp", "acme.invalid:1"); err == nil {
		t.Fatal("an unmapped made-up host was dialled")
	}
}
