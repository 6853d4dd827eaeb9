package oauthflow

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/redact"
)

// Assess judges a Trace: one finding per id in Rules, in that order. It is
// pure; rule parameters come from rs (rules.yaml defaults when rs or the
// rule is missing).
func Assess(cfg *checks.Config, rs *checks.Ruleset, t *Trace) []checks.Finding {
	if t == nil {
		t = &Trace{Stalled: &Stall{Reason: "the flow did not run"}}
	}
	a := &assessor{cfg: cfg, rs: rs, t: t}
	out := []checks.Finding{
		a.authorize(), a.clientID(), a.responseType(), a.redirectURI(),
		a.redirectHTTPS(), a.state(), a.scopes(), a.noCredentials(),
		a.consent(), a.callback(), a.tokenExposure(), a.liveIntegration(), a.trialSandbox(),
	}
	// The trace is masked, but the authorize parameters the rules compare
	// are kept raw, and the config's URLs may carry userinfo: every message
	// and evidence goes through internal/redact.
	for i := range out {
		out[i] = redact.Finding(out[i])
	}
	return out
}

type assessor struct {
	cfg *checks.Config
	rs  *checks.Ruleset
	t   *Trace
}

// defaultParams mirror rules.yaml, for callers that pass no ruleset
// (built on first use, not at every start of every command).
var defaultParams = sync.OnceValue(func() map[string]checks.Params {
	return map[string]checks.Params{
		"oauth.state": {"min_bits": 60, "min_length": 0},
		"oauth.callback": {
			"error_params":     []any{"error", "error_description", "error_code"},
			"failure_phrases":  []any{"login failure", "login failed", "sign-in failed", "sign in failed", "unable to sign in", "authentication error", "authentication failed", "authorization failed", "access denied", "server error", "something went wrong", "try signing in with a different account"},
			"failure_titles":   []any{"error", "oops", "failure"},
			"failure_messages": []any{"failed to obtain access token", "unable to verify authorization request state", "an error occurred while attempting to login via your third-party account"},
		},
		"demo.trial-sandbox":   {"patterns": []any{}},
		"oauth.no-credentials": {"prompts": []any{"pinterest password", "pinterest login", "pinterest email and password", "session cookie", "_pinterest_sess", "paste your cookie", "pinterest credentials"}},
		// The token grammar is internal/redact's and always runs; users add
		// shapes of their own (an in-house session token) here.
		"oauth.token-exposure": {"patterns": []any{}},
	}
})

func (a *assessor) params(id string) checks.Params {
	if a.rs != nil {
		if r := a.rs.Get(id); r != nil && r.Params != nil {
			return r.Params
		}
	}
	return defaultParams()[id]
}

// The flow's milestones, in order: the rule that judges each one is the
// root cause when the flow stops there.
const (
	rootAuthorize = "oauth.authorize"
	rootConsent   = "oauth.consent"
	rootCallback  = "oauth.callback"
)

// stallRoot is the rule whose milestone the flow did not pass: the connect
// control never reached Pinterest, Pinterest never showed (or never let the
// user approve) its consent page, or the browser never came back to the app.
func (a *assessor) stallRoot() string {
	switch {
	case a.t.Authorize == nil:
		return rootAuthorize
	case !a.t.Consent.Shown || !a.t.Consent.Approved:
		return rootConsent
	case a.t.Callback == nil:
		return rootCallback
	}
	return ""
}

// notReached judges a rule the flow never got to. The rule of the milestone
// where the flow stopped fails, saying where and why, with the screenshot and
// the config key to fix; every other rule is skipped as blocked by it, so a
// stalled flow is one failure, not five.
func (a *assessor) notReached(id, what string) checks.Finding {
	if root := a.stallRoot(); root != "" && root != id {
		return checks.Blocked(id, root)
	}
	s := a.t.Stalled
	if s == nil {
		return checks.Fail(id, "%s: the flow did not get that far", what)
	}
	where := s.Step
	if s.URL != "" && !strings.HasPrefix(s.URL, "chrome-error:") { // Chromium's error page says nothing
		where += " at " + checks.Shorten(s.URL, 100)
	}
	f := checks.Fail(id, "%s: the flow stopped at step %s: %s", what, where, humanReason(s.Reason)).
		With(&checks.Evidence{URL: s.URL, Screenshot: s.Screenshot, Detail: s.Reason})
	if field := a.stepField(s.Step); field != "" {
		f = f.About(field)
	}
	return f
}

// humanReason puts Chromium's network error codes in a stall reason into
// words a web developer acts on ("could not open https://shop.example/: the
// host name shop.example does not resolve (DNS)"); the raw reason stays in
// the evidence.
func humanReason(reason string) string {
	m := netErrorCode().FindStringSubmatchIndex(reason)
	if m == nil {
		return reason
	}
	code := reason[m[2]:m[3]]
	words, ok := chromiumNetErrors()[code]
	if !ok {
		return reason
	}
	host := "the server"
	if u := openedURL().FindStringSubmatch(reason[:m[0]]); u != nil {
		if pu, err := url.Parse(u[1]); err == nil && pu.Hostname() != "" {
			host = pu.Hostname()
		}
	}
	prefix := strings.TrimSuffix(strings.TrimSpace(reason[:m[0]]), "page load error")
	return strings.TrimSpace(prefix) + " " + strings.ReplaceAll(words, "HOST", host) + reason[m[1]:]
}

// Compiled on first use: most runs end no navigation with an error.
var (
	netErrorCode = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`net::(ERR_[A-Z_]+)`) })
	openedURL    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`could not open (\S+): `) })
)

// chromiumNetErrors are the net::ERR_ codes a navigation most often ends
// with, in plain words (HOST is the host the browser tried).
var chromiumNetErrors = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"ERR_NAME_NOT_RESOLVED":        "the host name HOST does not resolve (DNS)",
		"ERR_CONNECTION_REFUSED":       "HOST refused the connection (nothing listens on that port)",
		"ERR_CONNECTION_TIMED_OUT":     "the connection to HOST timed out",
		"ERR_CONNECTION_RESET":         "HOST reset the connection",
		"ERR_CERT_AUTHORITY_INVALID":   "HOST's certificate is not from a trusted authority",
		"ERR_CERT_DATE_INVALID":        "HOST's certificate has expired or is not yet valid",
		"ERR_CERT_COMMON_NAME_INVALID": "HOST's certificate is for another host name",
		"ERR_TOO_MANY_REDIRECTS":       "HOST redirects too many times",
		"ERR_ADDRESS_UNREACHABLE":      "HOST is unreachable",
		"ERR_EMPTY_RESPONSE":           "HOST closed the connection without answering",
		"ERR_INTERNET_DISCONNECTED":    "the machine has no network",
		"ERR_SSL_PROTOCOL_ERROR":       "the TLS handshake with HOST failed",
		"ERR_BLOCKED_BY_CLIENT":        "pinready blocked the request",
	}
})

// stepField maps a step name to the config key that drives it.
func (a *assessor) stepField(step string) string {
	if n, ok := strings.CutPrefix(step, "step-"); ok {
		if i, err := strconv.Atoi(n); err == nil && a.cfg != nil && i >= 1 && i <= len(a.cfg.OAuth.Steps) {
			return a.cfg.OAuth.Steps[i-1].Field
		}
	}
	if n, ok := strings.CutPrefix(step, "after-"); ok {
		if i, err := strconv.Atoi(n); err == nil && a.cfg != nil && i >= 1 && i <= len(a.cfg.OAuth.After) {
			return a.cfg.OAuth.After[i-1].Field
		}
	}
	if a.t.Terminal != nil {
		switch step {
		case "run", "connect":
			return "oauth.command"
		case "consent", "approve":
			return "oauth.approve_selector"
		case "exchange", "live-data":
			if a.cfg != nil && a.cfg.OAuth.SuccessPattern != "" {
				return "oauth.success_pattern"
			}
			return "oauth.success_text"
		}
		return ""
	}
	switch step {
	case "open-app":
		return "oauth.start_url"
	case "connect":
		return "oauth.connect_selector"
	case "consent", "approve":
		return "oauth.approve_selector"
	case "live-data":
		return "oauth.success_text"
	}
	return ""
}

// shot returns the screenshot of a step, if it has one.
func (a *assessor) shot(step string) string {
	for _, s := range a.t.Steps {
		if s.Name == step && s.Screenshot != "" {
			return s.Screenshot
		}
	}
	return ""
}

func (a *assessor) authorizeEvidence() *checks.Evidence {
	az := a.t.Authorize
	shot := az.Screenshot
	if shot == "" {
		shot = a.shot("consent")
	}
	return &checks.Evidence{URL: az.URL, Screenshot: shot}
}

func (a *assessor) authorize() checks.Finding {
	const id = "oauth.authorize"
	az := a.t.Authorize
	if tr := a.t.Terminal; tr != nil {
		if az == nil {
			f := a.notReached(id, "the command never opened "+a.t.AuthorizeURL)
			if cc := a.story().clientCredentialsWords(); f.Status == checks.StatusFail && cc != "" {
				f.Message += ". " + strings.ToUpper(cc[:1]) + cc[1:]
			} else if f.Status == checks.StatusFail && tr.ExitCode != nil && *tr.ExitCode == 0 && tr.Prompt == nil {
				f.Message += ". The command finished without the user's consent: if it got its token with client credentials " +
					"(grant_type=client_credentials, the quickstart's --client-credentials option), it read Pinterest as the app's own account, " +
					"which is not the OAuth flow reviewers must see; run the authorization-code flow, which opens Pinterest's consent page"
			}
			return f
		}
		return checks.Pass(id, "the command opened Pinterest's authorize page (%s)", a.openedVia()).With(a.authorizeEvidence())
	}
	if az == nil {
		return a.notReached(id, "the connect control never reached "+a.t.AuthorizeURL)
	}
	where := ""
	if a.t.Popup {
		where = " in a popup window (fine: reviewers accept popups)"
	}
	return checks.Pass(id, "the connect control led to Pinterest's authorize page%s", where).With(a.authorizeEvidence())
}

// openedVia says how a terminal flow's command opened the authorize page.
func (a *assessor) openedVia() string {
	for _, o := range a.t.Terminal.Opened {
		if a.t.Authorize != nil && o.URL == a.t.Authorize.URL {
			if o.Via == "printed" {
				return fmt.Sprintf("it printed the URL on line %d", o.Line)
			}
			return "through " + o.Via
		}
	}
	return "its URL"
}

func (a *assessor) clientID() checks.Finding {
	const id = "oauth.client-id"
	az := a.t.Authorize
	switch {
	case az == nil:
		return a.notReached(id, "client_id could not be checked")
	case az.ClientID == "":
		return checks.Fail(id, "the authorize URL has no client_id").With(a.authorizeEvidence())
	case a.cfg == nil || a.cfg.App.ID == "":
		return checks.Skip(id, "app.id is not set in the config, so client_id %q cannot be compared; set app.id to your Pinterest app id", az.ClientID)
	case az.ClientID != a.cfg.App.ID:
		return checks.Fail(id, "client_id is %q, but app.id is %q", az.ClientID, a.cfg.App.ID).With(a.authorizeEvidence())
	}
	if az.ClientIDParam != "" {
		return checks.Pass(id, "the client id is %s, the app id (sent as %s, the name Pinterest's own quickstart scripts use)", az.ClientID, az.ClientIDParam).With(a.authorizeEvidence())
	}
	return checks.Pass(id, "client_id is %s, the app id", az.ClientID).With(a.authorizeEvidence())
}

func (a *assessor) responseType() checks.Finding {
	const id = "oauth.response-type"
	az := a.t.Authorize
	switch {
	case az == nil:
		return a.notReached(id, "response_type could not be checked")
	case az.ResponseType == "code":
		return checks.Pass(id, "response_type=code: the app exchanges a code for the token on its server").With(a.authorizeEvidence())
	case az.ResponseType == "":
		return checks.Fail(id, "the authorize URL has no response_type; send response_type=code").With(a.authorizeEvidence())
	case strings.Contains(az.ResponseType, "token"):
		return checks.Fail(id, "response_type=%s asks for the implicit grant, which hands the access token to the browser; Pinterest documents only response_type=code", az.ResponseType).With(a.authorizeEvidence())
	}
	return checks.Fail(id, "response_type=%s; Pinterest expects response_type=code", az.ResponseType).With(a.authorizeEvidence())
}
