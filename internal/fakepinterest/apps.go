package fakepinterest

import (
	"fmt"
	"net/url"
	"strings"
)

// ParseApp reads the `pinready sandbox --app` form ID:SECRET:REDIRECT_URI into
// a Trial app. Only the first two colons separate fields, because the redirect
// URI has colons of its own (http://localhost:8085/).
func ParseApp(s string) (App, error) {
	parts := strings.SplitN(s, ":", 3)
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return App{}, fmt.Errorf("app %q: want ID:SECRET:REDIRECT_URI, e.g. 1500001:s3cret:http://localhost:8085/", s)
	}
	id, secret, redirect := parts[0], parts[1], parts[2]
	u, err := url.Parse(redirect)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return App{}, fmt.Errorf("app %s: redirect URI %q is not an absolute http(s) URL", id, redirect)
	}
	return App{
		ID:           id,
		Secret:       secret,
		Name:         "App " + id,
		RedirectURIs: []string{redirect},
		Access:       AccessTrial,
	}, nil
}
