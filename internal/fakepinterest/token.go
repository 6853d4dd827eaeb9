package fakepinterest

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Lifetimes Pinterest documents: 30-day access tokens, 60-day continuous
// refresh tokens.
const (
	accessLifetime  = 30 * 24 * time.Hour
	refreshLifetime = 60 * 24 * time.Hour
)

// defaultClientScopes is what a client_credentials request without a scope gets.
var defaultClientScopes = []string{"boards:read", "pins:read", "user_accounts:read"}

// grant is what a token stands for, and where it came from: the witness
// names tokens by label, never by value.
type grant struct {
	clientID  string
	scopes    []string
	expiresAt time.Time

	label string // "t3"
	via   string // the grant type that issued it
	seq   int64  // the request that issued it
	authz string // the authorize request its code came from ("" for client credentials)
}

// tokenResponse has the fields of Pinterest's OAuth token response. The scope
// is space-separated, as public captures of the real response show.
type tokenResponse struct {
	AccessToken           string `json:"access_token"`
	TokenType             string `json:"token_type"`
	ExpiresIn             int64  `json:"expires_in"`
	Scope                 string `json:"scope"`
	RefreshToken          string `json:"refresh_token,omitempty"`
	RefreshTokenExpiresIn int64  `json:"refresh_token_expires_in,omitempty"`
	RefreshTokenExpiresAt int64  `json:"refresh_token_expires_at,omitempty"`
}

// handleToken is POST /v5/oauth/token on both API hosts.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	s.mu.Lock()
	app, known := s.apps[id]
	s.mu.Unlock()
	c := noted(r)
	if known {
		c.ClientID = app.ID
	}
	c.GrantType = r.PostFormValue("grant_type")
	if !ok || !known || subtle.ConstantTimeCompare([]byte(secret), []byte(app.Secret)) != 1 {
		w.Header().Set("WWW-Authenticate", `Basic realm="Pinterest API"`)
		apiError(w, http.StatusUnauthorized, codeAuthentication, "Authentication failed. Send the app id and secret with HTTP Basic authentication.")
		return
	}
	switch grantType := r.PostFormValue("grant_type"); grantType {
	case "authorization_code":
		s.exchangeCode(w, r, app)
	case "refresh_token":
		s.refreshGrant(w, r, app)
	case "client_credentials":
		s.clientCredentials(w, r, app)
	case "":
		apiError(w, http.StatusBadRequest, codeInvalidParameters, "Missing grant_type: send a form-encoded body with grant_type=authorization_code, refresh_token or client_credentials.")
	default:
		apiError(w, http.StatusBadRequest, codeInvalidParameters, "Unsupported grant_type "+quoted(grantType)+".")
	}
}

// exchangeCode redeems an authorization code: once, by the client it was
// issued to, with the redirect URI it was issued for, within codeLifetime.
func (s *Server) exchangeCode(w http.ResponseWriter, r *http.Request, app App) {
	code := r.PostFormValue("code")
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.codes[code]
	if !ok || c.clientID != app.ID {
		apiError(w, http.StatusBadRequest, codeInvalidParameters, "Invalid authorization code: it is unknown, was already used, or belongs to another app.")
		return
	}
	delete(s.codes, code)
	if !s.clock().Before(c.expiresAt) {
		apiError(w, http.StatusBadRequest, codeInvalidParameters, "Authorization code expired: codes must be exchanged within 10 minutes.")
		return
	}
	noted(r).Authorization = c.authz
	if r.PostFormValue("redirect_uri") != c.redirectURI {
		apiError(w, http.StatusBadRequest, codeInvalidParameters, "redirect_uri does not match the one the authorization code was issued for.")
		return
	}
	s.issueUserTokens(w, r, app.ID, c.scopes, c.authz)
}

// refreshGrant issues a new access token and, as continuous refresh does, a
// new refresh token. The old refresh token stays valid until it expires.
func (s *Server) refreshGrant(w http.ResponseWriter, r *http.Request, app App) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.refresh[r.PostFormValue("refresh_token")]
	if !ok || g.clientID != app.ID {
		apiError(w, http.StatusBadRequest, codeInvalidParameters, "Invalid refresh token.")
		return
	}
	noted(r).Authorization = g.authz
	if !s.clock().Before(g.expiresAt) {
		apiError(w, http.StatusBadRequest, codeInvalidParameters, "Refresh token expired: send the user through OAuth again.")
		return
	}
	s.issueUserTokens(w, r, app.ID, g.scopes, g.authz)
}

// clientCredentials issues an app-only token (pinc_, no refresh token).
func (s *Server) clientCredentials(w http.ResponseWriter, r *http.Request, app App) {
	scopes := defaultClientScopes
	if raw := r.PostFormValue("scope"); raw != "" {
		var err error
		if scopes, err = parseScopes(raw); err != nil {
			apiError(w, http.StatusBadRequest, codeInvalidParameters, err.Error())
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	access, err := s.secret("pinc_")
	if err != nil {
		apiError(w, http.StatusInternalServerError, codeInternal, err.Error())
		return
	}
	s.access[access] = s.newGrant(r, app.ID, scopes, s.clock().Add(accessLifetime), "")
	s.issued = append(s.issued, access)
	writeJSON(w, http.StatusOK, tokenResponse{
		AccessToken: access,
		TokenType:   "bearer",
		ExpiresIn:   int64(accessLifetime.Seconds()),
		Scope:       strings.Join(scopes, " "),
	})
}

// issueUserTokens writes a pina_/pinr_ pair for the authorize request
// authz. The caller holds s.mu.
func (s *Server) issueUserTokens(w http.ResponseWriter, r *http.Request, clientID string, scopes []string, authz string) {
	access, err := s.secret("pina_")
	if err != nil {
		apiError(w, http.StatusInternalServerError, codeInternal, err.Error())
		return
	}
	refresh, err := s.secret("pinr_")
	if err != nil {
		apiError(w, http.StatusInternalServerError, codeInternal, err.Error())
		return
	}
	now := s.clock()
	s.access[access] = s.newGrant(r, clientID, scopes, now.Add(accessLifetime), authz)
	s.refresh[refresh] = s.newGrant(r, clientID, scopes, now.Add(refreshLifetime), authz)
	s.issued = append(s.issued, access, refresh)
	writeJSON(w, http.StatusOK, tokenResponse{
		AccessToken:           access,
		TokenType:             "bearer",
		ExpiresIn:             int64(accessLifetime.Seconds()),
		Scope:                 strings.Join(scopes, " "),
		RefreshToken:          refresh,
		RefreshTokenExpiresIn: int64(refreshLifetime.Seconds()),
		RefreshTokenExpiresAt: now.Add(refreshLifetime).Unix(),
	})
}

// newGrant labels a token the request r issues and notes it on r's call.
// The caller holds s.mu.
func (s *Server) newGrant(r *http.Request, clientID string, scopes []string, expiresAt time.Time, authz string) grant {
	c := noted(r)
	s.labels++
	g := grant{clientID: clientID, scopes: scopes, expiresAt: expiresAt,
		label: "t" + strconv.Itoa(s.labels), via: c.GrantType, seq: c.Seq, authz: authz}
	c.Issued = append(c.Issued, g.label)
	return g
}
