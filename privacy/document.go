package privacy

import (
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// document is an HTML page reduced to what the content rules read.
type document struct {
	dom      *goquery.Document
	HTML     string   // the source, for markers hidden in scripts and attributes
	Title    string   // <title>
	Headings []string // h1–h3 of the main content
	Text     string   // the main text: nav, header, footer, scripts and hidden parts dropped
	AllText  string   // every visible text of the body, menus included
	Words    int      // words in Text
}

// chrome is what surrounds a page's own content; a site's menus and footers
// would otherwise make every page look like it names the app and has a date.
const chrome = "nav, header, footer, aside, [role=navigation], [role=banner], [role=contentinfo]"

// invisible never shows as text in a browser.
const invisible = "script, style, noscript, template, svg, iframe, object, head, [hidden], [aria-hidden=true]"

func parseDocument(body string) (*document, error) {
	dom, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	d := &document{dom: dom, HTML: body, Title: squash(dom.Find("title").First().Text())}
	body2 := dom.Find("body").Clone()
	body2.Find(invisible).Remove()
	body2.Find("*").FilterFunction(func(_ int, s *goquery.Selection) bool { return hiddenByStyle(s) }).Remove()
	d.AllText = visibleText(body2)

	main := body2.Find("main, [role=main]").First()
	if main.Length() == 0 {
		main = body2
	}
	main = main.Clone()
	main.Find(chrome).Remove()
	d.Text = visibleText(main)
	d.Words = len(strings.Fields(d.Text))
	main.Find("h1, h2, h3").Each(func(_ int, s *goquery.Selection) {
		if h := squash(s.Text()); h != "" {
			d.Headings = append(d.Headings, h)
		}
	})
	return d, nil
}

// hiddenByStyle catches the inline display:none / visibility:hidden that
// static HTML can show; stylesheet rules need a browser.
func hiddenByStyle(s *goquery.Selection) bool {
	style := strings.ReplaceAll(strings.ToLower(s.AttrOr("style", "")), " ", "")
	return strings.Contains(style, "display:none") || strings.Contains(style, "visibility:hidden")
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

// visibleText renders the selection's text with line breaks between blocks
// and collapsed spaces inside them.
func visibleText(s *goquery.Selection) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			if blocks[n.Data] {
				b.WriteString("\n")
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode && blocks[n.Data] {
			b.WriteString("\n")
		}
	}
	for _, n := range s.Nodes {
		walk(n)
	}
	var lines []string
	for _, l := range strings.Split(b.String(), "\n") {
		if l = squash(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// squash collapses runs of white space into one space.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// excerpt returns up to n characters of text around byte offset at, on word
// boundaries, with an ellipsis where it was cut.
func excerpt(text string, at, n int) string {
	text = strings.ReplaceAll(text, "\n", " ")
	if len(text) <= n {
		return text
	}
	start := max(0, at-n/3)
	end := min(len(text), start+n)
	for start > 0 && start < len(text) && text[start-1] != ' ' {
		start++
	}
	for end < len(text) && text[end] != ' ' && end-start < n+20 {
		end++
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
