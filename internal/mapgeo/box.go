package mapgeo

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Box is a rectangle in map units (kilometres, y down), such as a viewBox.
type Box struct {
	MinX, MinY, MaxX, MaxY float64
}

// Europe is the extent of the base map: from Iceland and Portugal to the
// Don, from Crete and Cyprus to the North Cape. Svalbard, the Azores, Madeira
// and the Canary Islands are outside it.
var Europe = Box{MinX: 2450, MinY: -5550, MaxX: 6750, MaxY: -1300}

// W is the box's width.
func (b Box) W() float64 { return b.MaxX - b.MinX }

// H is the box's height.
func (b Box) H() float64 { return b.MaxY - b.MinY }

// Contains reports whether (x, y) is inside b, edges included.
func (b Box) Contains(x, y float64) bool {
	return x >= b.MinX && x <= b.MaxX && y >= b.MinY && y <= b.MaxY
}

// Intersects reports whether a and b overlap.
func (b Box) Intersects(o Box) bool {
	return b.MinX <= o.MaxX && o.MinX <= b.MaxX && b.MinY <= o.MaxY && o.MinY <= b.MaxY
}

// IsEmpty reports whether b has no area.
func (b Box) IsEmpty() bool { return !(b.MaxX > b.MinX && b.MaxY > b.MinY) }

// ViewBox formats b as an SVG viewBox attribute value.
func (b Box) ViewBox() string {
	return num(b.MinX) + " " + num(b.MinY) + " " + num(b.W()) + " " + num(b.H())
}

// num formats map units to the metre, enough for any zoom a page offers.
func num(f float64) string { return strconv.FormatFloat(math.Round(f*1000)/1000, 'f', -1, 64) }

// BBox is a geographic bounding box in degrees, as in GeoJSON (RFC 7946
// §5) and in the directory's bbox query parameter: west, south, east,
// north. It never crosses the antimeridian, which Europe does not need.
type BBox struct {
	West, South, East, North float64
}

// ErrBBox is wrapped by ParseBBox's errors.
var ErrBBox = errors.New("invalid bounding box")

// ParseBBox parses "west,south,east,north" in degrees.
func ParseBBox(s string) (BBox, error) {
	if len(s) > 100 {
		return BBox{}, fmt.Errorf("%w: too long", ErrBBox)
	}
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return BBox{}, fmt.Errorf("%w: want west,south,east,north", ErrBBox)
	}
	var v [4]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return BBox{}, fmt.Errorf("%w: %q is not a number", ErrBBox, p)
		}
		v[i] = f
	}
	b := BBox{West: v[0], South: v[1], East: v[2], North: v[3]}
	switch {
	case b.West < -180 || b.East > 180 || b.South < -90 || b.North > 90:
		return BBox{}, fmt.Errorf("%w: out of range", ErrBBox)
	case b.West >= b.East || b.South >= b.North:
		return BBox{}, fmt.Errorf("%w: west must be less than east and south less than north", ErrBBox)
	}
	return b, nil
}

// String formats b for a query parameter, to 4 decimals (about 10 m).
func (b BBox) String() string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	r := func(x float64) float64 { return math.Round(x*1e4) / 1e4 }
	return f(r(b.West)) + "," + f(r(b.South)) + "," + f(r(b.East)) + "," + f(r(b.North))
}

// Contains reports whether the point is inside b, edges included.
func (b BBox) Contains(lon, lat float64) bool {
	return lon >= b.West && lon <= b.East && lat >= b.South && lat <= b.North
}

// Pad returns b grown on each side by frac of its size, and at least to
// minSpan degrees wide and high, clamped to the globe: a cluster of points
// in one town still gets a view a few kilometres across.
func (b BBox) Pad(frac, minSpan float64) BBox {
	dx := max((b.East-b.West)*frac, (minSpan-(b.East-b.West))/2)
	dy := max((b.North-b.South)*frac, (minSpan-(b.North-b.South))/2)
	return BBox{
		West: max(b.West-dx, -180), East: min(b.East+dx, 180),
		South: max(b.South-dy, -90), North: min(b.North+dy, 90),
	}
}

// BoxOf returns the smallest map box holding the projection of b. Parallels
// and meridians are curves on the map, so it samples b's edges.
func (p Projection) BoxOf(b BBox) Box {
	out := Box{MinX: math.Inf(1), MinY: math.Inf(1), MaxX: math.Inf(-1), MaxY: math.Inf(-1)}
	add := func(lon, lat float64) {
		x, y := p.Forward(lon, lat)
		out.MinX, out.MaxX = min(out.MinX, x), max(out.MaxX, x)
		out.MinY, out.MaxY = min(out.MinY, y), max(out.MaxY, y)
	}
	const steps = 16
	for i := 0; i <= steps; i++ {
		t := float64(i) / steps
		lon := b.West + t*(b.East-b.West)
		lat := b.South + t*(b.North-b.South)
		add(lon, b.South)
		add(lon, b.North)
		add(b.West, lat)
		add(b.East, lat)
	}
	return out
}

// BBoxOf returns the geographic box holding the map box b, from its edges;
// ok is false if part of b is outside the projection.
func (p Projection) BBoxOf(b Box) (BBox, bool) {
	out := BBox{West: 180, South: 90, East: -180, North: -90}
	const steps = 16
	for i := 0; i <= steps; i++ {
		t := float64(i) / steps
		x := b.MinX + t*b.W()
		y := b.MinY + t*b.H()
		for _, pt := range [4][2]float64{{x, b.MinY}, {x, b.MaxY}, {b.MinX, y}, {b.MaxX, y}} {
			lon, lat, ok := p.Inverse(pt[0], pt[1])
			if !ok {
				return BBox{}, false
			}
			out.West, out.East = min(out.West, lon), max(out.East, lon)
			out.South, out.North = min(out.South, lat), max(out.North, lat)
		}
	}
	return out, true
}

// View returns the map box to show for b: its projection, grown to the
// aspect ratio of the whole map so the SVG keeps its shape, and never
// smaller than minW kilometres across.
func View(p Projection, b BBox, minW float64) Box {
	v := p.BoxOf(b)
	cx, cy := (v.MinX+v.MaxX)/2, (v.MinY+v.MaxY)/2
	aspect := Europe.H() / Europe.W()
	w := max(v.W(), v.H()/aspect, minW)
	h := w * aspect
	return Box{MinX: cx - w/2, MinY: cy - h/2, MaxX: cx + w/2, MaxY: cy + h/2}
}
