package oauthflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/pinready/pinready/internal/redact"
	"github.com/pinready/pinready/internal/witness"
)

// A fake Pinterest (`pinready sandbox`, the example's, the tests') is also a
// witness: it records every request it answers and serves them as JSON at
// WitnessPath (internal/fakepinterest/witness.go). When the flow's authorize
// page is such a fake, pinready reads what it saw during the flow, and the
// judgement cites what the app really did with the token it was just issued
// instead of inferring it from a text on the page.

// WitnessPath is where a fake Pinterest serves its witness, on the origin
// of its authorize page.
const WitnessPath = witness.Path

// Witness is what the fake Pinterest saw during the flow: every request it
// answered from Since on, of the app and of no known app. It is nil when
// the authorize page is not a fake's (Pinterest's own is never asked).
type Witness struct {
	URL   string        `json:"url"`   // where it was read
	Since int64         `json:"since"` // the number of the run's first request
	Calls []WitnessCall `json:"calls"`
}

// WitnessCall is one request the fake answered: the fake's own JSON type
// (fakepinterest.Call is the same), which users' CI reads too.
type WitnessCall = witness.Call

// maxWitnessBody bounds a witness answer pinready reads.
const maxWitnessBody = 8 << 20

// WitnessReader reads one run's calls from a fake Pinterest: Open marks
// where the run starts, Read returns what followed.
type WitnessReader struct {
	client   *http.Client
	url      string // the witness, with the app's client_id
	shown    string // the same, for the trace
	clientID string
	since    int64
}

// OpenWitness asks the origin of authorizeURL whether it is a fake
// Pinterest's, and marks the start of the run. It returns nil, nil when it
// is not: any answer but a witness's. The caller decides which authorize
// pages to ask (never Pinterest's own).
func OpenWitness(ctx context.Context, client *http.Client, authorizeURL, clientID string) (*WitnessReader, error) {
	u, err := url.Parse(authorizeURL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, nil
	}
	base := url.URL{Scheme: u.Scheme, Host: u.Host, Path: WitnessPath}
	q := url.Values{}
	if clientID != "" {
		q.Set("client_id", clientID)
	}
	base.RawQuery = q.Encode()
	w := &WitnessReader{client: client, url: base.String(), shown: redact.URL(base.String()), clientID: clientID}
	// Asking from a number no request has yet answers only "next".
	a, err := w.get(ctx, 1<<62)
	if err != nil {
		var notWitness errNotWitness
		if errors.As(err, &notWitness) {
			return nil, nil
		}
		return nil, err
	}
	w.since = a.Next
	return w, nil
}

// URL is where the witness is read, masked.
func (w *WitnessReader) URL() string { return w.shown }

// Read returns the calls since the run's start.
func (w *WitnessReader) Read(ctx context.Context) (*Witness, error) {
	a, err := w.get(ctx, w.since)
	if err != nil {
		return nil, err
	}
	out := &Witness{URL: w.shown, Since: w.since, Calls: a.Calls}
	for i := range out.Calls {
		c := &out.Calls[i]
		// The fake's answer is the audited world's words, not ours: keep
		// it to what a trace may hold.
		c.Host, c.Path, c.Message = redact.Text(c.Host), redact.Text(c.Path), clip(redact.Text(c.Message), 300)
		c.CodeIssued = clip(redact.Text(c.CodeIssued), 8)
	}
	return out, nil
}

// errNotWitness: the origin answered, but not as a witness.
type errNotWitness struct{ why string }

func (e errNotWitness) Error() string { return e.why }

func (w *WitnessReader) get(ctx context.Context, since int64) (*witness.Answer, error) {
	sep := "?"
	if strings.Contains(w.url, "?") {
		sep = "&"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, w.url+sep+"since="+strconv.FormatInt(since, 10), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := w.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("read the witness at %s: %w", w.shown, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, errNotWitness{fmt.Sprintf("%s answered %d %s", w.shown, resp.StatusCode, resp.Header.Get("Content-Type"))}
	}
	var a witness.Answer
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxWitnessBody)).Decode(&a); err != nil || a.Witness != witness.Name {
		return nil, errNotWitness{fmt.Sprintf("%s is not a fake Pinterest's witness", w.shown)}
	}
	return &a, nil
}
