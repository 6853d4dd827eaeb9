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
	case (!az.HasState || az.State == "") && az.PKCE != nil && strings.EqualFold(az.PKCE.Method, "S256"):
		return checks.Fail(id, "the authorize URL has no state, only a PKCE code_challenge (S256); Pinterest documents state and does not document PKCE, "+
			"so the challenge may be ignored and then nothing ties Pinterest's answer to the user who clicked Connect: send state as well "+
			"(Auth.js: checks: [\"pkce\", \"state\"])").With(ev)
	case (!az.HasState || az.State == "") && az.PKCE != nil:
		return checks.Fail(id, "the authorize URL has no state, and its PKCE challenge is method %s, which sends the verifier's own value: it protects nothing against an attacker who sees the URL; send state, and use code_challenge_method=S256", az.PKCE.Method).With(ev)
	case (!az.HasState || az.State == "") && a.t.Terminal != nil:
		return checks.Fail(id, "the authorize URL the command opened has no state: anything that reaches its loopback listener with a code is taken "+
			"for Pinterest's answer (Pinterest's bash quickstart sends none; its Python one does)").With(ev)
	case !az.HasState || az.State == "":
		return checks.Fail(id, "the authorize URL has no state: nothing ties Pinterest's answer to the user who clicked Connect").With(ev)
	case len(az.State) < minLen:
		return checks.Fail(id, "state %q has %d characters; use at least %d random ones", checks.Shorten(az.State, 40), len(az.State), minLen).With(ev)
	case a.t.SecondAuthorize != nil && a.t.SecondAuthorize.State == az.State:
		return checks.Fail(id, "two separate connects sent the same state %q: it is fixed, so it protects nothing", checks.Shorten(az.State, 40)).With(ev)
	case a.t.Callback == nil:
		return a.notReached(id, "state is present, but whether the app checks it could not be seen")
	case !a.t.Callback.HasState || a.t.Callback.State != az.State:
		return checks.Fail(id, "the callback's state %q is not the one sent (%q)", checks.Shorten(a.t.Callback.State, 40), checks.Shorten(az.State, 40)).
			With(&checks.Evidence{URL: a.t.Callback.URL, Screenshot: a.t.Callback.Screenshot, Detail: "sent state " + az.State + "; callback state " + a.t.Callback.State})
	}
	msg := "state has %d characters and came back unchanged"
	if a.t.SecondAuthorize != nil {
		msg += "; a second connect sent a different one"
	}
	if p := az.PKCE; p != nil {
		msg += "; PKCE (" + p.Method + ") is sent too"
		if !strings.EqualFold(p.Method, "S256") {
			msg += ", but method plain adds nothing: use S256"
		}
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
