package oauthflow

import (
	"fmt"
	"regexp"
	"sync"

	"github.com/pinready/pinready/checks"
)

// Trial's production trap (demo.trial-sandbox). A Trial app may create Pins
// only in the API sandbox: on api.pinterest.com Pinterest answers 403, code
// 29, "Apps with Trial access may not create Pins in production … use API
// Sandbox https://api-sandbox.pinterest.com instead" (gitroomhq/postiz-app
// #1084, rules.yaml). Its demo then shows no Pin being created, and the
// upgrade is denied for "Demo did not show Pinterest integration". It is
// seen by the witness (a write on the production host, a code-29 answer),
// or on a real run wherever the app passed Pinterest's words on: its pages,
// its console, what its page scripts read, its terminal output.

// trialRefusalWords is Pinterest's code-29 message, as apps pass it on
// (whole, or "Apps with Trial access may not create Pins in production").
// Users add their app's own wording with the rule's patterns.
var trialRefusalWords = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)apps? with trial access (?:may|can|could) ?not create pins`)
})

// productionWrite: a call that creates a Pin or a board on the production API.
func productionWrite(c WitnessCall) bool {
	return c.API == "production" && c.Method == "POST" && (c.Path == "/v5/pins" || c.Path == "/v5/boards")
}

// sandboxWrite: the same in the sandbox, which is where a Trial app writes.
func sandboxWrite(c WitnessCall) bool {
	return c.API == "sandbox" && c.Method == "POST" && (c.Path == "/v5/pins" || c.Path == "/v5/boards")
}

func (a *assessor) trialSandbox() checks.Finding {
	const id = "demo.trial-sandbox"
	actor := "the app"
	if a.t.Terminal != nil {
		actor = "the command"
	}
	trial := a.cfg == nil || a.cfg.App.Access == "" || a.cfg.App.Access == "trial"
	var sandboxed []WitnessCall
	if w := a.t.Witness; w != nil {
		var refused, written []WitnessCall
		for _, c := range w.Calls {
			switch {
			case productionWrite(c) && c.Code == 29:
				refused = append(refused, c)
			case productionWrite(c) && c.Status < 300 && (c.Access == "trial" || c.Access == "" && trial):
				written = append(written, c)
			case sandboxWrite(c):
				sandboxed = append(sandboxed, c)
			}
		}
		if len(refused) > 0 {
			c := refused[0]
			return checks.Fail(id, "%s called %s on the production host (%s) with Trial access, and Pinterest refused it (HTTP %d, code 29: %q): "+
				"the demo shows no Pin being created", actor, c.Method+" "+c.Path, c.Host, c.Status, clip(c.Message, 200)).
				With(&checks.Evidence{URL: a.t.Witness.URL, Excerpt: clip(c.Message, 300)})
		}
		if len(written) > 0 {
			return checks.Fail(id, "%s created entities on the production host (%s on %s) with Trial access; a Trial app's Pins can be created only in the API sandbox "+
				"(on production Pinterest answers code 29), so the demo's writes belong there", actor, calls(written), written[0].Host).
				With(&checks.Evidence{URL: a.t.Witness.URL})
		}
	}
	if f, ok := a.trialRefusalSeen(id, actor); ok {
		return f
	}
	switch {
	case len(sandboxed) > 0:
		return checks.Pass(id, "%s wrote to the API sandbox (%s on %s), where a Trial app creates Pins", actor, calls(sandboxed), sandboxed[0].Host)
	case !trial && a.t.Witness != nil:
		return checks.Pass(id, "app.access is standard: %s may create Pins on the production host", actor)
	case a.t.Witness != nil && a.t.Callback != nil:
		return checks.Pass(id, "%s created no Pin or board on the production host (the witness saw every call)", actor)
	case a.t.Callback == nil:
		return a.notReached(id, "what the app does with the token could not be seen")
	}
	return checks.Pass(id, "no page text, console message, fetch/XHR response or terminal line showed Pinterest's refusal of a Trial app in production (code 29)")
}

// trialRefusalSeen looks for Pinterest's code-29 words where the app
// showed them: fetch/XHR bodies (found at capture), page texts, console
// messages, terminal lines; and for the rule's own patterns there too.
func (a *assessor) trialRefusalSeen(id, actor string) (checks.Finding, bool) {
	res := []*regexp.Regexp{trialRefusalWords()}
	for _, p := range a.params(id).Strings("patterns") {
		re, err := checks.Regexp(p)
		if err != nil {
			return checks.Errorf(id, "pattern %q in the rules file: %v", p, err), true
		}
		res = append(res, re)
	}
	find := func(text string) (string, bool) {
		for _, re := range res {
			if loc := re.FindStringIndex(text); loc != nil {
				return excerptAround(text, loc[0], loc[1]), true
			}
		}
		return "", false
	}
	fail := func(where, excerpt string, ev *checks.Evidence) (checks.Finding, bool) {
		ev.Excerpt = clip(excerpt, 300)
		f := checks.Fail(id, "%s shows Pinterest's refusal of a Trial app in production (code 29): %q: %s created Pins on api.pinterest.com, "+
			"where Trial apps may not, so the demo shows no Pin being created", where, clip(excerpt, 200), actor).With(ev)
		if a.cfg != nil && a.cfg.App.Access == "standard" {
			f.Message += "; app.access says standard, but Pinterest answered as to a Trial app"
		}
		return f, true
	}
	for _, r := range a.t.TrialRefusals {
		return fail(Exposure{Where: r.Where, Endpoint: r.Endpoint, URL: r.URL}.describe(), r.Excerpt, &checks.Evidence{URL: r.URL})
	}
	for _, p := range a.t.Pages {
		if p.BeforeAuthorize {
			continue
		}
		if ex, ok := find(p.Text); ok {
			return fail("the page "+pathOf(p.URL), ex, &checks.Evidence{URL: p.URL, Screenshot: p.Screenshot})
		}
	}
	for _, c := range a.t.Console {
		if ex, ok := find(c.Text); ok {
			return fail("a console "+c.Type+" message", ex, &checks.Evidence{URL: c.URL})
		}
	}
	if tr := a.t.Terminal; tr != nil {
		for _, l := range tr.Lines {
			if ex, ok := find(l.Text); ok {
				f, _ := fail(fmt.Sprintf("the command's output (line %d)", l.N), ex, &checks.Evidence{})
				return f.About("oauth.command"), true
			}
		}
	}
	return checks.Finding{}, false
}
