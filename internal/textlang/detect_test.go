package textlang

import "testing"

// Short real-shaped texts, one or two sentences each (a description's
// first line, a policy's one paragraph), in every language pinready has
// word lists for, plus a few it has none for: each is detected.
func TestDetectShortTexts(t *testing.T) {
	for _, c := range []struct{ want, text string }{
		{"en", "Users connect their account and pick the board each new Pin goes to."},
		{"de", "Mit der App planst du deine Pins und veröffentlichst sie zur gewählten Zeit auf deinen Pinnwänden."},
		{"fr", "Les fleuristes connectent leur compte et publient leurs créations sur leurs tableaux."},
		{"es", "Los usuarios conectan su cuenta y eligen el tablero donde se publica cada Pin."},
		{"pt", "Os lojistas conectam a conta e escolhem a pasta onde cada Pin será publicado."},
		{"it", "Gli utenti collegano il proprio account e scelgono la bacheca per ogni nuovo Pin."},
		{"nl", "Gebruikers koppelen hun account en kiezen het bord waarop elke pin wordt geplaatst."},
		{"pl", "Użytkownicy łączą swoje konto i wybierają tablicę, na której pojawi się każdy Pin."},
		{"tr", "Kullanıcılar hesaplarını bağlar ve her yeni Pin için panoyu kendileri seçer."},
		{"tr", "Uygulamamız kişisel verilerinizi toplamaz ve üçüncü taraflarla paylaşmaz."},
		{"tr", "Gizlilik politikamız, hangi bilgileri topladığımızı açıklar."},
		{"id", "Pengguna menghubungkan akunnya dan memilih papan untuk setiap Pin baru."},
		{"vi", "Người dùng kết nối tài khoản và chọn bảng cho mỗi Ghim mới."},
		{"ru", "Пользователи подключают аккаунт и выбирают доску для каждого нового пина."},
		{"ja", "ユーザーはアカウントを連携し、ピンを保存するボードを選びます。"},
		{"zh-Hans", "用户连接账户后，选择要发布图钉的图板。"},
		{"zh-Hant", "使用者連結帳戶後，選擇要發佈釘圖的圖版。"},
		{"ko", "사용자는 계정을 연결하고 핀을 저장할 보드를 선택합니다."},
		{"ar", "يربط المستخدمون حساباتهم ويختارون اللوحة لكل دبوس جديد."},
		{"th", "ผู้ใช้เชื่อมต่อบัญชีและเลือกบอร์ดสำหรับพินใหม่"},
		{"", "Pinterest API v5"},
	} {
		if g := Detect(c.text); g.Code != c.want {
			t.Errorf("Detect(%q) = %q, want %q", c.text, g.Code, c.want)
		}
	}
}

// A Korean text full of addresses and product names in Latin letters is
// Korean: addresses, e-mails and code are not prose.
func TestDetectIgnoresAddressesAndCode(t *testing.T) {
	const ko = "개인정보 처리방침은 https://acme.example/privacy/ko 에서 확인할 수 있습니다. 문의: privacy@acme.example. " +
		"서비스는 Google Analytics (https://policies.google.com/privacy) 와 Firebase Crashlytics 를 사용합니다. " +
		"데이터는 /v5/user_account 와 /v5/boards 엔드포인트로만 읽습니다."
	if g := Detect(ko); g.Code != "ko" {
		t.Errorf("Detect = %+v, want ko", g)
	}
	for field, want := range map[string]bool{
		"https://a.b/c": true, "www.acme.example": true, "a@b.co": true, "/v5/pins": true, "board_id": true,
		"{pin_id}": true, "boards:read": true, "api.pinterest.com": true, "e.g.": false, "3.5": false,
		"10:30": false, "Pins.": false, "(boards)": false, "user's": false, "and/or": false, "Etsy/Shopify": false,
		"api/v5/pins": true, "`pins:write`": true, "**bold**": false, "_emphasis_": false, "$5": false, "#hashtags": false,
	} {
		if got := IsCode(field); got != want {
			t.Errorf("IsCode(%q) = %v, want %v", field, got, want)
		}
	}
}
