package demo

import (
	"image"
	"io"
)

// yuvWriter turns each RGBA frame into yuv420p (BT.601, limited range: what
// ffmpeg assumes for raw yuv420p input) before it reaches ffmpeg. Only the
// rectangle the compositor says changed is converted again: between two
// ticks of a demo usually only the cursor moved, so almost all of a 1080p
// frame's planes are reused as they are. ffmpeg then reads 3.1 MB a frame
// instead of 8.3 MB and skips its own colour conversion, which was most of
// its work on a static UI (bench/README.md). No copy of the previous frame is
// kept: the damage rectangle replaces comparing against one.
type yuvWriter struct {
	w      io.Writer
	wid    int    // pixels, even
	hei    int    // pixels, even
	yuv    []byte // Y plane, then U, then V
	primed bool   // the planes hold a whole frame
}

func newYUVWriter(w io.Writer, width, height int) *yuvWriter {
	return &yuvWriter{w: w, wid: width, hei: height, yuv: make([]byte, width*height*3/2)}
}

// writeFrame converts the damaged part of img (the whole of it the first
// time) and writes the planes.
func (y *yuvWriter) writeFrame(img *image.RGBA, damage image.Rectangle) error {
	if img.Rect != image.Rect(0, 0, y.wid, y.hei) || img.Stride != y.wid*4 {
		return io.ErrShortWrite
	}
	if !y.primed {
		damage = img.Rect
		y.primed = true
	}
	// Chroma covers 2×2 blocks: widen to even edges.
	d := image.Rect(damage.Min.X&^1, damage.Min.Y&^1, (damage.Max.X+1)&^1, (damage.Max.Y+1)&^1).Intersect(img.Rect)
	if !d.Empty() {
		y.convert(img.Pix, d.Min.Y, d.Max.Y, d.Min.X, d.Max.X)
	}
	_, err := y.w.Write(y.yuv)
	return err
}

// convert computes rows [r0, r1) and columns [x0, x1) (all even) of the
// planes from pix. Chroma is taken from the average of each 2×2 block.
func (y *yuvWriter) convert(pix []byte, r0, r1, x0, x1 int) {
	w := y.wid
	stride := w * 4
	yp := y.yuv[:w*y.hei]
	up := y.yuv[w*y.hei : w*y.hei+w*y.hei/4]
	vp := y.yuv[w*y.hei+w*y.hei/4:]
	for row := r0; row < r1; row += 2 {
		top := pix[row*stride:]
		bot := pix[(row+1)*stride:]
		for x := x0; x < x1; x += 2 {
			i := x * 4
			r00, g00, b00 := int(top[i]), int(top[i+1]), int(top[i+2])
			r01, g01, b01 := int(top[i+4]), int(top[i+5]), int(top[i+6])
			r10, g10, b10 := int(bot[i]), int(bot[i+1]), int(bot[i+2])
			r11, g11, b11 := int(bot[i+4]), int(bot[i+5]), int(bot[i+6])
			yp[row*w+x] = luma(r00, g00, b00)
			yp[row*w+x+1] = luma(r01, g01, b01)
			yp[(row+1)*w+x] = luma(r10, g10, b10)
			yp[(row+1)*w+x+1] = luma(r11, g11, b11)
			r := (r00 + r01 + r10 + r11 + 2) >> 2
			g := (g00 + g01 + g10 + g11 + 2) >> 2
			b := (b00 + b01 + b10 + b11 + 2) >> 2
			c := (row/2)*(w/2) + x/2
			up[c] = byte(((-38*r - 74*g + 112*b + 128) >> 8) + 128)
			vp[c] = byte(((112*r - 94*g - 18*b + 128) >> 8) + 128)
		}
	}
}

func luma(r, g, b int) byte { return byte(((66*r + 129*g + 25*b + 128) >> 8) + 16) }
