package directory

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

func TestQueryFilters(t *testing.T) {
	ix := newFixture(t)
	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"none", Query{}, []string{"F", "E", "H", "C", "B", "A", "D", "G"}},
		{"kind org", Query{Kinds: []Kind{KindOrg}}, []string{"A", "G"}},
		{"kinds project and call", Query{Kinds: []Kind{KindProject, KindCall}}, []string{"F", "E", "H", "C", "B", "D"}},
		{"unknown kind", Query{Kinds: []Kind{"person"}}, []string{}},
		{"sector", Query{Sectors: []string{"housing"}}, []string{"B", "D", "G"}},
		{"any of two sectors", Query{Sectors: []string{"housing", "mobility"}}, []string{"E", "H", "B", "D", "G"}},
		{"unknown sector", Query{Sectors: []string{"mining"}}, []string{}},
		{"country", Query{Country: "FR"}, []string{"H", "C", "B", "A"}},
		{"country lower case", Query{Country: "de"}, []string{"E", "D", "G"}},
		{"role", Query{Role: "supplier"}, []string{"C"}},
		{"other role", Query{Role: "pilot-territory"}, []string{"E"}},
		{"unknown role", Query{Role: "astronaut"}, []string{}},
		{"open calls", Query{OpenOnly: true}, []string{"E", "C"}},
		{"source", Query{Source: "b.example"}, []string{"F", "E", "D", "G"}},
		{"source upper case", Query{Source: "B.EXAMPLE"}, []string{"F", "E", "D", "G"}},
		{"text with accent", Query{Text: "vélo"}, []string{"H"}},
		{"text without accent", Query{Text: "VELO"}, []string{"H"}},
		{"text prefix in two fields", Query{Text: "wohn"}, []string{"D", "G"}},
		{"text in org name", Query{Text: "gamma"}, []string{"H"}},
		{"text in place", Query{Text: "marseille"}, []string{"C"}},
		{"text every word", Query{Text: "appel panneaux"}, []string{"C"}},
		{"text a missing word", Query{Text: "appel vélo"}, []string{}},
		{"text punctuation", Query{Text: "« panneaux, »"}, []string{"C"}},
		{"text in sector label", Query{Text: "réemploi"}, []string{"H", "C"}},
		{"near Paris 500 km", Query{Near: &paris, RadiusKm: 500}, []string{"F", "B", "A"}},
		{"near Paris 1 km", Query{Near: &paris, RadiusKm: 1}, []string{"A"}},
		{"near without radius keeps all", Query{Near: &paris}, []string{"F", "E", "H", "C", "B", "A", "D", "G"}},
		{"calls in Germany", Query{Kinds: []Kind{KindCall}, Country: "DE"}, []string{"E", "D"}},
		{"open calls in Germany", Query{Kinds: []Kind{KindCall}, Country: "DE", OpenOnly: true}, []string{"E"}},
		{"energy near Paris", Query{Sectors: []string{"energy"}, Near: &paris, RadiusKm: 300}, []string{"F", "A"}},
		{"text and kind (C by its org name)", Query{Text: "énergie", Kinds: []Kind{KindCall}}, []string{"F", "C"}},
		{"text, source and sector", Query{Text: "energie", Source: "a.example", Sectors: []string{"housing"}}, []string{"B"}},
		{"role and open", Query{Role: "co-investor", OpenOnly: true}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ix.Query(tt.q, testNow)
			if got := ids(res.Entries); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if res.Total != len(tt.want) {
				t.Errorf("Total = %d, want %d", res.Total, len(tt.want))
			}
		})
	}
}

func TestQueryTextFolding(t *testing.T) {
	ix := New()
	for i, title := range []string{"Energie locale", "ENERGIE", "Énergies renouvelables", "Eau potable", "Œuvre commune", "Straße"} {
		ix.Put(Entry{ID: fmt.Sprint(i), Kind: KindProject, Title: title, Published: days(-i)})
	}
	tests := []struct {
		text string
		want []string
	}{
		{"énergie", []string{"0", "1", "2"}},
		{"ENERGIE", []string{"0", "1", "2"}},
		{"Énergie", []string{"0", "1", "2"}},
		{"energie locale", []string{"0"}},
		{"oeuvre", []string{"4"}},
		{"œuvre", []string{"4"}},
		{"strasse", []string{"5"}},
		{"", []string{"0", "1", "2", "3", "4", "5"}},
		{"   ", []string{"0", "1", "2", "3", "4", "5"}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := ids(ix.Query(Query{Text: tt.text}, testNow).Entries)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestQueryTextMatchesSectorLabels(t *testing.T) {
	ix := New()
	ix.Put(Entry{ID: "roofs", Kind: KindProject, Title: "Toits", Sectors: []string{"energy"}})
	ix.Put(Entry{ID: "bikes", Kind: KindProject, Title: "Vélos", Sectors: []string{"mobility"}})
	for _, text := range []string{"énergie", "Energy", "energy"} {
		if got := ids(ix.Query(Query{Text: text}, testNow).Entries); !slices.Equal(got, []string{"roofs"}) {
			t.Errorf("Text %q: got %v, want [roofs]", text, got)
		}
	}
}

func TestQuerySort(t *testing.T) {
	ix := newFixture(t)
	calls := []Kind{KindCall}
	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"recent", Query{Sort: SortRecent}, []string{"F", "E", "H", "C", "B", "A", "D", "G"}},
		{"unknown sort is recent", Query{Sort: "random"}, []string{"F", "E", "H", "C", "B", "A", "D", "G"}},
		{"deadline, none last", Query{Kinds: calls, Sort: SortDeadline}, []string{"D", "C", "F", "E"}},
		{"deadline of open calls", Query{OpenOnly: true, Sort: SortDeadline}, []string{"C", "E"}},
		{"title", Query{Sort: SortTitle}, []string{"A", "C", "H", "G", "F", "E", "B", "D"}},
		{"distance without a point is recent", Query{Sort: SortDistance}, []string{"F", "E", "H", "C", "B", "A", "D", "G"}},
		{"distance in a radius", Query{Near: &paris, RadiusKm: 500, Sort: SortDistance}, []string{"A", "F", "B"}},
		// D and G share a position (then by ID); E and H have none.
		{"distance, unknown last", Query{Near: &paris, Sort: SortDistance}, []string{"A", "F", "B", "C", "D", "G", "E", "H"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ids(ix.Query(tt.q, testNow).Entries); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestQueryPagination(t *testing.T) {
	ix := newFixture(t)
	tests := []struct {
		name          string
		page, perPage int
		want          []string
		wantPage      int
		wantPerPage   int
	}{
		{"first", 1, 3, []string{"F", "E", "H"}, 1, 3},
		{"middle", 2, 3, []string{"C", "B", "A"}, 2, 3},
		{"last, short", 3, 3, []string{"D", "G"}, 3, 3},
		{"past the end", 4, 3, []string{}, 4, 3},
		{"far past the end", math.MaxInt, 3, []string{}, math.MaxInt, 3},
		{"exact fit", 2, 4, []string{"C", "B", "A", "D", "G"}[1:], 2, 4},
		{"page 0 is 1", 0, 3, []string{"F", "E", "H"}, 1, 3},
		{"negative page is 1", -2, 3, []string{"F", "E", "H"}, 1, 3},
		{"per page default", 1, 0, []string{"F", "E", "H", "C", "B", "A", "D", "G"}, 1, 20},
		{"per page at most 100", 1, 1000, []string{"F", "E", "H", "C", "B", "A", "D", "G"}, 1, 100},
		{"one per page", 8, 1, []string{"G"}, 8, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ix.Query(Query{Page: tt.page, PerPage: tt.perPage}, testNow)
			if got := ids(res.Entries); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if res.Total != 8 || res.Page != tt.wantPage || res.PerPage != tt.wantPerPage {
				t.Errorf("Total, Page, PerPage = %d, %d, %d, want 8, %d, %d", res.Total, res.Page, res.PerPage, tt.wantPage, tt.wantPerPage)
			}
		})
	}
}
