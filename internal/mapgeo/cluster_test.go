package mapgeo

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"
)

func europeLayout() Layout { return Layout{View: Europe, WidthPx: 800, MinPx: 24} }

// checkMarkers asserts the contract of Cluster: each valid point inside
// the view is in exactly one marker, counts add up, no two markers overlap.
func checkMarkers(t *testing.T, pts []Point, l Layout, c Clusters) {
	t.Helper()
	seen := make([]int, len(pts))
	total := 0
	for _, m := range c.Markers {
		if m.Count != len(m.Members) {
			t.Errorf("marker count %d, members %d", m.Count, len(m.Members))
		}
		total += m.Count
		for _, i := range m.Members {
			seen[i]++
			if !m.BBox.Contains(pts[i].Lon, pts[i].Lat) {
				t.Errorf("point %d outside its marker's bbox %v", i, m.BBox)
			}
		}
		if !l.View.Contains(m.X, m.Y) {
			t.Errorf("marker at %v, %v outside the view", m.X, m.Y)
		}
	}
	for i, n := range seen {
		if n > 1 {
			t.Errorf("point %d in %d markers", i, n)
		}
	}
	if total+c.Outside+c.Invalid != len(pts) {
		t.Errorf("markers hold %d points, outside %d, invalid %d; want %d in all", total, c.Outside, c.Invalid, len(pts))
	}
	s := l.Spacing()
	for i := range c.Markers {
		for j := i + 1; j < len(c.Markers); j++ {
			a, b := c.Markers[i], c.Markers[j]
			if d := math.Hypot(a.X-b.X, a.Y-b.Y); d < s {
				t.Errorf("markers %d and %d are %.1f apart, want at least %.1f", i, j, d, s)
			}
		}
	}
}

func TestClusterCoincidentAndFar(t *testing.T) {
	p, l := NewProjection(), europeLayout()
	pts := []Point{
		{ID: "a", Lon: 4.85, Lat: 45.75, Kind: "org", Sector: "energy"},
		{ID: "b", Lon: 4.85, Lat: 45.75, Kind: "org", Sector: "energy"},
		{ID: "c", Lon: 4.86, Lat: 45.76, Kind: "call", Sector: "energy"},
		{ID: "d", Lon: 24.94, Lat: 60.17, Kind: "org", Sector: "food"},
		{ID: "e", Lon: -9.14, Lat: 38.72, Kind: "project", Sector: "housing"},
		{ID: "f", Lon: -9.14, Lat: 38.72, Kind: "project", Sector: "housing"},
		{ID: "nowhere", Lon: math.NaN(), Lat: 1},
		{ID: "canaries", Lon: -15.4, Lat: 28.1},
		{ID: "swapped", Lon: 45.75, Lat: 94.85},
	}
	c, err := Cluster(p, pts, l)
	if err != nil {
		t.Fatal(err)
	}
	checkMarkers(t, pts, l, c)
	if len(c.Markers) != 3 || c.Outside != 1 || c.Invalid != 2 {
		t.Fatalf("got %d markers, %d outside, %d invalid; want 3, 1, 2", len(c.Markers), c.Outside, c.Invalid)
	}
	// Sorted top to bottom: Helsinki, Lyon, Lisbon.
	want := []struct {
		members      []int
		kind, sector string
		coincident   bool
	}{{[]int{3}, "org", "food", true}, {[]int{0, 1, 2}, "", "energy", false}, {[]int{4, 5}, "project", "housing", true}}
	for i, w := range want {
		m := c.Markers[i]
		if !reflect.DeepEqual(m.Members, w.members) || m.Kind != w.kind || m.Sector != w.sector || m.IsCoincident() != w.coincident {
			t.Errorf("marker %d = %+v, want %+v", i, m, w)
		}
	}

	// Zoomed into Lyon's cluster, the two places split, the coincident pair does not.
	zl := Layout{View: View(p, c.Markers[1].BBox.Pad(0.2, 0.02), 2), WidthPx: 800}
	z, err := Cluster(p, pts, zl)
	if err != nil {
		t.Fatal(err)
	}
	checkMarkers(t, pts, zl, z)
	if len(z.Markers) != 2 || z.Outside != 4 {
		t.Errorf("zoomed: %d markers, %d outside; want 2, 4", len(z.Markers), z.Outside)
	}
}

func randomPoints(n int, seed uint64) []Point {
	r := rand.New(rand.NewPCG(seed, 1))
	kinds := []string{"org", "project", "call"}
	pts := make([]Point, n)
	for i := range pts {
		// Half spread over Europe, half in a few towns, some coincident.
		lon, lat := -10+r.Float64()*40, 36+r.Float64()*30
		if i%2 == 1 {
			town := r.IntN(20)
			lon, lat = -5+float64(town)*1.5+r.NormFloat64()*0.05, 40+float64(town%7)*2+r.NormFloat64()*0.05
			if i%10 == 1 {
				lon, lat = -5+float64(town)*1.5, 40+float64(town%7)*2
			}
		}
		pts[i] = Point{ID: strconv.Itoa(i), Lon: lon, Lat: lat, Kind: kinds[i%3], Sector: "s" + strconv.Itoa(i%5)}
	}
	return pts
}

func TestClusterRandomIsDeterministic(t *testing.T) {
	p := NewProjection()
	pts := randomPoints(3000, 7)
	for _, l := range []Layout{europeLayout(), {View: View(p, BBox{0, 42, 10, 48}, 10), WidthPx: 390, MinPx: 30}} {
		a, err := Cluster(p, pts, l)
		if err != nil {
			t.Fatal(err)
		}
		checkMarkers(t, pts, l, a)
		// Another order keeps the contract; the same input gives the same output.
		rev := make([]Point, len(pts))
		for i, pt := range pts {
			rev[len(pts)-1-i] = pt
		}
		b, _ := Cluster(p, rev, l)
		checkMarkers(t, rev, l, b)
		again, _ := Cluster(p, pts, l)
		if !reflect.DeepEqual(a, again) {
			t.Error("two runs differ")
		}
	}
}

func TestClusterBadLayout(t *testing.T) {
	for _, l := range []Layout{{}, {View: Europe}, {View: Europe, WidthPx: math.NaN()}, {View: Europe, WidthPx: math.Inf(1)},
		{View: Europe, WidthPx: 1e300}, {View: Box{MinX: math.Inf(-1), MaxX: 1, MaxY: 1}, WidthPx: 800}} {
		if _, err := Cluster(NewProjection(), nil, l); err == nil {
			t.Errorf("Cluster with layout %+v succeeded", l)
		}
	}
}

func BenchmarkCluster15000(b *testing.B) {
	p := NewProjection()
	pts := randomPoints(15000, 42)
	for _, bc := range []struct {
		name string
		l    Layout
	}{{"europe", europeLayout()}, {"zoomed", Layout{View: View(p, BBox{0, 42, 10, 48}, 10), WidthPx: 800}}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var n int
			for b.Loop() {
				c, _ := Cluster(p, pts, bc.l)
				n = len(c.Markers)
			}
			b.ReportMetric(float64(n), "markers")
		})
	}
}
