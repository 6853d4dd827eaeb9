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

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/testkit"
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
