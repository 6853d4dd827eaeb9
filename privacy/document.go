package privacy

import (
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// document is an HTML page reduced to what the content rules read.
type document struct {
	dom      *goquery.Document
	HTML     string    // the source, for markers hidden in scripts and attributes
	Title    string    // <title>
	Lang     string    // <html lang> (or xml:lang, or <meta http-equiv=content-language>); "" when none
	Headings []heading // h1–h3 of the main content, site-name and menu headings left out
	Text     string    // the main text: nav, site header and footer, scripts and hidden parts dropped
	AllText  string    // every visible text of the body, menus included
	Words    int       // words in Text (CJK text counted by characters, see countWords)

	Scripts     bool   // the page runs scripts that could add text
	ShellMount  bool   // an empty element where single-page apps mount (#root, #app, #__next…)
	RefreshURL  string // where a <meta http-equiv=refresh> sends the visitor; "" when none
	EmailsFixed int    // Cloudflare-obfuscated addresses decoded

	main  *goquery.Selection // the main content, chrome removed: for fragment lookups
	lines []string           // Text, line by line
	own   *string            // ownText's, when first asked
}

// ownText is Text without the text of links to other pages: what the page
// says itself, not the names of the pages it links to ("Read our Privacy
// Policy" under a cookie notice). Most pages never need it: it is
// rendered the first time it is asked for.
func (d *document) ownText() string {
	if d.own == nil {
		var own []string
		if d.main != nil {
			renderText(d.main, &own)
		}
		s := strings.Join(own, "\n")
		d.own = &s
	}
	return *d.own
}

// heading is one h1–h3 of the main content and the text of its section: the
// lines up to the next heading of the same or a higher level.
type heading struct {
	Level int
	Text  string
	node  *html.Node
	start int // index in lines of the heading's own line
	end   int // index in lines past its section
}

// Section is the heading's section text, the heading included.
func (d *document) Section(h heading) string { return strings.Join(d.lines[h.start:h.end], "\n") }

// chrome is what surrounds a page's own content; a site's menus and footers
// would otherwise make every page look like it names the app and has a date.
// <header> and <footer> are chrome only outside the content (see parseDocument):
// Jekyll and most blog themes put the page's <h1> in a <header> inside <article>.
const chrome = "nav, [role=navigation], [role=banner], [role=contentinfo], aside"

// invisible never shows as text in a browser.
const invisible = "script, style, noscript, template, svg, iframe, object, head, [hidden], [aria-hidden=true]"

// menuTokens are class or id names of site menus that are not <nav>.
var menuTokens = []string{"nav", "navbar", "nav-bar", "navigation", "navmenu", "menu", "menubar", "topbar", "top-bar", "site-nav", "sitenav", "breadcrumb", "breadcrumbs", "sidebar", "side-bar", "toc"}

func parseDocument(body string) (*document, error) {
	dom, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	d := &document{dom: dom, HTML: body, Title: squash(dom.Find("title").First().Text())}
	htmlEl := dom.Find("html").First()
	d.Lang = strings.TrimSpace(htmlEl.AttrOr("lang", htmlEl.AttrOr("xml:lang", "")))
	if d.Lang == "" {
		d.Lang = strings.TrimSpace(dom.Find(`meta[http-equiv="content-language" i]`).First().AttrOr("content", ""))
	}
	d.EmailsFixed = decodeCloudflareEmails(dom)
	d.Scripts = dom.Find("script").FilterFunction(func(_ int, s *goquery.Selection) bool {
		t := strings.ToLower(strings.TrimSpace(s.AttrOr("type", "")))
		return t == "" || t == "module" || strings.Contains(t, "javascript")
	}).Length() > 0
	dom.Find(`meta[http-equiv="refresh" i]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		_, u, ok := strings.Cut(s.AttrOr("content", ""), "=")
		if ok && strings.Contains(strings.ToLower(s.AttrOr("content", "")), "url") {
			d.RefreshURL = strings.Trim(strings.TrimSpace(u), `'"`)
		}
		return d.RefreshURL == ""
	})

	body2 := dom.Find("body").Clone()
	body2.Find(invisible).Remove()
	body2.Find("*").FilterFunction(func(_ int, s *goquery.Selection) bool { return hiddenByStyle(s) }).Remove()
	d.AllText = visibleText(body2)
	d.ShellMount = body2.Find("#root, #app, #__next, #__nuxt, #svelte, app-root, [data-reactroot], #main-app").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return countWords(squash(s.Text())) < 3
	}).Length() > 0

	main := body2.Find("main, [role=main]").First()
	if main.Length() == 0 {
		main = body2
	}
	main = main.Clone()
	main.Find(chrome).Remove()
	// A <header> or <footer> is the site's only outside the content.
	main.Find("header, footer").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return s.ParentsFiltered("article, main, section, [role=main]").Length() == 0
	}).Remove()
	main.Find("*").FilterFunction(func(_ int, s *goquery.Selection) bool { return isMenu(s) }).Remove()
	d.main = main
	d.lines, d.Headings = textAndHeadings(main)
	d.Text = strings.Join(d.lines, "\n")
	d.Words = countWords(d.Text)
	return d, nil
}

// isMenu recognises a site menu built of <div>s: its class or id says so.
func isMenu(s *goquery.Selection) bool {
	names := strings.Fields(strings.ToLower(s.AttrOr("class", "") + " " + s.AttrOr("id", "")))
	for _, n := range names {
		for _, t := range menuTokens {
			if n == t || strings.HasPrefix(n, t+"-") && (t == "navbar" || t == "nav") || strings.HasSuffix(n, "-"+t) && t != "toc" {
				return true
			}
		}
	}
	return false
}

// hiddenByStyle catches the inline display:none / visibility:hidden that
// static HTML can show; stylesheet rules need a browser.
func hiddenByStyle(s *goquery.Selection) bool {
	style := strings.ReplaceAll(strings.ToLower(s.AttrOr("style", "")), " ", "")
	return strings.Contains(style, "display:none") || strings.Contains(style, "visibility:hidden")
}

// decodeCloudflareEmails puts back the addresses Cloudflare's e-mail
// protection hides: the server sends "[email protected]" with the address
// XOR-encoded in data-cfemail (or after /cdn-cgi/l/email-protection#), and a
// script decodes it in the browser. A reviewer sees the address, so the
// rules must too, and "[email protected]" is no template placeholder.
func decodeCloudflareEmails(dom *goquery.Document) int {
	n := 0
	dom.Find(`[data-cfemail], a[href*="/cdn-cgi/l/email-protection#"]`).Each(func(_ int, s *goquery.Selection) {
		enc, ok := s.Attr("data-cfemail")
		if !ok {
			_, enc, _ = strings.Cut(s.AttrOr("href", ""), "#")
		}
		addr := cfDecode(enc)
		if addr == "" {
			return
		}
		if _, isCF := s.Attr("data-cfemail"); isCF || strings.Contains(s.Text(), "protected") {
			s.SetText(addr)
			n++
		}
	})
	return n
}

// cfDecode decodes Cloudflare's format: hex bytes, the first the XOR key.
func cfDecode(enc string) string {
	b, err := hex.DecodeString(strings.TrimSpace(enc))
	if err != nil || len(b) < 2 {
		return ""
	}
	out := make([]byte, len(b)-1)
	for i, c := range b[1:] {
		out[i] = c ^ b[0]
	}
	s := string(out)
	if !strings.Contains(s, "@") || strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == unicode.ReplacementChar }) {
		return ""
	}
	return s
}

// blocks start a new line in the text, so words of adjacent paragraphs do not
// run together ("Privacy PolicyLast updated").
var blocks = map[string]bool{
	"p": true, "div": true, "br": true, "li": true, "ul": true, "ol": true, "h1": true, "h2": true,
	"h3": true, "h4": true, "h5": true, "h6": true, "section": true, "article": true, "tr": true,
	"td": true, "th": true, "table": true, "dt": true, "dd": true, "blockquote": true, "pre": true,
	"main": true, "header": true, "footer": true, "nav": true, "details": true, "summary": true,
	"form": true, "label": true, "button": true, "option": true, "hr": true,
}

// headingLevel is 1–3 for h1–h3, else 0.
func headingLevel(n *html.Node) int {
	if n.Type != html.ElementNode || len(n.Data) != 2 || n.Data[0] != 'h' || n.Data[1] < '1' || n.Data[1] > '3' {
		return 0
	}
	return int(n.Data[1] - '0')
}

// textAndHeadings renders the selection's text line by line (a line per
// block, spaces collapsed) and finds its h1–h3 with their sections. A
// heading that is only a link elsewhere ("<h1><a href="/">Site</a></h1>", a
// menu entry) is the site's name or navigation, not the page's heading.
func textAndHeadings(s *goquery.Selection) ([]string, []heading) { return renderText(s, nil) }

// renderText is textAndHeadings that also gives, when own is not nil, the
// lines without the text of links to other pages.
func renderText(s *goquery.Selection, own *[]string) ([]string, []heading) {
	var lines []string
	var hs []heading
	var cur, ownCur strings.Builder
	inLink := 0
	flush := func() {
		if l := squash(cur.String()); l != "" {
			lines = append(lines, l)
		}
		cur.Reset()
		if own != nil {
			if l := squash(ownCur.String()); l != "" {
				*own = append(*own, l)
			}
			ownCur.Reset()
		}
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			cur.WriteString(n.Data)
			if inLink == 0 && own != nil {
				ownCur.WriteString(n.Data)
			}
			return
		case html.ElementNode:
			if blocks[n.Data] {
				flush()
			}
			if n.Data == "a" && offPageLink(n) {
				inLink++
				defer func() { inLink-- }()
			}
		}
		lvl := headingLevel(n)
		if lvl > 0 {
			t := squash(nodeText(n))
			if t != "" && !linkOnly(n, t) {
				hs = append(hs, heading{Level: lvl, Text: t, node: n, start: len(lines)})
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode && blocks[n.Data] {
			flush()
		}
	}
	for _, n := range s.Nodes {
		walk(n)
	}
	flush()
	for i := range hs {
		hs[i].end = len(lines)
		for j := i + 1; j < len(hs); j++ {
			if hs[j].Level <= hs[i].Level {
				hs[i].end = hs[j].start
				break
			}
		}
		hs[i].end = max(hs[i].end, min(hs[i].start+1, len(lines)))
	}
	return lines, hs
}

// offPageLink says whether an <a> leads to another page (not "#part").
func offPageLink(n *html.Node) bool {
	for _, a := range n.Attr {
		if a.Key == "href" {
			return !strings.HasPrefix(strings.TrimSpace(a.Val), "#")
		}
	}
	return false
}

// linkOnly says whether a heading's whole text is one link to somewhere
// other than a part of this page.
func linkOnly(n *html.Node, text string) bool {
	var links []*html.Node
	var find func(*html.Node)
	find = func(x *html.Node) {
		if x.Type == html.ElementNode && x.Data == "a" {
			links = append(links, x)
			return
		}
		for c := x.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(n)
	if len(links) != 1 || squash(nodeText(links[0])) != text {
		return false
	}
	for _, a := range links[0].Attr {
		if a.Key == "href" {
			return !strings.HasPrefix(strings.TrimSpace(a.Val), "#")
		}
	}
	return false
}

func nodeText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(x *html.Node) {
		if x.Type == html.TextNode {
			b.WriteString(x.Data)
		}
		for c := x.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// visibleText renders the selection's text with line breaks between blocks
// and collapsed spaces inside them.
func visibleText(s *goquery.Selection) string {
	lines, _ := textAndHeadings(s)
	return strings.Join(lines, "\n")
}

// fragmentSection is the part of the page a URL fragment (#privacy) points
// at: the section of the heading it names, the element it names when that
// holds headings or text, or the section of the next heading after an empty
// anchor. ok is false when no element has that id or name.
func (d *document) fragmentSection(frag string) (label, text string, ok bool) {
	if frag == "" || d.main == nil {
		return "", "", false
	}
	target := d.main.Find("[id], a[name]").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return s.AttrOr("id", "") == frag || (goquery.NodeName(s) == "a" && s.AttrOr("name", "") == frag)
	}).First()
	if target.Length() == 0 {
		return "", "", false
	}
	tn := target.Get(0)
	for _, h := range d.Headings {
		if h.node == tn || isAncestor(h.node, tn) {
			return h.Text, d.Section(h), true
		}
	}
	if inner := target.Find("h1, h2, h3").First(); inner.Length() > 0 || countWords(squash(target.Text())) >= 5 {
		lines, hs := textAndHeadings(target)
		if len(hs) > 0 {
			label = hs[0].Text
		}
		return label, strings.Join(lines, "\n"), true
	}
	// An empty anchor: the next heading in document order.
	after := false
	var next *heading
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		if n == tn {
			after = true
		} else if after {
			for i := range d.Headings {
				if d.Headings[i].node == n {
					next = &d.Headings[i]
					return true
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c) {
				return true
			}
		}
		return false
	}
	for _, n := range d.main.Nodes {
		if walk(n) {
			break
		}
	}
	if next != nil {
		return next.Text, d.Section(*next), true
	}
	return "", "", true
}

func isAncestor(a, n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p == a {
			return true
		}
	}
	return false
}

// countWords counts words as a reader would: space-separated words, and in
// Chinese and Japanese, which use no spaces, one word per two characters.
func countWords(text string) int {
	n, cjk, inWord := 0, 0, false
	end := func() {
		if inWord {
			n += max(1, (cjk+1)/2)
		}
		cjk, inWord = 0, false
	}
	for _, r := range text {
		if unicode.IsSpace(r) {
			end()
			continue
		}
		inWord = true
		if r >= 0x2E80 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) {
			cjk++
		}
	}
	end()
	return n
}

// squash collapses runs of white space into one space.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// excerpt returns up to n characters of text around byte offset at, on word
// boundaries where the text has spaces (and on character boundaries where,
// as in Chinese or Japanese, it has none), with an ellipsis where it was cut.
func excerpt(text string, at, n int) string {
	text = strings.ReplaceAll(text, "\n", " ")
	if len(text) <= n {
		return text
	}
	start := max(0, min(at-n/3, len(text)-n))
	end := min(len(text), start+n)
	for i := 0; start > 0 && i < 20 && text[start-1] != ' '; i++ {
		start++
	}
	for start < end && !utf8.RuneStart(text[start]) {
		start++
	}
	for i := 0; end < len(text) && i < 20 && text[end] != ' '; i++ {
		end++
	}
	for end < len(text) && end > start && !utf8.RuneStart(text[end]) {
		end--
	}
	out := strings.ToValidUTF8(strings.TrimSpace(text[start:end]), "")
	if start > 0 {
		out = "…" + out
	}
	if end < len(text) {
		out += "…"
	}
	return out
}
