package fakepinterest

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages are the templates, parsed on first use: every pinready command
// links this package, few serve its pages.
var pages = sync.OnceValue(func() *template.Template {
	return template.Must(template.ParseFS(templateFS, "templates/*.html"))
})

// The signed-in Pinterest user every consent page shows and every token acts for.
const (
	UserDisplayName = "Ada Lovelace"
	Username        = "ada_pins"
)

type scopeLine struct{ Scope, Words string }

func (s *Server) renderConsent(w http.ResponseWriter, req authRequest, formToken string) {
	var lines []scopeLine
	for _, sc := range req.scopes {
		lines = append(lines, scopeLine{Scope: sc, Words: scopeWords[sc]})
	}
	redirectHost := req.redirectURI
	if u, err := url.Parse(req.redirectURI); err == nil {
		redirectHost = u.Host
	}
	render(w, http.StatusOK, "consent.html", map[string]any{
		"AppName":      req.app.Name,
		"Initial":      initial(req.app.Name),
		"Scopes":       lines,
		"Consent":      formToken,
		"DisplayName":  UserDisplayName,
		"Username":     Username,
		"RedirectHost": redirectHost,
	})
}

// initial is the first letter of an app name, for its round icon.
func initial(name string) string {
	for _, r := range name {
		return strings.ToUpper(string(r))
	}
	return "?"
}

func (s *Server) errorPage(w http.ResponseWriter, status int, title, detail string) {
	noteError(w, 0, title+": "+detail)
	render(w, status, "error.html", map[string]any{"Title": title, "Detail": detail, "Status": status})
}

// render executes into a buffer first so a template error is a clean 500,
// not half a page.
func render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := pages().ExecuteTemplate(&buf, name, data); err != nil {
		http.Error(w, "fake Pinterest: render "+name+": "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	buf.WriteTo(w)
}
