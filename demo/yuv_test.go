package demo

import (
	"bytes"
	"image"
	"image/color"
	"os/exec"
	"testing"

	"github.com/pinready/pinready/internal/testenv"
)

// testFrame is a UI-like frame: flat areas, gradients, and sharp text-like
// edges in saturated colours.
func testFrame(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8((x ^ y) & 0xff), 255}
			if (x/7+y/5)%9 == 0 {
				c = color.RGBA{230, 0, 35, 255} // Pinterest red
			}
			if y < h/8 {
				c = color.RGBA{241, 243, 244, 255} // flat chrome
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// The Go conversion agrees with ffmpeg's own rgba→yuv420p: luma to within
// rounding; chroma on average (we average each 2×2 block, swscale filters
// differently, so single pixels at sharp colour edges differ).
func TestYUVMatchesFFmpeg(t *testing.T) {
	ffmpeg := testenv.SlowProgram(t, "ffmpeg")
	const w, h = 320, 180
	img := testFrame(w, h)
	var ours bytes.Buffer
	if err := newYUVWriter(&ours, w, h).writeFrame(img, img.Rect); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(ffmpeg, "-hide_banner", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgba",
		"-s", "320x180", "-i", "pipe:0", "-f", "rawvideo", "-pix_fmt", "yuv420p", "pipe:1")
	cmd.Stdin = bytes.NewReader(img.Pix)
	theirs, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if len(theirs) != ours.Len() {
		t.Fatalf("ffmpeg wrote %d bytes, we %d", len(theirs), ours.Len())
	}
	o := ours.Bytes()
	worstY := 0
	for i := 0; i < w*h; i++ {
		worstY = max(worstY, abs(int(theirs[i])-int(o[i])))
	}
	sumC := 0
	for i := w * h; i < len(o); i++ {
		sumC += abs(int(theirs[i]) - int(o[i]))
	}
	meanC := float64(sumC) / float64(len(o)-w*h)
	if worstY > 1 || meanC > 1.5 {
		t.Fatalf("differs from ffmpeg's conversion: luma by up to %d (want ≤ 1), chroma by %.2f on average (want ≤ 1.5)", worstY, meanC)
	}
}

// Converting only the damaged rectangle gives exactly the full conversion,
// odd edges included (chroma covers 2×2 blocks).
func TestYUVIncrementalEqualsFull(t *testing.T) {
	const w, h = 64, 48
	a := testFrame(w, h)
	b := image.NewRGBA(a.Rect)
	copy(b.Pix, a.Pix)
	for y := 9; y < 20; y++ { // an odd-placed change, like a cursor
		for x := 13; x < 30; x++ {
			b.SetRGBA(x, y, color.RGBA{0, 0, 0, 255})
		}
	}
	b.SetRGBA(w-1, h-1, color.RGBA{255, 255, 255, 255}) // the last pixel too
	var inc bytes.Buffer
	yw := newYUVWriter(&inc, w, h)
	yw.writeFrame(a, image.Rectangle{}) // the first frame is converted whole whatever the damage
	inc.Reset()
	yw.writeFrame(b, image.Rect(13, 9, 30, 20).Union(image.Rect(w-1, h-1, w, h)))
	var full bytes.Buffer
	newYUVWriter(&full, w, h).writeFrame(b, b.Rect)
	if !bytes.Equal(inc.Bytes(), full.Bytes()) {
		t.Fatal("the incremental conversion differs from converting the frame whole")
	}
	inc.Reset()
	yw.writeFrame(b, image.Rectangle{}) // unchanged frame
	if !bytes.Equal(inc.Bytes(), full.Bytes()) {
		t.Fatal("an unchanged frame did not repeat the same planes")
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// BenchmarkYUVCursorMove is the common case: a 1080p frame where only the
// cursor moved.
func BenchmarkYUVCursorMove(b *testing.B) {
	const w, h = 1920, 1080
	img := testFrame(w, h)
	yw := newYUVWriter(discard{}, w, h)
	yw.writeFrame(img, img.Rect)
	b.SetBytes(int64(len(img.Pix)))
	for i := 0; b.Loop(); i++ {
		x := 400 + i%600
		for y := 500; y < 530; y++ {
			img.SetRGBA(x, y, color.RGBA{uint8(i), 0, 0, 255})
		}
		yw.writeFrame(img, image.Rect(x, 500, x+1, 530))
	}
}

func BenchmarkYUVFullFrame(b *testing.B) {
	const w, h = 1920, 1080
	img := testFrame(w, h)
	b.SetBytes(int64(len(img.Pix)))
	for b.Loop() {
		newYUVWriter(discard{}, w, h).writeFrame(img, img.Rect)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
