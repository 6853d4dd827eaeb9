package fakepinterest

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Error codes in the JSON body of an error. 1, 2 and 29 appear in public
// reports of Pinterest's responses; 3 (authorization) and 40 (not found) are
// this fake's choice.
const (
	codeInvalidParameters = 1
	codeAuthentication    = 2
	codeAuthorization     = 3
	codeTrialProduction   = 29
	codeNotFound          = 40
	codeInternal          = 500
)

// TrialPinsMessage is Pinterest's message when a Trial app creates a Pin on
// the production host (HTTP 403, code 29).
// The words are those of the answer users reported (gitroomhq/postiz-app#1084).
const TrialPinsMessage = "Apps with Trial access may not create Pins in production https://api.pinterest.com - use API Sandbox https://api-sandbox.pinterest.com instead."

// call is an authenticated API request.
type call struct {
	env   env
	app   App
	grant grant
}

type apiHandler func(w http.ResponseWriter, r *http.Request, c call)

func (s *Server) apiMux(e env) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v5/oauth/token", s.handleToken)
	mux.Handle("GET /v5/user_account", s.authed(e, []string{"user_accounts:read"}, s.getUserAccount))
	mux.Handle("GET /v5/boards", s.authed(e, []string{"boards:read"}, s.listBoards))
	mux.Handle("POST /v5/boards", s.authed(e, []string{"boards:write"}, s.createBoard))
	mux.Handle("GET /v5/pins", s.authed(e, []string{"pins:read"}, s.listPins))
	mux.Handle("POST /v5/pins", s.authed(e, []string{"boards:read", "boards:write", "pins:read", "pins:write"}, s.createPin))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		apiError(w, http.StatusNotFound, codeNotFound, "No such endpoint in this fake Pinterest: "+r.Method+" "+r.URL.Path)
	})
	return mux
}

// authed checks the Bearer token and that it carries every scope in need.
func (s *Server) authed(e env, need []string, h apiHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		s.mu.Lock()
		g, known := s.access[token]
		app := s.apps[g.clientID]
		s.mu.Unlock()
		c := noted(r)
		switch {
		case known:
			c.ClientID, c.Token, c.TokenGrant, c.TokenSeq, c.Authorization = g.clientID, g.label, g.via, g.seq, g.authz
		case ok && token != "":
			c.Token = TokenUnknown
		}
		if !ok || !known || !s.clock().Before(g.expiresAt) {
			apiError(w, http.StatusUnauthorized, codeAuthentication, "Authentication failed. Send a valid, unexpired access token as Authorization: Bearer.")
			return
		}
		if m := missingScope(g.scopes, need); m != "" {
			apiError(w, http.StatusForbidden, codeAuthorization, "Authorization failed: this endpoint needs the scope "+m+", which the access token was not granted.")
			return
		}
		h(w, r, call{env: e, app: app, grant: g})
	})
}

func (s *Server) getUserAccount(w http.ResponseWriter, r *http.Request, c call) {
	s.mu.Lock()
	st := s.stores[c.env]
	boards, pins := len(st.boards), len(st.pins)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"account_type":    "PINNER",
		"id":              "1070603916032119296",
		"username":        Username,
		"business_name":   nil,
		"about":           "Recipes, gardens and reading nooks.",
		"website_url":     "",
		"board_count":     boards,
		"pin_count":       pins,
		"follower_count":  521,
		"following_count": 143,
		"monthly_views":   18400,
	})
}

func (s *Server) listBoards(w http.ResponseWriter, r *http.Request, c call) {
	s.mu.Lock()
	var boards []Board
	for _, b := range s.stores[c.env].boards {
		if b.Privacy == "PUBLIC" || slices.Contains(c.grant.scopes, "boards:read_secret") {
			boards = append(boards, b)
		}
	}
	s.mu.Unlock()
	writePage(w, r, boards)
}

func (s *Server) listPins(w http.ResponseWriter, r *http.Request, c call) {
	s.mu.Lock()
	pins := slices.Clone(s.stores[c.env].pins)
	s.mu.Unlock()
	writePage(w, r, pins)
}

func (s *Server) createBoard(w http.ResponseWriter, r *http.Request, c call) {
	var in struct {
		Name        string `json:"name"`
		Description string `json:"description"`
		Privacy     string `json:"privacy"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	if strings.TrimSpace(in.Name) == "" {
		apiError(w, http.StatusBadRequest, codeInvalidParameters, "Invalid parameters: name is required.")
		return
	}
	switch in.Privacy {
	case "":
		in.Privacy = "PUBLIC"
	case "PUBLIC":
	case "SECRET", "PROTECTED":
		if !slices.Contains(c.grant.scopes, "boards:write_secret") {
			apiError(w, http.StatusForbidden, codeAuthorization, "Authorization failed: secret boards need the scope boards:write_secret, which the access token was not granted.")
			return
		}
	default:
		apiError(w, http.StatusBadRequest, codeInvalidParameters, "Invalid parameters: privacy must be PUBLIC, PROTECTED or SECRET.")
		return
	}
	s.mu.Lock()
	st := s.stores[c.env]
	now := stamp(s.clock())
	b := Board{ID: st.newID(), CreatedAt: now, BoardPinsModifiedAt: now, Name: in.Name, Description: in.Description,
		Privacy: in.Privacy, Owner: Owner{Username: Username}}
	st.boards = append(st.boards, b)
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, b)
}

// createPin is POST /v5/pins. A Trial app is refused on the production host
// with code 29 and allowed on the sandbox host, as Pinterest does today.
func (s *Server) createPin(w http.ResponseWriter, r *http.Request, c call) {
	if c.env == production && c.app.Access != AccessStandard {
		apiError(w, http.StatusForbidden, codeTrialProduction, TrialPinsMessage)
		return
	}
	var in struct {
		BoardID     string `json:"board_id"`
		Title       string `json:"title"`
		Description string `json:"description"`
		Link        string `json:"link"`
		AltText     string `json:"alt_text"`
		MediaSource *struct {
			SourceType  string `json:"source_type"`
			URL         string `json:"url"`
			Data        string `json:"data"`
			ContentType string `json:"content_type"`
		} `json:"media_source"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	if in.BoardID == "" {
		apiError(w, http.StatusBadRequest, codeInvalidParameters, "Invalid parameters: board_id is required.")
		return
	}
	if in.MediaSource == nil {
		apiError(w, http.StatusBadRequest, codeInvalidParameters, "Invalid parameters: media_source is required.")
		return
	}
	media := Media{MediaType: "image"}
	switch ms := in.MediaSource; ms.SourceType {
	case "image_url":
		u, err := url.Parse(ms.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			apiError(w, http.StatusBadRequest, codeInvalidParameters, "Invalid parameters: media_source.url must be an absolute http(s) URL.")
			return
		}
		media.Images = map[string]Image{"600x": {Width: 600, Height: 900, URL: ms.URL}}
	case "image_base64":
		if ms.Data == "" || ms.ContentType == "" {
			apiError(w, http.StatusBadRequest, codeInvalidParameters, "Invalid parameters: image_base64 needs data and content_type.")
			return
		}
	default:
		apiError(w, http.StatusBadRequest, codeInvalidParameters, "Invalid parameters: media_source.source_type must be image_url or image_base64 in this fake.")
		return
	}
	if len(in.Title) > 100 || len(in.Description) > 800 {
		apiError(w, http.StatusBadRequest, codeInvalidParameters, "Invalid parameters: title is at most 100 characters, description at most 800.")
		return
	}

	s.mu.Lock()
	st := s.stores[c.env]
	b, ok := st.board(in.BoardID)
	if !ok {
		s.mu.Unlock()
		apiError(w, http.StatusNotFound, codeNotFound, "Board not found.")
		return
	}
	now := stamp(s.clock())
	p := Pin{ID: st.newID(), CreatedAt: now, Link: in.Link, Title: in.Title, Description: in.Description, AltText: in.AltText,
		BoardID: b.ID, BoardOwner: b.Owner, CreativeType: "REGULAR", IsOwner: true, Media: media}
	st.pins = append(st.pins, p)
	b.PinCount++
	b.BoardPinsModifiedAt = now
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, p)
}

// writePage writes v5's paginated shape. The bookmark is the next offset; it
// is null on the last page.
func writePage[T any](w http.ResponseWriter, r *http.Request, all []T) {
	q := r.URL.Query()
	size := 25
	if v := q.Get("page_size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 250 {
			apiError(w, http.StatusBadRequest, codeInvalidParameters, "Invalid parameters: page_size must be 1 to 250.")
			return
		}
		size = n
	}
	start := 0
	if v := q.Get("bookmark"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > len(all) {
			apiError(w, http.StatusBadRequest, codeInvalidParameters, "Invalid parameters: unknown bookmark.")
			return
		}
		start = n
	}
	end := min(start+size, len(all))
	var bookmark *string
	if end < len(all) {
		next := strconv.Itoa(end)
		bookmark = &next
	}
	items := all[start:end]
	if items == nil {
		items = []T{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "bookmark": bookmark})
}

// readJSON decodes a JSON request body, answering 400 itself when it cannot.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(v)
	if err != nil {
		msg := "Invalid parameters: the body must be a JSON object."
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			msg = "Invalid parameters: the body is larger than 1 MiB."
		}
		apiError(w, http.StatusBadRequest, codeInvalidParameters, msg)
		return false
	}
	return true
}

func apiError(w http.ResponseWriter, status, code int, message string) {
	noteError(w, code, message)
	writeJSON(w, status, map[string]any{"code": code, "message": message})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
