package directory

import (
	"math"
	"testing"
)

func TestDistanceKm(t *testing.T) {
	tests := []struct {
		name string
		a, b Point
		want float64 // km, ±1
	}{
		{"Paris-Lyon", paris, lyon, 392},
		{"Paris-Berlin", paris, berlin, 878},
		{"same point", lyon, lyon, 0},
		{"antimeridian", Point{0, 179.5}, Point{0, -179.5}, 111},
		{"antipodes", Point{0, 0}, Point{0, 180}, 20015},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DistanceKm(tt.a, tt.b); math.Abs(got-tt.want) > 1 {
				t.Errorf("got %.1f km, want %.0f", got, tt.want)
			}
		})
	}
}

func TestQueryDistanceFilled(t *testing.T) {
	ix := newFixture(t)
	res := ix.Query(Query{Near: &paris, Sort: SortDistance}, testNow)
	want := map[string]float64{"A": 0, "F": 264, "B": 392, "C": 661, "D": 878, "G": 878}
	for _, e := range res.Entries {
		w, ok := want[e.ID]
		switch {
		case !ok && e.DistanceKm != nil:
			t.Errorf("%s has no position but DistanceKm = %v", e.ID, *e.DistanceKm)
		case ok && e.DistanceKm == nil:
			t.Errorf("%s: DistanceKm nil, want %.0f", e.ID, w)
		case ok && math.Abs(*e.DistanceKm-w) > 1:
			t.Errorf("%s: DistanceKm = %.1f, want %.0f", e.ID, *e.DistanceKm, w)
		}
	}
	for _, e := range ix.Query(Query{}, testNow).Entries {
		if e.DistanceKm != nil {
			t.Errorf("%s: DistanceKm set without Near", e.ID)
		}
	}
}

func TestQueryRadiusEdge(t *testing.T) {
	ix := New()
	ix.Put(at(Entry{ID: "lyon", Kind: KindOrg}, lyon))
	d := DistanceKm(paris, lyon)
	tests := []struct {
		radius float64
		want   int
	}{
		{d - 0.01, 0},
		{d + 0.01, 1},
		{1e6, 1},
	}
	for _, tt := range tests {
		if got := ix.Query(Query{Near: &paris, RadiusKm: tt.radius}, testNow).Total; got != tt.want {
			t.Errorf("radius %.2f: Total = %d, want %d", tt.radius, got, tt.want)
		}
	}
}

func TestInvalidPositionsIgnored(t *testing.T) {
	ix := New()
	ix.Put(Entry{ID: "nan", Kind: KindOrg, Lat: ptr(math.NaN()), Lon: ptr(2.0)})
	ix.Put(Entry{ID: "out", Kind: KindOrg, Lat: ptr(91.0), Lon: ptr(2.0)})
	ix.Put(Entry{ID: "half", Kind: KindOrg, Lat: ptr(48.0)})
	if got := ix.Query(Query{Near: &paris, RadiusKm: 20000}, testNow).Total; got != 0 {
		t.Errorf("Total = %d, want 0", got)
	}
	bad := Point{math.NaN(), 0}
	if got := ix.Query(Query{Near: &bad, RadiusKm: 10}, testNow).Total; got != 3 {
		t.Errorf("invalid Near: Total = %d, want 3 (no distance filter)", got)
	}
}
