package fakepinterest

import (
	"strconv"
	"time"
)

// Board is the v5 board shape, trimmed to the fields apps commonly read.
type Board struct {
	ID                  string `json:"id"`
	CreatedAt           string `json:"created_at"`
	BoardPinsModifiedAt string `json:"board_pins_modified_at"`
	Name                string `json:"name"`
	Description         string `json:"description"`
	CollaboratorCount   int    `json:"collaborator_count"`
	PinCount            int    `json:"pin_count"`
	FollowerCount       int    `json:"follower_count"`
	Privacy             string `json:"privacy"`
	Owner               Owner  `json:"owner"`
}

// Owner names the user a board or Pin belongs to.
type Owner struct {
	Username string `json:"username"`
}

// Pin is the v5 Pin shape, trimmed likewise.
type Pin struct {
	ID           string `json:"id"`
	CreatedAt    string `json:"created_at"`
	Link         string `json:"link"`
	Title        string `json:"title"`
	Description  string `json:"description"`
	AltText      string `json:"alt_text"`
	BoardID      string `json:"board_id"`
	BoardOwner   Owner  `json:"board_owner"`
	CreativeType string `json:"creative_type"`
	IsOwner      bool   `json:"is_owner"`
	Media        Media  `json:"media"`
}

// Media describes a Pin's image. The fake serves back the URL it was given
// rather than rehosting it, so nothing points at the real Pinterest CDN.
type Media struct {
	MediaType string           `json:"media_type"`
	Images    map[string]Image `json:"images,omitempty"`
}

// Image is one size of a Pin image.
type Image struct {
	Width  int    `json:"width"`
	Height int    `json:"height"`
	URL    string `json:"url"`
}

// store is one environment's data. Production and sandbox are separate, as
// on Pinterest, where Trial-created entities live only in the sandbox. Both
// start from the same seed so a demo against either has boards to show (the
// real sandbox starts empty).
type store struct {
	boards []Board
	pins   []Pin
	nextID int64
}

// pinterestTime is the timestamp layout the v5 API uses (UTC, no zone).
const pinterestTime = "2006-01-02T15:04:05"

func seedStore(envDigit int64) *store {
	owner := Owner{Username: Username}
	st := &store{nextID: envDigit*1_000_000_000_000_000 + 1}
	st.boards = []Board{
		{ID: "549755885175", CreatedAt: "2021-03-14T18:22:05", BoardPinsModifiedAt: "2026-10-02T07:41:19", Name: "Weeknight Dinners",
			Description: "Thirty-minute meals for busy evenings.", PinCount: 2, FollowerCount: 312, Privacy: "PUBLIC", Owner: owner},
		{ID: "549755885176", CreatedAt: "2022-06-01T09:10:44", BoardPinsModifiedAt: "2026-09-18T20:03:51", Name: "Small Garden Ideas",
			Description: "Balcony planters, herbs and climbing plants.", PinCount: 1, FollowerCount: 128, Privacy: "PUBLIC", Owner: owner},
		{ID: "549755885177", CreatedAt: "2023-11-20T15:47:30", BoardPinsModifiedAt: "2026-08-29T12:15:02", Name: "Cosy Reading Corners",
			Description: "Nooks, lamps and shelves for slow Sundays.", PinCount: 1, FollowerCount: 87, Privacy: "PUBLIC", Owner: owner},
	}
	pin := func(id, board, created, title, desc, link string) Pin {
		return Pin{ID: id, CreatedAt: created, Link: link, Title: title, Description: desc, AltText: title,
			BoardID: board, BoardOwner: owner, CreativeType: "REGULAR", IsOwner: true, Media: Media{MediaType: "image"}}
	}
	st.pins = []Pin{
		pin("813184332631", "549755885175", "2026-10-02T07:41:19", "One-pan lemon orzo", "Creamy orzo with spinach and lemon, ready in 25 minutes.", ""),
		pin("813184332632", "549755885175", "2026-09-12T19:05:51", "Sheet-pan gnocchi with peppers", "Crispy gnocchi and roasted peppers on one tray.", ""),
		pin("813184332633", "549755885176", "2026-09-18T20:03:51", "Herb ladder for a narrow balcony", "Basil, thyme and mint stacked on a wooden ladder shelf.", ""),
		pin("813184332634", "549755885177", "2026-08-29T12:15:02", "Window seat with hidden storage", "Built-in bench with drawers under a bay window.", ""),
	}
	return st
}

func (st *store) newID() string {
	id := strconv.FormatInt(st.nextID, 10)
	st.nextID++
	return id
}

func (st *store) board(id string) (*Board, bool) {
	for i := range st.boards {
		if st.boards[i].ID == id {
			return &st.boards[i], true
		}
	}
	return nil, false
}

func stamp(t time.Time) string { return t.UTC().Format(pinterestTime) }
