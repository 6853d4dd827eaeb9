// Package ocrtest reads what pinready draws the way a reviewer sees it: the
// frames of a video (ffmpeg), the pixels of a PNG, and their text
// (tesseract). The recorder's tests (demo) and the record command's
// (internal/pipeline) share it; only tests import it.
//
// A missing tool skips the test on a developer's machine and fails it in CI
// (CI set): the video and OCR tests must run there.
package ocrtest

import (
	"image"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	xdraw "golang.org/x/image/draw"

	"github.com/pinready/pinready/internal/testenv"
)

// RequireTools skips under -short, and fails (in CI) or skips (elsewhere)
// when one of the executables is missing (internal/testenv's policy); it
// returns the path of the first.
func RequireTools(tb testing.TB, names ...string) string {
	tb.Helper()
	first := ""
	for _, name := range names {
		p := testenv.SlowProgram(tb, name)
		if first == "" {
			first = p
		}
	}
	return first
}

// File reads the text of an image file as tesseract sees it, in page
// segmentation mode psm ("3" a whole page, "6" one block, "7" one line).
func File(tb testing.TB, path, psm string) string {
	tb.Helper()
	out, err := exec.Command("tesseract", path, "stdout", "--psm", psm).Output()
	if err != nil {
		tb.Fatalf("tesseract %s: %v", path, err)
	}
	return string(out)
}

// Region reads the text in r of img, scaled 2x: tesseract reads the 15 px
// text of the browser chrome then.
func Region(tb testing.TB, img image.Image, r image.Rectangle, psm string) string {
	tb.Helper()
	big := image.NewRGBA(image.Rect(0, 0, r.Dx()*2, r.Dy()*2))
	xdraw.CatmullRom.Scale(big, big.Rect, img, r, draw.Src, nil)
	in := filepath.Join(tb.TempDir(), "ocr.png")
	WritePNG(tb, in, big)
	return File(tb, in, psm)
}

// Lines splits OCR output into its lines that are not blank.
func Lines(text string) []string {
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// Squash drops the spaces OCR puts around punctuation (and every other).
func Squash(s string) string { return strings.Join(strings.Fields(s), "") }

// Frames runs the video through the ffmpeg filter graph vf ("fps=2,crop=…")
// and returns the PNG files of the frames it puts out, in order.
func Frames(tb testing.TB, video, vf string) []string {
	tb.Helper()
	dir := tb.TempDir()
	cmd := exec.Command("ffmpeg", "-v", "error", "-i", video, "-vf", vf, "-y", filepath.Join(dir, "f-%04d.png"))
	if b, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("ffmpeg -vf %s: %v\n%s", vf, err, b)
	}
	pngs, err := filepath.Glob(filepath.Join(dir, "f-*.png"))
	if err != nil {
		tb.Fatal(err)
	}
	return pngs
}

// FrameAt decodes the video's frame at second sec.
func FrameAt(tb testing.TB, video string, sec float64) image.Image {
	tb.Helper()
	out := filepath.Join(tb.TempDir(), "f.png")
	cmd := exec.Command("ffmpeg", "-v", "error", "-ss", strconv.FormatFloat(sec, 'f', 3, 64), "-i", video, "-frames:v", "1", "-y", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("extract frame at %.2fs: %v\n%s", sec, err, b)
	}
	return DecodePNG(tb, out)
}

// DecodePNG reads a PNG file.
func DecodePNG(tb testing.TB, path string) image.Image {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return img
}

// PNGSize is a PNG file's width and height, read from its header.
func PNGSize(tb testing.TB, path string) (w, h int) {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	c, err := png.DecodeConfig(f)
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return c.Width, c.Height
}

// WritePNG writes img to path as a PNG.
func WritePNG(tb testing.TB, path string, img image.Image) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}
