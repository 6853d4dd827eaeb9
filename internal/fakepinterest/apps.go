package fakepinterest

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
)

// maxAppName bounds a name given on the command line: the consent page
// shows it in a heading.
const maxAppName = 80

// ParseApp reads the `pinready sandbox --app` form ID:SECRET:REDIRECT_URI[:NAME]
// into a Trial app. NAME is what the consent page calls the app ("Give
// access to Acme Pin Planner?"); without it the app is "App ID".
//
// The redirect URI has colons of its own (http://localhost:8085/), so the
// first two colons end ID and SECRET, and a NAME is what follows the last
// colon that cannot belong to the URI: not the scheme's, not the one before
// a port. A redirect URI whose path or query holds a colon of its own is
// given with a NAME, or with a trailing colon for none
// (1:s:http://a.test/cb?x=a:b:).
func ParseApp(s string) (App, error) {
	parts := strings.SplitN(s, ":", 3)
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return App{}, fmt.Errorf("app %q: want ID:SECRET:REDIRECT_URI[:NAME], e.g. 1500001:s3cret:http://localhost:8085/:Acme Pin Planner", s)
	}
	id, secret := parts[0], parts[1]
	redirect, name := splitName(parts[2])
	if !absoluteHTTP(redirect) {
		return App{}, fmt.Errorf("app %s: redirect URI %q is not an absolute http(s) URL", id, redirect)
	}
	name = strings.TrimSpace(name)
	if strings.IndexFunc(name, unicode.IsControl) >= 0 || len([]rune(name)) > maxAppName {
		return App{}, fmt.Errorf("app %s: the name %q must be one line of at most %d characters", id, name, maxAppName)
	}
	if name == "" {
		name = "App " + id
	}
	return App{
		ID:           id,
		Secret:       secret,
		Name:         name,
		RedirectURIs: []string{redirect},
		Access:       AccessTrial,
	}, nil
}

// splitName cuts REDIRECT_URI[:NAME] at the last colon that can end the URI,
// trying colons from the right: the text before it must be an absolute
// http(s) URL, and the text after it must not be that URL's port.
func splitName(rest string) (uri, name string) {
	for i := strings.LastIndex(rest, ":"); i > 0; i = strings.LastIndex(rest[:i], ":") {
		uri, name := rest[:i], rest[i+1:]
		if strings.HasPrefix(name, "//") {
			break // the scheme's colon: everything is the URI
		}
		if absoluteHTTP(uri) && !isPort(uri, name) {
			return uri, name
		}
	}
	return rest, ""
}

// isPort reports whether after is the port of uri: uri ends at its host and
// after starts with digits that run to the end or to the path, query or
// fragment.
func isPort(uri, after string) bool {
	u, err := url.Parse(uri)
	if err != nil || u.Port() != "" || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(uri, "?") || strings.HasSuffix(uri, "#") {
		return false
	}
	digits := strings.TrimLeft(after, "0123456789")
	return len(digits) < len(after) && (digits == "" || strings.ContainsRune("/?#", rune(digits[0])))
}

func absoluteHTTP(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.Hostname() != ""
}
