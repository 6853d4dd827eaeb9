package demo

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"golang.org/x/image/vector"
)

// path is a closed outline in output pixels, filled with the vector
// rasterizer (anti-aliased) inside its own bounding box only.
type path struct {
	ops  []pathOp
	minX float64
	minY float64
	maxX float64
	maxY float64
}

type pathOp struct {
	kind byte // 'M', 'L', 'C', 'Z'
	pts  [3][2]float64
}

func newPath() *path {
	return &path{minX: math.Inf(1), minY: math.Inf(1), maxX: math.Inf(-1), maxY: math.Inf(-1)}
}

func (p *path) grow(x, y float64) {
	p.minX, p.minY = math.Min(p.minX, x), math.Min(p.minY, y)
	p.maxX, p.maxY = math.Max(p.maxX, x), math.Max(p.maxY, y)
}

func (p *path) moveTo(x, y float64) *path {
	p.grow(x, y)
	p.ops = append(p.ops, pathOp{kind: 'M', pts: [3][2]float64{{x, y}}})
	return p
}

func (p *path) lineTo(x, y float64) *path {
	p.grow(x, y)
	p.ops = append(p.ops, pathOp{kind: 'L', pts: [3][2]float64{{x, y}}})
	return p
}

func (p *path) cubeTo(x1, y1, x2, y2, x, y float64) *path {
	p.grow(x1, y1)
	p.grow(x2, y2)
	p.grow(x, y)
	p.ops = append(p.ops, pathOp{kind: 'C', pts: [3][2]float64{{x1, y1}, {x2, y2}, {x, y}}})
	return p
}

func (p *path) close() *path {
	p.ops = append(p.ops, pathOp{kind: 'Z'})
	return p
}

// poly adds a closed polygon.
func (p *path) poly(pts ...[2]float64) *path {
	for i, pt := range pts {
		if i == 0 {
			p.moveTo(pt[0], pt[1])
		} else {
			p.lineTo(pt[0], pt[1])
		}
	}
	return p.close()
}

// kappa places cubic control points for a quarter circle.
const kappa = 0.5522847498

// roundRect adds a rectangle with corners of radius r (top corners only when
// topOnly: a tab).
func (p *path) roundRect(x0, y0, x1, y1, r float64, topOnly bool) *path {
	k := r * kappa
	p.moveTo(x0+r, y0)
	p.lineTo(x1-r, y0)
	p.cubeTo(x1-r+k, y0, x1, y0+r-k, x1, y0+r)
	if topOnly {
		p.lineTo(x1, y1)
		p.lineTo(x0, y1)
	} else {
		p.lineTo(x1, y1-r)
		p.cubeTo(x1, y1-r+k, x1-r+k, y1, x1-r, y1)
		p.lineTo(x0+r, y1)
		p.cubeTo(x0+r-k, y1, x0, y1-r+k, x0, y1-r)
	}
	p.lineTo(x0, y0+r)
	p.cubeTo(x0, y0+r-k, x0+r-k, y0, x0+r, y0)
	return p.close()
}

// roundRectReverse adds the rounded rectangle of roundRect with the other
// winding, so inside a larger one it cuts an outline under the nonzero rule.
func (p *path) roundRectReverse(x0, y0, x1, y1, r float64) *path {
	q := newPath().roundRect(x0, y0, x1, y1, r, false)
	// One closed contour: M start, then segments; walk them backwards.
	type seg struct {
		op   pathOp
		from [2]float64
	}
	var segs []seg
	cur := q.ops[0].pts[0]
	for _, op := range q.ops[1:] {
		switch op.kind {
		case 'L':
			segs = append(segs, seg{op, cur})
			cur = op.pts[0]
		case 'C':
			segs = append(segs, seg{op, cur})
			cur = op.pts[2]
		}
	}
	p.moveTo(cur[0], cur[1])
	for i := len(segs) - 1; i >= 0; i-- {
		s := segs[i]
		if s.op.kind == 'L' {
			p.lineTo(s.from[0], s.from[1])
		} else {
			p.cubeTo(s.op.pts[1][0], s.op.pts[1][1], s.op.pts[0][0], s.op.pts[0][1], s.from[0], s.from[1])
		}
	}
	return p.close()
}

// circle adds a circle; counter-clockwise when ccw, so that a smaller circle
// inside a larger one with the other winding cuts a ring under the nonzero rule.
func (p *path) circle(cx, cy, r float64, ccw bool) *path {
	k := r * kappa
	if !ccw {
		p.moveTo(cx+r, cy)
		p.cubeTo(cx+r, cy+k, cx+k, cy+r, cx, cy+r)
		p.cubeTo(cx-k, cy+r, cx-r, cy+k, cx-r, cy)
		p.cubeTo(cx-r, cy-k, cx-k, cy-r, cx, cy-r)
		p.cubeTo(cx+k, cy-r, cx+r, cy-k, cx+r, cy)
	} else {
		p.moveTo(cx+r, cy)
		p.cubeTo(cx+r, cy-k, cx+k, cy-r, cx, cy-r)
		p.cubeTo(cx-k, cy-r, cx-r, cy-k, cx-r, cy)
		p.cubeTo(cx-r, cy+k, cx-k, cy+r, cx, cy+r)
		p.cubeTo(cx+k, cy+r, cx+r, cy+k, cx+r, cy)
	}
	return p.close()
}

// ring adds a circle outline of width w.
func (p *path) ring(cx, cy, r, w float64) *path {
	p.circle(cx, cy, r+w/2, false)
	return p.circle(cx, cy, r-w/2, true)
}

// line adds a straight stroke of width w from (x0,y0) to (x1,y1).
func (p *path) line(x0, y0, x1, y1, w float64) *path {
	dx, dy := x1-x0, y1-y0
	n := math.Hypot(dx, dy)
	if n == 0 {
		return p
	}
	nx, ny := -dy/n*w/2, dx/n*w/2
	return p.poly([2]float64{x0 + nx, y0 + ny}, [2]float64{x1 + nx, y1 + ny}, [2]float64{x1 - nx, y1 - ny}, [2]float64{x0 - nx, y0 - ny})
}

// fill paints the path's inside with c, clipped to dst.
func (p *path) fill(dst draw.Image, c color.Color) image.Rectangle {
	if len(p.ops) == 0 {
		return image.Rectangle{}
	}
	box := image.Rect(int(math.Floor(p.minX)), int(math.Floor(p.minY)), int(math.Ceil(p.maxX))+1, int(math.Ceil(p.maxY))+1)
	box = box.Intersect(dst.Bounds())
	if box.Empty() {
		return box
	}
	ox, oy := float64(box.Min.X), float64(box.Min.Y)
	z := vector.NewRasterizer(box.Dx(), box.Dy())
	for _, op := range p.ops {
		q := op.pts
		switch op.kind {
		case 'M':
			z.MoveTo(float32(q[0][0]-ox), float32(q[0][1]-oy))
		case 'L':
			z.LineTo(float32(q[0][0]-ox), float32(q[0][1]-oy))
		case 'C':
			z.CubeTo(float32(q[0][0]-ox), float32(q[0][1]-oy), float32(q[1][0]-ox), float32(q[1][1]-oy), float32(q[2][0]-ox), float32(q[2][1]-oy))
		case 'Z':
			z.ClosePath()
		}
	}
	z.Draw(dst, box, image.NewUniform(c), image.Point{})
	return box
}

// fillRect paints an axis-aligned rectangle (no anti-aliasing needed).
func fillRect(dst draw.Image, r image.Rectangle, c color.Color) {
	op := draw.Over
	if _, _, _, a := c.RGBA(); a == 0xffff {
		op = draw.Src // the fast fill
	}
	draw.Draw(dst, r, image.NewUniform(c), image.Point{}, op)
}

func rgb(hex uint32) color.RGBA {
	return color.RGBA{uint8(hex >> 16), uint8(hex >> 8), uint8(hex), 0xff}
}

// rgba is a premultiplied colour from a hex RGB and an opacity 0..1.
func rgba(hex uint32, a float64) color.RGBA {
	c := rgb(hex)
	m := func(v uint8) uint8 { return uint8(math.Round(float64(v) * a)) }
	return color.RGBA{m(c.R), m(c.G), m(c.B), uint8(math.Round(255 * a))}
}
