package privacy

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html/charset"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/browser"
	"github.com/pinready/pinready/internal/egress"
)

// fetcher is the plain HTTP client, made for servers that may be slow,
// broken or hostile: every request has a deadline, redirects are followed by
// hand so the chain is recorded and loops are caught, and bodies are capped
// after decoding so neither a 60 MB page nor a gzip bomb is read in full.
type fetcher struct {
	client   *http.Client
	insecure *http.Client // used only to read a page whose certificate failed, so its content can still be judged

	timeout       time.Duration // one walk through the redirects, body included
	maxRedirects  int
	maxBody       int64
	retries       int           // extra attempts after a 429 or 503
	maxRetryAfter time.Duration // the longest wait a Retry-After may impose
	// pause waits d before a retry, or until ctx ends (false). A field so a
	// test can see the waits asked for without timing them.
	pause func(ctx context.Context, d time.Duration) bool
}

// pauseFor waits d, or until ctx ends (false).
func pauseFor(ctx context.Context, d time.Duration) bool {
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-tm.C:
		return true
	}
}

// page is one fetched URL as the plain client saw it.
type page struct {
	URL         *url.URL // the final URL, after redirects
	Chain       []string // every URL requested, first first; one entry when nothing redirected
	Status      int
	Header      http.Header
	Body        []byte // decoded to UTF-8 for text types; at most maxBody bytes
	Truncated   bool   // the body was longer than maxBody
	Retried     int    // attempts repeated after a 429 or 503
	CertErr     error  // the certificate failed; Body was read without verification
	ContentType string // media type without parameters, sniffed when the server sent none
}

// fetchError says why no usable response came back; Kind picks the message.
type fetchError struct {
	Kind  string // "timeout", "tls", "loop", "redirects", "dns", "refused", "egress", "network"
	Chain []string
	Err   error
}

func (e *fetchError) Error() string { return e.Err.Error() }
func (e *fetchError) Unwrap() error { return e.Err }

func newFetcher(o Options, p checks.Params, roots *x509.CertPool) *fetcher {
	f := &fetcher{pause: pauseFor,
		timeout:       o.Timeout,
		maxRedirects:  p.Int("max_redirects"),
		maxBody:       int64(p.Int("max_body_bytes")),
		retries:       p.Int("retries"),
		maxRetryAfter: p.Duration("max_retry_after"),
	}
	policy := o.Egress
	if policy == nil {
		policy = egress.New(egress.Options{Resolve: o.Resolve})
	}
	f.client = newClient(policy, f.timeout, &tls.Config{RootCAs: roots})
	f.insecure = newClient(policy, f.timeout, &tls.Config{InsecureSkipVerify: true})
	return f
}

// newClient's dialer applies the egress policy (and --resolve) to every
// connection, so no redirect hop reaches an internal address.
func newClient(policy *egress.Policy, timeout time.Duration, tc *tls.Config) *http.Client {
	dialer := &net.Dialer{Timeout: timeout}
	return &http.Client{
		Transport: &http.Transport{
			DialContext:            policy.DialContext(dialer),
			TLSClientConfig:        tc,
			TLSHandshakeTimeout:    timeout,
			ResponseHeaderTimeout:  timeout,
			MaxResponseHeaderBytes: 1 << 20,
			// We ask for gzip ourselves and decode it through a capped
			// reader; the transport's transparent decoding has no cap.
			DisableCompression: true,
			// No proxy: --resolve must decide where every host goes.
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// get fetches rawURL, following redirects and retrying on 429/503. A response
// with any status is a page; only a failure to get one is an error.
func (f *fetcher) get(ctx context.Context, rawURL string) (*page, error) {
	for attempt := 0; ; attempt++ {
		p, err := f.walk(ctx, rawURL, f.client)
		var fe *fetchError
		if errors.As(err, &fe) && fe.Kind == "tls" {
			// Report the certificate, but still read the page: the other
			// rules can be judged and the user learns everything at once.
			p, err = f.walk(ctx, rawURL, f.insecure)
			if p != nil {
				p.CertErr = fe.Err
			}
		}
		if err != nil {
			return nil, err
		}
		p.Retried = attempt
		if (p.Status != http.StatusTooManyRequests && p.Status != http.StatusServiceUnavailable) || attempt >= f.retries {
			return p, nil
		}
		if !f.pause(ctx, f.retryWait(p.Header.Get("Retry-After"), attempt)) {
			return p, nil
		}
	}
}

// retryWait honours Retry-After (seconds or an HTTP date) up to
// maxRetryAfter, and otherwise backs off exponentially from half a second.
func (f *fetcher) retryWait(retryAfter string, attempt int) time.Duration {
	wait := 500 * time.Millisecond << attempt
	if s, err := strconv.Atoi(strings.TrimSpace(retryAfter)); err == nil && s >= 0 {
		wait = time.Duration(s) * time.Second
	} else if t, err := http.ParseTime(retryAfter); err == nil {
		wait = time.Until(t)
	}
	return max(0, min(wait, f.maxRetryAfter))
}

// walk follows redirects from rawURL within one timeout and reads the final body.
func (f *fetcher) walk(ctx context.Context, rawURL string, client *http.Client) (*page, error) {
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, &fetchError{Kind: "network", Err: err}
	}
	chain := []string{u.String()}
	for {
		resp, err := f.do(ctx, client, u)
		if err != nil {
			return nil, classify(err, chain, f.timeout)
		}
		loc := resp.Header.Get("Location")
		if isRedirect(resp.StatusCode) && loc != "" {
			resp.Body.Close()
			next, err := u.Parse(loc)
			if err != nil {
				return nil, &fetchError{Kind: "network", Chain: chain, Err: fmt.Errorf("redirect to a malformed Location %q", loc)}
			}
			next.Fragment = ""
			for _, seen := range chain {
				if seen == next.String() {
					chain = append(chain, next.String())
					return nil, &fetchError{Kind: "loop", Chain: chain, Err: fmt.Errorf("redirect loop: %s", strings.Join(chain, " → "))}
				}
			}
			chain = append(chain, next.String())
			if len(chain)-1 > f.maxRedirects {
				return nil, &fetchError{Kind: "redirects", Chain: chain, Err: fmt.Errorf("more than %d redirects", f.maxRedirects)}
			}
			u = next
			continue
		}
		p, err := f.read(resp)
		if err == nil && ctx.Err() != nil {
			// The deadline passed while the body came in: whatever the read
			// returned when the connection was torn down, the page did not
			// arrive in time.
			err = ctx.Err()
		}
		if err != nil {
			return nil, classify(err, chain, f.timeout)
		}
		p.URL, p.Chain = u, chain
		return p, nil
	}
}

func (f *fetcher) do(ctx context.Context, client *http.Client, u *url.URL) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", browser.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	req.Header.Set("Accept-Language", "en-US,en;q=0.9")
	req.Header.Set("Accept-Encoding", "gzip")
	return client.Do(req)
}

func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// read takes at most maxBody decoded bytes of the body and converts text to UTF-8.
func (f *fetcher) read(resp *http.Response) (*page, error) {
	defer resp.Body.Close()
	p := &page{Status: resp.StatusCode, Header: resp.Header}
	var body io.Reader = resp.Body
	if strings.EqualFold(strings.TrimSpace(resp.Header.Get("Content-Encoding")), "gzip") {
		gz, err := gzip.NewReader(resp.Body)
		if err != nil {
			return nil, fmt.Errorf("the server sent a broken gzip body: %w", err)
		}
		body = gz
	}
	data, err := io.ReadAll(io.LimitReader(body, f.maxBody+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > f.maxBody {
		data, p.Truncated = data[:f.maxBody], true
	}
	ct := resp.Header.Get("Content-Type")
	p.ContentType, _, _ = mime.ParseMediaType(ct)
	if p.ContentType == "" {
		p.ContentType, _, _ = mime.ParseMediaType(http.DetectContentType(data))
	}
	if isText(p.ContentType) {
		if r, err := charset.NewReader(bytes.NewReader(data), ct); err == nil {
			if utf8, err := io.ReadAll(r); err == nil {
				data = utf8
			}
		}
	}
	p.Body = data
	return p, nil
}

func isText(mediaType string) bool {
	return strings.HasPrefix(mediaType, "text/") || strings.HasSuffix(mediaType, "xml") || mediaType == "application/xhtml+xml"
}

// classify turns a transport error into a fetchError whose Kind picks the
// message a user can act on.
func classify(err error, chain []string, timeout time.Duration) error {
	kind := "network"
	var (
		dnsErr  *net.DNSError
		certErr *tls.CertificateVerificationError
		unknown x509.UnknownAuthorityError
		invalid x509.CertificateInvalidError
		host    x509.HostnameError
		recErr  tls.RecordHeaderError
		opErr   *net.OpError
		refused *egress.RefusedError
	)
	switch {
	case errors.As(err, &refused):
		kind = "egress"
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		kind = "timeout"
		err = fmt.Errorf("no complete answer within %s", timeout)
	case errors.As(err, &certErr), errors.As(err, &unknown), errors.As(err, &invalid), errors.As(err, &host), errors.As(err, &recErr):
		kind = "tls"
	case errors.As(err, &dnsErr):
		kind = "dns"
	case errors.As(err, &opErr) && opErr.Op == "dial":
		kind = "refused"
	}
	return &fetchError{Kind: kind, Chain: chain, Err: err}
}

// isTimeout catches timeouts that do not wrap context.DeadlineExceeded
// (a dial or header timeout of the transport).
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// certProblem names what is wrong with a certificate in the words a user
// searches for. Go calls a self-signed certificate "signed by unknown
// authority", which hides the usual cause: a development certificate left
// on the server.
func certProblem(err error) string {
	var unknown x509.UnknownAuthorityError
	if errors.As(err, &unknown) && unknown.Cert != nil && bytes.Equal(unknown.Cert.RawIssuer, unknown.Cert.RawSubject) &&
		unknown.Cert.CheckSignature(unknown.Cert.SignatureAlgorithm, unknown.Cert.RawTBSCertificate, unknown.Cert.Signature) == nil {
		return "the certificate is self-signed, so no browser trusts it (" + err.Error() + ")"
	}
	return err.Error()
}
