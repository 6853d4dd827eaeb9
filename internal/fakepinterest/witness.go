package fakepinterest

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"github.com/pinready/pinready/internal/witness"
)

// The fake Pinterest is also a witness: it records every request it
// answers, so pinready can say what an app did with the token it was just
// issued (demo.live-integration: "after the callback the app called GET
// /v5/boards and POST /v5/pins with the new token"), whether it used
// another one (a hard-coded demo account), and whether a Trial app wrote
// to the production host (code 29). Nothing secret is recorded: tokens are
// named by a label ("t3"), authorization codes by a fingerprint.
//
// What it witnessed is served as JSON at WitnessPath on every host it
// answers, for pinready and for a user's own CI:
//
//	GET /_pinready/witness[?since=SEQ][&client_id=ID]
//
// answers {"witness": …, "next": N, "calls": [Call…]}: the calls numbered
// SEQ and later (all when since is absent), of the app ID and of no known
// app (a token this Pinterest never issued). Read "next" first, run the
// flow, then read with since=next to get exactly that run's calls.

// WitnessPath is where the witness is served, on every host.
const WitnessPath = witness.Path

// WitnessName is the witness answer's "witness" field: what pinready
// recognises a fake Pinterest by.
const WitnessName = witness.Name

// maxCalls bounds the calls kept in memory: a long-running `pinready
// sandbox` forgets the oldest.
const maxCalls = 10000

// The API a call reached (Call.API).
const (
	APIWeb        = witness.APIWeb
	APIProduction = witness.APIProduction
	APISandbox    = witness.APISandbox
)

// TokenUnknown is the label of a Bearer token this Pinterest never issued
// (Call.Token).
const TokenUnknown = witness.TokenUnknown

// Call is one request the fake Pinterest answered: the witness's JSON.
type Call = witness.Call

// Calls returns the calls numbered since and later, of the app clientID
// and of no known app ("" for every call), in the order they arrived, and
// the number the next request will get.
func (s *Server) Calls(since int64, clientID string) (calls []Call, next int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.calls {
		if c.Seq >= since && (clientID == "" || c.ClientID == "" || c.ClientID == clientID) {
			calls = append(calls, c)
		}
	}
	slices.SortFunc(calls, func(a, b Call) int { return int(a.Seq - b.Seq) })
	return calls, s.seq + 1
}

func (s *Server) serveWitness(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		apiError(w, http.StatusMethodNotAllowed, codeInvalidParameters, "The witness answers GET only.")
		return
	}
	q := r.URL.Query()
	var since int64
	if v := q.Get("since"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			apiError(w, http.StatusBadRequest, codeInvalidParameters, "Invalid parameters: since must be a request number (0 or more).")
			return
		}
		since = n
	}
	calls, next := s.Calls(since, q.Get("client_id"))
	if calls == nil {
		calls = []Call{}
	}
	writeJSON(w, http.StatusOK, witness.Answer{Witness: WitnessName, Next: next, Calls: calls})
}

// callKey finds the request's Call in its context.
type callKey struct{}

// noted is the Call of the request being answered, for its handler to
// fill in; a throwaway one for a request that is not recorded.
func noted(r *http.Request) *Call {
	if c, ok := r.Context().Value(callKey{}).(*Call); ok {
		return c
	}
	return &Call{}
}

// recorder keeps the status a handler answered with.
type recorder struct {
	http.ResponseWriter
	call   *Call
	status int
}

func (rw *recorder) WriteHeader(status int) {
	if rw.status == 0 {
		rw.status = status
	}
	rw.ResponseWriter.WriteHeader(status)
}

func (rw *recorder) Write(b []byte) (int, error) {
	if rw.status == 0 {
		rw.status = http.StatusOK
	}
	return rw.ResponseWriter.Write(b)
}

// witnessed serves r with h and records it as a call to api.
func (s *Server) witnessed(w http.ResponseWriter, r *http.Request, host, api string, h http.Handler) {
	s.mu.Lock()
	s.seq++
	c := &Call{Seq: s.seq, At: s.clock().UTC(), Host: host, API: api, Method: r.Method, Path: r.URL.Path}
	s.mu.Unlock()
	rec := &recorder{ResponseWriter: w, call: c}
	h.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), callKey{}, c)))
	c.Status = rec.status
	if c.Status == 0 {
		c.Status = http.StatusOK
	}
	s.mu.Lock()
	if c.ClientID != "" && c.Access == "" {
		if app, ok := s.apps[c.ClientID]; ok {
			c.Access = app.Access
		}
	}
	s.calls = append(s.calls, *c)
	if len(s.calls) > maxCalls {
		s.calls = slices.Delete(s.calls, 0, len(s.calls)-maxCalls)
	}
	s.mu.Unlock()
	if s.onCall != nil {
		s.onCall(*c)
	}
}

// noteError records Pinterest's error code and message on the call being
// answered, when w is the witness's recorder.
func noteError(w http.ResponseWriter, code int, message string) {
	if rw, ok := w.(*recorder); ok {
		rw.call.Code, rw.call.Message = code, message
	}
}

// codeFingerprint is the form of a code the witness shows: its first four
// characters and an ellipsis, as pinready's traces show a code of the
// length this fake issues (internal/redact's fingerprint rule).
func codeFingerprint(code string) string {
	if len(code) <= 12 {
		return "•••"
	}
	return code[:4] + "…"
}
