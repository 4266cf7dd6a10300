package directory

import (
	"slices"
	"testing"
)

// The map zooms through Within; Places gives every match with a position,
// beyond the first page.
func TestWithinAndPlaces(t *testing.T) {
	ix := newFixture(t)
	france := &BBox{West: -5, South: 42, East: 8.5, North: 51.2}
	tests := []struct {
		name string
		q    Query
		want []string // IDs, sorted
	}{
		{"France box", Query{Within: france}, []string{"A", "B", "C", "F"}},
		{"box and kind", Query{Within: france, Kinds: []Kind{KindCall}}, []string{"C", "F"}},
		{"edge included", Query{Within: &BBox{West: lyon.Lon, South: lyon.Lat, East: 6, North: 46}}, []string{"B"}},
		{"empty box ignored", Query{Within: &BBox{West: 5, South: 40, East: 5, North: 50}}, []string{"A", "B", "C", "D", "F", "G"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range ix.Places(tt.q, testNow) {
				got = append(got, p.ID)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Places = %v, want %v", got, tt.want)
			}
			if tt.name == "empty box ignored" {
				return // entries without a position are in Query, not in Places
			}
			q := tt.q
			q.PerPage = 1
			if res := ix.Query(q, testNow); res.Total != len(tt.want) {
				t.Errorf("Query total = %d, want %d", res.Total, len(tt.want))
			}
		})
	}
	ps := ix.Places(Query{PerPage: 1, Page: 3}, testNow)
	if len(ps) != 6 {
		t.Fatalf("Places ignores paging: got %d places, want the 6 with a position", len(ps))
	}
	for _, p := range ps {
		if p.ID == "B" && (p.Sector != "energy" || p.Kind != KindProject || p.Lat != lyon.Lat || p.Lon != lyon.Lon) {
			t.Errorf("place B = %+v", p)
		}
	}
}

// BenchmarkPlaces is the map's query over 100,000 entries: every match
// with a position, whole Europe and one zoomed region (B/op is what one
// map costs beyond the index).
func BenchmarkPlaces(b *testing.B) {
	ix, _ := benchIndex(testNow)
	for _, bc := range []struct {
		name string
		q    Query
	}{
		{"all", Query{}},
		{"calls", Query{Kinds: []Kind{KindCall}}},
		{"zoomed", Query{Within: &BBox{West: 2, South: 44, East: 8, North: 48}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				n = len(ix.Places(bc.q, testNow))
			}
			b.ReportMetric(float64(n), "places")
		})
	}
}
