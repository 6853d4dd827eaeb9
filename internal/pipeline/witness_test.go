package pipeline

import (
	"bytes"
	"context"
	"net"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/fakepinterest"
	"github.com/pinready/pinready/internal/resolve"
)

// The witness is asked for only where a fake Pinterest can be: never on
// Pinterest's own hosts, unless --resolve sends them elsewhere; an origin
// that is not a fake's is no witness, and says nothing.
func TestOpenWitnessAsksOnlyAFake(t *testing.T) {
	fake, err := fakepinterest.New(fakepinterest.Options{Apps: []fakepinterest.App{{ID: "1500001", Secret: "s", RedirectURIs: []string{"http://localhost:3000/cb"}}}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(fake)
	defer ts.Close()
	_, port, _ := net.SplitHostPort(ts.Listener.Addr().String())
	other := httptest.NewServer(nil) // a site that is not a fake: 404 everywhere
	defer other.Close()
	mapped, err := resolve.Parse("www.pinterest.com:" + port + ":127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, authorize string
		m               resolve.Map
		witness         bool
	}{
		{"pinready sandbox", ts.URL + "/oauth/", nil, true},
		{"Pinterest itself", "https://www.pinterest.com/oauth/", nil, false},
		{"Pinterest sent to a fake by --resolve", "http://www.pinterest.com:" + port + "/oauth/", resolve.Map{mapped}, true},
		{"not a fake", other.URL + "/oauth/", nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &checks.Config{}
			cfg.App.ID = "1500001"
			cfg.OAuth.AuthorizeURL = tt.authorize
			var progress bytes.Buffer
			w := openWitness(context.Background(), cfg, tt.m, newEgressPolicy(&progress, tt.m, false, []*checks.Config{cfg}), &progress)
			if (w != nil) != tt.witness {
				t.Fatalf("witness %v, want %v (progress %q)", w != nil, tt.witness, progress.String())
			}
			if !tt.witness && progress.Len() != 0 {
				t.Errorf("asking where there is no witness said %q", progress.String())
			}
			if tt.witness && !strings.Contains(progress.String(), "records what the app does with its token") {
				t.Errorf("progress %q", progress.String())
			}
		})
	}
}
