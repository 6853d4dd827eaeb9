package demo

import (
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"io"
	"sync"

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
// step ends, so the full frame need not be kept. A box filter first takes
// whole blocks of pixels to near the size (every pixel counts, so thin text
// stays grey rather than vanishing), then a bilinear pass fits it exactly;
// neither needs a frame-sized buffer of floats, as a kernel scaler would.
func thumbnail(l layout, img *image.RGBA) *image.RGBA {
	g := storyboardGeom(l, 1)
	t := image.NewRGBA(image.Rect(0, 0, g.ThumbW, g.ThumbH))
	k := max(1, min(img.Rect.Dx()/g.ThumbW, img.Rect.Dy()/max(1, g.ThumbH)))
	small := boxShrink(img, k)
	xdraw.ApproxBiLinear.Scale(t, t.Rect, small, small.Rect, draw.Src, nil)
	return t
}

// boxShrink averages each k×k block of src into one pixel.
func boxShrink(src *image.RGBA, k int) *image.RGBA {
	if k <= 1 {
		return src
	}
	w, h := src.Rect.Dx()/k, src.Rect.Dy()/k
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	n := uint32(k * k)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var r, g, b, a uint32
			for dy := 0; dy < k; dy++ {
				row := src.Pix[src.PixOffset(src.Rect.Min.X+x*k, src.Rect.Min.Y+y*k+dy):]
				for dx := 0; dx < k*4; dx += 4 {
					r += uint32(row[dx])
					g += uint32(row[dx+1])
					b += uint32(row[dx+2])
					a += uint32(row[dx+3])
				}
			}
			i := dst.PixOffset(x, y)
			dst.Pix[i], dst.Pix[i+1], dst.Pix[i+2], dst.Pix[i+3] = uint8((r+n/2)/n), uint8((g+n/2)/n), uint8((b+n/2)/n), uint8((a+n/2)/n)
		}
	}
	return dst
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

// pngBuffers lets every PNG the recorder writes reuse one encoder's
// buffers (its zlib state alone is about a megabyte).
var pngBuffers = &pngPool{}

type pngPool struct {
	mu   sync.Mutex
	free []*png.EncoderBuffer
}

func (p *pngPool) Get() *png.EncoderBuffer {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.free); n > 0 {
		b := p.free[n-1]
		p.free = p.free[:n-1]
		return b
	}
	return nil
}

func (p *pngPool) Put(b *png.EncoderBuffer) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.free) < 2 {
		p.free = append(p.free, b)
	}
}

// writePNG favours speed: step frames are 1080p and written while recording.
// A link planted at path is replaced, never followed (outfile).
func writePNG(path string, img image.Image) error {
	enc := png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: pngBuffers}
	return outfile.Write(path, func(w io.Writer) error { return enc.Encode(w, img) })
}
