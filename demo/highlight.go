package demo

import (
	"image"
	"math"
)

// colHighlight outlines the control the cursor is about to act on, in
// Pinterest's red, so a reviewer sees what is clicked before it is.
var colHighlight = rgb(0xE60023)

// highlightBox maps a control's box (CSS px of the viewport) to output
// pixels, with a little air around it.
func highlightBox(l layout, x, y, w, h float64) image.Rectangle {
	if w <= 0 || h <= 0 {
		return image.Rectangle{}
	}
	pad := 8.0 // clear of the control's text, which must stay readable
	x0, y0 := l.toFrame(x-pad, y-pad)
	x1, y1 := l.toFrame(x+w+pad, y+h+pad)
	r := image.Rect(int(math.Floor(x0)), int(math.Floor(y0)), int(math.Ceil(x1)), int(math.Ceil(y1)))
	// Only the page area: a control scrolled half out of view is outlined
	// where it shows.
	return r.Intersect(image.Rect(0, l.ContentY, l.W, l.H))
}

// drawHighlight draws a rounded outline along r's inside edge, with a soft
// wash inside so the control stands out without being hidden.
func drawHighlight(dst *image.RGBA, l layout, r image.Rectangle) {
	if r.Dx() < 4 || r.Dy() < 4 {
		return
	}
	x0, y0, x1, y1 := float64(r.Min.X), float64(r.Min.Y), float64(r.Max.X), float64(r.Max.Y)
	w := l.f(2.5)
	rad := math.Min(l.f(10), math.Min(x1-x0, y1-y0)/2)
	newPath().roundRect(x0, y0, x1, y1, rad, false).fill(dst, rgba(0xE60023, 0.04))
	p := newPath().roundRect(x0, y0, x1, y1, rad, false)
	p.roundRectReverse(x0+w, y0+w, x1-w, y1-w, math.Max(0, rad-w))
	p.fill(dst, colHighlight)
}
