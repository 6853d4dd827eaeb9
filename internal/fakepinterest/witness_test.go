package fakepinterest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/pinready/pinready/internal/witness"
)

// readWitness reads the witness over HTTP, as pinready and a user's CI do.
func (f *fixture) readWitness(query string) witness.Answer {
	f.t.Helper()
	resp, body := f.do("GET", "127.0.0.1", WitnessPath+query, nil, nil)
	if resp.StatusCode != http.StatusOK {
		f.t.Fatalf("witness: %d %s", resp.StatusCode, body)
	}
	var a witness.Answer
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		f.t.Fatalf("witness answer: %v\n%s", err, body)
	}
	return a
}

// The witness records one authorization's whole story, linked by its id:
// the consent page, the code it sent back (as a fingerprint), the
// exchange and the tokens it issued (as labels), and every call made with
// them, Trial's code 29 included. Another app's calls stay out of the
// answer for this app; a token never issued is named unknown. No token,
// code or secret appears in it.
func TestWitnessRecordsAnAuthorizationsStory(t *testing.T) {
	f := newFixture(t)
	mark := f.readWitness("").Next
	loc := f.answer(authorizeQuery(trialApp, pinScopes, "s"), "allow")
	code := loc.Query().Get("code")
	status, tok := f.token(DefaultSandboxHost, trialApp.ID, trialApp.Secret, url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {trialApp.RedirectURIs[0]}})
	if status != http.StatusOK {
		t.Fatalf("exchange: %d %v", status, tok)
	}
	access := tok["access_token"].(string)
	f.api("GET", DefaultSandboxHost, "/v5/boards", access, "")
	f.api("POST", DefaultAPIHost, "/v5/pins", access, pinBody("549755885175"))
	f.api("GET", DefaultAPIHost, "/v5/boards", "pina_NEVERISSUED", "")
	f.accessToken(standardApp, "boards:read") // another app's flow

	a := f.readWitness("?client_id=" + trialApp.ID + "&since=" + itoa(mark))
	var lines []string
	for _, c := range a.Calls {
		lines = append(lines, strings.Join([]string{c.API, c.Method, c.Path, itoa(int64(c.Status)), itoa(int64(c.Code)),
			c.ClientID, c.Access, c.Authorization, c.CodeIssued, c.GrantType, strings.Join(c.Issued, "+"), c.Token, c.TokenGrant}, " "))
	}
	want := []string{
		"web GET /oauth/ 200 0 1500001 trial a1     ",
		"web POST /oauth/ 302 0 1500001 trial a1 " + code[:4] + "…    ",
		"sandbox POST /v5/oauth/token 200 0 1500001 trial a1  authorization_code t1+t2  ",
		"sandbox GET /v5/boards 200 0 1500001 trial a1    t1 authorization_code",
		"production POST /v5/pins 403 29 1500001 trial a1    t1 authorization_code",
		"production GET /v5/boards 401 2       unknown ",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("witness calls:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if a.Calls[3].TokenSeq != a.Calls[2].Seq {
		t.Errorf("token_seq %d, want the exchange's seq %d", a.Calls[3].TokenSeq, a.Calls[2].Seq)
	}
	if a.Calls[4].Message != TrialPinsMessage {
		t.Errorf("code 29 message %q", a.Calls[4].Message)
	}
	raw, _ := json.Marshal(a)
	for _, secret := range append(f.srv.IssuedTokens(), code, trialApp.Secret, standardApp.Secret) {
		if strings.Contains(string(raw), secret) {
			t.Errorf("the witness shows a secret %.8s…", secret)
		}
	}
	if a.Next <= a.Calls[len(a.Calls)-1].Seq {
		t.Errorf("next %d is not after the last call %d", a.Next, a.Calls[len(a.Calls)-1].Seq)
	}
	if rest := f.readWitness("?since=" + itoa(a.Next)); len(rest.Calls) != 0 {
		t.Errorf("since=next answered %d calls, want none", len(rest.Calls))
	}
}

// A client-credentials token is named as such in every call that uses it,
// and a refresh keeps the tokens in their authorization.
func TestWitnessNamesHowATokenWasObtained(t *testing.T) {
	f := newFixture(t)
	status, cc := f.token(DefaultAPIHost, trialApp.ID, trialApp.Secret, url.Values{"grant_type": {"client_credentials"}})
	if status != http.StatusOK {
		t.Fatalf("client credentials: %d %v", status, cc)
	}
	f.api("GET", DefaultAPIHost, "/v5/user_account", cc["access_token"].(string), "")
	status, pair := f.token(DefaultAPIHost, trialApp.ID, trialApp.Secret, url.Values{
		"grant_type": {"authorization_code"}, "code": {f.code(trialApp, pinScopes)}, "redirect_uri": {trialApp.RedirectURIs[0]}})
	if status != http.StatusOK {
		t.Fatal(pair)
	}
	status, refreshed := f.token(DefaultAPIHost, trialApp.ID, trialApp.Secret, url.Values{
		"grant_type": {"refresh_token"}, "refresh_token": {pair["refresh_token"].(string)}})
	if status != http.StatusOK {
		t.Fatal(refreshed)
	}
	f.api("GET", DefaultAPIHost, "/v5/boards", refreshed["access_token"].(string), "")
	calls, _ := f.srv.Calls(0, trialApp.ID)
	byPath := map[string]Call{}
	for _, c := range calls {
		byPath[c.Method+" "+c.Path+" "+c.GrantType] = c
	}
	if c := byPath["GET /v5/user_account "]; c.TokenGrant != "client_credentials" || c.Authorization != "" || c.Token != "t1" {
		t.Errorf("client-credentials call %+v", c)
	}
	if c := byPath["GET /v5/boards "]; c.TokenGrant != "refresh_token" || c.Authorization != "a1" {
		t.Errorf("refreshed token's call %+v, want grant refresh_token in a1", c)
	}
	if c := byPath["POST /v5/oauth/token refresh_token"]; c.Authorization != "a1" || len(c.Issued) != 2 {
		t.Errorf("refresh %+v", c)
	}
}

// On a host that is neither API host (`pinready sandbox` on 127.0.0.1),
// /sandbox/v5/ is the sandbox: a Trial app creates Pins there.
func TestSandboxPrefixReachesTheSandbox(t *testing.T) {
	f := newFixture(t)
	tok := f.accessToken(trialApp, pinScopes)
	status, body := f.api("POST", "127.0.0.1", "/v5/pins", tok, pinBody("549755885175"))
	wantError(t, status, body, http.StatusForbidden, codeTrialProduction)
	status, pin := f.api("POST", "127.0.0.1", "/sandbox/v5/pins", tok, pinBody("549755885175"))
	if status != http.StatusCreated || pin["id"] == "" {
		t.Fatalf("sandbox create through /sandbox: %d %v", status, pin)
	}
	calls, _ := f.srv.Calls(0, trialApp.ID)
	last := calls[len(calls)-1]
	if last.API != APISandbox || last.Path != "/v5/pins" || last.Status != http.StatusCreated {
		t.Errorf("recorded as %+v, want the sandbox's /v5/pins", last)
	}
}

// OnCall hears each call once it is answered; concurrent requests each
// get a number of their own.
func TestOnCallHearsEveryCall(t *testing.T) {
	var mu sync.Mutex
	var heard []Call
	srv, err := New(Options{Apps: []App{trialApp}, OnCall: func(c Call) {
		mu.Lock()
		heard = append(heard, c)
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			r, _ := http.NewRequest("GET", "http://api.pinterest.test/v5/boards", nil)
			r.Host = DefaultAPIHost
			srv.ServeHTTP(discard{}, r)
		})
	}
	wg.Wait()
	seen := map[int64]bool{}
	for _, c := range heard {
		if seen[c.Seq] || c.Status != http.StatusUnauthorized || c.Token != "" {
			t.Fatalf("call %+v (numbers seen %v)", c, seen)
		}
		seen[c.Seq] = true
	}
	if len(heard) != 20 {
		t.Fatalf("heard %d calls, want 20", len(heard))
	}
}

type discard struct{}

func (discard) Header() http.Header         { return http.Header{} }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
