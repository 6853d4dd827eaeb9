package oauthflow

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pinready/pinready/checks"
)

func (a *assessor) noCredentials() checks.Finding {
	const id = "oauth.no-credentials"
	prompts := a.params(id).Strings("prompts")
	if tr := a.t.Terminal; tr != nil && tr.Prompt != nil {
		return checks.Fail(id, "the command asked for a password in the terminal (line %d: %q) during step %s; an app must never ask for a Pinterest password, "+
			"and pinready never types one: if it is another secret (a keyring's), give it through oauth.env", tr.Prompt.Line, tr.Prompt.Text, tr.Prompt.Step).
			With(&checks.Evidence{Excerpt: tr.Prompt.Text}).About("oauth.command")
	}
	// Password fields first: they are the plainest evidence.
	fields := slices.Clone(a.t.Fields)
	slices.SortStableFunc(fields, func(x, y FormField) int {
		return strings.Compare(fmt.Sprint(x.Type != "password"), fmt.Sprint(y.Type != "password"))
	})
	for _, f := range fields {
		form := strings.ToLower(f.FormText)
		ev := &checks.Evidence{URL: f.URL, Excerpt: clip(f.FormText, 300), Screenshot: f.Screenshot}
		if f.Type == "password" {
			// The app's own sign-in, filled by oauth.steps, is fine unless
			// the form around it talks about Pinterest.
			if f.FilledByStep && !strings.Contains(form, "pinterest") && !containsAny(form, prompts) {
				continue
			}
			return checks.Fail(id, "step %s: %s shows a password field (%s) before Pinterest's authorize page: %q",
				f.Step, f.URL, f.Field, clip(f.FormText, 160)).With(ev)
		}
		// Prose such as "we never ask for your Pinterest password" is fine;
		// a field whose label asks for it is not.
		for _, p := range prompts {
			if strings.Contains(form, strings.ToLower(p)) {
				return checks.Fail(id, "step %s: %s has a field (%s) asking for %q before Pinterest's authorize page",
					f.Step, f.URL, f.Field, p).With(ev)
			}
		}
	}
	if a.t.Authorize == nil {
		return a.notReached(id, "not every app page before authorization could be seen")
	}
	if a.t.Terminal != nil {
		return checks.Pass(id, "the command asked for no password in the terminal: the user signs in on Pinterest's own page")
	}
	return checks.Pass(id, "no app page before the authorize page asked for a password, a Pinterest login or a session cookie")
}

func containsAny(lower string, words []string) bool {
	for _, w := range words {
		if strings.Contains(lower, strings.ToLower(w)) {
			return true
		}
	}
	return false
}

func (a *assessor) consent() checks.Finding {
	const id = "oauth.consent"
	c := a.t.Consent
	ev := &checks.Evidence{URL: c.URL, Status: c.Status, Excerpt: c.Excerpt, Screenshot: c.Screenshot}
	switch {
	case a.t.Authorize == nil:
		return a.notReached(id, "Pinterest's consent page was never reached")
	case !c.Shown:
		msg := "Pinterest's authorize page did not show its approve control"
		if c.Status >= 400 {
			msg += fmt.Sprintf(" (it answered HTTP %d)", c.Status)
		}
		if c.Excerpt != "" {
			msg += fmt.Sprintf(": %q", clip(c.Excerpt, 200))
		}
		return checks.Fail(id, "%s", msg).With(ev).About("oauth.approve_selector")
	case !c.Approved:
		return a.notReached(id, "the consent page was shown but approving it did not lead anywhere")
	}
	return checks.Pass(id, "the consent page was shown and approved").With(ev)
}

func (a *assessor) tokenExposure() checks.Finding {
	const id = "oauth.token-exposure"
	// What the grammar (internal/redact) found in the raw data at capture.
	found := slices.Clone(a.t.Exposures)
	// Patterns a user added never ran at capture time: run them over the
	// masked evidence (masking hides only what the grammar knows).
	for _, p := range a.params(id).Strings("patterns") {
		re, err := checks.Regexp(p)
		if err != nil {
			return checks.Errorf(id, "pattern %q in the rules file: %v", p, err)
		}
		found = append(found, a.scanMasked(re)...)
	}
	if len(found) > 0 {
		e := found[0]
		var wheres []string
		for _, f := range found {
			if w := f.describe(); !slices.Contains(wheres, w) {
				wheres = append(wheres, w)
			}
		}
		f := checks.Fail(id, "a token is readable in the browser: %s", strings.Join(wheres, "; ")).
			With(&checks.Evidence{URL: e.URL, Excerpt: e.Excerpt})
		if lines := terminalLines(found); lines != "" {
			f = checks.Fail(id, "a token is printed in clear in the terminal (%s), so the video and anyone watching read it", lines).
				With(&checks.Evidence{Excerpt: e.Excerpt})
		}
		if e.Where == "terminal" {
			f = f.About("oauth.command")
		}
		return f
	}
	if a.t.Callback == nil {
		return a.notReached(id, "what the app does with the token after the callback could not be seen")
	}
	n := a.t.Network
	if tr := a.t.Terminal; tr != nil {
		return checks.Pass(id, "no token in the %d lines the command printed, %d URLs, %d page texts or %d console messages",
			len(tr.Lines), len(a.t.Navigations), len(a.t.Pages), len(a.t.Console))
	}
	return checks.Pass(id, "no token in %d URLs, %d page texts, %d HTML sources, %d storage snapshots, %d console messages, %d fetch/XHR responses, %d WebSocket frames or %d postMessage payloads",
		len(a.t.Navigations), len(a.t.Pages), n.Documents, len(a.t.Snapshots), len(a.t.Console), n.Responses, n.Frames, n.Messages)
}

// terminalLines names the lines of the command's output that printed the
// exposures ("line 11", "lines 11 and 13"); "" unless every exposure is
// in the terminal.
func terminalLines(es []Exposure) string {
	var ns []string
	for _, e := range es {
		if e.Where != "terminal" {
			return ""
		}
		if n := strconv.Itoa(e.Line); !slices.Contains(ns, n) {
			ns = append(ns, n)
		}
	}
	switch len(ns) {
	case 0:
		return ""
	case 1:
		return "line " + ns[0]
	}
	return "lines " + strings.Join(ns[:len(ns)-1], ", ") + " and " + ns[len(ns)-1]
}

// scanMasked runs a user's pattern over everything the trace kept.
func (a *assessor) scanMasked(re *regexp.Regexp) []Exposure {
	var out []Exposure
	add := func(where, url, text string) {
		if loc := re.FindStringIndex(text); loc != nil {
			out = append(out, Exposure{Where: where, URL: url, Pattern: re.String(), Excerpt: excerptAround(text, loc[0], loc[1])})
		}
	}
	for _, n := range a.t.Navigations {
		add("url", n.URL, n.URL)
	}
	for _, p := range a.t.Pages {
		add("page-text", p.URL, p.Text)
		add("title", p.URL, p.Title)
	}
	for _, s := range a.t.Snapshots {
		for k, v := range s.LocalStorage {
			add("localStorage", s.Origin, k+"="+v)
		}
		for k, v := range s.SessionStorage {
			add("sessionStorage", s.Origin, k+"="+v)
		}
		for k, v := range s.Cookies {
			add("cookie", s.Origin, k+"="+v)
		}
	}
	for _, c := range a.t.Console {
		add("console", c.URL, c.Text)
	}
	if tr := a.t.Terminal; tr != nil {
		for _, l := range tr.Lines {
			if loc := re.FindStringIndex(l.Text); loc != nil {
				out = append(out, Exposure{Where: "terminal", Line: l.N, Pattern: re.String(), Excerpt: excerptAround(l.Text, loc[0], loc[1])})
			}
		}
	}
	return out
}

func (a *assessor) liveIntegration() checks.Finding {
	const id = "demo.live-integration"
	if cb := a.t.Callback; cb != nil && !a.t.Success.Found {
		// A failure page after the callback is the root cause: said once,
		// by oauth.callback.
		why := ""
		if fp := a.failurePage(); fp != nil && cb.Status < 400 {
			why = "the app showed its failure page after the callback: " + fp.words
		} else if cb.Status >= 400 && cb.Error == "" {
			why = fmt.Sprintf("the callback page answered HTTP %d", cb.Status)
		}
		if why != "" {
			f := checks.Blocked(id, rootCallback)
			f.Message = "not reached: " + why + " (oauth.callback), so no live data could follow"
			return f
		}
	}
	if a.t.Terminal != nil {
		return a.terminalLiveIntegration()
	}
	s := a.t.Success
	problem, did := a.story().witnessProblem()
	ev := &checks.Evidence{URL: s.URL, Excerpt: s.Excerpt, Screenshot: s.Screenshot}
	switch {
	case s.Proof == "" && a.t.Callback == nil && a.cfg != nil && (a.cfg.OAuth.SuccessText != "" || a.cfg.OAuth.SuccessSelector != ""):
		// The proof is configured; the flow stopped before it could be looked for.
		return a.notReached(id, "the app was never connected")
	case a.t.Callback != nil && problem != "":
		f := checks.Fail(id, "after the callback the app %s", problem).With(ev)
		if s.Found {
			f.Message += fmt.Sprintf("; the page's %s is therefore no proof", s.Proof)
		}
		return f
	case s.Proof == "":
		f := checks.Fail(id, "no proof of live data is configured: set oauth.success_text (text the app shows only with data read from Pinterest, e.g. a board name) or oauth.success_selector").About("oauth.success_text")
		if did != "" {
			f.Message += "; the witness saw that after the callback the app " + did + ": prove what it shows of them"
		}
		return f
	case s.Found && did != "":
		return checks.Pass(id, "after the callback the app %s; the page then showed %s", did, s.Proof).With(ev)
	case s.Found:
		return checks.Pass(id, "after connecting, the app shows %s", s.Proof).With(ev)
	case a.t.Callback == nil:
		return a.notReached(id, "the app was never connected")
	}
	f := checks.Fail(id, "after connecting, the app never showed %s (the page at %s)", s.Proof, s.URL).With(ev)
	if did != "" {
		f.Message += ", although it " + did
	}
	return f
}

// terminalLiveIntegration is demo.live-integration for a terminal flow: the
// proof is a line of the command's output.
func (a *assessor) terminalLiveIntegration() checks.Finding {
	const id = "demo.live-integration"
	s := a.t.Success
	field := "oauth.success_text"
	if a.cfg != nil && a.cfg.OAuth.SuccessPattern != "" {
		field = "oauth.success_pattern"
	}
	ev := &checks.Evidence{Excerpt: s.Excerpt}
	problem, did := a.story().witnessProblem()
	switch {
	case a.t.Callback == nil:
		return a.notReached(id, "the command was never connected")
	case problem != "":
		f := checks.Fail(id, "after the callback the command %s", problem).With(ev).About("oauth.command")
		if s.Found {
			f.Message += fmt.Sprintf("; the output's %s is therefore no proof", s.Proof)
		}
		return f
	case s.Proof == "":
		f := checks.Fail(id, "no proof of live data is configured: set oauth.success_text (or oauth.success_pattern) to what the command prints only with data read from Pinterest, e.g. \"Username: \" or a board's name").About("oauth.success_text")
		if did != "" {
			f.Message += "; the witness saw that after the callback the command " + did + ": prove what it prints of them"
		}
		return f
	case s.Found && did != "":
		return checks.Pass(id, "after the callback the command %s; its output then showed %s (%s)", did, s.Proof, s.Excerpt).With(ev)
	case s.Found:
		return checks.Pass(id, "after the callback, the command printed %s (%s)", s.Proof, s.Excerpt).With(ev)
	case a.t.Stalled != nil:
		return checks.Fail(id, "after connecting, the command never printed %s: %s", s.Proof, a.t.Stalled.Reason).With(&checks.Evidence{Detail: a.t.Stalled.Reason}).About(field)
	}
	return checks.Fail(id, "after connecting, the command never printed %s", s.Proof).About(field)
}
