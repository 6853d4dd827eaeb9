package demo

import (
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"io"

	xdraw "golang.org/x/image/draw"

	"github.com/pinready/pinready/internal/outfile"
)

// The storyboard is a contact sheet of the steps, as wide as the video, for
// the access form and for a reviewer who will not play the video.
const storyCols = 3

type storyGeom struct {
	W, H           int
	Gap, HeaderH   int
	ThumbW, ThumbH int
	CaptionH       int
	Cols, Rows     int
}

func storyboardGeom(l layout, n int) storyGeom {
	g := storyGeom{W: l.W, Gap: l.px(16), HeaderH: l.px(64), Cols: storyCols, CaptionH: l.px(58)}
	g.ThumbW = (g.W - (g.Cols+1)*g.Gap) / g.Cols
	g.ThumbH = g.ThumbW * l.H / l.W
	g.Rows = max(1, (n+g.Cols-1)/g.Cols)
	g.H = g.HeaderH + g.Rows*(g.ThumbH+g.CaptionH+g.Gap) + g.Gap
	return g
}

// thumbnail scales a step's frame down for the storyboard, once, when the
// step ends, so the full frame need not be kept.
func thumbnail(l layout, img *image.RGBA) *image.RGBA {
	g := storyboardGeom(l, 1)
	t := image.NewRGBA(image.Rect(0, 0, g.ThumbW, g.ThumbH))
	xdraw.CatmullRom.Scale(t, t.Rect, img, img.Rect, draw.Src, nil)
	return t
}

type storyShot struct {
	caption string
	thumb   *image.RGBA
}

func writeStoryboard(path string, l layout, o Options, shots []storyShot) error {
	g := storyboardGeom(l, len(shots))
	f := newFonts()
	img := image.NewRGBA(image.Rect(0, 0, g.W, g.H))
	draw.Draw(img, img.Rect, image.NewUniform(rgb(0xF8F9FA)), image.Point{}, draw.Src)
	fillRect(img, image.Rect(0, 0, g.W, l.px(5)), colPinterest)

	title := f.face(true, l.px(22))
	meta := f.face(false, l.px(15))
	name := o.AppName
	if name == "" {
		name = "Untitled app"
	}
	base := baselineFor(title, l.px(5), g.HeaderH-l.px(5))
	x := drawText(img, title, g.Gap, base, name, colText)
	drawText(img, meta, x+l.px(14), base, "Pinterest OAuth demo · storyboard", colTextDim)
	right := o.Date.Format("2 January 2006")
	if o.AppID != "" {
		right = "App ID " + o.AppID + " · " + right
	}
	drawText(img, meta, g.W-g.Gap-textWidth(meta, right), base, right, colTextDim)

	capFace := f.face(false, l.px(15))
	numFace := f.face(true, l.px(13))
	for i, s := range shots {
		col, row := i%g.Cols, i/g.Cols
		x := g.Gap + col*(g.ThumbW+g.Gap)
		y := g.HeaderH + row*(g.ThumbH+g.CaptionH+g.Gap)
		border := image.Rect(x-1, y-1, x+g.ThumbW+1, y+g.ThumbH+1)
		fillRect(img, border, colSeparator)
		if s.thumb != nil {
			draw.Draw(img, image.Rect(x, y, x+g.ThumbW, y+g.ThumbH), s.thumb, image.Point{}, draw.Src)
		}
		// The step number in a red disc, then the caption on two lines.
		r := float64(l.px(11))
		cx, cy := float64(x)+r, float64(y+g.ThumbH+l.px(8))+r
		newPath().circle(cx, cy, r, false).fill(img, colPinterest)
		num := fmt.Sprint(i + 1)
		drawText(img, numFace, int(cx)-textWidth(numFace, num)/2, baselineFor(numFace, int(cy-r), int(2*r)), num, rgb(0xFFFFFF))
		tx := x + int(2*r) + l.px(8)
		lineH := l.px(22)
		for j, line := range wrap(capFace, s.caption, g.ThumbW-(tx-x), 2) {
			drawText(img, capFace, tx, baselineFor(capFace, int(cy-r)+j*lineH, int(2*r)), line, colText)
		}
	}
	return writePNG(path, img)
}

// writePNG favours speed: step frames are 1080p and written while recording.
// A link planted at path is replaced, never followed (outfile).
func writePNG(path string, img image.Image) error {
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	return outfile.Write(path, func(w io.Writer) error { return enc.Encode(w, img) })
}
