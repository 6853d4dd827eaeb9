package textlang

import (
	"strings"
	"testing"
)

func words(s string, vocab Vocabulary) []string {
	var out []string
	for _, w := range Segment(s, vocab) {
		out = append(out, s[w[0]:w[1]])
	}
	return out
}

// A run without spaces is split at the word lists' words first, then by
// script: a katakana loanword is one word, Han goes two characters to a word.
func TestSegment(t *testing.T) {
	vocab := Vocabulary{Words: map[string]bool{"图板": true, "发布": true, "ボード": true, "保存": true}, MaxRune: 4}
	for _, c := range []struct{ in, want string }{
		{"用户选择图板后发布图钉", "用户|选择|图板|后发|布图|钉"},
		{"ピンをボードに保存します", "ピン|を|ボード|に|保存|しま|す"},
		{"อัปโหลดรูปภาพ", "อัปโ|หลด|รูปภ|าพ"},
	} {
		if got := strings.Join(words(c.in, vocab), "|"); got != c.want {
			t.Errorf("Segment(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	// A 300-character Chinese description is well over 100 words.
	long := strings.Repeat("商家连接自己的账户后，可以选择图板并按计划发布图钉。", 12)
	if n := len(Segment(long, Vocabulary{})); n < 100 {
		t.Errorf("%d words in %d characters", n, len([]rune(long)))
	}
}
