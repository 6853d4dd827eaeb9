package oauthflow

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/pinready/pinready/checks"
)

func (a *assessor) state() checks.Finding {
	const id = "oauth.state"
	az := a.t.Authorize
	if az == nil {
		return a.notReached(id, "state could not be checked")
	}
	ev := a.authorizeEvidence()
	p := a.params(id)
	minBits := p.Float("min_bits")
	// min_length is pinready 0.1's rule, kept for the rules files that set
	// it: 0 (the default) leaves the judgement to min_bits.
	minLen := p.Int("min_length")
	samples := []string{az.State}
	if a.t.SecondAuthorize != nil && a.t.SecondAuthorize.State != "" && a.t.SecondAuthorize.State != az.State {
		samples = append(samples, a.t.SecondAuthorize.State)
	}
	est := estimateState(samples...)
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
	case a.t.SecondAuthorize != nil && a.t.SecondAuthorize.State == az.State:
		return checks.Fail(id, "two separate connects sent the same state %q: it is fixed, so it protects nothing", checks.Shorten(az.State, 40)).With(ev)
	case est.bits < minBits:
		return checks.Fail(id, "state %q is guessable: about %.0f bits of randomness (%s); use at least %.0f, e.g. 16 random URL-safe characters "+
			"(Python secrets.token_urlsafe(12), Node crypto.randomBytes(12).toString(\"base64url\"))",
			checks.Shorten(az.State, 40), est.bits, est.how, minBits).With(ev)
	case minLen > 0 && len(az.State) < minLen:
		return checks.Fail(id, "state %q has %d characters; use at least %d random ones (min_length in the rules file)", checks.Shorten(az.State, 40), len(az.State), minLen).With(ev)
	case a.t.Callback == nil:
		return a.notReached(id, "state is present, but whether the app checks it could not be seen")
	case !a.t.Callback.HasState || a.t.Callback.State != az.State:
		return checks.Fail(id, "the callback's state %q is not the one sent (%q)", checks.Shorten(a.t.Callback.State, 40), checks.Shorten(az.State, 40)).
			With(&checks.Evidence{URL: a.t.Callback.URL, Screenshot: a.t.Callback.Screenshot, Detail: "sent state " + az.State + "; callback state " + a.t.Callback.State})
	}
	// The estimate of a random state varies from run to run (a sample may
	// lack a letter case): a pass says only that it clears the bound, so
	// reports of two runs compare.
	msg := fmt.Sprintf("state has %d characters (at least %.0f bits of randomness) and came back unchanged", utf8.RuneCountInString(az.State), minBits)
	if a.t.SecondAuthorize != nil {
		msg += "; a second connect sent a different one"
	}
	if p := az.PKCE; p != nil {
		msg += "; PKCE (" + p.Method + ") is sent too"
		if !strings.EqualFold(p.Method, "S256") {
			msg += ", but method plain adds nothing: use S256"
		}
	}
	return checks.Pass(id, "%s", msg).With(ev)
}

// stateEstimate is how much randomness a state shows.
type stateEstimate struct {
	bits float64
	how  string // "12 characters from an alphabet of 62 (letters and digits)"
}

// The alphabets random values are commonly drawn from, smallest first: a
// state is taken to come from the smallest that holds every character
// seen (in every sample given), which never overrates it. Compiled on
// first use: most commands never assess a state.
type stateAlphabet struct {
	size int
	name string
	re   *regexp.Regexp
}

var stateAlphabets = sync.OnceValue(func() []stateAlphabet {
	return []stateAlphabet{
		{10, "digits", regexp.MustCompile(`^[0-9]+$`)},
		{16, "hexadecimal", regexp.MustCompile(`^(?:[0-9a-f]+|[0-9A-F]+)$`)},
		{26, "letters of one case", regexp.MustCompile(`^(?:[a-z]+|[A-Z]+)$`)},
		{32, "base32", regexp.MustCompile(`^(?:[A-Z2-7]+|[a-z2-7]+)$`)},
		{36, "letters of one case and digits", regexp.MustCompile(`^(?:[a-z0-9]+|[A-Z0-9]+)$`)},
		{52, "letters", regexp.MustCompile(`^[a-zA-Z]+$`)},
		{62, "letters and digits", regexp.MustCompile(`^[a-zA-Z0-9]+$`)},
		{64, "base64", regexp.MustCompile(`^(?:[a-zA-Z0-9_-]+|[a-zA-Z0-9+/]+)=*$`)},
		{66, "URL-safe characters", regexp.MustCompile(`^[a-zA-Z0-9._~-]+$`)},
		{95, "printable characters", regexp.MustCompile(`^[\x20-\x7e]+$`)},
	}
})

// uuidState is a UUID, whose version 4 carries 122 random bits.
var uuidState = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$`)
})

// estimateState estimates a state's randomness from its length and the
// smallest common alphabet that holds it (RFC 6749 asks only that it be
// non-guessable; Pinterest documents no length). A value that repeats a
// few characters (aaaa…, abab…) counts only the characters it uses. Two
// samples (--state-twice) show the alphabet better than one.
func estimateState(samples ...string) stateEstimate {
	if len(samples) > 0 && uuidState().MatchString(samples[0]) {
		return stateEstimate{bits: 122, how: "a version 4 UUID"}
	}
	all := strings.Join(samples, "")
	n := utf8.RuneCountInString(strings.TrimRight(samples[0], "="))
	size, name := 0, ""
	for _, al := range stateAlphabets() {
		if al.re.MatchString(all) || (al.size == 64 && allMatch(samples, al.re)) {
			size, name = al.size, al.name
			break
		}
	}
	if size == 0 { // beyond printable ASCII: count what is there
		size, name = 95, "characters beyond ASCII"
	}
	distinct := map[rune]bool{}
	for _, r := range samples[0] {
		distinct[r] = true
	}
	if d := len(distinct); float64(d) < float64(min(n, size))/3 {
		size, name = max(d, 1), "a few repeated characters"
	}
	bits := float64(n) * math.Log2(float64(size))
	return stateEstimate{bits: bits, how: fmt.Sprintf("%d characters from an alphabet of %d (%s)", n, size, name)}
}

// allMatch: every sample matches re on its own (base64 padding ends each).
func allMatch(samples []string, re *regexp.Regexp) bool {
	for _, s := range samples {
		if !re.MatchString(s) {
			return false
		}
	}
	return true
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
