package sampleapp

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"sync"
	"time"
)

const (
	sessionCookie = "acme_session"
	// sessionIdle is how long an unused session (and its Pinterest token) is
	// kept; the privacy policy promises this number.
	sessionIdle = 24 * time.Hour
)

// session is server-side state behind the session cookie. The Pinterest
// tokens live here and nowhere else: not in the page, the URL or a cookie.
type session struct {
	state    string // OAuth state of a flow in progress; "" when none
	verifier string // its PKCE code verifier (x/oauth2)
	csrf     string // guards the app's own POST forms
	access   string // Pinterest access token (pina_…)
	refresh  string // Pinterest refresh token (pinr_…)
	username string
	lastSeen time.Time
}

func (s session) connected() bool { return s.access != "" }

type sessions struct {
	mu sync.Mutex
	m  map[string]*session
}

func newSessions() *sessions { return &sessions{m: make(map[string]*session)} }

// get returns a copy of the request's session.
func (ss *sessions) get(r *http.Request) (id string, s session, ok bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return "", session{}, false
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	p, ok := ss.m[c.Value]
	if !ok {
		return "", session{}, false
	}
	if time.Since(p.lastSeen) > sessionIdle {
		delete(ss.m, c.Value)
		return "", session{}, false
	}
	p.lastSeen = time.Now()
	return c.Value, *p, true
}

// put stores s under a new random id, forgets oldID (a fresh id after
// sign-in defeats session fixation) and sets the cookie.
func (ss *sessions) put(w http.ResponseWriter, r *http.Request, oldID string, s session) error {
	id, err := randomString()
	if err != nil {
		return err
	}
	s.lastSeen = time.Now()
	ss.mu.Lock()
	delete(ss.m, oldID)
	ss.m[id] = &s
	ss.mu.Unlock()
	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookie,
		Value:    id,
		Path:     "/",
		HttpOnly: true,
		Secure:   r.TLS != nil,
		SameSite: http.SameSiteLaxMode,
	})
	return nil
}

// update changes the stored session id in place, if it still exists.
func (ss *sessions) update(id string, change func(*session)) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if p, ok := ss.m[id]; ok {
		change(p)
	}
}

func (ss *sessions) delete(w http.ResponseWriter, id string) {
	ss.mu.Lock()
	delete(ss.m, id)
	ss.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// randomString is 32 bytes from crypto/rand, base64url: 43 unguessable characters.
func randomString() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
