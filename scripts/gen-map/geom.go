package main

import (
	"math"

	"codeberg.org/maillage/maillage/internal/mapgeo"
)

type pt = [2]float64

// simplify is Douglas-Peucker (Cartographica 10(2), 1973) keeping both
// ends, so that arcs shared by two countries stay shared and junctions stay
// put. A closed arc (an island) is measured from its first point.
func simplify(p []pt, tol float64) []pt {
	if len(p) < 3 {
		return p
	}
	keep := make([]bool, len(p))
	keep[0], keep[len(p)-1] = true, true
	type span struct{ i, j int }
	stack := []span{{0, len(p) - 1}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		best, at := -1.0, -1
		for k := s.i + 1; k < s.j; k++ {
			if d := segDist(p[k], p[s.i], p[s.j]); d > best {
				best, at = d, k
			}
		}
		if at >= 0 && best > tol {
			keep[at] = true
			stack = append(stack, span{s.i, at}, span{at, s.j})
		}
	}
	var out []pt
	for i, k := range keep {
		if k {
			out = append(out, p[i])
		}
	}
	return out
}

func segDist(p, a, b pt) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return math.Hypot(p[0]-a[0], p[1]-a[1])
	}
	t := max(0, min(1, ((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l2))
	return math.Hypot(p[0]-a[0]-t*dx, p[1]-a[1]-t*dy)
}

// clipRing is Sutherland-Hodgman (CACM 17(1), 1974) against box. A concave
// ring may come out with edges running along the box, which lie outside
// the map's view and do not show.
func clipRing(r []pt, b mapgeo.Box) []pt {
	edges := []struct {
		in  func(pt) bool
		cut func(a, c pt) pt
	}{
		{func(p pt) bool { return p[0] >= b.MinX }, func(a, c pt) pt { return atX(a, c, b.MinX) }},
		{func(p pt) bool { return p[0] <= b.MaxX }, func(a, c pt) pt { return atX(a, c, b.MaxX) }},
		{func(p pt) bool { return p[1] >= b.MinY }, func(a, c pt) pt { return atY(a, c, b.MinY) }},
		{func(p pt) bool { return p[1] <= b.MaxY }, func(a, c pt) pt { return atY(a, c, b.MaxY) }},
	}
	out := r
	for _, e := range edges {
		in := out
		out = nil
		for i, cur := range in {
			prev := in[(i+len(in)-1)%len(in)]
			switch {
			case e.in(cur) && !e.in(prev):
				out = append(out, e.cut(prev, cur), cur)
			case e.in(cur):
				out = append(out, cur)
			case e.in(prev):
				out = append(out, e.cut(prev, cur))
			}
		}
		if len(out) == 0 {
			return nil
		}
	}
	return out
}

func atX(a, c pt, x float64) pt {
	return pt{x, a[1] + (c[1]-a[1])*(x-a[0])/(c[0]-a[0])}
}

func atY(a, c pt, y float64) pt {
	return pt{a[0] + (c[0]-a[0])*(y-a[1])/(c[1]-a[1]), y}
}

// clipLine cuts a polyline to box (Liang-Barsky per segment) and returns
// the runs inside it.
func clipLine(l []pt, b mapgeo.Box) [][]pt {
	var runs [][]pt
	var cur []pt
	for i := 1; i < len(l); i++ {
		a, c, ok := clipSeg(l[i-1], l[i], b)
		if !ok {
			if len(cur) > 1 {
				runs = append(runs, cur)
			}
			cur = nil
			continue
		}
		if len(cur) == 0 || cur[len(cur)-1] != a {
			if len(cur) > 1 {
				runs = append(runs, cur)
			}
			cur = []pt{a}
		}
		cur = append(cur, c)
	}
	if len(cur) > 1 {
		runs = append(runs, cur)
	}
	return runs
}

func clipSeg(a, c pt, b mapgeo.Box) (pt, pt, bool) {
	t0, t1 := 0.0, 1.0
	dx, dy := c[0]-a[0], c[1]-a[1]
	for _, e := range [4][2]float64{{-dx, a[0] - b.MinX}, {dx, b.MaxX - a[0]}, {-dy, a[1] - b.MinY}, {dy, b.MaxY - a[1]}} {
		p, q := e[0], e[1]
		if p == 0 {
			if q < 0 {
				return a, c, false
			}
			continue
		}
		t := q / p
		if p < 0 {
			t0 = max(t0, t)
		} else {
			t1 = min(t1, t)
		}
	}
	if t0 > t1 {
		return a, c, false
	}
	return pt{a[0] + t0*dx, a[1] + t0*dy}, pt{a[0] + t1*dx, a[1] + t1*dy}, true
}

// area is the signed shoelace area of a ring.
func area(r []pt) float64 {
	s := 0.0
	for i := range r {
		j := (i + 1) % len(r)
		s += r[i][0]*r[j][1] - r[j][0]*r[i][1]
	}
	return s / 2
}

// round snaps points to whole kilometres and drops repeats.
func round(r []pt) []pt {
	var out []pt
	for _, p := range r {
		q := pt{math.Round(p[0]), math.Round(p[1])}
		if len(out) == 0 || out[len(out)-1] != q {
			out = append(out, q)
		}
	}
	return out
}
