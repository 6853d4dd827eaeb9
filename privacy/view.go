package privacy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/pinready/pinready/checks"
)

// view is one page as the audit judges it: the plain client's fetch, and the
// browser's rendering when one was needed. Doc is the rendered DOM when there
// is one, else the static HTML; nil for a page that is not HTML or never came.
type view struct {
	Requested string
	Page      *page // nil when the fetch failed
	FetchErr  error
	Rendered  *rendered // nil when the page was not rendered
	RenderErr error     // why rendering failed (a *checks.CannotRunError when the browser did not start)
	RenderWhy string    // why the browser was used; "" when it was not
	Static    *document // the server's HTML
	Doc       *document // what the content rules read
}

// load fetches rawURL and renders it when the static HTML cannot be judged
// (too little text), when a 403/429 must be confirmed in a real browser, or
// when Render is always. shotName names the screenshot in EvidenceDir.
func (a *auditor) load(ctx context.Context, what, rawURL string, minWords int, shotName string) *view {
	v := &view{Requested: rawURL}
	a.progress("fetching the %s %s", what, rawURL)
	v.Page, v.FetchErr = a.fetch.get(ctx, rawURL)
	if v.Page != nil && isHTML(v.Page.ContentType) {
		if d, err := parseDocument(string(v.Page.Body)); err == nil {
			v.Static, v.Doc = d, d
		}
	}
	v.RenderWhy = a.renderReason(v, minWords)
	if v.RenderWhy == "" {
		return v
	}
	a.progress("rendering the %s in Chromium: %s", what, v.RenderWhy)
	if a.o.Browser == nil {
		v.RenderErr = &checks.CannotRunError{What: "render the " + what, Err: errors.New("no browser was configured")}
		a.noteCannotRun(v.RenderErr)
		return v
	}
	b, err := a.o.Browser.Get()
	if err != nil {
		v.RenderErr = err
		a.noteCannotRun(err)
		return v
	}
	shot := ""
	if a.o.EvidenceDir != "" {
		if err := os.MkdirAll(a.o.EvidenceDir, 0o755); err != nil {
			a.noteCannotRun(&checks.CannotRunError{What: "write evidence to " + a.o.EvidenceDir, Err: err})
		} else {
			shot = filepath.Join(a.o.EvidenceDir, shotName)
		}
	}
	url := rawURL
	if v.Page != nil {
		url = v.Page.URL.String() // the browser need not walk the redirects again
	}
	settle := a.params("privacy.renders").Duration("render_wait")
	v.Rendered, v.RenderErr = render(ctx, b, url, a.o.Timeout, settle, minWords, shot)
	if v.Rendered != nil {
		if d, err := parseDocument(v.Rendered.HTML); err == nil {
			v.Doc = d
		}
	}
	return v
}

// renderReason says why the page must be opened in the browser, or "".
func (a *auditor) renderReason(v *view, minWords int) string {
	if a.o.Render == RenderNever || v.Page == nil || !isHTML(v.Page.ContentType) {
		return ""
	}
	st := v.Page.Status
	switch {
	case st == http.StatusForbidden || st == http.StatusTooManyRequests:
		return fmt.Sprintf("confirm the HTTP %d the plain client got", st)
	case st < 200 || st > 299:
		return ""
	case a.o.Render == RenderAlways:
		return "--render always"
	case v.Static == nil || v.Static.Words < minWords:
		words := 0
		if v.Static != nil {
			words = v.Static.Words
		}
		return fmt.Sprintf("the server's HTML has only %d words of text (a JavaScript app?)", words)
	case a.o.EvidenceDir != "" && a.o.Browser != nil && a.o.Browser.Started():
		return "a screenshot for --evidence (the browser is already running)"
	}
	return ""
}

// status is the HTTP status a visitor ends with: the browser's when it
// rendered the page and said, else the plain client's.
func (v *view) status() int {
	if v.Rendered != nil && v.Rendered.Status != 0 {
		return v.Rendered.Status
	}
	if v.Page != nil {
		return v.Page.Status
	}
	return 0
}

// finalURL is where the visitor ends.
func (v *view) finalURL() string {
	if v.Rendered != nil && v.Rendered.URL != "" {
		return v.Rendered.URL
	}
	if v.Page != nil {
		return v.Page.URL.String()
	}
	return v.Requested
}

// loaded says whether a visitor gets a 2xx page, and if not, why.
func (v *view) loaded() (bool, string) {
	if v.Page == nil {
		return false, "did not load: " + fetchMessage(v.FetchErr)
	}
	if st := v.status(); st < 200 || st > 299 {
		return false, fmt.Sprintf("did not load (HTTP %d %s)", st, http.StatusText(st))
	}
	return true, ""
}

// evidence is what the view shows a reviewer, with the given excerpt (or the
// start of the page's text when it is empty).
func (v *view) evidence(ex string) *checks.Evidence {
	e := &checks.Evidence{URL: v.finalURL(), Status: v.status(), Excerpt: ex}
	if v.Page != nil && len(v.Page.Chain) > 1 {
		e.Redirects = v.Page.Chain
	} else if fe := (*fetchError)(nil); errors.As(v.FetchErr, &fe) && len(fe.Chain) > 1 {
		e.Redirects = fe.Chain
	}
	if e.Excerpt == "" && v.Doc != nil {
		e.Excerpt = excerpt(v.Doc.Text, 0, 200)
	}
	if v.Rendered != nil {
		e.Screenshot = v.Rendered.Shot
	}
	return e
}

// with attaches the view's evidence to f, keeping an excerpt f already has.
func (v *view) with(f checks.Finding) checks.Finding {
	ex := ""
	if f.Evidence != nil {
		ex = f.Evidence.Excerpt
	}
	return f.With(v.evidence(ex))
}

// fetchMessage turns a fetch error into words a user can act on.
func fetchMessage(err error) string {
	var fe *fetchError
	if !errors.As(err, &fe) {
		return fmt.Sprint(err)
	}
	switch fe.Kind {
	case "timeout":
		return fe.Err.Error() + " (a slow or silent server)"
	case "dns":
		var dns *net.DNSError
		if errors.As(fe.Err, &dns) && dns.Name != "" {
			return "the host name " + dns.Name + " does not resolve (DNS)"
		}
		return "the host name does not resolve (DNS)"
	case "refused":
		var op *net.OpError
		if errors.As(fe.Err, &op) && op.Addr != nil {
			return "nothing accepts connections at " + op.Addr.String()
		}
		return "could not connect: " + fe.Err.Error()
	case "tls":
		return "the TLS handshake failed: " + fe.Err.Error()
	}
	return fe.Err.Error()
}

func isHTML(mediaType string) bool {
	return mediaType == "text/html" || mediaType == "application/xhtml+xml"
}

// isDocument recognises downloads and documents that are not web pages.
func isDocument(p *page) (bool, string) {
	if cd := p.Header.Get("Content-Disposition"); strings.HasPrefix(strings.ToLower(strings.TrimSpace(cd)), "attachment") {
		return true, fmt.Sprintf("the server sends it as a file download (Content-Disposition: %s)", cd)
	}
	if p.ContentType == "application/pdf" || strings.HasPrefix(string(p.Body), "%PDF-") {
		return true, "a PDF document (" + p.ContentType + "), not a web page"
	}
	if isHTML(p.ContentType) {
		return false, ""
	}
	return true, fmt.Sprintf("%s, not an HTML page", p.ContentType)
}
