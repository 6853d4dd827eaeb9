package demo

import (
	"context"
	"image"
	"image/draw"
	"io"
	"testing"
	"time"
)

// BenchmarkComposeEncode1080p measures what the stage does per output tick
// at 1080p: compose (cursor gliding over a cached page) and stream to ffmpeg
// (libx264 veryfast). Reported as frames/s.
func BenchmarkComposeEncode1080p(b *testing.B) {
	for _, format := range []string{"mp4", "webm", "none"} {
		b.Run(format, func(b *testing.B) {
			o := Options{Format: format}.withDefaults()
			if format == "none" {
				o.Format = "mp4"
			}
			l := newLayout(o)
			var sink frameSink = rgbaSink{io.Discard}
			var enc *encoder
			if format != "none" {
				var err error
				enc, err = startEncoder(BuildFFmpegCmd(context.Background(), "ffmpeg", o, b.TempDir()+"/x."+o.Format))
				if err != nil {
					b.Skip(err)
				}
				sink = newFrameSink(enc, o)
			}
			c := newCompositor(l)
			page := image.NewRGBA(image.Rect(0, 0, l.W, l.ContentH))
			draw.Draw(page, page.Rect, image.NewUniform(rgb(0xFFF7EC)), image.Point{}, draw.Src)
			drawText(page, c.f.face(true, 60), 100, 200, "Acme Pin Planner", colText)
			c.setPageImage(page)
			var m masker
			c.setChrome(chromeState{Titles: []string{"Acme"}, URL: m.displayURL("https://acme.example/")})
			c.setCaption(1, "Open Acme Pin Planner")
			t0 := time.Now()
			b.ResetTimer()
			for i := range b.N {
				x, y := l.toFrame(float64(100+i%600), float64(100+i%300))
				img := c.frame(pointer{X: x, Y: y, Visible: true}, t0.Add(time.Duration(i)*33*time.Millisecond))
				if err := sink.writeFrame(img, c.takeDamage()); err != nil {
					b.Fatal(err)
				}
			}
			if enc != nil {
				if err := enc.close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "frames/s")
		})
	}
}
