package demo

import (
	"bytes"
	"image"
	"image/draw"
	"image/jpeg"
	"math"
	"time"

	xdraw "golang.org/x/image/draw"

	"github.com/pinready/pinready/internal/terminal"
)

// compositor draws output frames into one reused buffer. The window is
// recomposed from its parts only when one of them changes (the chrome when
// the tabs or the URL change, the page when a screencast frame shows, the
// caption once per step, the highlight around a control); per tick, only
// the cursor and the ripple are drawn, after putting back the pixels they
// covered the tick before (a save-under), so no second full-size copy of
// the frame is kept. What changed since the last frame handed to the
// encoder is tracked as a damage rectangle, so the yuv420p conversion
// touches only that (yuvWriter).
type compositor struct {
	l layout
	f *fonts

	chromeKey string
	chrome    *image.RGBA // W x ContentY
	// page is the last screencast frame as decoded (a YCbCr image, 1.5
	// bytes a pixel rather than RGBA's 4), drawn into the page area when the
	// window is recomposed; nil shows a blank page.
	page    image.Image
	fit     *image.RGBA // a frame of another size, scaled to the width (rare), reused
	caption *image.RGBA // W x band height, or nil
	mark    image.Rectangle
	dirty   bool // out must be recomposed from the parts

	// The terminal window of a terminal flow, in front while termOn.
	termOn     bool
	term       *termView // made with the first screen, at its size
	termScreen *terminal.Screen
	termTitle  string
	termMark   termMark
	// termDrawn: out holds the terminal window as the last compose drew
	// it, so the next draws only its screen (termView.draw).
	termDrawn bool

	out    *image.RGBA
	under  []byte          // out's pixels under the cursor and ripple, before they were drawn
	underR image.Rectangle // where under was taken from
	damage image.Rectangle // changed in out since takeDamage
}

func newCompositor(l layout) *compositor {
	c := &compositor{
		l:      l,
		f:      newFonts(),
		chrome: image.NewRGBA(image.Rect(0, 0, l.W, l.ContentY)),
		out:    image.NewRGBA(image.Rect(0, 0, l.W, l.H)),
		dirty:  true,
	}
	c.setChrome(chromeState{})
	return c
}

// blankView shows an empty page until the tab's first frame.
func (c *compositor) blankView() {
	c.page = nil
	c.dirty = true
}

func (c *compositor) setChrome(st chromeState) {
	if k := st.key(); k != c.chromeKey || c.chromeKey == "" {
		c.chromeKey = k
		drawChrome(c.chrome, c.l, c.f, st)
		c.dirty = true
	}
}

func (c *compositor) setCaption(step int, caption string) {
	c.caption = captionBand(c.l, c.f, step, caption)
	c.dirty = true
}

// setHighlight outlines r (output pixels) around the control being acted
// on; an empty r removes the outline.
func (c *compositor) setHighlight(r image.Rectangle) {
	if r != c.mark {
		c.mark = r
		c.dirty = true
	}
}

// setPage decodes a screencast JPEG for the page area. A frame of another
// size (the page before the viewport override took) is scaled to the width.
func (c *compositor) setPage(jpg []byte) error {
	img, err := jpeg.Decode(bytes.NewReader(jpg))
	if err != nil {
		return err
	}
	c.setPageImage(img)
	return nil
}

func (c *compositor) setPageImage(img image.Image) {
	b := img.Bounds()
	if b.Dx() == c.l.W && b.Dy() == c.l.ContentH {
		c.page = img
	} else {
		if c.fit == nil {
			c.fit = image.NewRGBA(image.Rect(0, 0, c.l.W, c.l.ContentH))
		}
		draw.Draw(c.fit, c.fit.Rect, image.NewUniform(colPageBlank), image.Point{}, draw.Src)
		h := b.Dy() * c.l.W / max(1, b.Dx())
		xdraw.ApproxBiLinear.Scale(c.fit, image.Rect(0, 0, c.l.W, h), img, b, draw.Src, nil)
		c.page = c.fit
	}
	c.dirty = true
}

// pointer is the cursor and the last click, in output pixels.
type pointer struct {
	X, Y    float64
	Visible bool
	ClickX  float64
	ClickY  float64
	ClickAt time.Time // zero: no click to draw
}

// setTerminal brings the terminal window to the front (on) or the
// browser back; title is the terminal's, masked.
func (c *compositor) setTerminal(on bool, title string) {
	if on != c.termOn || (on && title != c.termTitle) {
		c.termOn, c.termTitle = on, title
		c.dirty, c.termDrawn = true, false
	}
}

// setTerminalScreen shows a new screen in the terminal window.
func (c *compositor) setTerminalScreen(sc *terminal.Screen) {
	if sc == nil {
		return
	}
	if c.term == nil || c.term.t.cols != sc.Cols || c.term.t.rows != sc.Rows {
		c.term = newTermView(c.l, c.f, sc.Cols, sc.Rows)
		c.termDrawn = false
	}
	c.termScreen = sc
	c.dirty = c.dirty || c.termOn
}

// setTerminalMark outlines cells of the terminal (m.on false: none).
func (c *compositor) setTerminalMark(m termMark) {
	if m != c.termMark {
		c.termMark = m
		c.dirty = c.dirty || c.termOn
	}
}

// compose draws the window from its parts into out.
func (c *compositor) compose() {
	if c.termOn {
		if c.term == nil {
			c.term = newTermView(c.l, c.f, terminal.DefaultCols, terminal.DefaultRows)
		}
		c.term.draw(c.out, c.termScreen, c.termTitle, c.termMark, !c.termDrawn)
		c.termDrawn = true
		c.drawCaption()
		return
	}
	c.termDrawn = false
	copy(c.out.Pix[:len(c.chrome.Pix)], c.chrome.Pix) // same stride: W*4
	area := image.Rect(0, c.l.ContentY, c.l.W, c.l.H)
	if c.page == nil {
		draw.Draw(c.out, area, image.NewUniform(colPageBlank), image.Point{}, draw.Src)
	} else {
		draw.Draw(c.out, area, c.page, c.page.Bounds().Min, draw.Src) // fast YCbCr path
	}
	if !c.mark.Empty() {
		drawHighlight(c.out, c.l, c.mark)
	}
	c.drawCaption()
}

func (c *compositor) drawCaption() {
	if c.caption != nil {
		r := c.caption.Rect.Add(image.Pt(0, c.l.H-c.caption.Rect.Dy()))
		draw.Draw(c.out, r, c.caption, image.Point{}, draw.Over)
	}
}

// frame returns the output frame at time t. The image is the compositor's
// own and is drawn over by the next call.
func (c *compositor) frame(p pointer, t time.Time) *image.RGBA {
	if c.dirty {
		c.compose()
		c.dirty = false
		c.underR = image.Rectangle{}
		c.damage = c.out.Rect
	} else if !c.underR.Empty() {
		c.damage = c.damage.Union(c.underR)
		c.restoreUnder()
	}
	// What the cursor and the ripple will touch, saved first.
	var r image.Rectangle
	age := time.Duration(0)
	ripple := !p.ClickAt.IsZero()
	if ripple {
		age = t.Sub(p.ClickAt)
		r = rippleBounds(c.l, p.ClickX, p.ClickY, age)
	}
	if p.Visible {
		r = r.Union(cursorBounds(c.l, p.X, p.Y))
	}
	c.saveUnder(r.Intersect(c.out.Rect))
	if ripple {
		drawRipple(c.out, c.l, p.ClickX, p.ClickY, age)
	}
	if p.Visible {
		drawCursor(c.out, c.l, p.X, p.Y)
	}
	c.damage = c.damage.Union(c.underR)
	return c.out
}

// takeDamage returns what changed in out since the last call: the part of
// the frame the encoder's input must be updated for.
func (c *compositor) takeDamage() image.Rectangle {
	d := c.damage
	c.damage = image.Rectangle{}
	return d
}

func (c *compositor) saveUnder(r image.Rectangle) {
	c.underR = r
	if r.Empty() {
		return
	}
	n := r.Dx() * 4 * r.Dy()
	if cap(c.under) < n {
		c.under = make([]byte, n)
	}
	c.under = c.under[:n]
	w := r.Dx() * 4
	for y := r.Min.Y; y < r.Max.Y; y++ {
		i := c.out.PixOffset(r.Min.X, y)
		copy(c.under[(y-r.Min.Y)*w:], c.out.Pix[i:i+w])
	}
}

func (c *compositor) restoreUnder() {
	r := c.underR
	w := r.Dx() * 4
	for y := r.Min.Y; y < r.Max.Y; y++ {
		i := c.out.PixOffset(r.Min.X, y)
		copy(c.out.Pix[i:i+w], c.under[(y-r.Min.Y)*w:])
	}
	c.underR = image.Rectangle{}
}

// bounds rounds a box outward to whole pixels, with a pixel of margin for
// anti-aliasing.
func bounds(x0, y0, x1, y1 float64) image.Rectangle {
	return image.Rect(int(math.Floor(x0))-1, int(math.Floor(y0))-1, int(math.Ceil(x1))+2, int(math.Ceil(y1))+2)
}
