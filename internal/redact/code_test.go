package redact

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCodeFingerprint(t *testing.T) {
	cases := []struct{ code, want string }{
		{"", ""},
		{"abc", Masked},
		{"漢字漢字", Masked},      // 4 characters, 12 bytes: masked whole
		{"abcdefgh", Masked},  // 8: still whole
		{"abcdefghi", "abc…"}, // 9: a third
		{"abcdefghijkl", "abcd…"},
		{"0123456789abcdef0123456789abcdef", "0123…"},
		{"漢字漢字漢字漢字漢字漢字", "漢字漢字…"},
	}
	for _, c := range cases {
		if got := CodeFingerprint(c.code); got != c.want {
			t.Errorf("CodeFingerprint(%q) = %q, want %q", c.code, got, c.want)
		}
	}
}

// FuzzCodeFingerprint checks the rule on any code: never more than 4
// characters, never more than a third, never the whole code.
func FuzzCodeFingerprint(f *testing.F) {
	f.Add("漢字漢字")
	f.Add("abcdefghi")
	f.Add("é")
	f.Fuzz(func(t *testing.T, code string) {
		fp := CodeFingerprint(code)
		if code == "" {
			if fp != "" {
				t.Fatalf("empty code fingerprinted as %q", fp)
			}
			return
		}
		if fp == Masked {
			return
		}
		shown := strings.TrimSuffix(fp, Ellipsis)
		n := utf8.RuneCountInString(code)
		k := utf8.RuneCountInString(shown)
		if !strings.HasSuffix(fp, Ellipsis) || k > MaxCodeShown || 3*k > n || !strings.HasPrefix(code, shown) {
			t.Fatalf("CodeFingerprint(%q) = %q breaks the rule", code, fp)
		}
	})
}
