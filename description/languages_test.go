package description

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pinready/pinready/checks"
)

// wantLanguages are the languages besides English the description audit
// reads: the privacy audit's seventeen.
var wantLanguages = []string{"ar", "de", "es", "fr", "id", "it", "ja", "ko", "nl", "pl", "pt", "ru", "tr", "vi", "zh-Hans", "zh-Hant"}

// Every language's file loads, names only concepts the rules' parameters
// name (or the description audit's own: pinterest, generic, content,
// manual), and has the concepts pinterest-use, the scope intents and the
// red flags read.
func TestLanguages(t *testing.T) {
	if got := languages.Codes(); !slices.Equal(got, wantLanguages) {
		t.Fatalf("word lists for %v, want %v", got, wantLanguages)
	}
	rs := loadRules(t)
	known := map[string]bool{"pinterest": true, "generic": true, "content": true, "manual": true}
	for _, id := range []string{"description.scopes", "description.red-flags"} {
		for name := range rs.Get(id).Params.StringLists("concepts") {
			known[name] = true
		}
	}
	required := []string{"pinterest", "pin", "board", "account", "connect", "show", "publish", "create", "edit", "delete",
		"analytics", "ads", "catalog", "generic", "content", "manual", "scrape", "cookie", "capture", "password", "ask",
		"download", "everything", "follow", "automatic"}
	for _, code := range wantLanguages {
		l, err := loadLanguage(lexiconFiles, code)
		if err != nil {
			t.Errorf("%s: %v", code, err)
			continue
		}
		for _, name := range l.conceptNames() {
			if !known[name] {
				t.Errorf("%s: concept %q is named by no rule", code, name)
			}
		}
		for _, name := range required {
			if len(l.concepts[name]) == 0 {
				t.Errorf("%s: no words for concept %q", code, name)
			}
		}
		if len(l.people) < 10 || len(l.Negations)+len(l.NegationsAfter) == 0 {
			t.Errorf("%s: %d people words and %d negations", code, len(l.people), len(l.Negations)+len(l.NegationsAfter))
		}
	}
	if languageFor("en") != nil || languageFor("sv") != nil {
		t.Error("English reads rules.yaml and Swedish has no lists: neither has a language file")
	}
}

func TestLanguageErrors(t *testing.T) {
	for name, data := range map[string]string{
		"unknown field": "code: xx\nname: X\nconcepts: {pin: [pin]}\npeople: [a]\nshoe_size: 3\n",
		"wrong code":    "code: yy\nname: X\nconcepts: {pin: [pin]}\npeople: [a]\n",
		"no people":     "code: xx\nname: X\nconcepts: {pin: [pin]}\n",
	} {
		_, err := loadLanguage(fstest.MapFS{"lexicon/xx.yaml": {Data: []byte(data)}}, "xx")
		if err == nil || !strings.Contains(err.Error(), "lexicon/xx.yaml") {
			t.Errorf("%s: err = %v, want an error naming lexicon/xx.yaml", name, err)
		}
	}
}

// One sentence per language that says what the app does with Pinterest,
// names its users, and a red flag each: the word lists, negation and
// segmentation at work in every language.
func TestEveryLanguageReads(t *testing.T) {
	for _, c := range []struct{ lang, use, flag, denied string }{
		{"de", "Floristinnen verbinden ihr Pinterest-Konto und veröffentlichen ihre Pins auf einer Pinnwand.", "Das Tool lädt alle Bilder einer Pinnwand herunter.", "Wir lesen niemals Cookies aus und scrapen keine Seiten."},
		{"fr", "Les fleuristes connectent leur compte Pinterest et publient leurs épingles sur un tableau.", "L'outil extrait les cookies de session après la connexion.", "Nous ne scrapons jamais Pinterest."},
		{"es", "Los comerciantes conectan su cuenta de Pinterest y publican sus Pines en un tablero.", "La herramienta sigue automáticamente a cientos de cuentas.", "Nunca pedimos tu contraseña de Pinterest."},
		{"ja", "ブロガーはPinterestアカウントを連携し、ボードを選んでピンを投稿します。", "ボードのすべての画像を一括でダウンロードします。", "スクレイピングは行いません。"},
		{"zh-Hans", "卖家连接 Pinterest 账户后，选择图板并发布图钉。", "应用会爬取竞争对手的图板。", "我们从不爬取任何页面。"},
		{"ko", "블로거는 Pinterest 계정을 연결하고 보드를 선택해 핀을 게시합니다.", "앱이 로그인 쿠키를 추출합니다.", "스크래핑하지 않습니다."},
		{"tr", "Satıcılar Pinterest hesaplarını bağlar, bir pano seçer ve Pin'lerini yayınlar.", "Araç rakiplerin panolarını kazır.", "Verilerinizi asla kazımıyoruz."},
		{"ru", "Продавцы подключают аккаунт Pinterest, выбирают доску и публикуют пины.", "Программа парсит доски конкурентов.", "Мы никогда не парсим Pinterest."},
	} {
		t.Run(c.lang, func(t *testing.T) {
			if g := readText(c.use).language; g != c.lang {
				t.Errorf("language %q, want %q", g, c.lang)
			}
			got := describe(t, "X", c.use)
			for _, id := range []string{"description.pinterest-use", "description.audience"} {
				if got[id].Status != checks.StatusPass {
					t.Errorf("%q: %s = %s (%s), want pass", c.use, id, got[id].Status, got[id].Message)
				}
			}
			if f := describe(t, "X", c.use+" "+c.flag)["description.red-flags"]; f.Status != checks.StatusFail {
				t.Errorf("%q: red-flags = %s (%s), want fail", c.flag, f.Status, f.Message)
			}
			if f := describe(t, "X", c.use+" "+c.denied)["description.red-flags"]; f.Status != checks.StatusPass {
				t.Errorf("%q: red-flags = %s (%s), want pass (denied)", c.denied, f.Status, f.Message)
			}
		})
	}
}
