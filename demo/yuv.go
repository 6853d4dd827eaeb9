package demo

import (
	"bytes"
	"io"
)

// yuvWriter turns each RGBA frame into yuv420p (BT.601, limited range: what
// ffmpeg assumes for raw yuv420p input) before it reaches ffmpeg. Only the
// parts that changed since the previous frame are converted again: between
// two ticks of a demo usually only the cursor moved, so most of a 1080p frame
// is copied, not computed. ffmpeg then reads 3.1 MB a frame instead of 8.3 MB
// and skips its own colour conversion, which was most of its work on a
// static UI (bench/README.md).
type yuvWriter struct {
	w    io.Writer
	wid  int    // pixels, even
	hei  int    // pixels, even
	prev []byte // the last RGBA frame, to find what changed
	yuv  []byte // Y plane, then U, then V
}

func newYUVWriter(w io.Writer, width, height int) *yuvWriter {
	return &yuvWriter{w: w, wid: width, hei: height, yuv: make([]byte, width*height*3/2)}
}

// Write takes one whole RGBA frame (len = width*height*4).
func (y *yuvWriter) Write(pix []byte) (int, error) {
	if len(pix) != y.wid*y.hei*4 {
		return 0, io.ErrShortWrite
	}
	if y.prev == nil {
		y.prev = make([]byte, len(pix))
		y.convert(pix, 0, y.hei, 0, y.wid)
		copy(y.prev, pix)
	} else {
		stride := y.wid * 4
		for row := 0; row < y.hei; row += 2 {
			cur := pix[row*stride : (row+2)*stride]
			old := y.prev[row*stride : (row+2)*stride]
			if bytes.Equal(cur, old) {
				continue
			}
			x0, x1 := changedSpan(cur[:stride], old[:stride], cur[stride:], old[stride:])
			y.convert(pix, row, row+2, x0, x1)
			copy(old, cur)
		}
	}
	if _, err := y.w.Write(y.yuv); err != nil {
		return 0, err
	}
	return len(pix), nil
}

// changedSpan returns the even pixel range [x0, x1) outside of which two
// row pairs are equal.
func changedSpan(a0, b0, a1, b1 []byte) (int, int) {
	first, last := len(a0), 0
	for _, p := range [][2][]byte{{a0, b0}, {a1, b1}} {
		if i := firstDiff(p[0], p[1]); i < first {
			first = i
		}
		if i := lastDiff(p[0], p[1]); i > last {
			last = i
		}
	}
	x0 := first / 4 &^ 1
	x1 := min(len(a0)/4, (last/4+2)&^1)
	return x0, x1
}

// firstDiff is the index of the first differing byte (len(a) if none),
// comparing in blocks so equal stretches cost a memcmp.
func firstDiff(a, b []byte) int {
	const block = 256
	i := 0
	for i+block <= len(a) && bytes.Equal(a[i:i+block], b[i:i+block]) {
		i += block
	}
	for i < len(a) && a[i] == b[i] {
		i++
	}
	return i
}

// lastDiff is the index of the last differing byte (-1 if none).
func lastDiff(a, b []byte) int {
	const block = 256
	j := len(a)
	for j-block >= 0 && bytes.Equal(a[j-block:j], b[j-block:j]) {
		j -= block
	}
	for j > 0 && a[j-1] == b[j-1] {
		j--
	}
	return j - 1
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
