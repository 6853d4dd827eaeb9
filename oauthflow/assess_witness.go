package oauthflow

import (
	"fmt"
	"slices"
	"strings"
)

// story is what the witness saw of this run's authorization: the consent
// answer that sent the code the browser carried back, the exchange of that
// code, the calls made with the tokens it issued, and the calls made with
// other tokens meanwhile.
type story struct {
	authz    string       // "a2"; "" when the witness saw no consent answered for this flow
	exchange *WitnessCall // the first token request for the code
	used     []WitnessCall
	others   []WitnessCall
	// clientCredentials is a token request with grant_type=client_credentials
	// the app made during the run.
	clientCredentials *WitnessCall
}

// apiCall: a v5 call other than the token endpoint.
func apiCall(c WitnessCall) bool {
	return strings.HasPrefix(c.Path, "/v5/") && !strings.HasPrefix(c.Path, "/v5/oauth/")
}

// story reads the witness; nil when there is none.
func (a *assessor) story() *story {
	w := a.t.Witness
	if w == nil {
		return nil
	}
	s := &story{}
	thisRun := map[string]bool{} // authorizations answered during the run
	var last string
	for _, c := range w.Calls {
		if c.Method == "POST" && c.Path == "/oauth/" && c.CodeIssued != "" {
			thisRun[c.Authorization] = true
			last = c.Authorization
			// The consent answer whose code came back to the callback.
			if cb := a.t.Callback; cb != nil && cb.Code != "" && c.CodeIssued == cb.Code {
				s.authz = c.Authorization
			}
		}
	}
	if s.authz == "" {
		s.authz = last
	}
	for i, c := range w.Calls {
		switch {
		case c.Path == "/v5/oauth/token" && c.GrantType == "client_credentials" && s.clientCredentials == nil:
			s.clientCredentials = &w.Calls[i]
		case c.Path == "/v5/oauth/token" && c.GrantType == "authorization_code" && s.authz != "" && c.Authorization == s.authz && s.exchange == nil:
			s.exchange = &w.Calls[i]
		case !apiCall(c) || c.Token == "":
		case s.authz != "" && c.Authorization == s.authz:
			s.used = append(s.used, c)
		case c.Authorization != "" && thisRun[c.Authorization] && c.TokenSeq >= w.Since:
			// Another connect of this run (--state-twice's, a parallel
			// run's): not this flow's business.
		default:
			s.others = append(s.others, c)
		}
	}
	return s
}

// calls names the calls in order, each endpoint once: "GET
// /v5/user_account, GET /v5/boards and POST /v5/pins (403, code 29)".
func calls(cs []WitnessCall) string {
	var names []string
	for _, c := range cs {
		n := c.Method + " " + c.Path
		if c.Status >= 400 {
			n += fmt.Sprintf(" (%d", c.Status)
			if c.Code != 0 {
				n += fmt.Sprintf(", code %d", c.Code)
			}
			n += ")"
		}
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return andList(names)
}

// andList joins "a", "a and b", "a, b and c".
func andList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// succeeded reports whether any call got a 2xx answer.
func succeeded(cs []WitnessCall) bool {
	return slices.ContainsFunc(cs, func(c WitnessCall) bool { return c.Status >= 200 && c.Status < 300 })
}

// otherTokens says which other tokens the app used: "a client-credentials
// token", "a token issued before this connect", "a token this Pinterest
// never issued".
func otherTokens(cs []WitnessCall) string {
	var kinds []string
	for _, c := range cs {
		k := "a token issued before this connect"
		switch {
		case c.Token == "unknown":
			k = "a token this Pinterest never issued (answered 401)"
		case c.TokenGrant == "client_credentials":
			k = "a client-credentials token (the app's own account)"
		}
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	return andList(kinds)
}

// witnessProblem is what the witness shows went wrong with the new token,
// in a sentence that follows "after the callback the app" (or "the
// command"); "" when the app used it as it should, or there is no story
// to tell. did is then what it did ("exchanged the code (POST
// /v5/oauth/token) and called GET /v5/boards with the new token").
func (s *story) witnessProblem() (problem, did string) {
	if s == nil || s.authz == "" {
		return "", ""
	}
	instead := ""
	if len(s.others) > 0 {
		instead = fmt.Sprintf("; it called %s with %s instead: a fixed demo account shows every user the same data, not the connected user's",
			calls(s.others), otherTokens(s.others))
	}
	switch {
	case s.exchange == nil:
		return "never exchanged the authorization code (the witness saw no POST /v5/oauth/token for it), so it holds no token of the user's and what it shows is not live data from the connected account" + instead, ""
	case s.exchange.Status != 200:
		why := ""
		if s.exchange.Message != "" {
			why = ": " + clip(s.exchange.Message, 200)
		}
		return fmt.Sprintf("could not exchange the code: POST /v5/oauth/token answered %d%s", s.exchange.Status, why) + instead, ""
	case len(s.used) == 0:
		return "exchanged the code but never called the Pinterest API with the new token, so what it shows is not live data from the connected account" + instead, ""
	case !succeeded(s.used):
		return "called the API with the new token, but every call failed: " + calls(s.used) + instead, ""
	}
	// Calls with other tokens meanwhile are not this flow's business once
	// it used its own: another user's, a background job's, a parallel run's.
	return "", "exchanged the code (POST /v5/oauth/token) and called " + calls(s.used) + " with the new token"
}

// clientCredentialsWords is what the witness says of a command that got
// its token with client credentials; "" when it did not.
func (s *story) clientCredentialsWords() string {
	if s == nil || s.clientCredentials == nil {
		return ""
	}
	cc := s.clientCredentials
	msg := fmt.Sprintf("the command got its token with client credentials: the witness saw POST /v5/oauth/token with grant_type=client_credentials (answered %d)", cc.Status)
	var with []WitnessCall
	for _, c := range s.others {
		if c.TokenGrant == "client_credentials" {
			with = append(with, c)
		}
	}
	if len(with) > 0 {
		msg += ", then " + calls(with) + " with that token"
	}
	return msg + ". That reads Pinterest as the app's own account, without the user's consent, which is not the OAuth flow reviewers must see; " +
		"run the authorization-code flow, which opens Pinterest's consent page"
}
