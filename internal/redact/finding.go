package redact

import "github.com/pinready/pinready/checks"

// Finding returns f with every text that may quote a page or a URL masked
// by m (nil: the grammar only): title, message, fix, evidence URL, excerpt
// and redirects. Audits call it on what they report, and report writers on
// what they print, so URL userinfo ("https://user:pass@host/" in
// app.website) or a token reaches no output whichever path it takes.
func (m *Masker) Finding(f checks.Finding) checks.Finding {
	f.Title, f.Message, f.Fix = m.Text(f.Title), m.Text(f.Message), m.Text(f.Fix)
	if e := f.Evidence; e != nil {
		ec := *e
		ec.URL, ec.Excerpt = m.Text(e.URL), m.Text(e.Excerpt)
		if e.Redirects != nil {
			ec.Redirects = make([]string, len(e.Redirects))
			for i, u := range e.Redirects {
				ec.Redirects[i] = m.Text(u)
			}
		}
		f.Evidence = &ec
	}
	return f
}

// Finding masks f with the grammar only (see Masker.Finding).
func Finding(f checks.Finding) checks.Finding { return (*Masker)(nil).Finding(f) }
