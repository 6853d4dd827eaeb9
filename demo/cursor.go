package demo

import (
	"image"
	"math"
	"time"
)

// The arrow of a desktop pointer, tip at (0,0), in pixels at scale 1: a black
// outline around a white body, so it shows on light and dark pages alike.
var (
	arrowOuter = [][2]float64{{0, 0}, {0, 18.6}, {4.4, 14.5}, {7.4, 21.4}, {10.8, 19.9}, {7.9, 13.2}, {13.8, 13.2}}
	arrowInner = [][2]float64{{1.3, 3.1}, {1.3, 15.5}, {4.8, 12.2}, {8.0, 19.6}, {9.1, 19.1}, {5.9, 11.9}, {10.7, 11.9}}
)

// cursorScale makes the pointer a little larger than life: the video is
// watched scaled down.
const cursorScale = 1.35

// drawCursor draws the arrow with its tip at (x, y) and returns the area it
// touched.
func drawCursor(dst *image.RGBA, l layout, x, y float64) image.Rectangle {
	s := l.S * cursorScale
	shape := func(pts [][2]float64, dx, dy float64) *path {
		q := make([][2]float64, len(pts))
		for i, p := range pts {
			q[i] = [2]float64{x + dx + p[0]*s, y + dy + p[1]*s}
		}
		return newPath().poly(q...)
	}
	r := shape(arrowOuter, s*0.8, s*1.2).fill(dst, rgba(0x000000, 0.25)) // shadow
	r = r.Union(shape(arrowOuter, 0, 0).fill(dst, rgb(0x000000)))
	shape(arrowInner, 0, 0).fill(dst, rgb(0xFFFFFF))
	return r
}

// cursorBounds is the area drawCursor touches for a tip at (x, y).
func cursorBounds(l layout, x, y float64) image.Rectangle {
	s := l.S * cursorScale
	return bounds(x, y, x+(13.8+0.8)*s, y+(21.4+1.2)*s)
}

// rippleBounds is the area drawRipple touches at this age (empty when over).
func rippleBounds(l layout, x, y float64, age time.Duration) image.Rectangle {
	if age < 0 || age >= rippleLife {
		return image.Rectangle{}
	}
	r := l.f(6+22) + l.f(2.5)
	return bounds(x-r, y-r, x+r, y+r)
}

// rippleLife is how long a click's ripple shows.
const rippleLife = 500 * time.Millisecond

// drawRipple draws a click's ripple age after the click at (x, y): a ring
// that grows and fades. It returns the area touched (empty when over).
func drawRipple(dst *image.RGBA, l layout, x, y float64, age time.Duration) image.Rectangle {
	if age < 0 || age >= rippleLife {
		return image.Rectangle{}
	}
	p := float64(age) / float64(rippleLife)
	ease := 1 - math.Pow(1-p, 3)
	r := l.f(6 + 22*ease)
	fade := 1 - p
	box := newPath().circle(x, y, r, false).fill(dst, rgba(0xE60023, 0.22*fade))
	return box.Union(newPath().ring(x, y, r, l.f(2.5)).fill(dst, rgba(0xE60023, 0.85*fade)))
}
