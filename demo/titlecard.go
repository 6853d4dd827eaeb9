package demo

import (
	"image"
	"image/color"
	"image/draw"

	"golang.org/x/image/font"
)

// titleCard is the opening frame: what the video is, for which app, when.
// Reviewers match the app id with the application they are reading.
func titleCard(l layout, f *fonts, o Options) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, l.W, l.H))
	draw.Draw(img, img.Bounds(), image.NewUniform(rgb(0xF8F9FA)), image.Point{}, draw.Src)
	fillRect(img, image.Rect(0, 0, l.W, l.px(8)), colPinterest)

	center := func(face font.Face, y int, s string, c color.Color) {
		s = truncateRight(face, s, l.W-2*l.px(40))
		drawText(img, face, (l.W-textWidth(face, s))/2, y, s, c)
	}
	name := o.AppName
	if name == "" {
		name = "Untitled app"
	}
	y := l.H/2 - l.px(60)
	center(f.face(true, l.px(22)), y-l.px(70), "PINTEREST OAUTH DEMO", colPinterest)
	center(f.face(true, l.px(56)), y, name, colText)
	if o.AppID != "" {
		center(f.face(false, l.px(26)), y+l.px(70), "App ID "+o.AppID, colTextDim)
	}
	center(f.face(false, l.px(22)), y+l.px(116), o.Date.Format("2 January 2006"), colTextDim)
	center(f.face(false, l.px(16)), l.H-l.px(40), "One continuous take of the OAuth flow, recorded with pinready", colTextFaint)
	return img
}
