package sampleapp

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/oauth2"
)

// connect starts the OAuth flow: a fresh state and PKCE verifier bound to
// this browser's session, then Pinterest's authorize page.
func (a *app) connect(w http.ResponseWriter, r *http.Request) {
	id, s, _ := a.sessions.get(r)
	state, err := randomString()
	if err != nil {
		a.message(w, http.StatusInternalServerError, "Something went wrong", "We could not start connecting to Pinterest. Please try again.")
		return
	}
	s.state, s.verifier = state, oauth2.GenerateVerifier()
	if err := a.sessions.put(w, r, id, s); err != nil {
		a.message(w, http.StatusInternalServerError, "Something went wrong", "We could not start connecting to Pinterest. Please try again.")
		return
	}
	http.Redirect(w, r, a.authorizeURL(s), http.StatusFound)
}

// authorizeURL is x/oauth2's authorize link with the state and an S256 PKCE
// challenge. Pinterest documents state, not PKCE: state is what protects the
// flow, the challenge costs nothing where it is ignored.
func (a *app) authorizeURL(s session) string {
	return a.oauth.AuthCodeURL(s.state, oauth2.S256ChallengeOption(s.verifier))
}

// oauthConfig is the app's x/oauth2 client. Pinterest wants the scopes
// comma-separated in one parameter, where x/oauth2 joins a list with spaces,
// so they go in as one string; the client authenticates to the token
// endpoint with HTTP Basic, as Pinterest requires.
func oauthConfig(o Options) *oauth2.Config {
	return &oauth2.Config{
		ClientID: o.ClientID, ClientSecret: o.ClientSecret, RedirectURL: o.RedirectURI,
		Scopes: []string{strings.Join(o.Scopes, ",")},
		Endpoint: oauth2.Endpoint{
			AuthURL:   authorizeEndpoint(o),
			TokenURL:  strings.TrimSuffix(o.APIBase, "/") + "/v5/oauth/token",
			AuthStyle: oauth2.AuthStyleInHeader,
		},
	}
}

// callback is where Pinterest sends the browser back. It answers with the
// dashboard itself rather than a redirect, so the address bar keeps showing
// the callback URL with its code while "Connected" and the boards appear.
func (a *app) callback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	id, s, ok := a.sessions.get(r)
	if !ok || s.state == "" || subtle.ConstantTimeCompare([]byte(s.state), []byte(q.Get("state"))) != 1 {
		a.message(w, http.StatusBadRequest, "We couldn't verify this sign-in",
			"This Pinterest sign-in was not started from this browser, or it was already used. Please connect again from the start.")
		return
	}
	verifier := s.verifier
	a.sessions.update(id, func(s *session) { s.state, s.verifier = "", "" }) // a state is good for one answer
	if e := q.Get("error"); e != "" {
		if e == "access_denied" {
			a.message(w, http.StatusOK, "Pinterest was not connected",
				"You chose Cancel on Pinterest, so "+a.opts.Name+" has no access to your account. You can connect whenever you like.")
			return
		}
		a.message(w, http.StatusBadRequest, "Pinterest could not connect", "Pinterest returned the error "+e+". Please try again.")
		return
	}
	code := q.Get("code")
	if code == "" {
		a.message(w, http.StatusBadRequest, "Pinterest could not connect", "Pinterest sent no authorization code. Please try again.")
		return
	}
	ctx := context.WithValue(r.Context(), oauth2.HTTPClient, a.opts.HTTPClient)
	t, err := a.oauth.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		a.message(w, http.StatusBadGateway, "Pinterest could not connect", "exchange the authorization code: "+exchangeProblem(err))
		return
	}
	username, err := a.api.username(r.Context(), t.AccessToken)
	if err != nil {
		a.message(w, http.StatusBadGateway, "Pinterest could not connect", err.Error())
		return
	}
	csrf, err := randomString()
	if err != nil {
		a.message(w, http.StatusInternalServerError, "Something went wrong", "Please connect again.")
		return
	}
	s = session{csrf: csrf, access: t.AccessToken, refresh: t.RefreshToken, username: username}
	if err := a.sessions.put(w, r, id, s); err != nil {
		a.message(w, http.StatusInternalServerError, "Something went wrong", "Please connect again.")
		return
	}
	a.renderDashboard(w, r, s, dashboardExtras{justConnected: true})
}

// disconnect forgets the tokens: the user's "delete my data" button.
func (a *app) disconnect(w http.ResponseWriter, r *http.Request) {
	id, s, ok := a.sessions.get(r)
	if ok && !validCSRF(s, r) {
		a.message(w, http.StatusForbidden, "Please try again", "This form expired. Reload the page and try again.")
		return
	}
	if ok {
		a.sessions.delete(w, id)
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// exchangeProblem is what the user may read of a failed token exchange:
// Pinterest's own error message, never the raw body (which could echo what
// was sent).
func exchangeProblem(err error) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil {
		var e apiError
		if json.Unmarshal(re.Body, &e) == nil && e.Message != "" {
			return fmt.Sprintf("Pinterest answered %d: %s", re.Response.StatusCode, e.Message)
		}
		return fmt.Sprintf("Pinterest answered %d", re.Response.StatusCode)
	}
	return "Pinterest could not be reached"
}

func validCSRF(s session, r *http.Request) bool {
	return s.csrf != "" && subtle.ConstantTimeCompare([]byte(s.csrf), []byte(r.PostFormValue("csrf"))) == 1
}
