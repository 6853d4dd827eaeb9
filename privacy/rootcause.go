package privacy

import (
	"errors"
	"net/url"

	"github.com/pinready/pinready/checks"
)

// blockUnreached names the root cause once. A rule the audit could not judge
// because an earlier step failed (no usable URL, a page that did not load, a
// policy behind a login) is a skip blocked by the rule that failed, not a
// second failure repeating the same error; and a homepage that fails to load
// for the very reason the policy did (same host, same error) is blocked by
// privacy.reachable rather than failing site.homepage again. Real failures
// of a rule are never touched.
func (a *auditor) blockUnreached(policy, home *view) {
	failed := func(id string) bool { return a.found[id].Status == checks.StatusFail }
	block := func(root string, ids ...string) {
		for _, id := range ids {
			if f, ok := a.found[id]; ok && f.Status == checks.StatusSkip && f.BlockedBy == "" {
				a.found[id] = checks.Blocked(id, root)
			}
		}
	}
	everyPolicyRule := append(append([]string{}, policyRules...), contentRules...)

	switch {
	case failed("privacy.url"):
		block("privacy.url", append(everyPolicyRule, "privacy.linked")...)
	case policy != nil && failed("privacy.reachable"):
		a.keepDetail("privacy.reachable", policy)
		block("privacy.reachable", everyPolicyRule...)
	case failed("privacy.public"):
		block("privacy.public", contentRules...)
	}

	if home == nil {
		return
	}
	if ok, _ := home.loaded(); !ok && failed("site.homepage") {
		if policy != nil && failed("privacy.reachable") && sameFailure(policy, home) {
			a.found["site.homepage"] = checks.Blocked("site.homepage", "privacy.reachable")
			block("privacy.reachable", "privacy.linked")
			return
		}
		a.keepDetail("site.homepage", home)
		block("site.homepage", "privacy.linked")
	}
}

// keepDetail puts the raw fetch error in the finding's evidence: the message
// says it in words, the JSON keeps it as it was.
func (a *auditor) keepDetail(id string, v *view) {
	f := a.found[id]
	if v.FetchErr == nil {
		return
	}
	e := &checks.Evidence{}
	if f.Evidence != nil {
		c := *f.Evidence
		e = &c
	}
	e.Detail = v.FetchErr.Error()
	a.found[id] = f.With(e)
}

// sameFailure reports whether two pages failed to load on the same host for
// the same kind of reason (a host that does not resolve fails both).
func sameFailure(a, b *view) bool {
	var ea, eb *fetchError
	if !errors.As(a.FetchErr, &ea) || !errors.As(b.FetchErr, &eb) || ea.Kind != eb.Kind {
		return false
	}
	ua, err1 := url.Parse(a.Requested)
	ub, err2 := url.Parse(b.Requested)
	return err1 == nil && err2 == nil && ua.Hostname() == ub.Hostname()
}
