package textlang

import (
	"strings"
	"testing"
)

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Politique de Confidentialité": "politique de confidentialite",
		"GİZLİLİK POLİTİKASI":          "gizlilik politikasi",
		"Datenschutzerklärung Straße":  "datenschutzerklarung strasse",
		"آخر تحديث: ١٠ يناير ٢٠٢٦":     "اخر تحديث: 10 يناير 2026",
		"Ｐｒｉｖａｃｙ":                      "privacy",
		"개인정보처리방침":                     "개인정보처리방침",
		"Chính sách quyền riêng tư":    "chinh sach quyen rieng tu",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
	// Offsets map back to the text as written.
	s := "Dernière mise à jour : 4 juin 2025"
	f := FoldText(s)
	i := strings.Index(f.S, "4 juin")
	if got := s[f.At(i):f.At(i+len("4 juin 2025"))]; got != "4 juin 2025" {
		t.Errorf("offset mapping gives %q", got)
	}
}

func TestIndexTerm(t *testing.T) {
	for _, c := range []struct {
		text, term string
		want       bool
	}{
		{"because we care", "use", false}, // not inside a word
		{"we use cookies", "use", true},
		{"the data collected", "collect", true}, // endings are free
		{"개인정보를수집하지않습니다", "수집", true},           // no spaces in Korean particles
		{"والخصوصية", "الخصوصية", true},         // Arabic "and" attached
	} {
		if got := ContainsTerm(Fold(c.text), Fold(c.term)); got != c.want {
			t.Errorf("ContainsTerm(%q, %q) = %v, want %v", c.text, c.term, got, c.want)
		}
	}
}
