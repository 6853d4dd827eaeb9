package fakepinterest

import (
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// codeLifetime is how long an authorization code can be exchanged.
const codeLifetime = 10 * time.Minute

// consentLifetime is how long a shown consent page can still be answered.
const consentLifetime = time.Hour

// authRequest is a validated /oauth/ request, waiting for the user's answer.
type authRequest struct {
	app         App
	redirectURI string
	scopes      []string
	state       string
	hasState    bool
	shownAt     time.Time
	authz       string // its id in the witness ("a2")
}

// authCode is an issued authorization code, bound to its client and redirect URI.
type authCode struct {
	clientID    string
	redirectURI string
	scopes      []string
	expiresAt   time.Time
	authz       string
}

func (s *Server) webMux() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /oauth/{$}", s.showConsent)
	mux.HandleFunc("POST /oauth/{$}", s.answerConsent)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.errorPage(w, http.StatusNotFound, "Page not found", "This fake Pinterest only serves the OAuth authorize page at /oauth/.")
	})
	return mux
}

// showConsent validates the authorize request. Anything wrong with client_id
// or redirect_uri is an error page, never a redirect: the redirect URI cannot
// be trusted yet. Other mistakes are error pages too, as Pinterest shows them.
func (s *Server) showConsent(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	// Pinterest's own quickstart scripts send the app id as consumer_id
	// (pinterest/api-quickstart, KNOWLEDGE.md): Pinterest takes either name.
	clientID := q.Get("client_id")
	if clientID == "" {
		clientID = q.Get("consumer_id")
	}
	noted(r).ClientID = clientID
	s.mu.Lock()
	app, ok := s.apps[clientID]
	s.mu.Unlock()
	if !ok {
		s.errorPage(w, http.StatusBadRequest, "Invalid client_id", "No app is registered with client_id "+quoted(clientID)+".")
		return
	}
	redirect := q.Get("redirect_uri")
	if !slices.Contains(app.RedirectURIs, redirect) {
		s.errorPage(w, http.StatusBadRequest, "Invalid redirect_uri",
			"The redirect_uri "+quoted(redirect)+" does not exactly match any redirect URI registered for "+app.Name+".")
		return
	}
	if rt := q.Get("response_type"); rt != "code" {
		s.errorPage(w, http.StatusBadRequest, "Invalid response_type", "response_type must be \"code\", not "+quoted(rt)+".")
		return
	}
	scopes, err := parseScopes(q.Get("scope"))
	if err != nil {
		s.errorPage(w, http.StatusBadRequest, "Invalid scope", err.Error())
		return
	}
	req := authRequest{app: app, redirectURI: redirect, scopes: scopes, state: q.Get("state"), hasState: q.Has("state"), shownAt: s.clock()}

	s.mu.Lock()
	b := make([]byte, 16)
	_, err = io.ReadFull(s.rand, b)
	formToken := hex.EncodeToString(b)
	if err == nil {
		s.authzs++
		req.authz = "a" + strconv.Itoa(s.authzs)
		noted(r).Authorization = req.authz
		s.consents[formToken] = req
	}
	s.mu.Unlock()
	if err != nil {
		s.errorPage(w, http.StatusInternalServerError, "Something went wrong", err.Error())
		return
	}
	s.renderConsent(w, req, formToken)
}

// answerConsent handles the consent form. The form carries only a one-time
// token naming the request shown, so a forged POST cannot choose scopes or a
// redirect URI of its own.
func (s *Server) answerConsent(w http.ResponseWriter, r *http.Request) {
	token := r.PostFormValue("consent")
	s.mu.Lock()
	req, ok := s.consents[token]
	delete(s.consents, token)
	s.mu.Unlock()
	if !ok || s.clock().Sub(req.shownAt) > consentLifetime {
		s.errorPage(w, http.StatusBadRequest, "This request has expired", "Go back to the app and connect again.")
		return
	}
	c := noted(r)
	c.ClientID, c.Authorization = req.app.ID, req.authz
	params := url.Values{}
	if req.hasState {
		params.Set("state", req.state)
	}
	switch r.PostFormValue("action") {
	case "allow":
		s.mu.Lock()
		code, err := s.secret("")
		if err == nil {
			s.codes[code] = authCode{clientID: req.app.ID, redirectURI: req.redirectURI, scopes: req.scopes, expiresAt: s.clock().Add(codeLifetime), authz: req.authz}
			c.CodeIssued = codeFingerprint(code)
		}
		s.mu.Unlock()
		if err != nil {
			s.errorPage(w, http.StatusInternalServerError, "Something went wrong", err.Error())
			return
		}
		params.Set("code", code)
	case "cancel":
		params.Set("error", "access_denied")
	default:
		s.errorPage(w, http.StatusBadRequest, "Unknown answer", "Choose Give access or Cancel.")
		return
	}
	http.Redirect(w, r, withQuery(req.redirectURI, params), http.StatusFound)
}

// withQuery adds params to a registered redirect URI, keeping any query it has.
func withQuery(redirectURI string, params url.Values) string {
	u, err := url.Parse(redirectURI)
	if err != nil { // registered URIs were parsed when matched; keep going anyway
		return redirectURI + "?" + params.Encode()
	}
	q := u.Query()
	for k, vs := range params {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func quoted(s string) string {
	if s == "" {
		return "(empty)"
	}
	return `"` + s + `"`
}
