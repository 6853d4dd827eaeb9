package privacy

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/textlang"
)

// The languages the issue asks for, each with its own lexicon file.
var wantLanguages = []string{"ar", "de", "en", "es", "fr", "id", "it", "ja", "ko", "nl", "pl", "pt", "ru", "tr", "vi", "zh-Hans", "zh-Hant"}

// Every embedded lexicon loads, and has what each rule needs: names of a
// policy, every kind of statement, every topic, date labels and the page kinds.
func TestLexicons(t *testing.T) {
	if got := lexicons.Codes(); !slices.Equal(got, wantLanguages) {
		t.Fatalf("lexicons %v, want %v", got, wantLanguages)
	}
	for _, code := range wantLanguages {
		l, err := loadLexicon(lexiconFiles, code)
		if err != nil {
			t.Errorf("%s: %v", code, err)
			continue
		}
		if len(l.Policy) == 0 || len(l.Weak) == 0 || len(l.Updated) == 0 || len(l.Moved) == 0 || len(l.Landing) == 0 {
			t.Errorf("%s: a list is empty (policy %d, weak %d, updated %d, moved %d, landing %d)", code, len(l.Policy), len(l.Weak), len(l.Updated), len(l.Moved), len(l.Landing))
		}
		for _, k := range phraseKinds {
			if k.Key != "extra" && len(l.Phrases[k.Key]) == 0 {
				t.Errorf("%s: no %q phrases", code, k.Key)
			}
		}
		for _, topic := range topicOrder {
			if len(l.Topics[topic]) == 0 {
				t.Errorf("%s: no words for topic %q", code, topic)
			}
		}
		for _, k := range pageKinds {
			if k.Kind == "links" {
				continue // known by its links, not by a name
			}
			if len(l.Negatives[k.Kind]) == 0 {
				t.Errorf("%s: no names for %s", code, k.Says)
			}
		}
		for _, kind := range signalKinds {
			if len(l.Signals[kind]) == 0 {
				t.Errorf("%s: no %s signals", code, kind)
			}
		}
		if len(l.About) == 0 {
			t.Errorf("%s: no words that make a page one about policies (about)", code)
		}
		if spaced := code != "ja" && code != "ko" && !strings.HasPrefix(code, "zh"); spaced && len(l.Months) < 12 {
			t.Errorf("%s: %d month names, want 12 or more", code, len(l.Months))
		}
		// Folding at load time: every entry is already lower case without accents.
		for _, w := range append(append([]string{}, l.Policy...), l.Updated...) {
			if textlang.Fold(w) != w {
				t.Errorf("%s: entry %q is not folded", code, w)
			}
		}
	}
}

// A broken lexicon is an error naming the file, never a panic.
func TestLexiconErrors(t *testing.T) {
	for name, yml := range map[string]string{
		"unknown field": "code: xx\nname: X\npolicy: [a]\nsynonyms: [b]\n",
		"wrong code":    "code: yy\nname: X\npolicy: [a]\n",
		"no policy":     "code: xx\nname: X\n",
		"unknown kind":  "code: xx\nname: X\npolicy: [a]\nnegatives: {blog: [b]}\n",
	} {
		t.Run(name, func(t *testing.T) {
			fsys := fstest.MapFS{"lexicon/xx.yaml": &fstest.MapFile{Data: []byte(yml)}}
			if _, err := loadLexicon(fsys, "xx"); err == nil || !strings.Contains(err.Error(), "lexicon/xx.yaml") {
				t.Errorf("err = %v, want an error naming lexicon/xx.yaml", err)
			}
		})
	}
}

func TestDetectLanguage(t *testing.T) {
	const fr = "Nous ne collectons aucune donnée personnelle. Vos tableaux sont enregistrés sur votre appareil et ne sont pas partagés avec des tiers. Pour toute question, écrivez-nous."
	const sv = "Vi samlar inte in några personuppgifter. Dina tavlor sparas bara på din enhet och delas inte med någon. Kontakta oss om du har frågor om detta."
	for _, c := range []struct {
		name, html, header, want, source string
	}{
		{"declared and written French", `<html lang="fr"><p>` + fr, "", "fr", "<html lang>"},
		{"a theme's lang=en-US over French text", `<html lang="en-US"><p>` + fr, "", "fr", "the text"},
		{"Content-Language when <html> says nothing", `<p>Hello`, "de-DE, en", "de", "Content-Language"},
		{"zh-TW is traditional Chinese", `<html lang="zh-TW"><p>隱私`, "", "zh-Hant", "<html lang>"},
		{"simplified Chinese from the text alone", `<p>我们不会收集您的任何个人信息，这个应用只在您的设备上保存数据，与第三方无关。`, "", "zh-Hans", "the text"},
		{"traditional Chinese from the text alone", `<p>我們不會蒐集您的任何個人資料，這個應用程式只在您的裝置上儲存資料，與第三方無關。`, "", "zh-Hant", "the text"},
		{"Japanese: kana among the kanji", `<p>本アプリは個人情報を収集しません。データは端末内にのみ保存されます。`, "", "ja", "the text"},
		{"Swedish: declared, no word lists", `<html lang="sv"><p>` + sv, "", "sv", "<html lang>"},
		{"an English title and theme over a Korean body", `<html lang="en"><title>Privacy Policy | Pinnote</title><h1>개인정보처리방침</h1><p>핀노트는 회원 가입 시 이메일 주소만 수집합니다. 수집한 정보는 서비스 제공에만 사용하며 제3자에게 제공하지 않습니다. 문의: privacy@pinnote.example, https://pinnote.example/privacy/ko</p>`, "", "ko", "the text"},
		{"Turkish from the text alone", `<p>Uygulamamız kişisel verilerinizi toplamaz ve üçüncü taraflarla paylaşmaz. Sorularınız için bize yazın.</p>`, "", "tr", "the text"},
		{"Korean page with an English half", `<html lang="ko"><p>We collect nothing. Your notes stay on your device and we share nothing with anyone at all.<p>우리는 아무것도 수집하지 않습니다. 메모는 기기에만 저장됩니다.`, "", "ko", "<html lang>"},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, err := parseDocument(c.html)
			if err != nil {
				t.Fatal(err)
			}
			h := http.Header{}
			if c.header != "" {
				h.Set("Content-Language", c.header)
			}
			got := detectLanguage(d, h)
			if got.Code != c.want || got.Source != c.source {
				t.Errorf("detected %q from %q (%s), want %q from %q", got.Code, got.Source, got, c.want, c.source)
			}
			if (got.Lex != nil) != slices.Contains(wantLanguages, c.want) {
				t.Errorf("lexicon for %q: %v", c.want, got.Lex != nil)
			}
		})
	}
}

// read parses html and prepares it for the content rules.
func read(t *testing.T, html, frag string) *reading {
	t.Helper()
	d, err := parseDocument(html)
	if err != nil {
		t.Fatal(err)
	}
	return newReading(d, nil, frag)
}

// Dates after a label, in the ways each language writes them.
func TestUpdatedDates(t *testing.T) {
	rs := testRules(t, nil)
	p := rs.Get("privacy.updated").Params
	for _, c := range []struct{ html, want string }{
		{`<html lang="en"><p>Last updated: March 1, 2026`, "Last updated: March 1, 2026"},
		{`<html lang="en"><p>Effective as of 2026-05-09`, "Effective as of 2026-05-09"},
		{`<html lang="fr"><p>Dernière mise à jour : 1er mars 2026`, "Dernière mise à jour : 1er mars 2026"},
		{`<html lang="de"><p>Stand: 1. Februar 2026`, "Stand: 1. Februar 2026"},
		{`<html lang="de"><p>Stand: Mai 2025`, "Stand: Mai 2025"},
		{`<html lang="es"><p>Última actualización: 10 de enero de 2026`, "Última actualización: 10 de enero de 2026"},
		{`<html lang="pl"><p>Obowiązuje od 1 lutego 2026 r.`, "Obowiązuje od 1 lutego 2026"},
		{`<html lang="ru"><p>Последнее обновление: 20 января 2026 г.`, "Последнее обновление: 20 января 2026"},
		{`<html lang="ja"><p>最終更新日：2026年1月10日`, "最終更新日：2026年1月10日"},
		{`<html lang="zh-CN"><p>生效日期：2026年2月1日`, "生效日期：2026年2月1日"},
		{`<html lang="ko"><p>최종 수정일: 2026. 2. 1.`, "최종 수정일: 2026. 2. 1"},
		{`<html lang="ar"><p>آخر تحديث: ١٠ يناير ٢٠٢٦`, "آخر تحديث: ١٠ يناير ٢٠٢٦"},
		{`<html lang="vi"><p>Ngày hiệu lực: ngày 1 tháng 2 năm 2026`, "Ngày hiệu lực: ngày 1 tháng 2 năm 2026"},
		{`<html lang="tr"><p>Son güncelleme: 10 Ocak 2026`, "Son güncelleme: 10 Ocak 2026"},
		{`<html lang="id"><p>Terakhir diperbarui: 12 Januari 2026`, "Terakhir diperbarui: 12 Januari 2026"},
	} {
		f := checkUpdated(read(t, c.html, ""), p)
		if f.Status != checks.StatusPass || !strings.Contains(f.Message, c.want) {
			t.Errorf("%s: %s %q, want pass quoting %q", c.html, f.Status, f.Message, c.want)
		}
	}
	if f := checkUpdated(read(t, `<html lang="fr"><p>Dernière mise à jour : bientôt`, ""), p); f.Status != checks.StatusFail || !strings.Contains(f.Message, "no date next to it") {
		t.Errorf("a label without a date: %s %q", f.Status, f.Message)
	}
}

// A language pinready has no word lists for is skipped with a reason, not
// failed; so is a topic a lexicon has no words for.
func TestMissingWordListsSkip(t *testing.T) {
	rs := testRules(t, nil)
	param := func(id string) checks.Params { return rs.Get(id).Params }
	sv := `<html lang="sv"><title>Integritetspolicy</title><h1>Integritetspolicy</h1><p>Vi samlar inte in några personuppgifter. Dina tavlor sparas bara på din enhet och delas inte med någon. Kontakta oss om du har frågor.`
	r := read(t, sv, "")
	for id, f := range map[string]checks.Finding{
		"privacy.is-policy": checkIsPolicy(r, param("privacy.is-policy")),
		"privacy.topics":    checkTopics(r, judgePolicy(r, param("privacy.is-policy")), param("privacy.topics")),
		"privacy.updated":   checkUpdated(r, param("privacy.updated")),
	} {
		if f.Status != checks.StatusSkip || !strings.Contains(f.Message, `"sv"`) {
			t.Errorf("%s: %s %q, want a skip naming the language", id, f.Status, f.Message)
		}
	}

	// A lexicon without a retention list: the policy misses only that topic.
	fr := read(t, `<html lang="fr"><h1>Politique de confidentialité</h1><p>Nous collectons votre e-mail, utilisé pour vous connecter. Nous ne le partageons avec aucun tiers. Vous pouvez demander sa suppression. Contact : a@b.fr`, "")
	lex := *fr.lang.Lex
	lex.Topics = map[string][]string{}
	for k, v := range fr.lang.Lex.Topics {
		if k != "retention" {
			lex.Topics[k] = v
		}
	}
	fr.lang.Lex = &lex
	fr.words = newWordSet([]*lexicon{&lex})
	f := checkTopics(fr, judgePolicy(fr, param("privacy.is-policy")), param("privacy.topics"))
	if f.Status != checks.StatusSkip || !strings.Contains(f.Message, "no retention word list for French") {
		t.Errorf("topics without a retention list: %s %q, want a skip saying so", f.Status, f.Message)
	}
}
