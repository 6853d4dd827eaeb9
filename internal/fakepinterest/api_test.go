package fakepinterest

import (
	"net/http"
	"strings"
	"testing"
)

const pinScopes = "boards:read,boards:write,pins:read,pins:write,user_accounts:read"

func pinBody(boardID string) string {
	return `{"board_id":"` + boardID + `","title":"Spring planner","description":"A week of dinners.",` +
		`"media_source":{"source_type":"image_url","url":"http://acme-pins.test/static/planner-pin.svg"}}`
}

func TestEndpointWithoutItsScopeIs403NamingTheScope(t *testing.T) {
	f := newFixture(t)
	readOnly := f.accessToken(trialApp, "boards:read,pins:read")
	tests := []struct{ method, host, path, body, scope string }{
		{"GET", DefaultAPIHost, "/v5/user_account", "", "user_accounts:read"},
		{"POST", DefaultAPIHost, "/v5/boards", `{"name":"x"}`, "boards:write"},
		{"POST", DefaultSandboxHost, "/v5/pins", pinBody("549755885175"), "boards:write"},
	}
	for _, tt := range tests {
		status, body := f.api(tt.method, tt.host, tt.path, readOnly, tt.body)
		wantError(t, status, body, http.StatusForbidden, codeAuthorization)
		if !strings.Contains(body["message"].(string), tt.scope) {
			t.Errorf("%s %s: message %q does not name %s", tt.method, tt.path, body["message"], tt.scope)
		}
	}
	noPins := f.accessToken(trialApp, "boards:read")
	status, body := f.api("GET", DefaultAPIHost, "/v5/pins", noPins, "")
	wantError(t, status, body, http.StatusForbidden, codeAuthorization)
	if status, body := f.api("GET", DefaultAPIHost, "/v5/boards", noPins, ""); status != http.StatusOK {
		t.Errorf("GET /v5/boards with boards:read: %d %v", status, body)
	}
}

func TestBadBearerIs401(t *testing.T) {
	f := newFixture(t)
	for _, token := range []string{"", "pina_madeup", "trial-secret"} {
		status, body := f.api("GET", DefaultAPIHost, "/v5/boards", token, "")
		wantError(t, status, body, http.StatusUnauthorized, codeAuthentication)
	}
}

func TestUserAccountAndBoards(t *testing.T) {
	f := newFixture(t)
	tok := f.accessToken(trialApp, pinScopes)
	status, user := f.api("GET", DefaultAPIHost, "/v5/user_account", tok, "")
	if status != http.StatusOK || user["username"] != Username {
		t.Errorf("user_account: %d %v, want username %s", status, user, Username)
	}
	status, page := f.api("GET", DefaultAPIHost, "/v5/boards", tok, "")
	items, _ := page["items"].([]any)
	if status != http.StatusOK || len(items) != 3 || page["bookmark"] != nil {
		t.Fatalf("boards: %d %v, want 3 items and a null bookmark", status, page)
	}
	if name := items[0].(map[string]any)["name"]; name != "Weeknight Dinners" {
		t.Errorf("first board %v", name)
	}
	_, first := f.api("GET", DefaultAPIHost, "/v5/boards?page_size=2", tok, "")
	_, rest := f.api("GET", DefaultAPIHost, "/v5/boards?page_size=2&bookmark="+first["bookmark"].(string), tok, "")
	if len(first["items"].([]any)) != 2 || len(rest["items"].([]any)) != 1 || rest["bookmark"] != nil {
		t.Errorf("pages %v then %v, want 2 items with a bookmark then 1 item without", first, rest)
	}
}

func TestTrialAppCannotCreatePinsInProduction(t *testing.T) {
	f := newFixture(t)
	tok := f.accessToken(trialApp, pinScopes)
	status, body := f.api("POST", DefaultAPIHost, "/v5/pins", tok, pinBody("549755885175"))
	wantError(t, status, body, http.StatusForbidden, codeTrialProduction)
	if body["message"] != TrialPinsMessage {
		t.Errorf("message %q, want Pinterest's %q", body["message"], TrialPinsMessage)
	}

	status, pin := f.api("POST", DefaultSandboxHost, "/v5/pins", tok, pinBody("549755885175"))
	if status != http.StatusCreated || pin["id"] == "" || pin["board_id"] != "549755885175" || pin["title"] != "Spring planner" {
		t.Fatalf("sandbox create: %d %v", status, pin)
	}
	// Sandbox entities stay in the sandbox.
	_, prod := f.api("GET", DefaultAPIHost, "/v5/pins?page_size=250", tok, "")
	_, sb := f.api("GET", DefaultSandboxHost, "/v5/pins?page_size=250", tok, "")
	if len(prod["items"].([]any)) != 4 || len(sb["items"].([]any)) != 5 {
		t.Errorf("production has %d pins, sandbox %d; want 4 seeded and 4+1", len(prod["items"].([]any)), len(sb["items"].([]any)))
	}
}

func TestStandardAppCreatesPinsInProduction(t *testing.T) {
	f := newFixture(t)
	tok := f.accessToken(standardApp, pinScopes)
	status, pin := f.api("POST", DefaultAPIHost, "/v5/pins", tok, pinBody("549755885176"))
	if status != http.StatusCreated || pin["board_id"] != "549755885176" {
		t.Fatalf("create: %d %v", status, pin)
	}
	images := pin["media"].(map[string]any)["images"].(map[string]any)
	if images["600x"].(map[string]any)["url"] != "http://acme-pins.test/static/planner-pin.svg" {
		t.Errorf("pin media %v does not carry the image URL sent", pin["media"])
	}
}

func TestCreatePinValidation(t *testing.T) {
	f := newFixture(t)
	tok := f.accessToken(standardApp, pinScopes)
	tests := []struct {
		name, body string
		status     int
		code       int
	}{
		{"no board_id", `{"media_source":{"source_type":"image_url","url":"https://a.test/x.jpg"}}`, 400, codeInvalidParameters},
		{"no media_source", `{"board_id":"549755885175"}`, 400, codeInvalidParameters},
		{"relative image URL", `{"board_id":"549755885175","media_source":{"source_type":"image_url","url":"/x.jpg"}}`, 400, codeInvalidParameters},
		{"unknown board", pinBody("1"), 404, codeNotFound},
		{"not JSON", `board_id=1`, 400, codeInvalidParameters},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := f.api("POST", DefaultAPIHost, "/v5/pins", tok, tt.body)
			wantError(t, status, body, tt.status, tt.code)
		})
	}
}

func TestCreateBoard(t *testing.T) {
	f := newFixture(t)
	tok := f.accessToken(trialApp, "boards:read,boards:write")
	status, b := f.api("POST", DefaultSandboxHost, "/v5/boards", tok, `{"name":"Autumn Soups"}`)
	if status != http.StatusCreated || b["name"] != "Autumn Soups" || b["privacy"] != "PUBLIC" {
		t.Fatalf("create board: %d %v", status, b)
	}
	status, body := f.api("POST", DefaultSandboxHost, "/v5/boards", tok, `{"name":"Gifts","privacy":"SECRET"}`)
	wantError(t, status, body, http.StatusForbidden, codeAuthorization)
	status, body = f.api("POST", DefaultSandboxHost, "/v5/boards", tok, `{"description":"no name"}`)
	wantError(t, status, body, http.StatusBadRequest, codeInvalidParameters)
}
