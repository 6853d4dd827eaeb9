package demo

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"golang.org/x/image/font"
)

// Chrome's light theme.
var (
	colFrame       = rgb(0xDEE1E6) // tab strip
	colTab         = rgb(0xFFFFFF) // active tab and toolbar
	colOmnibox     = rgb(0xF1F3F4)
	colText        = rgb(0x202124)
	colTextDim     = rgb(0x5F6368)
	colTextFaint   = rgb(0x80868B)
	colIcon        = rgb(0x5F6368)
	colSeparator   = rgb(0xDADCE0)
	colTabDivider  = rgb(0xA8ABB0)
	colPinterest   = rgb(0xE60023)
	colPageBlank   = rgb(0xFFFFFF)
	colFaviconBlue = rgb(0x1A73E8)
)

// chromeState is what the tab strip and toolbar show.
type chromeState struct {
	Titles []string // one per open tab, in opening order
	Active int      // index into Titles
	URL    shownURL
	// Chip marks the URL as a redirect hop ("redirect 302"): the browser
	// requested it and was sent on, so it was never a page on screen.
	Chip string
}

func (c chromeState) key() string {
	k := c.URL.String() + "\x00" + c.Chip
	for i, t := range c.Titles {
		if i == c.Active {
			k += "\x00*"
		}
		k += "\x00" + t
	}
	return k
}

// drawChrome paints the window's tab strip and toolbar into dst (W x ContentY).
func drawChrome(dst *image.RGBA, l layout, f *fonts, st chromeState) {
	fillRect(dst, image.Rect(0, 0, l.W, l.TabH), colFrame)
	fillRect(dst, image.Rect(0, l.TabH, l.W, l.ContentY), colTab)
	fillRect(dst, image.Rect(0, l.ContentY-max(1, l.px(0.7)), l.W, l.ContentY), colSeparator)
	drawTabs(dst, l, f, st)
	drawWindowControls(dst, l)
	drawToolbar(dst, l, f, st.URL, st.Chip)
}

func drawTabs(dst *image.RGBA, l layout, f *fonts, st chromeState) {
	titles := st.Titles
	if len(titles) == 0 {
		titles, st.Active = []string{"New Tab"}, 0
	}
	x0 := l.f(10)
	right := float64(l.W) - l.f(150) // window controls and the new-tab button
	tabW := min(l.f(240), (right-x0)/float64(len(titles)))
	top, bottom := l.f(8), float64(l.TabH)
	face := f.face(false, l.px(12.5))
	for i, title := range titles {
		x := x0 + float64(i)*tabW
		if i == st.Active {
			newPath().roundRect(x, top, x+tabW, bottom+1, l.f(8), true).fill(dst, colTab)
		} else if i+1 != st.Active && i+1 < len(titles) {
			newPath().line(x+tabW, top+l.f(8), x+tabW, bottom-l.f(8), l.f(1)).fill(dst, colTabDivider)
		}
		// Favicon: a page icon in Google blue.
		cx, cy := x+l.f(22), (top+bottom)/2
		newPath().circle(cx, cy, l.f(7), false).fill(dst, colFaviconBlue)
		newPath().ring(cx, cy, l.f(3.5), l.f(1.4)).fill(dst, colTab)
		// Title, then the close cross.
		tx := int(x + l.f(36))
		maxW := int(tabW - l.f(36) - l.f(30))
		if maxW > 0 {
			drawText(dst, face, tx, baselineFor(face, int(top), int(bottom-top)), truncateRight(face, title, maxW), colText)
		}
		xx, s := x+tabW-l.f(17), l.f(4)
		newPath().line(xx-s, cy-s, xx+s, cy+s, l.f(1.3)).fill(dst, colIcon)
		newPath().line(xx-s, cy+s, xx+s, cy-s, l.f(1.3)).fill(dst, colIcon)
	}
	// New-tab "+".
	px, py, s := x0+float64(len(titles))*tabW+l.f(18), (top+bottom)/2, l.f(6)
	newPath().line(px-s, py, px+s, py, l.f(1.5)).fill(dst, colIcon)
	newPath().line(px, py-s, px, py+s, l.f(1.5)).fill(dst, colIcon)
}

func drawWindowControls(dst *image.RGBA, l layout) {
	cy, s, w := float64(l.TabH)/2, l.f(5), l.f(1.2)
	x := float64(l.W) - l.f(24)
	newPath().line(x-s, cy-s, x+s, cy+s, w).fill(dst, colText) // close
	newPath().line(x-s, cy+s, x+s, cy-s, w).fill(dst, colText)
	x -= l.f(44) // maximise: a square outline
	p := newPath()
	p.poly([2]float64{x - s, cy - s}, [2]float64{x + s, cy - s}, [2]float64{x + s, cy + s}, [2]float64{x - s, cy + s})
	p.poly([2]float64{x - s + w, cy - s + w}, [2]float64{x - s + w, cy + s - w}, [2]float64{x + s - w, cy + s - w}, [2]float64{x + s - w, cy - s + w})
	p.fill(dst, colText)
	x -= l.f(44) // minimise
	newPath().line(x-s, cy, x+s, cy, w).fill(dst, colText)
}

// omnibox is the address field's rectangle.
func omnibox(l layout) (x0, y0, x1, y1 float64) {
	return l.f(118), float64(l.TabH) + l.f(6), float64(l.W) - l.f(84), float64(l.ContentY) - l.f(6)
}

func drawToolbar(dst *image.RGBA, l layout, f *fonts, u shownURL, chip string) {
	cy := (float64(l.TabH) + float64(l.ContentY)) / 2
	w := l.f(1.6)
	// Back and forward arrows, reload.
	arrow := func(cx float64, dir float64, col color.Color) {
		s := l.f(6)
		p := newPath().line(cx-s, cy, cx+s, cy, w)
		p.line(cx-dir*s, cy, cx-dir*s+dir*s*0.75, cy-s*0.75, w)
		p.line(cx-dir*s, cy, cx-dir*s+dir*s*0.75, cy+s*0.75, w)
		p.fill(dst, col)
	}
	arrow(l.f(22), 1, colIcon)
	arrow(l.f(56), -1, colSeparator)
	rx := l.f(90)
	newPath().ring(rx, cy, l.f(6), w).fill(dst, colIcon)
	fillRect(dst, image.Rect(int(rx), int(cy-l.f(8)), int(rx+l.f(8)), int(cy)), colTab) // open the ring
	newPath().poly([2]float64{rx + l.f(1), cy - l.f(9.5)}, [2]float64{rx + l.f(1), cy - l.f(2.5)}, [2]float64{rx + l.f(7), cy - l.f(6)}).fill(dst, colIcon)

	x0, y0, x1, y1 := omnibox(l)
	newPath().roundRect(x0, y0, x1, y1, (y1-y0)/2, false).fill(dst, colOmnibox)
	ix := x0 + l.f(18)
	if u.Secure {
		drawLock(dst, l, ix, cy)
	} else if u.Host != "" {
		drawInfo(dst, l, ix, cy)
	}
	face := f.face(false, l.px(14))
	x := int(x0 + l.f(36))
	if chip != "" {
		x = drawChip(dst, l, f, float64(x)-l.f(4), y0, y1, chip) + l.px(8)
	}
	base := baselineFor(face, int(y0), int(y1-y0))
	drawURL(dst, face, x, base, int(x1-l.f(16))-x, u)

	// Profile avatar and the menu's three dots.
	ax := float64(l.W) - l.f(56)
	newPath().circle(ax, cy, l.f(10), false).fill(dst, colPinterest)
	mx := float64(l.W) - l.f(24)
	for _, dy := range []float64{-5, 0, 5} {
		newPath().circle(mx, cy+l.f(dy), l.f(1.6), false).fill(dst, colIcon)
	}
}

// drawURL draws the address: scheme dimmed, host emphasised, the rest in the
// secondary colour; cut from the right with an ellipsis when too long.
func drawURL(dst draw.Image, face font.Face, x, base, maxW int, u shownURL) {
	full := u.String()
	if full == "" {
		return
	}
	shown := truncateRight(face, full, maxW)
	// Colour runs follow the original positions; truncation only cuts the end.
	n := len([]rune(shown))
	if shown != full {
		n-- // the ellipsis gets the colour of the part it ends
	}
	runs := []struct {
		s string
		c color.Color
	}{{u.Scheme, colTextFaint}, {u.Host, colText}, {u.Rest, colTextDim}}
	for _, run := range runs {
		r := []rune(run.s)
		if n <= 0 {
			break
		}
		if len(r) > n {
			drawText(dst, face, x, base, string(r[:n])+ellipsis, run.c)
			return
		}
		x = drawText(dst, face, x, base, run.s, run.c)
		n -= len(r)
	}
	if shown != full && n == 0 {
		drawText(dst, face, x, base, ellipsis, colTextDim)
	}
}

// Colours of the redirect chip: Chrome's amber, as for a warning that is
// information rather than danger.
var (
	colChip     = rgb(0xFEEFC3)
	colChipText = rgb(0x8A4B00)
)

// drawChip draws a pill "↪ redirect 302" from x, centred between y0 and y1,
// and returns the x after it. The hooked arrow is drawn, not a glyph: the
// Go fonts have none.
func drawChip(dst *image.RGBA, l layout, f *fonts, x, y0, y1 float64, text string) int {
	face := f.face(true, l.px(12.5))
	h := (y1 - y0) - l.f(8)
	top := y0 + l.f(4)
	iconW := l.f(14)
	w := l.f(10) + iconW + l.f(5) + float64(textWidth(face, text)) + l.f(10)
	newPath().roundRect(x, top, x+w, top+h, h/2, false).fill(dst, colChip)
	// ↪: down from the top left, curving right into an arrow.
	cx, cy := x+l.f(10), top+h/2
	sw := l.f(1.6)
	p := newPath().line(cx, cy-l.f(5), cx, cy, sw)
	p.line(cx, cy, cx+l.f(2), cy+l.f(2.5), sw)
	p.line(cx+l.f(2), cy+l.f(2.5), cx+l.f(5), cy+l.f(3), sw)
	p.line(cx+l.f(5), cy+l.f(3), cx+l.f(11), cy+l.f(3), sw)
	p.line(cx+l.f(11), cy+l.f(3), cx+l.f(8), cy, sw)
	p.line(cx+l.f(11), cy+l.f(3), cx+l.f(8), cy+l.f(6), sw)
	p.fill(dst, colChipText)
	tx := int(x + l.f(10) + iconW + l.f(5))
	drawText(dst, face, tx, baselineFor(face, int(top), int(h)), text, colChipText)
	return int(math.Ceil(x + w))
}

func drawLock(dst *image.RGBA, l layout, cx, cy float64) {
	w, h := l.f(9), l.f(7)
	newPath().roundRect(cx-w/2, cy-h/2+l.f(2), cx+w/2, cy+h/2+l.f(2), l.f(1.5), false).fill(dst, colIcon)
	p := newPath().ring(cx, cy-l.f(2), l.f(3), l.f(1.5))
	p.fill(dst, colIcon)
}

func drawInfo(dst *image.RGBA, l layout, cx, cy float64) {
	newPath().ring(cx, cy, l.f(7), l.f(1.5)).fill(dst, colIcon)
	newPath().circle(cx, cy-l.f(3.2), l.f(1.1), false).fill(dst, colIcon)
	newPath().line(cx, cy-l.f(1), cx, cy+l.f(4), l.f(1.6)).fill(dst, colIcon)
}
