package mapgeo

import (
	"errors"
	"math"
	"slices"
)

// Point is one thing to place on the map.
type Point struct {
	ID       string
	Lon, Lat float64 // degrees
	Kind     string  // such as "org", "project", "call"
	Sector   string  // a taxonomy slug
}

// Marker is one symbol on the map: a single point, or a cluster of points
// too close to tell apart at this zoom.
type Marker struct {
	X, Y    float64 // centre, in map units
	Count   int
	Members []int  // indices into the input points, ascending
	Kind    string // shared by every member, else ""
	Sector  string // shared by every member, else ""
	BBox    BBox   // of the members; zooming into it splits the cluster
}

// IsCoincident reports whether all the marker's points are at one place,
// so that zooming in cannot split it: the caller lists them instead.
func (m Marker) IsCoincident() bool {
	return m.BBox.West == m.BBox.East && m.BBox.South == m.BBox.North
}

// Layout says which part of the map is drawn and how large.
type Layout struct {
	View    Box     // the map box shown (the SVG's viewBox)
	WidthPx float64 // the width the SVG is drawn at, in CSS pixels
	// MinPx is the marker diameter in CSS pixels. Anything below 24, the
	// target size of WCAG 2.2 SC 2.5.8, counts as 24.
	MinPx float64
}

// gapPx is the space kept between two markers.
const gapPx = 2

// Spacing is the least distance, in map units, between two marker centres:
// markers up to MinPx across never overlap.
func (l Layout) Spacing() float64 {
	return (max(l.MinPx, 24) + gapPx) * l.View.W() / l.WidthPx
}

// Clusters is the result of Cluster.
type Clusters struct {
	Markers []Marker // sorted top to bottom, then left to right
	Outside int      // valid points outside the view
	Invalid int      // points with impossible coordinates
}

// ErrLayout is returned for a layout with no size, or an absurd one.
var ErrLayout = errors.New("mapgeo: layout needs a finite, non-empty view and a width of 1 to 100,000 px")

const maxWidthPx = 100_000

// Cluster groups the points inside l.View into markers at least
// l.Spacing() apart, each point in exactly one marker. Points first share
// a grid cell of that size, then markers closer than the spacing merge,
// largest first, until none are. The result depends only on the arguments,
// not on map iteration order. Cost is linear in the points plus a few
// passes over the markers, which are bounded by the number of cells.
func Cluster(p Projection, pts []Point, l Layout) (Clusters, error) {
	if l.View.IsEmpty() || !finite(l.View.MinX, l.View.MinY, l.View.MaxX, l.View.MaxY) ||
		!(l.WidthPx >= 1 && l.WidthPx <= maxWidthPx) {
		return Clusters{}, ErrLayout
	}
	s := l.Spacing()
	inset := min(s/2, l.View.W()/2, l.View.H()/2)
	var res Clusters
	cells := map[[2]int]int{}
	var cs []*cluster
	for i, pt := range pts {
		if !validLonLat(pt.Lon, pt.Lat) {
			res.Invalid++
			continue
		}
		x, y := p.Forward(pt.Lon, pt.Lat)
		if !l.View.Contains(x, y) {
			res.Outside++
			continue
		}
		key := [2]int{int((x - l.View.MinX) / s), int((y - l.View.MinY) / s)}
		ci, ok := cells[key]
		if !ok {
			ci = len(cs)
			cells[key] = ci
			cs = append(cs, &cluster{first: i})
		}
		c := cs[ci]
		c.sx, c.sy = c.sx+x, c.sy+y
		c.members = append(c.members, i)
	}
	for _, c := range cs {
		c.place(l.View, inset)
	}
	cs = mergeClose(cs, s, l.View, inset)
	res.Markers = make([]Marker, len(cs))
	for i, c := range cs {
		res.Markers[i] = c.marker(pts)
	}
	slices.SortFunc(res.Markers, func(a, b Marker) int {
		if a.Y != b.Y {
			return cmpFloat(a.Y, b.Y)
		}
		if a.X != b.X {
			return cmpFloat(a.X, b.X)
		}
		return a.Members[0] - b.Members[0]
	})
	return res, nil
}

type cluster struct {
	sx, sy  float64 // sums of the members' positions
	x, y    float64 // centre, kept inside the view
	members []int
	first   int // least member, for a stable order
	dead    bool
}

func (c *cluster) place(view Box, inset float64) {
	n := float64(len(c.members))
	c.x = min(max(c.sx/n, view.MinX+inset), view.MaxX-inset)
	c.y = min(max(c.sy/n, view.MinY+inset), view.MaxY-inset)
}

// mergeClose merges clusters closer than s until none are. Each pass that
// merges removes a cluster, so the loop ends.
func mergeClose(cs []*cluster, s float64, view Box, inset float64) []*cluster {
	for {
		slices.SortFunc(cs, func(a, b *cluster) int {
			switch {
			case len(a.members) != len(b.members):
				return len(b.members) - len(a.members)
			case a.y != b.y:
				return cmpFloat(a.y, b.y)
			case a.x != b.x:
				return cmpFloat(a.x, b.x)
			}
			return a.first - b.first
		})
		grid := map[[2]int][]int{}
		cell := func(c *cluster) [2]int {
			return [2]int{int(math.Floor(c.x / s)), int(math.Floor(c.y / s))}
		}
		for i, c := range cs {
			k := cell(c)
			grid[k] = append(grid[k], i)
		}
		merged := false
		for i, c := range cs {
			if c.dead {
				continue
			}
			k := cell(c)
			grown := false
			for dx := -1; dx <= 1; dx++ {
				for dy := -1; dy <= 1; dy++ {
					for _, j := range grid[[2]int{k[0] + dx, k[1] + dy}] {
						o := cs[j]
						if j == i || o.dead || math.Hypot(o.x-c.x, o.y-c.y) >= s {
							continue
						}
						c.sx, c.sy = c.sx+o.sx, c.sy+o.sy
						c.members = append(c.members, o.members...)
						c.first = min(c.first, o.first)
						o.dead, grown = true, true
					}
				}
			}
			if grown {
				c.place(view, inset)
				merged = true
			}
		}
		if !merged {
			return cs
		}
		cs = slices.DeleteFunc(cs, func(c *cluster) bool { return c.dead })
	}
}

func (c *cluster) marker(pts []Point) Marker {
	slices.Sort(c.members)
	first := pts[c.members[0]]
	m := Marker{X: c.x, Y: c.y, Count: len(c.members), Members: c.members, Kind: first.Kind, Sector: first.Sector,
		BBox: BBox{West: first.Lon, East: first.Lon, South: first.Lat, North: first.Lat}}
	for _, i := range c.members[1:] {
		p := pts[i]
		if p.Kind != m.Kind {
			m.Kind = ""
		}
		if p.Sector != m.Sector {
			m.Sector = ""
		}
		m.BBox.West, m.BBox.East = min(m.BBox.West, p.Lon), max(m.BBox.East, p.Lon)
		m.BBox.South, m.BBox.North = min(m.BBox.South, p.Lat), max(m.BBox.North, p.Lat)
	}
	return m
}

func validLonLat(lon, lat float64) bool {
	return lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90 // false for NaN
}

func finite(fs ...float64) bool {
	for _, f := range fs {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return false
		}
	}
	return true
}

func cmpFloat(a, b float64) int {
	if a < b {
		return -1
	}
	return 1
}
