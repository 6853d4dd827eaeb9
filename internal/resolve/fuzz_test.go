package resolve

import "testing"

// Parse never panics, and what it accepts prints back to the same rule.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"acme.test:443:127.0.0.1", "a:1:[::1]", "a:1:::1", ":::", "a:0:1.2.3.4", "a:b:c:d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := Parse(s)
		if err != nil {
			return
		}
		again, err := Parse(r.String())
		if err != nil || again != r {
			t.Fatalf("Parse(%q) = %+v, but its String %q parses to %+v, %v", s, r, r.String(), again, err)
		}
	})
}
