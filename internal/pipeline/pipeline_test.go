package pipeline

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/demo"
	"github.com/pinready/pinready/internal/testkit"
	"github.com/pinready/pinready/oauthflow"
)

// The Go registry of checks and rules.yaml agree on the set of ids: no rule
// can be silently missing, and no check can report an undeclared id.
func TestRegistryMatchesRulesYAML(t *testing.T) {
	rs := testkit.Rules(t)
	var registered []string
	for _, g := range Groups {
		for _, id := range g.Rules {
			r := rs.Get(id)
			if r == nil {
				t.Errorf("group %s reports %s, which rules.yaml does not define", g.Name, id)
			} else if r.Group != g.Name {
				t.Errorf("%s is in group %s in rules.yaml but reported by %s", id, r.Group, g.Name)
			}
		}
		registered = append(registered, g.Rules...)
	}
	registered = append(registered, RecordRules...)
	var declared []string
	for _, r := range rs.Rules {
		declared = append(declared, r.ID)
	}
	sort.Strings(registered)
	sort.Strings(declared)
	if !slices.Equal(registered, declared) {
		t.Fatalf("registry and rules.yaml disagree:\nregistered %v\ndeclared   %v", registered, declared)
	}
}

// Report folders of several apps never collide, whatever the file names.
func TestUniqueNames(t *testing.T) {
	var cfgs []*checks.Config
	for _, f := range []string{"app.yaml", "x/app.yaml", "app-2.yaml", "y/app.yml"} {
		cfgs = append(cfgs, &checks.Config{File: f})
	}
	got := uniqueNames(cfgs)
	if want := []string{"app", "app-2", "app-2-2", "app-3"}; !slices.Equal(got, want) {
		t.Fatalf("uniqueNames = %v, want %v", got, want)
	}
}

// Concurrent apps' progress lines share one lock and never interleave.
func TestPrefixWritersShareALock(t *testing.T) {
	var buf bytes.Buffer
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range 8 {
		w := &prefixWriter{mu: &mu, w: &buf, prefix: fmt.Sprintf("[app%d] ", i)}
		wg.Go(func() {
			for range 200 {
				fmt.Fprintf(w, "pinready: step %s\n", strings.Repeat("x", 40))
			}
		})
	}
	wg.Wait()
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if !regexp.MustCompile(`^\[app\d\] pinready: step x{40}$`).MatchString(line) {
			t.Fatalf("a progress line was torn: %q", line)
		}
	}
}

// record cannot read page text unmasked: it never claims a token-exposure
// pass, but keeps a failure it saw elsewhere.
func TestRecordDoesNotClaimPageTextJudged(t *testing.T) {
	got := pageTextUnjudged([]checks.Finding{
		checks.Pass("oauth.token-exposure", "no token"),
		checks.Pass("oauth.state", "ok"),
	})
	if got[0].Status != checks.StatusSkip || !strings.Contains(got[0].Message, "pinready check") || got[1].Status != checks.StatusPass {
		t.Fatalf("got %+v", got)
	}
	failed := pageTextUnjudged([]checks.Finding{checks.Fail("oauth.token-exposure", "pina_ in localStorage")})
	if failed[0].Status != checks.StatusFail {
		t.Fatalf("a failure seen in storage became %s", failed[0].Status)
	}
}

// oauth.callback is told what the video showed of the callback, and only
// what the recorder really drew counts: the same endpoint, the same status,
// a code when the callback had one, long enough to be read.
func TestCallbackInVideo(t *testing.T) {
	cb := &oauthflow.Callback{URL: "http://acme.test:8080/api/auth/callback/pinterest?code=abcd…&state=xyz", Status: 302, HasCode: true,
		RedirectedTo: "http://acme.test:8080/dashboard"}
	drawn := demo.Redirect{URL: "http://acme.test:8080/api/auth/callback/pinterest?code=abcd…&state=xyz012…", Status: 302, Shown: 2 * time.Second}
	for _, c := range []struct {
		name string
		cb   *oauthflow.Callback
		hops []demo.Redirect
		want string
	}{
		{"hop drawn", cb, []demo.Redirect{drawn}, oauthflow.VideoRedirectHop},
		{"nothing drawn", cb, nil, oauthflow.VideoNotShown},
		{"drawn too briefly", cb, []demo.Redirect{{URL: drawn.URL, Status: 302, Shown: time.Second}}, oauthflow.VideoNotShown},
		{"another URL drawn", cb, []demo.Redirect{{URL: "http://acme.test:8080/login?next=x", Status: 302, Shown: 2 * time.Second}}, oauthflow.VideoNotShown},
		{"drawn without its code", cb, []demo.Redirect{{URL: "http://acme.test:8080/api/auth/callback/pinterest?state=x", Status: 302, Shown: 2 * time.Second}}, oauthflow.VideoNotShown},
		{"a page", &oauthflow.Callback{URL: cb.URL, Status: 200, HasCode: true}, nil, oauthflow.VideoPage},
	} {
		if got := callbackInVideo(c.cb, c.hops); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
