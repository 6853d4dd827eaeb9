package demo

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/gomonobold"
	"golang.org/x/image/math/fixed"

	"github.com/pinready/pinready/internal/terminal"
)

// A terminal flow (oauth.command) is drawn as a terminal window on a
// desktop, in the same visual language as the browser window: a title bar
// with the command, the command's screen in an embedded monospaced font
// (Go Mono, compiled in like the Go fonts of the browser chrome), the
// captions below. The browser window takes the whole frame when the flow
// is in Pinterest's consent, as a maximised window brought to the front.

// The Go Mono faces, compiled in.
var (
	monoFont     = mustParse(gomono.TTF)
	monoBoldFont = mustParse(gomonobold.TTF)
)

// The terminal's theme: a dark terminal, as most developers use.
var (
	colDesktopTop    = rgb(0x3B4B5E)
	colDesktopBottom = rgb(0x1F2A36)
	colTermTitleBar  = rgb(0x2E3036)
	colTermTitle     = rgb(0xC9CCD1)
	colTermBG        = rgb(0x1C1D21)
	colTermFG        = rgb(0xD6D8DC)
	colTermCursor    = rgb(0xD6D8DC)
	colTermShadow    = rgba(0x000000, 0.35)
	// The 16 ANSI colours (VS Code's dark terminal palette).
	termPalette = [16]uint32{
		0x1C1D21, 0xE5534B, 0x57AB5A, 0xC69026, 0x539BF5, 0xB083F0, 0x39C5CF, 0xD6D8DC,
		0x7D828A, 0xFF6A69, 0x6BC46D, 0xDAAA3F, 0x6CB6FF, 0xDCBDFB, 0x56D4DD, 0xFFFFFF,
	}
	trafficLights = [3]uint32{0xFF5F57, 0xFEBC2E, 0x28C840}
)

// termLayout places the terminal window in output pixels.
type termLayout struct {
	win         image.Rectangle // the window, title bar included
	titleH      int
	textX       int // left of column 0
	textY       int // top of row 0
	cellW       int
	cellH       int
	px          int // font size
	cols, rows  int
	captionRoom int // the bottom band kept free for two lines of caption
}

// newTermLayout sizes the terminal's font to the tallest that fits rows
// lines above the caption band and cols columns across the frame, and
// centres the window on the desktop.
func newTermLayout(l layout, f *fonts, cols, rows int) termLayout {
	t := termLayout{cols: cols, rows: rows, titleH: l.px(34)}
	t.captionRoom = 2*l.px(34) + 2*l.px(20) // captionBand's height for two lines
	margin, pad := l.px(14), l.px(12)
	availH := l.H - t.captionRoom - 2*margin - t.titleH - 2*pad
	availW := l.W - 2*margin - 2*pad
	cellH := max(8, availH/max(1, rows))
	px := int(float64(cellH) / 1.22)
	for ; px > 6; px-- {
		adv, _ := f.mono(false, px).GlyphAdvance('M')
		if adv.Ceil()*cols <= availW {
			break
		}
	}
	adv, _ := f.mono(false, px).GlyphAdvance('M')
	t.px, t.cellW, t.cellH = px, adv.Ceil(), min(cellH, int(math.Ceil(float64(px)*1.3)))
	w := t.cellW*cols + 2*pad
	h := t.titleH + t.cellH*rows + 2*pad
	x0 := (l.W - w) / 2
	y0 := max(margin, (l.H-t.captionRoom-h)/2)
	t.win = image.Rect(x0, y0, x0+w, y0+h)
	t.textX, t.textY = x0+pad, y0+t.titleH+pad
	return t
}

// mono is a Go Mono face, cached like the others.
func (f *fonts) mono(bold bool, px int) font.Face {
	return f.get(faceKey{bold: bold, mono: true, px: px})
}

// termView draws the terminal window. Glyphs are rasterised once each and
// kept: a screen of a hundred columns redraws in a millisecond or two.
type termView struct {
	l      layout
	t      termLayout
	f      *fonts
	glyphs map[glyphKey]*image.Alpha
	// desktop is the colour of each row of the desktop behind the window:
	// a gradient, drawn row by row rather than kept as a frame-sized image.
	desktop []color.RGBA
}

type glyphKey struct {
	s    string
	bold bool
}

func newTermView(l layout, f *fonts, cols, rows int) *termView {
	v := &termView{l: l, t: newTermLayout(l, f, cols, rows), f: f, glyphs: map[glyphKey]*image.Alpha{}, desktop: make([]color.RGBA, l.H)}
	for y := range v.desktop {
		a := float64(y) / float64(max(1, l.H-1))
		v.desktop[y] = color.RGBA{lerp(colDesktopTop.R, colDesktopBottom.R, a), lerp(colDesktopTop.G, colDesktopBottom.G, a), lerp(colDesktopTop.B, colDesktopBottom.B, a), 255}
	}
	return v
}

func lerp(a, b uint8, t float64) uint8 {
	return uint8(math.Round(float64(a) + (float64(b)-float64(a))*t))
}

// termMark outlines cells [x0, x1) of row y; on is false for none.
type termMark struct {
	y, x0, x1 int
	on        bool
}

// draw paints the terminal into dst. With full set it paints everything:
// the desktop, the window and its title (after the browser was in front, or
// a new title); otherwise dst still holds them from the last call, and only
// the screen and the band below the window, where captions go, are painted
// again: the window's anti-aliased shapes are rasterised once a switch, not
// once a frame (a rasteriser the window's size is megabytes).
func (v *termView) draw(dst *image.RGBA, sc *terminal.Screen, title string, mark termMark, full bool) {
	if full {
		v.drawWindow(dst, title)
	} else {
		t, l := v.t, v.l
		fillRect(dst, image.Rect(t.textX-l.px(8), t.textY-l.px(8), t.textX+t.cols*t.cellW+l.px(8), t.textY+t.rows*t.cellH+l.px(8)), colTermBG)
		v.paintDesktop(dst, t.win.Max.Y+l.px(14))
	}
	if sc == nil {
		return
	}
	v.drawScreen(dst, sc)
	if mark.on && mark.y >= 0 && mark.y < v.t.rows {
		t, l := v.t, v.l
		x0 := t.textX + mark.x0*t.cellW - l.px(5)
		x1 := t.textX + mark.x1*t.cellW + l.px(5)
		y0 := t.textY + mark.y*t.cellH - l.px(4)
		drawHighlight(dst, l, image.Rect(x0, y0, x1, y0+t.cellH+l.px(8)))
	}
}

// paintDesktop paints the desktop's gradient from row y0 down.
func (v *termView) paintDesktop(dst *image.RGBA, y0 int) {
	for y := max(0, y0); y < len(v.desktop); y++ {
		c := v.desktop[y]
		row := dst.Pix[dst.PixOffset(0, y) : dst.PixOffset(0, y)+4*v.l.W]
		for i := 0; i < len(row); i += 4 {
			row[i], row[i+1], row[i+2], row[i+3] = c.R, c.G, c.B, 255
		}
	}
}

// drawWindow paints the desktop and the empty window with its title.
func (v *termView) drawWindow(dst *image.RGBA, title string) {
	v.paintDesktop(dst, 0)
	t, l := v.t, v.l
	r := float64(l.px(8))
	win := t.win
	// A soft shadow, then the window with rounded top corners.
	for i := 3; i >= 1; i-- {
		o := float64(l.px(float64(i) * 3))
		newPath().roundRect(float64(win.Min.X)-o/2, float64(win.Min.Y)+o/2, float64(win.Max.X)+o/2, float64(win.Max.Y)+o, r+o, false).fill(dst, colTermShadow)
	}
	newPath().roundRect(float64(win.Min.X), float64(win.Min.Y), float64(win.Max.X), float64(win.Max.Y), r, false).fill(dst, colTermBG)
	newPath().roundRect(float64(win.Min.X), float64(win.Min.Y), float64(win.Max.X), float64(win.Min.Y+t.titleH), r, true).fill(dst, colTermTitleBar)
	for i, c := range trafficLights {
		cx := float64(win.Min.X) + l.f(18) + float64(i)*l.f(20)
		newPath().circle(cx, float64(win.Min.Y)+float64(t.titleH)/2, l.f(6), false).fill(dst, rgb(c))
	}
	face := v.f.face(false, l.px(13))
	title = truncateRight(face, title, win.Dx()-l.px(140))
	tw := textWidth(face, title)
	drawText(dst, face, win.Min.X+(win.Dx()-tw)/2, baselineFor(face, win.Min.Y, t.titleH), title, colTermTitle)
}

func (v *termView) drawScreen(dst *image.RGBA, sc *terminal.Screen) {
	t := v.t
	for y := 0; y < min(sc.Rows, t.rows); y++ {
		for x := 0; x < min(sc.Cols, t.cols); x++ {
			c := sc.At(x, y)
			if c.Cont {
				continue
			}
			fg, bg := v.color(c.FG, colTermFG), v.color(c.BG, colTermBG)
			if c.Attr&terminal.Reverse != 0 {
				fg, bg = bg, fg
			}
			cursor := sc.CursorOn && x == sc.CursorX && y == sc.CursorY
			if cursor {
				fg, bg = colTermBG, colTermCursor
			}
			if c.Attr&terminal.Faint != 0 {
				fg = color.RGBA{lerp(fg.R, bg.R, 0.4), lerp(fg.G, bg.G, 0.4), lerp(fg.B, bg.B, 0.4), 255}
			}
			w := 1
			if c.Wide {
				w = 2
			}
			cell := image.Rect(t.textX+x*t.cellW, t.textY+y*t.cellH, t.textX+(x+w)*t.cellW, t.textY+(y+1)*t.cellH)
			if bg != colTermBG {
				fillRect(dst, cell, bg)
			}
			if c.Text != "" && c.Text != " " {
				v.drawGlyph(dst, cell, c.Text, c.Attr&terminal.Bold != 0, fg)
			}
			if c.Attr&terminal.Underline != 0 {
				fillRect(dst, image.Rect(cell.Min.X, cell.Max.Y-max(1, t.cellH/14)-1, cell.Max.X, cell.Max.Y-1), fg)
			}
		}
	}
}

// color resolves a cell's colour with the theme; def for the default.
func (v *termView) color(c terminal.Color, def color.RGBA) color.RGBA {
	if r, g, b, ok := c.RGB(); ok {
		return color.RGBA{r, g, b, 255}
	}
	n, ok := c.Index()
	if !ok {
		return def
	}
	switch {
	case n < 16:
		return rgb(termPalette[n])
	case n < 232: // the 6x6x6 cube
		n -= 16
		level := func(i uint8) uint8 {
			if i == 0 {
				return 0
			}
			return 55 + i*40
		}
		return color.RGBA{level(n / 36), level(n / 6 % 6), level(n % 6), 255}
	}
	g := 8 + (n-232)*10 // the grey ramp
	return color.RGBA{g, g, g, 255}
}

// drawGlyph draws one cell's grapheme, from the cache of rasterised glyphs.
func (v *termView) drawGlyph(dst *image.RGBA, cell image.Rectangle, s string, bold bool, fg color.RGBA) {
	k := glyphKey{s, bold}
	mask, ok := v.glyphs[k]
	if !ok {
		mask = image.NewAlpha(image.Rect(0, 0, cell.Dx(), v.t.cellH))
		face := v.f.mono(bold, v.t.px)
		d := font.Drawer{Dst: mask, Src: image.Opaque, Face: face,
			Dot: fixed.P(0, baselineFor(face, 0, v.t.cellH))}
		d.DrawString(s)
		if len(v.glyphs) < 4096 {
			v.glyphs[k] = mask
		}
	}
	draw.DrawMask(dst, cell, image.NewUniform(fg), image.Point{}, mask, image.Point{}, draw.Over)
}

// TerminalArea is where a terminal of cols x rows cells shows its text in
// every frame of a video recorded with o, in output pixels: for tools and
// tests that read the video (OCR), as AddressBar is for the browser.
func TerminalArea(o Options, cols, rows int) image.Rectangle {
	l := newLayout(o.withDefaults())
	t := newTermLayout(l, newFonts(), cols, rows)
	return image.Rect(t.textX, t.textY, t.textX+cols*t.cellW, t.textY+rows*t.cellH)
}
