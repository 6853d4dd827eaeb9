package privacy

import "testing"

// Two links to the same policy compare equal however they are written.
func TestNormalURL(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{"HTTPS://Acme.TEST:443/privacy/", "https://acme.test/privacy"},
		{"http://acme.test:80/privacy#cookies", "http://acme.test/privacy"},
		{"https://acme.test", "https://acme.test/"},
	} {
		if normalURL(c.a) != normalURL(c.b) {
			t.Errorf("normalURL(%q) = %q, normalURL(%q) = %q; want equal", c.a, normalURL(c.a), c.b, normalURL(c.b))
		}
	}
	if normalURL("https://acme.test/privacy") == normalURL("https://acme.test/privacy?v=2") {
		t.Error("a different query must not compare equal")
	}
}

func TestIsLoginURL(t *testing.T) {
	words := []string{"login", "signin", "sign-in", "auth", "account/login", "sso"}
	for u, want := range map[string]bool{
		"https://acme.test/login?next=/privacy":    true,
		"https://acme.test/users/sign-in":          true,
		"https://acme.test/signin.php":             true,
		"https://acme.test/account/login/":         true,
		"https://sso.acme.test/realms/x":           true,
		"https://acme.test/oauth/callback":         false, // "auth" is a word, not a substring
		"https://acme.test/blog/how-to-login-fast": false,
		"https://acme.test/privacy":                false,
	} {
		if got := isLoginURL(u, words); got != want {
			t.Errorf("isLoginURL(%q) = %v, want %v", u, got, want)
		}
	}
}
