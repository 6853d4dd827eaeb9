package fakepinterest

import (
	"bytes"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func codeForm(code, redirect string) url.Values {
	return url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}}
}

func TestExchangeCodeReturnsPinterestTokenResponse(t *testing.T) {
	f := newFixture(t)
	status, body := f.token(DefaultAPIHost, trialApp.ID, trialApp.Secret, codeForm(f.code(trialApp, "boards:read,pins:read"), trialApp.RedirectURIs[0]))
	if status != http.StatusOK {
		t.Fatalf("status %d: %v", status, body)
	}
	var keys []string
	for k := range body {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	wantKeys := []string{"access_token", "expires_in", "refresh_token", "refresh_token_expires_at", "refresh_token_expires_in", "scope", "token_type"}
	if !slices.Equal(keys, wantKeys) {
		t.Errorf("fields %v, want %v", keys, wantKeys)
	}
	if a, _ := body["access_token"].(string); !strings.HasPrefix(a, "pina_") || len(a) < 40 {
		t.Errorf("access_token %q, want pina_ and a long random part", a)
	}
	if r, _ := body["refresh_token"].(string); !strings.HasPrefix(r, "pinr_") {
		t.Errorf("refresh_token %q, want pinr_", r)
	}
	wantAt := f.clock.now().Add(60 * 24 * time.Hour).Unix()
	if body["token_type"] != "bearer" || body["expires_in"] != float64(2592000) || body["refresh_token_expires_in"] != float64(5184000) ||
		body["refresh_token_expires_at"] != float64(wantAt) || body["scope"] != "boards:read pins:read" {
		t.Errorf("token response %v: want bearer, 2592000, 5184000, expires_at %d, the granted scopes", body, wantAt)
	}
	if got := f.srv.IssuedTokens(); !slices.Equal(got, []string{body["access_token"].(string), body["refresh_token"].(string)}) {
		t.Errorf("IssuedTokens = %v, want the pair just issued", got)
	}
}

func TestCodeIsSingleUse(t *testing.T) {
	f := newFixture(t)
	form := codeForm(f.code(trialApp, "boards:read"), trialApp.RedirectURIs[0])
	if status, body := f.token(DefaultAPIHost, trialApp.ID, trialApp.Secret, form); status != http.StatusOK {
		t.Fatalf("first exchange: %d %v", status, body)
	}
	status, body := f.token(DefaultAPIHost, trialApp.ID, trialApp.Secret, form)
	wantError(t, status, body, http.StatusBadRequest, codeInvalidParameters)
}

func TestCodeExpiresAfterTenMinutes(t *testing.T) {
	f := newFixture(t)
	fresh := codeForm(f.code(trialApp, "boards:read"), trialApp.RedirectURIs[0])
	stale := codeForm(f.code(trialApp, "boards:read"), trialApp.RedirectURIs[0])
	f.clock.advance(9 * time.Minute)
	if status, body := f.token(DefaultAPIHost, trialApp.ID, trialApp.Secret, fresh); status != http.StatusOK {
		t.Fatalf("exchange after 9 minutes: %d %v", status, body)
	}
	f.clock.advance(2 * time.Minute)
	status, body := f.token(DefaultAPIHost, trialApp.ID, trialApp.Secret, stale)
	wantError(t, status, body, http.StatusBadRequest, codeInvalidParameters)
	if !strings.Contains(body["message"].(string), "expired") {
		t.Errorf("message %q does not say the code expired", body["message"])
	}
}

func TestCodeIsBoundToRedirectURI(t *testing.T) {
	f := newFixture(t)
	status, body := f.token(DefaultAPIHost, trialApp.ID, trialApp.Secret, codeForm(f.code(trialApp, "boards:read"), "http://acme-pins.test/other"))
	wantError(t, status, body, http.StatusBadRequest, codeInvalidParameters)
}

func TestCodeIsBoundToClient(t *testing.T) {
	f := newFixture(t)
	code := f.code(trialApp, "boards:read")
	status, body := f.token(DefaultAPIHost, standardApp.ID, standardApp.Secret, codeForm(code, trialApp.RedirectURIs[0]))
	wantError(t, status, body, http.StatusBadRequest, codeInvalidParameters)
	// The rightful client can still use it: another app cannot burn a code.
	if status, body := f.token(DefaultAPIHost, trialApp.ID, trialApp.Secret, codeForm(code, trialApp.RedirectURIs[0])); status != http.StatusOK {
		t.Errorf("rightful exchange after a foreign attempt: %d %v", status, body)
	}
}

func TestTokenEndpointNeedsBasicClientAuth(t *testing.T) {
	tests := []struct{ name, id, secret string }{
		{"missing Basic auth", "", ""},
		{"wrong secret", trialApp.ID, "not-the-secret"},
		{"unknown client", "424242", "trial-secret"},
		{"another app's secret", trialApp.ID, standardApp.Secret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			status, body := f.token(DefaultAPIHost, tt.id, tt.secret, codeForm(f.code(trialApp, "boards:read"), trialApp.RedirectURIs[0]))
			wantError(t, status, body, http.StatusUnauthorized, codeAuthentication)
		})
	}
}

func TestClientSecretInFormIsNotEnough(t *testing.T) {
	f := newFixture(t)
	form := codeForm(f.code(trialApp, "boards:read"), trialApp.RedirectURIs[0])
	form.Set("client_id", trialApp.ID)
	form.Set("client_secret", trialApp.Secret)
	status, body := f.token(DefaultAPIHost, "", "", form)
	wantError(t, status, body, http.StatusUnauthorized, codeAuthentication)
}

func TestRefreshGrantIssuesWorkingTokens(t *testing.T) {
	f := newFixture(t)
	_, first := f.token(DefaultAPIHost, trialApp.ID, trialApp.Secret, codeForm(f.code(trialApp, "user_accounts:read"), trialApp.RedirectURIs[0]))
	f.clock.advance(31 * 24 * time.Hour) // the access token has expired
	if status, _ := f.api("GET", DefaultAPIHost, "/v5/user_account", first["access_token"].(string), ""); status != http.StatusUnauthorized {
		t.Errorf("expired access token: status %d, want 401", status)
	}
	refresh := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first["refresh_token"].(string)}}
	status, body := f.token(DefaultAPIHost, trialApp.ID, trialApp.Secret, refresh)
	if status != http.StatusOK {
		t.Fatalf("refresh: %d %v", status, body)
	}
	if body["access_token"] == first["access_token"] || !strings.HasPrefix(body["refresh_token"].(string), "pinr_") || body["scope"] != "user_accounts:read" {
		t.Errorf("refresh response %v: want a new access token, a pinr_ refresh token, the original scope", body)
	}
	if status, body := f.api("GET", DefaultAPIHost, "/v5/user_account", body["access_token"].(string), ""); status != http.StatusOK {
		t.Errorf("refreshed token: %d %v", status, body)
	}
	status, body = f.token(DefaultAPIHost, standardApp.ID, standardApp.Secret, refresh)
	wantError(t, status, body, http.StatusBadRequest, codeInvalidParameters)

	f.clock.advance(30 * 24 * time.Hour) // past the first refresh token's 60 days
	status, body = f.token(DefaultAPIHost, trialApp.ID, trialApp.Secret, refresh)
	wantError(t, status, body, http.StatusBadRequest, codeInvalidParameters)
}

func TestClientCredentialsGrant(t *testing.T) {
	f := newFixture(t)
	status, body := f.token(DefaultSandboxHost, trialApp.ID, trialApp.Secret, url.Values{"grant_type": {"client_credentials"}, "scope": {"boards:read"}})
	if status != http.StatusOK {
		t.Fatalf("status %d: %v", status, body)
	}
	if a, _ := body["access_token"].(string); !strings.HasPrefix(a, "pinc_") {
		t.Errorf("access_token %q, want pinc_", a)
	}
	if _, ok := body["refresh_token"]; ok {
		t.Errorf("client credentials came with a refresh token: %v", body)
	}
	if status, _ := f.api("GET", DefaultAPIHost, "/v5/boards", body["access_token"].(string), ""); status != http.StatusOK {
		t.Errorf("GET /v5/boards with the pinc_ token: status %d", status)
	}
}

func TestUnknownGrantType(t *testing.T) {
	f := newFixture(t)
	for _, g := range []string{"", "password", "implicit"} {
		status, body := f.token(DefaultAPIHost, trialApp.ID, trialApp.Secret, url.Values{"grant_type": {g}})
		wantError(t, status, body, http.StatusBadRequest, codeInvalidParameters)
	}
}

func TestRandIsInjected(t *testing.T) {
	issue := func() []byte {
		srv, err := New(Options{Apps: []App{trialApp}, Rand: rand.NewChaCha8([32]byte{1})})
		if err != nil {
			t.Fatal(err)
		}
		srv.mu.Lock()
		defer srv.mu.Unlock()
		tok, err := srv.secret("pina_")
		if err != nil {
			t.Fatal(err)
		}
		return []byte(tok)
	}
	if a, b := issue(), issue(); !bytes.Equal(a, b) {
		t.Errorf("same seed gave %s and %s", a, b)
	}
}
