package sampleapp

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"strings"
	"sync"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/planner-pin.svg
var pinImage []byte

// pages are the templates, parsed on first use: every pinready command
// links this package, few serve its pages.
var pages = sync.OnceValue(func() *template.Template {
	return template.Must(template.ParseFS(templateFS, "templates/*.html"))
})

// policyUpdated is the privacy policy's "Last updated" date.
const policyUpdated = "1 November 2026"

// page is what every template receives.
type page struct {
	Title        string
	AppName      string
	Company      string
	ContactEmail string
	Updated      string
	Username     string // set when connected
	CSRF         string
	SignInCSRF   string // StackAuthJS: the Connect button is a form posting this token

	// message.html
	Heading, Detail string

	// dashboard.html
	JustConnected bool
	Boards        []board
	Created       *pin
	CreatedBoard  string
	Error         string
	ImageURL      string
}

func (a *app) page(title string) page {
	return page{Title: title, AppName: a.opts.Name, Company: a.opts.Company, ContactEmail: a.opts.ContactEmail, Updated: policyUpdated}
}

func (a *app) home(w http.ResponseWriter, r *http.Request) {
	if a.rootIsCallback && (r.URL.Query().Has("code") || r.URL.Query().Has("error")) {
		a.callback(w, r)
		return
	}
	p := a.page(a.opts.Name + " — plan and publish your Pins")
	if _, s, ok := a.sessions.get(r); ok && s.connected() {
		p.Username = s.username
	} else if a.opts.Stack == StackAuthJS {
		p.SignInCSRF = csrfToken(w, r)
	}
	a.render(w, http.StatusOK, "home.html", p)
}

func (a *app) privacy(w http.ResponseWriter, r *http.Request) {
	a.render(w, http.StatusOK, "privacy.html", a.page("Privacy Policy — "+a.opts.Name))
}

func (a *app) message(w http.ResponseWriter, status int, heading, detail string) {
	p := a.page(heading + " — " + a.opts.Name)
	p.Heading, p.Detail = heading, detail
	a.render(w, status, "message.html", p)
}

func (a *app) dashboard(w http.ResponseWriter, r *http.Request) {
	_, s, ok := a.sessions.get(r)
	if !ok || !s.connected() {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	a.renderDashboard(w, r, s, dashboardExtras{})
}

// createPin publishes the Pin the user composed, only when they press the
// button: every Pin needs the user's own decision.
func (a *app) createPin(w http.ResponseWriter, r *http.Request) {
	_, s, ok := a.sessions.get(r)
	if !ok || !s.connected() {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	if !validCSRF(s, r) {
		a.message(w, http.StatusForbidden, "Please try again", "This form expired. Reload the dashboard and try again.")
		return
	}
	in := newPin{
		BoardID:     r.PostFormValue("board_id"),
		Title:       strings.TrimSpace(r.PostFormValue("title")),
		Description: strings.TrimSpace(r.PostFormValue("description")),
		AltText:     "A weekly meal planner card with three dinner ideas",
		MediaSource: mediaSource{SourceType: "image_url", URL: a.origin + "/static/planner-pin.svg"},
	}
	created, err := a.api.createPin(r.Context(), s.access, in)
	extras := dashboardExtras{}
	if err != nil {
		extras.err = err.Error()
	} else {
		extras.created = &created
	}
	a.renderDashboard(w, r, s, extras)
}

type dashboardExtras struct {
	justConnected bool
	created       *pin
	err           string
}

// renderDashboard lists the boards live from Pinterest on every view: the
// app keeps no copy of them.
func (a *app) renderDashboard(w http.ResponseWriter, r *http.Request, s session, x dashboardExtras) {
	boards, err := a.api.boards(r.Context(), s.access)
	if err != nil {
		a.message(w, http.StatusBadGateway, "Pinterest is not answering", err.Error()+" Try again, or disconnect and connect again.")
		return
	}
	p := a.page("Your boards — " + a.opts.Name)
	p.Username, p.CSRF = s.username, s.csrf
	p.JustConnected, p.Boards, p.Created, p.Error = x.justConnected, boards, x.created, x.err
	p.ImageURL = "/static/planner-pin.svg"
	if x.created != nil {
		for _, b := range boards {
			if b.ID == x.created.BoardID {
				p.CreatedBoard = b.Name
			}
		}
	}
	a.render(w, http.StatusOK, "dashboard.html", p)
}

func (a *app) render(w http.ResponseWriter, status int, name string, p page) {
	var buf bytes.Buffer
	if err := pages().ExecuteTemplate(&buf, name, p); err != nil {
		http.Error(w, "render "+name+": "+err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer") // the callback URL's code stays out of Referer headers
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	buf.WriteTo(w)
}

func servePinImage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(pinImage)
}
