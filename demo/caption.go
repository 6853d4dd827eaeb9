package demo

import (
	"fmt"
	"image"
	"image/draw"
)

// captionBand renders the step's caption as a semi-opaque band for the bottom
// of the page area: large white text, with the step number in a red pill.
// It is drawn once per step and laid over the page with draw.Over.
func captionBand(l layout, f *fonts, step int, caption string) *image.RGBA {
	if caption == "" {
		return nil
	}
	face := f.face(true, l.px(24))
	pillFace := f.face(true, l.px(15))
	pad := l.px(28)
	pill := fmt.Sprintf("STEP %d", step)
	pillW := textWidth(pillFace, pill) + l.px(24)
	textX := pad + pillW + l.px(18)
	lines := wrap(face, caption, l.W-textX-pad, 2)
	lineH := l.px(34)
	h := len(lines)*lineH + 2*l.px(20)
	img := image.NewRGBA(image.Rect(0, 0, l.W, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(rgba(0x202124, 0.84)), image.Point{}, draw.Src)
	top := l.px(20)
	ph := l.px(28)
	py := top + (lineH-ph)/2
	newPath().roundRect(float64(pad), float64(py), float64(pad+pillW), float64(py+ph), float64(ph)/2, false).fill(img, colPinterest)
	drawText(img, pillFace, pad+l.px(12), baselineFor(pillFace, py, ph), pill, rgb(0xFFFFFF))
	for i, line := range lines {
		drawText(img, face, textX, baselineFor(face, top+i*lineH, lineH), line, rgb(0xFFFFFF))
	}
	return img
}
