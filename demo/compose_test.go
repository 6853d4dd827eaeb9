package demo

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"testing"
	"time"
)

// The compositor's damage covers every pixel that changed: converting only
// the damaged part of each frame (what the recorder sends ffmpeg) gives
// exactly the planes of converting each frame whole, through cursor glides,
// clicks and their ripples, highlights, captions, new pages, a blank page,
// a frame of the wrong size and a chrome change.
func TestCompositorDamageCoversEveryChange(t *testing.T) {
	o := Options{Width: 640, Height: 360}.withDefaults()
	l := newLayout(o)
	c := newCompositor(l)
	var inc, full bytes.Buffer
	yw := newYUVWriter(&inc, l.W, l.H)
	page := func(col color.RGBA, w, h int) image.Image {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.Draw(img, img.Rect, image.NewUniform(col), image.Point{}, draw.Src)
		drawText(img, c.f.face(true, 30), 40, 80, "Acme Pin Planner", colText)
		return img
	}
	t0 := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	p := pointer{X: 100, Y: 100, Visible: true}
	var m masker
	steps := []func(i int){
		func(i int) {}, // nothing changes
		func(i int) { p.X, p.Y = float64(100+7*i), float64(90+3*i) },
		func(i int) { p.ClickX, p.ClickY, p.ClickAt = p.X, p.Y, t0.Add(time.Duration(i)*33*time.Millisecond) },
		func(i int) { c.setPageImage(page(color.RGBA{255, 247, 236, 255}, l.W, l.ContentH)) },
		func(i int) { c.setHighlight(highlightBox(l, 40, 30, 200, 40)) },
		func(i int) { c.setCaption(i, "Click Connect Pinterest") },
		func(i int) { c.setHighlight(image.Rectangle{}) },
		func(i int) { c.blankView() },
		func(i int) { c.setPageImage(page(color.RGBA{236, 255, 241, 255}, l.W/2, l.ContentH/3)) }, // wrong size: scaled
		func(i int) {
			c.setChrome(chromeState{Titles: []string{"Acme"}, URL: m.hopURL("http://acme.test/cb?code=ABCDEFGHIJKL&state=0123456789abcdef"), Chip: "redirect 302"})
		},
		func(i int) { p.Visible = i%2 == 0 },
		func(i int) { p.X, p.Y = float64(l.W-3), float64(l.H-2) }, // the cursor half off the frame
	}
	for i := range 80 {
		steps[i%len(steps)](i)
		if i%5 == 0 { // several changes between two written frames
			steps[(i*7+3)%len(steps)](i)
		}
		img := c.frame(p, t0.Add(time.Duration(i)*33*time.Millisecond))
		if i%3 == 2 {
			// A step picture rendered between two ticks: its damage
			// carries over to the next frame written.
			img = c.frame(p, t0.Add(time.Duration(i)*33*time.Millisecond+10*time.Millisecond))
		}
		inc.Reset()
		if err := yw.writeFrame(img, c.takeDamage()); err != nil {
			t.Fatal(err)
		}
		full.Reset()
		newYUVWriter(&full, l.W, l.H).writeFrame(img, img.Rect)
		if !bytes.Equal(inc.Bytes(), full.Bytes()) {
			t.Fatalf("frame %d: converting the damage differs from converting the whole frame", i)
		}
	}
}

// The cursor and the ripple leave nothing behind: after they move away, the
// frame equals one composed afresh.
func TestSaveUnderRestoresThePage(t *testing.T) {
	o := Options{Width: 640, Height: 360}.withDefaults()
	l := newLayout(o)
	c := newCompositor(l)
	t0 := time.Now()
	c.setCaption(1, "Open Acme Pin Planner")
	for i := range 20 {
		c.frame(pointer{X: float64(50 + 20*i), Y: float64(100 + 5*i), Visible: true, ClickX: 200, ClickY: 150, ClickAt: t0}, t0.Add(time.Duration(i)*40*time.Millisecond))
	}
	got := c.frame(pointer{}, t0.Add(time.Second))
	fresh := newCompositor(l)
	fresh.setCaption(1, "Open Acme Pin Planner")
	want := fresh.frame(pointer{}, t0.Add(time.Second))
	if !bytes.Equal(got.Pix, want.Pix) {
		t.Fatal("the cursor or the ripple left pixels behind")
	}
}
