package oauthflow

import (
	"slices"
	"strings"

	"github.com/pinready/pinready/checks"
)

func (a *assessor) state() checks.Finding {
	const id = "oauth.state"
	az := a.t.Authorize
	if az == nil {
		return a.notReached(id, "state could not be checked")
	}
	ev := a.authorizeEvidence()
	minLen := a.params(id).Int("min_length")
	switch {
	case !az.HasState || az.State == "":
		return checks.Fail(id, "the authorize URL has no state: nothing ties Pinterest's answer to the user who clicked Connect").With(ev)
	case len(az.State) < minLen:
		return checks.Fail(id, "state %q has %d characters; use at least %d random ones", az.State, len(az.State), minLen).With(ev)
	case a.t.SecondAuthorize != nil && a.t.SecondAuthorize.State == az.State:
		return checks.Fail(id, "two separate connects sent the same state %q: it is fixed, so it protects nothing", az.State).With(ev)
	case a.t.Callback == nil:
		return a.notReached(id, "state is present, but whether the app checks it could not be seen")
	case !a.t.Callback.HasState || a.t.Callback.State != az.State:
		return checks.Fail(id, "the callback's state %q is not the one sent (%q)", a.t.Callback.State, az.State).
			With(&checks.Evidence{URL: a.t.Callback.URL, Screenshot: a.t.Callback.Screenshot})
	}
	msg := "state has %d characters and came back unchanged"
	if a.t.SecondAuthorize != nil {
		msg += "; a second connect sent a different one"
	}
	return checks.Pass(id, msg, len(az.State)).With(ev)
}

func (a *assessor) scopes() checks.Finding {
	const id = "oauth.scopes"
	az := a.t.Authorize
	if az == nil {
		return a.notReached(id, "the requested scopes could not be checked")
	}
	ev := a.authorizeEvidence()
	raw := strings.TrimSpace(az.Scope)
	if raw == "" {
		return checks.Fail(id, "the authorize URL requests no scope").With(ev)
	}
	var problems []string
	if strings.ContainsAny(raw, " \t+") {
		problems = append(problems, "the scopes are separated by spaces; Pinterest expects commas (scope=boards:read,pins:read)")
	}
	var declared []string
	if a.cfg != nil {
		declared = a.cfg.App.Scopes
	}
	var invalid, undeclared []string
	for s := range strings.FieldsFuncSeq(raw, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '+' }) {
		switch {
		case !checks.IsScope(s):
			invalid = append(invalid, s)
		case !slices.Contains(declared, s):
			undeclared = append(undeclared, s)
		}
	}
	if len(invalid) > 0 {
		problems = append(problems, "not Pinterest v5 scopes: "+strings.Join(invalid, ", "))
	}
	if len(undeclared) > 0 {
		problems = append(problems, "requested but not in app.scopes: "+strings.Join(undeclared, ", "))
	}
	if len(problems) > 0 {
		return checks.Fail(id, "scope=%s: %s", raw, strings.Join(problems, "; ")).With(ev)
	}
	return checks.Pass(id, "requests %s, all declared in app.scopes", raw).With(ev)
}
