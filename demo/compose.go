package demo

import (
	"bytes"
	"image"
	"image/draw"
	"image/jpeg"
	"time"

	xdraw "golang.org/x/image/draw"
)

// compositor draws output frames. The expensive parts are cached: the window
// chrome is redrawn only when the tabs or the URL change, a screencast frame
// is decoded and scaled once when it first shows, and the caption band once
// per step. Per tick, only the cursor and the ripple are drawn, over a copy
// of the cached base restored in the area they last touched.
type compositor struct {
	l layout
	f *fonts

	chromeKey string
	chrome    *image.RGBA // W x ContentY
	view      *image.RGBA // W x ContentH, the page
	caption   *image.RGBA // W x band height, or nil
	base      *image.RGBA // chrome + view + caption
	baseDirty bool

	out      *image.RGBA // base + cursor + ripple
	outDirty image.Rectangle
	outValid bool
}

func newCompositor(l layout) *compositor {
	c := &compositor{
		l:      l,
		f:      newFonts(),
		chrome: image.NewRGBA(image.Rect(0, 0, l.W, l.ContentY)),
		view:   image.NewRGBA(image.Rect(0, 0, l.W, l.ContentH)),
		base:   image.NewRGBA(image.Rect(0, 0, l.W, l.H)),
		out:    image.NewRGBA(image.Rect(0, 0, l.W, l.H)),
	}
	c.blankView()
	c.setChrome(chromeState{})
	return c
}

func (c *compositor) blankView() {
	draw.Draw(c.view, c.view.Bounds(), image.NewUniform(colPageBlank), image.Point{}, draw.Src)
	c.baseDirty = true
}

func (c *compositor) setChrome(st chromeState) {
	if k := st.key(); k != c.chromeKey || c.chromeKey == "" {
		c.chromeKey = k
		drawChrome(c.chrome, c.l, c.f, st)
		c.baseDirty = true
	}
}

func (c *compositor) setCaption(step int, caption string) {
	c.caption = captionBand(c.l, c.f, step, caption)
	c.baseDirty = true
}

// setPage decodes a screencast JPEG into the page area. A frame of another
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
	if b.Dx() == c.view.Rect.Dx() && b.Dy() == c.view.Rect.Dy() {
		draw.Draw(c.view, c.view.Rect, img, b.Min, draw.Src) // fast YCbCr path
	} else {
		draw.Draw(c.view, c.view.Rect, image.NewUniform(colPageBlank), image.Point{}, draw.Src)
		h := b.Dy() * c.view.Rect.Dx() / max(1, b.Dx())
		xdraw.ApproxBiLinear.Scale(c.view, image.Rect(0, 0, c.view.Rect.Dx(), h), img, b, draw.Src, nil)
	}
	c.baseDirty = true
}

// pointer is the cursor and the last click, in output pixels.
type pointer struct {
	X, Y    float64
	Visible bool
	ClickX  float64
	ClickY  float64
	ClickAt time.Time // zero: no click yet
}

// frame returns the output frame at time t. The returned image is reused by
// the next call.
func (c *compositor) frame(p pointer, t time.Time) *image.RGBA {
	if c.baseDirty {
		copy(c.base.Pix[:len(c.chrome.Pix)], c.chrome.Pix) // same stride: W*4
		copy(c.base.Pix[len(c.chrome.Pix):], c.view.Pix)
		if c.caption != nil {
			r := c.caption.Rect.Add(image.Pt(0, c.l.H-c.caption.Rect.Dy()))
			draw.Draw(c.base, r, c.caption, image.Point{}, draw.Over)
		}
		c.baseDirty = false
		c.outValid = false
	}
	if !c.outValid {
		copy(c.out.Pix, c.base.Pix)
		c.outValid = true
	} else if !c.outDirty.Empty() {
		draw.Draw(c.out, c.outDirty, c.base, c.outDirty.Min, draw.Src)
	}
	var dirty image.Rectangle
	if !p.ClickAt.IsZero() {
		dirty = drawRipple(c.out, c.l, p.ClickX, p.ClickY, t.Sub(p.ClickAt))
	}
	if p.Visible {
		dirty = dirty.Union(drawCursor(c.out, c.l, p.X, p.Y))
	}
	c.outDirty = dirty
	return c.out
}
