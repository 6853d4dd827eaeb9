// Package privacy audits the app's privacy policy and homepage the way a
// Pinterest reviewer opens them: it fetches them with a plain HTTP client made
// for hostile servers, renders them in headless Chromium only when the static
// HTML cannot be judged, and checks that the policy is public, on the app's
// own domain, really a policy, and linked from the homepage.
//
// Gathering (fetch.go, render.go, view.go) is kept apart from judging
// (access.go, domain.go, content.go, links.go): the rules are functions from
// what was gathered to findings.
package privacy

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/browser"
	"github.com/pinready/pinready/internal/redact"
	"github.com/pinready/pinready/internal/resolve"
)

// Rules are the ids Audit reports, one finding each.
var Rules = []string{
	"privacy.url",
	"privacy.reachable",
	"privacy.public",
	"privacy.renders",
	"privacy.https",
	"privacy.format",
	"privacy.hosting",
	"privacy.domain",
	"privacy.is-policy",
	"privacy.placeholder",
	"privacy.names-app",
	"privacy.topics",
	"privacy.pinterest",
	"privacy.updated",
	"privacy.linked",
	"site.homepage",
}

// Render modes for Options.Render (the --render flag of `check`).
const (
	RenderAuto   = "auto"   // only when the static HTML has too little text, or to confirm a 403/429
	RenderAlways = "always" // every HTML page is also opened in Chromium
	RenderNever  = "never"  // no browser: JavaScript-only pages are skipped, not judged
)

// Options are what main hands the audit.
type Options struct {
	Resolve resolve.Map
	Browser *browser.Lazy // started only when rendering is needed
	Timeout time.Duration // per request and per page (--timeout, default 15s)
	Render  string        // RenderAuto (default), RenderAlways or RenderNever
	// EvidenceDir (--evidence DIR) gets a PNG of every page opened in the
	// browser: pages that needed rendering, every page with Render always,
	// and, once something else has started the browser, every HTML page. A
	// screenshot alone never starts Chromium, so a server-rendered policy
	// stays browser-free and its evidence is URL, status, redirects, excerpt.
	EvidenceDir string
	Progress    io.Writer // short progress lines for stderr; may be nil

	// roots replaces the system's certificate authorities; tests use it to
	// trust their own HTTPS fixtures.
	roots *x509.CertPool
}

// DefaultTimeout is --timeout's default.
const DefaultTimeout = 15 * time.Second

// Audit returns one finding per id in Rules. If the browser is needed but
// cannot start, the rules that needed it get status error, the others are
// still returned, and the *checks.CannotRunError is returned as err.
func Audit(ctx context.Context, cfg *checks.Config, rs *checks.Ruleset, o Options) ([]checks.Finding, error) {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Render == "" {
		o.Render = RenderAuto
	}
	switch o.Render {
	case RenderAuto, RenderAlways, RenderNever:
	default:
		return nil, &checks.UsageError{Msg: fmt.Sprintf("--render %q: want auto, always or never", o.Render)}
	}
	a := &auditor{cfg: cfg, rs: rs, o: o, found: map[string]checks.Finding{}}
	a.fetch = newFetcher(o, a.params("privacy.reachable"), o.roots)

	policy := a.auditPolicy(ctx)
	home := a.auditHomepage(ctx, policy)
	a.blockUnreached(policy, home)

	out := make([]checks.Finding, 0, len(Rules))
	for _, id := range Rules {
		f, ok := a.found[id]
		if !ok { // a bug: every path above reports every rule
			f = checks.Errorf(id, "the privacy audit did not evaluate this rule")
		}
		out = append(out, f)
	}
	if ctx.Err() != nil {
		return out, ctx.Err()
	}
	return out, a.cannotRun
}

// auditor carries one run's inputs and collects its findings.
type auditor struct {
	cfg       *checks.Config
	rs        *checks.Ruleset
	o         Options
	fetch     *fetcher
	found     map[string]checks.Finding
	cannotRun error // the first *checks.CannotRunError met
}

func (a *auditor) params(id string) checks.Params {
	if r := a.rs.Get(id); r != nil && r.Params != nil {
		return r.Params
	}
	return checks.Params{}
}

// report keeps a finding, masked by internal/redact: messages and evidence
// quote URLs (app.website may carry userinfo) and pages we do not control.
func (a *auditor) report(f checks.Finding) { a.found[f.Rule] = redact.Finding(f) }

// skipAll skips every listed rule that has no finding yet.
func (a *auditor) skipAll(ids []string, format string, args ...any) {
	for _, id := range ids {
		if _, ok := a.found[id]; !ok {
			a.report(checks.Skip(id, format, args...))
		}
	}
}

// errorAll gives every listed rule without a finding status error.
func (a *auditor) errorAll(ids []string, format string, args ...any) {
	for _, id := range ids {
		if _, ok := a.found[id]; !ok {
			a.report(checks.Errorf(id, format, args...))
		}
	}
}

func (a *auditor) progress(format string, args ...any) {
	if a.o.Progress != nil {
		fmt.Fprint(a.o.Progress, redact.Text(fmt.Sprintf("privacy: "+format+"\n", args...)))
	}
}

// noteCannotRun keeps the first error that means a check could not run.
func (a *auditor) noteCannotRun(err error) {
	var cr *checks.CannotRunError
	if a.cannotRun == nil && errors.As(err, &cr) {
		a.cannotRun = cr
	}
}
