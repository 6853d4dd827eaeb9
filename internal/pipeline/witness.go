package pipeline

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/egress"
	"github.com/pinready/pinready/internal/resolve"
	"github.com/pinready/pinready/oauthflow"
)

// The witness: when oauth.authorize_url points at a fake Pinterest
// (`pinready sandbox`, the example's world, `--resolve` onto either), it
// records every request the app makes with the tokens it issues, and the
// OAuth judgement cites them (oauthflow/witness.go). The fake may run in
// this process (`pinready example`) or in another (`pinready sandbox` in a
// user's CI): either way it is read over HTTP from the authorize page's
// origin, the same path for both. Pinterest's own hosts are never asked,
// unless --resolve sends them elsewhere.

// witnessTimeout bounds each request to the witness.
const witnessTimeout = 5 * time.Second

// openWitness marks the start of the flow at the fake Pinterest behind
// cfg's authorize page; nil when the page is Pinterest's own or its origin
// is not a witness.
func openWitness(ctx context.Context, cfg *checks.Config, m resolve.Map, policy *egress.Policy, progress io.Writer) *oauthflow.WitnessReader {
	u, err := url.Parse(cfg.OAuth.AuthorizeURL)
	if err != nil || u.Host == "" {
		return nil
	}
	if pinterestHost(u.Hostname()) {
		port := u.Port()
		if port == "" {
			port = map[string]string{"https": "443", "http": "80"}[u.Scheme]
		}
		if _, mapped := m.Lookup(net.JoinHostPort(u.Hostname(), port)); !mapped {
			return nil
		}
	}
	if policy == nil {
		policy = egress.New(egress.Options{Resolve: m})
	}
	client := &http.Client{
		Timeout:   witnessTimeout,
		Transport: &http.Transport{DialContext: policy.DialContext(&net.Dialer{Timeout: witnessTimeout}), ResponseHeaderTimeout: witnessTimeout},
		// The witness answers at its own address; a redirect is not one.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	w, err := oauthflow.OpenWitness(ctx, client, cfg.OAuth.AuthorizeURL, cfg.App.ID)
	if err != nil {
		fmt.Fprintf(progress, "oauth: witness: %v\n", err)
		return nil
	}
	if w != nil {
		fmt.Fprintf(progress, "oauth: witness: the fake Pinterest at %s records what the app does with its token\n", w.URL())
	}
	return w
}

// readWitness puts what the witness saw into the trace.
func readWitness(ctx context.Context, w *oauthflow.WitnessReader, trace *oauthflow.Trace, progress io.Writer) {
	if w == nil || trace == nil {
		return
	}
	seen, err := w.Read(ctx)
	if err != nil {
		fmt.Fprintf(progress, "oauth: witness: %v\n", err)
		return
	}
	trace.Witness = seen
}

// pinterestHost: Pinterest's own hosts (www.pinterest.com, api.pinterest.com).
func pinterestHost(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	return host == "pinterest.com" || strings.HasSuffix(host, ".pinterest.com")
}
