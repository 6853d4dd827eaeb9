package sampleapp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// pinterestAPI is the app's server-side Pinterest client.
type pinterestAPI struct {
	base string
	http *http.Client
}

type board struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	PinCount    int    `json:"pin_count"`
	Privacy     string `json:"privacy"`
}

type pin struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	BoardID     string `json:"board_id"`
	CreatedAt   string `json:"created_at"`
}

type newPin struct {
	BoardID     string      `json:"board_id"`
	Title       string      `json:"title"`
	Description string      `json:"description,omitempty"`
	Link        string      `json:"link,omitempty"`
	AltText     string      `json:"alt_text,omitempty"`
	MediaSource mediaSource `json:"media_source"`
}

type mediaSource struct {
	SourceType string `json:"source_type"`
	URL        string `json:"url"`
}

// apiError is Pinterest's error body. Its text is safe to show users: it
// never contains a token.
type apiError struct {
	Status  int    `json:"-"`
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *apiError) Error() string {
	return fmt.Sprintf("Pinterest answered %d (code %d): %s", e.Status, e.Code, e.Message)
}

func (p pinterestAPI) username(ctx context.Context, token string) (string, error) {
	var u struct {
		Username string `json:"username"`
	}
	if err := p.call(ctx, token, "GET", "/v5/user_account", nil, &u); err != nil {
		return "", fmt.Errorf("read the Pinterest account: %w", err)
	}
	return u.Username, nil
}

func (p pinterestAPI) boards(ctx context.Context, token string) ([]board, error) {
	var page struct {
		Items []board `json:"items"`
	}
	if err := p.call(ctx, token, "GET", "/v5/boards?page_size=100", nil, &page); err != nil {
		return nil, fmt.Errorf("list your boards: %w", err)
	}
	return page.Items, nil
}

func (p pinterestAPI) createPin(ctx context.Context, token string, in newPin) (pin, error) {
	var out pin
	if err := p.call(ctx, token, "POST", "/v5/pins", in, &out); err != nil {
		return pin{}, fmt.Errorf("create the Pin: %w", err)
	}
	return out, nil
}

func (p pinterestAPI) call(ctx context.Context, token, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, p.base+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return p.do(req, out)
}

// do sends req and decodes a 2xx JSON body into out, or returns *apiError.
func (p pinterestAPI) do(req *http.Request, out any) error {
	resp, err := p.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		e := &apiError{Status: resp.StatusCode}
		if json.Unmarshal(b, e) != nil || e.Message == "" {
			e.Message = http.StatusText(resp.StatusCode)
		}
		return e
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("read Pinterest's answer: %w", err)
	}
	return nil
}
