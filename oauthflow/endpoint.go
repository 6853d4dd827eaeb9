package oauthflow

import (
	"net/url"
	"strings"
)

// matchesEndpoint reports whether raw is a request to the endpoint (the
// authorize page), whatever query it carries. Both are compared the way a
// server sees them: scheme and host without case, the scheme's default port
// dropped, percent-escapes decoded where they need not be, and a trailing
// slash ignored, so https://www.pinterest.com/oauth?… (Auth.js's form) and
// https://WWW.pinterest.com:443/oauth/?… are the page at
// https://www.pinterest.com/oauth/.
func matchesEndpoint(raw, endpoint string) bool {
	u, err1 := url.Parse(raw)
	e, err2 := url.Parse(endpoint)
	if err1 != nil || err2 != nil || u.Host == "" || e.Host == "" {
		return strings.HasPrefix(raw, endpoint)
	}
	return strings.EqualFold(u.Scheme, e.Scheme) && hostPort(u) == hostPort(e) && cleanPath(u) == cleanPath(e)
}

// hostPort is the lower-case host with the port, the scheme's default port
// left out.
func hostPort(u *url.URL) string {
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if (port == "443" && strings.EqualFold(u.Scheme, "https")) || (port == "80" && strings.EqualFold(u.Scheme, "http")) {
		port = ""
	}
	if port == "" {
		return host
	}
	return host + ":" + port
}

// cleanPath is the decoded path without a trailing slash ("" for the root).
func cleanPath(u *url.URL) string {
	return strings.TrimSuffix(u.Path, "/")
}
