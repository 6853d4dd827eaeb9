package privacy

import (
	"net"
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/pinready/pinready/checks"
)

// checkURL is privacy.url: the configured value must be something a reviewer
// can open from anywhere. It returns the parsed URL when the other rules can
// go on with it.
func checkURL(raw string) (*url.URL, checks.Finding) {
	const id = "privacy.url"
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, checks.Fail(id, "app.privacy_policy_url is not set: reviewers need a public link to the policy")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, checks.Fail(id, "%q is not an absolute http(s) URL", raw)
	}
	host := strings.ToLower(u.Hostname())
	if ip := net.ParseIP(host); ip != nil {
		what := "a bare IP address"
		if ip.IsLoopback() {
			what = "a loopback address"
		}
		return nil, checks.Fail(id, "%s is %s, which reviewers cannot open as the app's policy", host, what)
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return nil, checks.Fail(id, "%s is this machine (localhost), which reviewers cannot open", host)
	}
	if !strings.Contains(host, ".") {
		return nil, checks.Fail(id, "%s is not a public host name (no domain)", host)
	}
	return u, checks.Pass(id, "%s is an absolute %s URL on a host name", raw, u.Scheme)
}

// checkHosting is privacy.hosting: the host must not be one of the shared
// services reviewers reject. An entry matches the exact host, any subdomain
// of it, or the registrable domain.
func checkHosting(u *url.URL, p checks.Params) checks.Finding {
	const id = "privacy.hosting"
	host := strings.ToLower(u.Hostname())
	reg := registrable(host)
	for _, s := range p.Strings("shared_hosts") {
		s = strings.ToLower(strings.TrimSpace(s))
		if host == s || strings.HasSuffix(host, "."+s) || reg == s {
			return checks.Fail(id, "%s is a shared hosting service (%s in the shared_hosts list), not a site of the app", host, s)
		}
	}
	return checks.Pass(id, "%s is not a shared hosting service", host)
}

// checkDomain is privacy.domain: the final URL's registrable domain must be
// the website's or one of app.domains.
func checkDomain(u *url.URL, app checks.App, redirected bool) checks.Finding {
	const id = "privacy.domain"
	host := strings.ToLower(u.Hostname())
	reg := registrable(host)
	where := host
	if redirected {
		where = host + " (after redirects)"
	}
	var owned []string
	if app.Website != "" {
		if w, err := url.Parse(app.Website); err == nil && w.Hostname() != "" {
			d := registrable(w.Hostname())
			if d == reg {
				return checks.Pass(id, "%s is on %s, the website's domain", where, reg)
			}
			owned = append(owned, d)
		}
	}
	for _, d := range app.Domains {
		d = registrable(hostOf(d))
		if d == reg {
			return checks.Pass(id, "%s is on %s, listed in app.domains", where, reg)
		}
		owned = append(owned, d)
	}
	if len(owned) == 0 {
		return checks.Fail(id, "app.website and app.domains are both empty: nothing ties %s to the app", reg)
	}
	return checks.Fail(id, "the policy is on %s (%s), which is neither the website's domain nor in app.domains (%s)", reg, where, strings.Join(owned, ", "))
}

// hostOf accepts "acme.example", "acme.example:8443" or a whole URL.
func hostOf(s string) string {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "://") {
		if u, err := url.Parse(s); err == nil {
			return u.Hostname()
		}
	}
	if h, _, err := net.SplitHostPort(s); err == nil {
		return h
	}
	return s
}

// registrable is the eTLD+1 ("acme.co.uk" for "www.acme.co.uk"); a host that
// is itself a public suffix, or an IP, stands for itself.
func registrable(host string) string {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return host
	}
	return d
}

// normalURL is the form two links are compared in: scheme and host in lower
// case, no default port, no fragment, no trailing slash except the root.
func normalURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return raw
	}
	u.Scheme = strings.ToLower(u.Scheme)
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	u.Host = host
	if port != "" {
		u.Host = net.JoinHostPort(host, port)
	}
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" {
		u.Path = "/"
	}
	if len(u.Path) > 1 {
		u.Path = strings.TrimRight(u.Path, "/")
		u.RawPath = ""
	}
	return u.String()
}
