package demo

import (
	"image"
	"image/color"
	"image/draw"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// The Go fonts are compiled in, so no system font is needed and every
// machine draws the same frames. They are parsed when first drawn with:
// every pinready command links this package, only record draws.
var (
	regularFont = mustParse(goregular.TTF)
	boldFont    = mustParse(gobold.TTF)
)

func mustParse(ttf []byte) func() *opentype.Font {
	return sync.OnceValue(func() *opentype.Font {
		f, err := opentype.Parse(ttf)
		if err != nil {
			panic("demo: parse a compiled-in Go font: " + err.Error())
		}
		return f
	})
}

// fonts caches faces by weight and size. A face is not safe for concurrent
// use, so each goroutine that draws text owns its own fonts.
type fonts struct{ faces map[faceKey]font.Face }

type faceKey struct {
	bold bool
	mono bool // Go Mono (the terminal) rather than Go
	px   int
}

func newFonts() *fonts { return &fonts{faces: map[faceKey]font.Face{}} }

// face is a Go face of px pixels, made once and cached.
func (f *fonts) face(bold bool, px int) font.Face {
	return f.get(faceKey{bold: bold, px: px})
}

// get returns the face k names, made the first time it is asked for.
func (f *fonts) get(k faceKey) font.Face {
	if face, ok := f.faces[k]; ok {
		return face
	}
	var src *opentype.Font
	switch {
	case k.mono && k.bold:
		src = monoBoldFont()
	case k.mono:
		src = monoFont()
	case k.bold:
		src = boldFont()
	default:
		src = regularFont()
	}
	// Full hinting snaps stems to pixels: crisp text after H.264 and OCR.
	face, err := opentype.NewFace(src, &opentype.FaceOptions{Size: float64(k.px), DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		panic("demo: make a font face: " + err.Error())
	}
	f.faces[k] = face
	return face
}

func textWidth(face font.Face, s string) int {
	return font.MeasureString(face, s).Ceil()
}

// drawText draws s with its baseline at y and returns the x after it.
func drawText(dst draw.Image, face font.Face, x, y int, s string, c color.Color) int {
	d := font.Drawer{Dst: dst, Src: image.NewUniform(c), Face: face, Dot: fixed.P(x, y)}
	d.DrawString(s)
	return d.Dot.X.Ceil()
}

// baselineFor centres a line of face vertically in a box from top to top+h.
func baselineFor(face font.Face, top, h int) int {
	m := face.Metrics()
	asc, desc := m.Ascent.Ceil(), m.Descent.Ceil()
	return top + (h-(asc+desc))/2 + asc
}

const ellipsis = "…"

// truncateRight shortens s to fit maxW pixels, ending it with an ellipsis.
func truncateRight(face font.Face, s string, maxW int) string {
	if textWidth(face, s) <= maxW {
		return s
	}
	r := []rune(s)
	// Binary search the longest prefix that fits with the ellipsis.
	lo, hi := 0, len(r)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if textWidth(face, string(r[:mid])+ellipsis) <= maxW {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return string(r[:lo]) + ellipsis
}

// wrap breaks s into at most maxLines lines of maxW pixels; the last line is
// truncated with an ellipsis when the text does not fit.
func wrap(face font.Face, s string, maxW, maxLines int) []string {
	words := strings.Fields(s)
	var lines []string
	cur := ""
	for i, w := range words {
		try := w
		if cur != "" {
			try = cur + " " + w
		}
		if textWidth(face, try) <= maxW || cur == "" {
			cur = try
			continue
		}
		if len(lines) == maxLines-1 {
			rest := cur + " " + strings.Join(words[i:], " ")
			return append(lines, truncateRight(face, rest, maxW))
		}
		lines = append(lines, cur)
		cur = w
	}
	if cur != "" {
		lines = append(lines, truncateRight(face, cur, maxW))
	}
	return lines
}
