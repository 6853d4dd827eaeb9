// Package witness is the JSON a fake Pinterest serves of the requests it
// answered (GET /_pinready/witness): written by internal/fakepinterest,
// read by oauthflow, and by users' CI. One definition, so the writer and
// the reader cannot drift apart; the field names are a contract.
package witness

import "time"

// Path is where a fake Pinterest serves its witness, on every host it
// answers.
const Path = "/_pinready/witness"

// Name is the answer's "witness" field: what pinready recognises a fake
// Pinterest by.
const Name = "pinready fake Pinterest"

// The API a call reached (Call.API).
const (
	APIWeb        = "web" // the authorize and consent pages
	APIProduction = "production"
	APISandbox    = "sandbox"
)

// TokenUnknown is Call.Token for a Bearer token the fake never issued.
const TokenUnknown = "unknown"

// Call is one request the fake Pinterest answered. The JSON field names
// are a contract: users' CI reads them. The fake writes it
// (fakepinterest.Call) and pinready's reader reads it (oauthflow.WitnessCall):
// one type, so the two cannot drift apart.
type Call struct {
	Seq    int64     `json:"seq"` // in the order requests arrived, from 1
	At     time.Time `json:"at"`
	Host   string    `json:"host"`
	API    string    `json:"api"` // APIWeb, APIProduction or APISandbox
	Method string    `json:"method"`
	Path   string    `json:"path"` // without the query
	Status int       `json:"status"`
	// Code and Message are Pinterest's error code and message when the
	// answer was an error (29: a Trial app creating Pins in production).
	Code    int    `json:"code,omitempty"`
	Message string `json:"message,omitempty"`

	ClientID string `json:"client_id,omitempty"` // the app, when the request named or authenticated one
	Access   string `json:"access,omitempty"`    // that app's tier: trial or standard
	// Authorization names the authorize request ("a2") this call belongs
	// to: the consent page, its answer, the exchange of its code, and every
	// call made with a token descended from that code.
	Authorization string `json:"authorization,omitempty"`
	// CodeIssued is the fingerprint (first 4 characters and "…") of the
	// code a consent answer sent to the redirect URI, as pinready's trace
	// shows the code the browser carried back.
	CodeIssued string `json:"code_issued,omitempty"`
	// GrantType is what a token request asked for: authorization_code,
	// refresh_token or client_credentials. Issued names the tokens it got.
	GrantType string   `json:"grant_type,omitempty"`
	Issued    []string `json:"issued,omitempty"`
	// Token names the Bearer token of an API call: the label of a token
	// this Pinterest issued ("t3"), or TokenUnknown; empty for none.
	// TokenGrant is how that token was obtained and TokenSeq the call that
	// issued it.
	Token      string `json:"token,omitempty"`
	TokenGrant string `json:"token_grant,omitempty"`
	TokenSeq   int64  `json:"token_seq,omitempty"`
}

// Answer is the JSON at Path.
type Answer struct {
	Witness string `json:"witness"` // Name
	// Next is the number the next request will get: read it before a
	// flow, and since=Next after it.
	Next  int64  `json:"next"`
	Calls []Call `json:"calls"`
}
