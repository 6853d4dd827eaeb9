package privacy

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/pinready/pinready/checks"
)

// Every placeholder form real generators leave is caught; legitimate
// bracketed text, Spanish "todo", legal capitals and Cloudflare's hidden
// addresses are not.
func TestPlaceholderForms(t *testing.T) {
	p := testRules(t, nil).Get("privacy.placeholder").Params
	page := func(body string) *reading {
		return read(t, `<html lang="en"><title>Privacy Policy</title><h1>Privacy Policy</h1><p>`+body, "")
	}
	for _, c := range []struct{ body, want string }{
		{`This [["website" or "app"]] tracks basic information.`, `[["website" or "app"]]`},
		{`{{company}} operates the app.`, `{{company}}`},
		{`Questions: {{ contact_email }}`, `{{ contact_email }}`},
		{`Privacy policy of &lt;&lt;App Name&gt;&gt;.`, `<<App Name>>`},
		{`Last updated INSERT DATE`, `INSERT DATE`},
		{`How [Your Discord Bot Name] uses data.`, `[Your Discord Bot Name]`},
		{`[Company Name] ("we") operates YOUR APP.`, `[Company Name]`},
		{`Effective Date: [Insert Date]`, `[Insert Date]`},
		{`Contact [contact email or website].`, `[contact email or website]`},
		{`Write to your-email@example.com`, `your-email@example.com`},
		{`Provided by ${company.name}.`, `${company.name}`},
		{`Datenschutzerklärung für [Name der App]`, `[Name der App]`},
		{`[Nom de l'entreprise] exploite l'application.`, `[Nom de l'entreprise]`},
		{`【会社名】は個人情報を取り扱います。`, `【会社名】`},
		{`本アプリ〇〇について`, `〇〇`},
		{`Lorem ipsum dolor sit amet.`, `Lorem ipsum`},
		{`Last updated: xx/xx/xxxx`, `xx/xx/xxxx`},
		{`Contact: %SUPPORT_EMAIL%`, `%SUPPORT_EMAIL%`},
		{`Last updated: __________`, `__________`},
		{`{plugin_name} does not collect personal data.`, `{plugin_name}`},
		{`Contact {Company Name} at any time.`, `{Company Name}`},
	} {
		f := checkPlaceholders(page(c.body), p)
		if f.Status != checks.StatusFail || !strings.Contains(f.Message, fmt.Sprintf("%q", c.want)) {
			t.Errorf("%s: %s %q, want a failure quoting %q", c.body, f.Status, f.Message, c.want)
		}
	}
	for _, body := range []string{
		`See the GDPR [1] and the UK Data Protection Act [2]. Download as [PDF].`,
		`[Effective: 1 March 2026] This notice applies to Loomly Pins.`,
		`Cette politique est effective à partir du [22/04/2025].`,
		`Usamos tus datos en todo momento de forma segura; todos los datos se guardan cifrados.`,
		`YOUR USE OF THE SERVICE IS AT YOUR SOLE RISK. WE ARE NOT LIABLE FOR YOUR CONTENT.`,
		`Contact: <a href="/cdn-cgi/l/email-protection" class="__cf_email__" data-cfemail="9aeae8f3ecfbf9e3daeaf3f4e9eefbf9f1b4f9f5f7">[email&#160;protected]</a>`,
		`Contact: [email&#160;protected]`, // protection whose data attribute was lost
		`Pins from your boards [see section 4] are never stored.`,
		`Deleting your account calls DELETE /v2/users/{id} on our server.`,
	} {
		if f := checkPlaceholders(page(body), p); f.Status != checks.StatusPass {
			t.Errorf("%s: %s %q, want pass", body, f.Status, f.Message)
		}
	}
}

// Cloudflare's e-mail protection is decoded as a browser shows it, so the
// address counts as a way to reach the developer.
func TestCloudflareEmailDecoded(t *testing.T) {
	r := read(t, `<p>Write to <a href="/cdn-cgi/l/email-protection" class="__cf_email__" data-cfemail="9aeae8f3ecfbf9e3daeaf3f4e9eefbf9f1b4f9f5f7">[email&#160;protected]</a> or <a href="/cdn-cgi/l/email-protection#94f0e4fbd4e4fdfae7e0f5f7ffbaf7fbf9">[email&#160;protected]</a>.`, "")
	if !strings.Contains(r.d.Text, "privacy@pinstack.com") || !strings.Contains(r.d.Text, "dpo@pinstack.com") || r.d.EmailsFixed != 2 {
		t.Errorf("decoded %d: %q", r.d.EmailsFixed, r.d.Text)
	}
}

// A bot challenge is what is served, not a word in <meta> or in the policy.
func TestChallengeDetection(t *testing.T) {
	p := testRules(t, nil).Get("privacy.public").Params
	policy := `<h1>Privacy Policy</h1><p>We collect your e-mail address to sign you in. We do not share it with third parties. Delete your account at any time to erase it. Contact: privacy@acme.test. Our contact form is protected by a captcha to stop spam, and we do not use the captcha to track you.</p>`
	for _, c := range []struct {
		name, html string
		status     int
		header     string
		want       string // "" for no challenge
	}{
		{"captcha in the keywords meta", `<head><meta name="keywords" content="captcha, bots, privacy"></head>` + policy, 200, "", ""},
		{"a policy that mentions captchas", policy, 200, "", ""},
		{"a reCAPTCHA on the policy's contact form", policy + `<form><div class="g-recaptcha" data-sitekey="x"></div><button>Send</button></form>`, 200, "", ""},
		{"Cloudflare's managed challenge", `<title>Just a moment...</title><div id="challenge-running">Checking your browser</div><script src="/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1"></script>`, 403, "", `"Just a moment..."`},
		{"a challenge header on any page", policy, 403, "cf-mitigated: challenge", "cf-mitigated"},
		{"a captcha gate that is the whole page", `<title>Security check</title><form method="post"><p>Please confirm you are human.</p><div class="h-captcha" data-sitekey="x"></div><button>Continue</button></form>`, 200, "", ".h-captcha"},
		{"DataDome's interstitial", `<title>acme.test</title><p>Please enable JS and disable any ad blocker</p><script src="https://ct.captcha-delivery.com/c.js"></script>`, 403, "", "captcha-delivery.com"},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, err := parseDocument(c.html)
			if err != nil {
				t.Fatal(err)
			}
			h := http.Header{}
			if name, val, ok := strings.Cut(c.header, ":"); ok {
				h.Set(name, strings.TrimSpace(val))
			}
			got := challenge(accessInput{Status: c.status, Header: h, Doc: d, MinWords: 150}, p)
			if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
				t.Errorf("challenge = %q, want one naming %q", got, c.want)
			}
		})
	}
}

// is-policy names what a page is, quoting the page's own words in English
// messages, and reads the section a fragment points at.
func TestIsPolicyShapes(t *testing.T) {
	p := testRules(t, nil).Get("privacy.is-policy").Params
	for _, c := range []struct {
		name, html, frag string
		status           checks.Status
		want             []string
	}{
		{"a navigation bar is not the main heading",
			`<div class="navbar"><h3><a href="/privacy">Privacy Policy</a></h3></div><h1>End User License Agreement</h1><p>You may install the bot. You may not resell it. We may terminate this license.</p>`, "",
			checks.StatusFail, []string{"an end-user licence agreement (EULA)", `"End User License Agreement"`}},
		{"a site-name heading over a Markdown page",
			`<html lang="en-US"><div class="markdown-body"><h1><a href="https://x.github.io/app/">app</a></h1><h1 id="privacy">Privacy</h1><p>No personal data is collected. Settings are stored on your device. Questions: a@b.dev</p></div>`, "",
			checks.StatusPass, []string{`the main heading "Privacy"`}},
		{"a fragment on a combined legal page",
			`<h1>Legal</h1><section id="terms"><h2>Terms of Service</h2><p>Be nice.</p></section><section id="privacy"><h2>Privacy Policy</h2><p>We collect your e-mail address, share it with no third party, delete it when you ask, and answer at a@b.io.</p></section>`, "privacy",
			checks.StatusPass, []string{`the section #privacy "Privacy Policy"`}},
		{"a fragment the page does not have",
			`<h1>Privacy Policy</h1><p>We collect your e-mail address, share it with no third party, delete it when you ask, and answer at a@b.io.</p>`, "datenschutz",
			checks.StatusPass, []string{"no element on the page has the id #datenschutz"}},
		{"a French cookie policy",
			`<html lang="fr"><h1>Politique de cookies</h1><p>Ce site utilise des cookies de mesure d'audience avec votre consentement.</p>`, "",
			checks.StatusFail, []string{"a cookie notice or cookie policy", `"Politique de cookies"`, "(the page is in French)"}},
		{"a moved page titled like a policy",
			`<title>Privacy Policy</title><h1>Privacy Policy</h1><p>Our privacy policy, which explains how we collect and share your personal data, has moved to https://acme.test/legal/privacy.</p>`, "",
			checks.StatusFail, []string{"a page saying the policy is elsewhere or not written yet", "has moved"}},
		{"a German policy under the app's name",
			`<html lang="de"><h1>Farbkarte</h1><h2>Datenschutzrichtlinie</h2><p>Wir erfassen keine personenbezogenen Daten. Alles bleibt auf deinem Gerät. Kontakt: a@b.de</p>`, "",
			checks.StatusPass, []string{"a privacy policy in German", `the heading "Datenschutzrichtlinie"`}},
		{"a policy named only in its text, under a menu of plain links",
			`<title>Acme</title><div><a href="/">Home</a> <a href="/features">Features and everything you can do with the app today</a> <a href="/pricing">Pricing plans for teams and for individual creators of all sizes</a> <a href="/blog">Blog posts about planning, boards, seasonal ideas and the stories of the people who use the app every day</a></div><p><b>Privacy Policy</b></p><p>We collect your e-mail address. We do not share it with third parties. It is stored until you delete your account. Write to a@b.io.</p>`, "",
			checks.StatusPass, []string{`"Privacy Policy"`, "4 kinds of policy statements"}},
		{"a support page with a privacy section",
			`<title>Support</title><h1>Support</h1><h2>Billing</h2><p>Plans renew monthly.</p><h2>Privacy Policy</h2><p>We collect your e-mail address, never share it with third parties and delete it when you close your account. Contact: a@b.io</p>`, "",
			checks.StatusFail, []string{"a support or contact page with a privacy section", `(the heading "Privacy Policy")`, `"Support"`}},
		{"a cookie notice whose policy name is a link",
			`<title>Cookies</title><p>This website uses cookies to remember your settings. Analytics cookies are only set with your consent.</p><p>You can delete cookies in your browser settings at any time.</p><p>See our <a href="/privacy">Privacy Policy</a>.</p>`, "",
			checks.StatusFail, []string{"a cookie notice or cookie policy"}},
		{"a guide to writing a policy, under a policy's name",
			`<title>How to write a privacy policy for your app</title><h1>How to write a privacy policy for your app</h1><p>Your privacy policy must say what data your app collects from your users, whom you share it with and how they can ask you to delete it.</p>`, "",
			checks.StatusFail, []string{"developer documentation or a guide about privacy"}},
		{"a deletion page under a weak name",
			`<title>Data protection</title><h1>Data protection</h1><p>To delete your account, open Settings and press Delete my account, or send a deletion request to privacy@acme.io. Your personal data will be permanently deleted within 30 days; this cannot be undone.</p>`, "",
			checks.StatusFail, []string{"an account or data deletion page"}},
		{"a legal hub of links",
			`<title>Legal</title><h1>Legal notice</h1><ul><li><a href="/terms">Terms of Service</a></li><li><a href="/privacy">Privacy Policy</a></li></ul>`, "",
			checks.StatusFail, []string{"a page that only links to the privacy policy"}},
		{"a title-only policy with nothing policy-like",
			`<title>Privacy Policy</title><h1>Privacy Policy</h1><p>Welcome to our site! Check out our latest blog posts and follow us for updates.</p>`, "",
			checks.StatusFail, []string{`the main heading "Privacy Policy" names a privacy policy`, "0 of the kinds"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := checkIsPolicy(read(t, c.html, c.frag), p)
			if f.Status != c.status {
				t.Errorf("%s %q, want %s", f.Status, f.Message, c.status)
			}
			for _, w := range c.want {
				if !strings.Contains(f.Message, w) {
					t.Errorf("message %q does not contain %q", f.Message, w)
				}
			}
			if f.Evidence == nil || !strings.HasPrefix(f.Evidence.Excerpt, "language: ") {
				t.Errorf("evidence %+v does not report the language", f.Evidence)
			}
		})
	}
}

// Audits of many apps run at once (--jobs) and share the word lists of a
// language: judging pages concurrently gives what judging them one by one
// gives. (Run with -race to see the sharing is read-only.)
func TestContentConcurrent(t *testing.T) {
	rs := testRules(t, map[string]any{"privacy.is-policy:body_phrases": []any{"pins you save"}})
	param := func(id string) checks.Params { return rs.Get(id).Params }
	var pages []string
	for _, pg := range readCorpus(t, "../testdata/policies/manifest.yaml")[:40] {
		data, err := os.ReadFile("../testdata/policies/" + pg.File)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, string(data))
	}
	judgeAll := func(html string) string {
		d, err := parseDocument(html)
		if err != nil {
			t.Error(err)
			return ""
		}
		var b strings.Builder
		for _, f := range judgeContent(newReading(d, nil, ""), checks.App{Name: "Acme"}, param) {
			fmt.Fprintf(&b, "%s %s %s\n", f.Rule, f.Status, f.Message)
		}
		return b.String()
	}
	want := make([]string, len(pages))
	for i, p := range pages {
		want[i] = judgeAll(p)
	}
	got := make([]string, len(pages))
	var wg sync.WaitGroup
	for i, p := range pages {
		wg.Add(1)
		go func() { defer wg.Done(); got[i] = judgeAll(p) }()
	}
	wg.Wait()
	for i := range pages {
		if got[i] != want[i] {
			t.Errorf("page %d judged differently when concurrent:\n%s\nvs\n%s", i, got[i], want[i])
		}
	}
}
