package pipeline

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/egress"
	"github.com/pinready/pinready/internal/resolve"
	"github.com/pinready/pinready/oauthflow"
)

// newEgressPolicy is a run's one egress policy, shared by the HTTP client and
// the browser: internal addresses are refused unless the user asked for them
// with --resolve, by naming the host and port in a config (the app on
// localhost:3000 in CI, `pinready sandbox` as oauth.authorize_url), or with
// --allow-private. Each refused URL is said once on the progress writer.
func newEgressPolicy(progress io.Writer, m resolve.Map, allowPrivate bool, cfgs []*checks.Config) *egress.Policy {
	var mu sync.Mutex
	said := map[string]bool{}
	return egress.New(egress.Options{
		Resolve:      m,
		Allow:        askedURLs(cfgs),
		AllowPrivate: allowPrivate,
		OnRefuse: func(r egress.Refusal) {
			key := r.URL + " " + r.Addr.String()
			mu.Lock()
			first := !said[key]
			said[key] = true
			mu.Unlock()
			if first && progress != nil {
				fmt.Fprintf(progress, "egress: refused %s\n", refusalText(r))
			}
		},
	})
}

// askedURLs are the URLs the configs name for the browser and the HTTP client
// to open: the app's own pages, its OAuth endpoints, its steps. The privacy
// policy is not among them: it must be public (privacy.url), so an internal
// one is judged, never fetched on the config's word.
func askedURLs(cfgs []*checks.Config) []string {
	var out []string
	for _, c := range cfgs {
		out = append(out, c.App.Website, c.OAuth.StartURL, c.OAuth.AuthorizeURL)
		out = append(out, c.App.RedirectURIs...)
		for _, steps := range [][]checks.Step{c.OAuth.Steps, c.OAuth.After} {
			for _, s := range steps {
				if s.Goto != "" {
					out = append(out, s.Goto)
				}
			}
		}
	}
	return out
}

// refusalText is one refusal in words: what was asked for and why not.
func refusalText(r egress.Refusal) string {
	what := r.URL
	if what == "" {
		what = "a connection to " + r.Host
	}
	return fmt.Sprintf("%s: %s is an internal address (%s); --allow-private allows it", what, r.Addr, r.What)
}

// noteRefusals adds to where the flow stalled the internal addresses the
// browser was refused meanwhile, so the finding says why the flow could not
// go on ("… redirects to an internal address 169.254.169.254"). Only a run
// with one app at a time may do this: the browser and its refusals are
// shared, and another app's refusal must not be blamed on this one.
func noteRefusals(tr *oauthflow.Trace, refused []egress.Refusal) {
	if tr == nil || tr.Stalled == nil || len(refused) == 0 {
		return
	}
	var parts []string
	seen := map[string]bool{}
	for _, r := range refused {
		if t := refusalText(r); !seen[t] && len(parts) < 3 {
			seen[t] = true
			parts = append(parts, t)
		}
	}
	tr.Stalled.Reason += "; pinready refused to load " + strings.Join(parts, "; ")
}
