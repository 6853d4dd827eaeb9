package description

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/pinready/pinready/checks"
)

// Any description is read without a panic, one finding per rule, every
// quoted excerpt is text of the description (evidence must be true), and the
// patterns' literal pre-check skips no pattern that matches.
// go test runs the seeds; make fuzz explores.
func FuzzDescribe(f *testing.F) {
	for _, c := range readCases(f, "*.yaml") {
		f.Add(c.Description)
	}
	for _, s := range []string{"", "'", "e.g.", "a'", "[x](", "<a href=", "**", "for", "your", "never", "https://", "x@y.zz.", "— - –", "İ", "Users’ boards'", "for a the an", "\xff\xfe", "BUL\u212A and ses\u017Fion cookies", "Pins in BULK", "without  the official API", "INSERT YOUR APP NAME", "https://bot.example/scrape",
		"用户连接 Pinterest 账户后选择图板。", "ピンを保存しません", "スクレイピングは行いません。", "Kullanıcılar panolarını kazımıyor.", "l'utilisateur n'extrait pas", "يربط المستخدمون حساباتهم",
		"GET /v5/boards/{board_id}/pins", "```\ncode\n```", "ผู้ใช้เชื่อมต่อบัญชี", "Pinnwand-Moodboard", "a\u0301\u0301\u0301"} {
		f.Add(s)
	}
	rs := loadRules(f)
	f.Fuzz(func(t *testing.T, desc string) {
		cfg := &checks.Config{App: checks.App{Name: "Acme", Description: desc, Scopes: checks.Scopes}}
		got := Audit(cfg, rs)
		if len(got) != len(Rules) {
			t.Fatalf("%d findings for %d rules", len(got), len(Rules))
		}
		plain := plainText(desc)
		// The literal pre-check never hides a match.
		tx := readText(desc)
		for _, id := range []string{"description.placeholder", "description.red-flags"} {
			for _, p := range rs.Get(id).Params.Strings("patterns") {
				if checks.MustRegexp(p).MatchString(tx.plain) && !mayMatch(p, tx) {
					t.Fatalf("pre-check of %s skips %q, which matches", p, tx.plain)
				}
			}
		}
		for _, fd := range got {
			if fd.Status == checks.StatusError {
				t.Fatalf("%s: error %s", fd.Rule, fd.Message)
			}
			if fd.Evidence != nil && fd.Evidence.Excerpt != "" && !containsFields(plain, fd.Evidence.Excerpt) {
				t.Fatalf("%s: excerpt %q is not in the description", fd.Rule, fd.Evidence.Excerpt)
			}
		}
	})
}

// containsFields reports whether excerpt, whose white space was collapsed
// as excerpts are, is in text.
func containsFields(text, excerpt string) bool {
	return strings.Contains(strings.Join(strings.Fields(text), " "), excerpt)
}

// A --rules file that loads can never make a rule's evaluation panic: every
// parameter keeps the type its accessor expects.
func FuzzExtendRules(f *testing.F) {
	data, err := os.ReadFile("../rules.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte("rules:\n  - id: description.length\n    params: {min_words: 3}\n"))
	f.Add([]byte("rules:\n  - id: description.scopes\n    params:\n      explained_by: {pins:write: [pin]}\n"))
	f.Add([]byte("rules:\n  - id: description.red-flags\n    params:\n      patterns: ['(?i)spam']\n"))
	f.Add([]byte("rules:\n  - id: app.name\n    disabled: true\n    severity: info\n"))
	f.Fuzz(func(t *testing.T, user []byte) {
		rs, err := checks.ParseRules("rules.yaml", data)
		if err != nil {
			t.Fatal(err)
		}
		if err := rs.Extend("user.yaml", user); err != nil {
			var ce *checks.ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is not a ConfigError", err)
			}
			return
		}
		if err := rs.CompilePatterns("user.yaml"); err != nil {
			return
		}
		cfg := &checks.Config{App: checks.App{Name: "Acme", Description: "Acme schedules Pins for small shops.", Scopes: checks.Scopes}}
		Audit(cfg, rs) // must not panic
	})
}
