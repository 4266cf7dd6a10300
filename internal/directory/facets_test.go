package directory

import (
	"maps"
	"testing"
)

func TestCounts(t *testing.T) {
	ix := newFixture(t)
	tests := []struct {
		name string
		q    Query
		want Facets
	}{
		{"all", Query{}, Facets{
			Kinds:     map[Kind]int{KindOrg: 2, KindProject: 2, KindCall: 4},
			Sectors:   map[string]int{"energy": 3, "housing": 3, "circular-economy": 2, "mobility": 2},
			Countries: map[string]int{"FR": 4, "DE": 3, "BE": 1},
		}},
		// Countries ignore the country filter; the other facets apply it.
		{"France", Query{Country: "FR"}, Facets{
			Kinds:     map[Kind]int{KindOrg: 1, KindProject: 2, KindCall: 1},
			Sectors:   map[string]int{"energy": 2, "housing": 1, "circular-economy": 2, "mobility": 1},
			Countries: map[string]int{"FR": 4, "DE": 3, "BE": 1},
		}},
		{"calls on housing", Query{Kinds: []Kind{KindCall}, Sectors: []string{"housing"}}, Facets{
			Kinds:     map[Kind]int{KindProject: 1, KindCall: 1, KindOrg: 1},
			Sectors:   map[string]int{"energy": 1, "housing": 1, "circular-economy": 1, "mobility": 1},
			Countries: map[string]int{"DE": 1},
		}},
		{"open calls", Query{OpenOnly: true}, Facets{
			Kinds:     map[Kind]int{KindCall: 2},
			Sectors:   map[string]int{"circular-economy": 1, "mobility": 1},
			Countries: map[string]int{"FR": 1, "DE": 1},
		}},
		{"nothing", Query{Text: "zzz"}, Facets{Kinds: map[Kind]int{}, Sectors: map[string]int{}, Countries: map[string]int{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ix.Counts(tt.q, testNow)
			if !maps.Equal(got.Kinds, tt.want.Kinds) {
				t.Errorf("Kinds = %v, want %v", got.Kinds, tt.want.Kinds)
			}
			if !maps.Equal(got.Sectors, tt.want.Sectors) {
				t.Errorf("Sectors = %v, want %v", got.Sectors, tt.want.Sectors)
			}
			if !maps.Equal(got.Countries, tt.want.Countries) {
				t.Errorf("Countries = %v, want %v", got.Countries, tt.want.Countries)
			}
		})
	}
}
