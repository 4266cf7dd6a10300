package directory

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestPutReplaces(t *testing.T) {
	ix := newFixture(t)
	e, _ := ix.Get("H")
	e.Title, e.Sectors = "Fablab du quartier", []string{"digital"}
	ix.Put(e)
	if got := ix.Len(); got != 8 {
		t.Errorf("Len = %d, want 8", got)
	}
	tests := []struct {
		q    Query
		want []string
	}{
		{Query{Text: "vélo"}, []string{}},
		{Query{Text: "fablab"}, []string{"H"}},
		{Query{Sectors: []string{"mobility"}}, []string{"E"}},
		{Query{Sectors: []string{"digital"}}, []string{"H"}},
	}
	for _, tt := range tests {
		if got := ids(ix.Query(tt.q, testNow).Entries); !slices.Equal(got, tt.want) {
			t.Errorf("%+v: got %v, want %v", tt.q, got, tt.want)
		}
	}
}

func TestRemove(t *testing.T) {
	ix := newFixture(t)
	ix.Remove("B") // from the middle: H moves into its place
	ix.Remove("H") // the moved one
	ix.Remove("A")
	ix.Remove("nope")
	want := []string{"F", "E", "C", "D", "G"}
	if got := ids(ix.Query(Query{}, testNow).Entries); !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got := ix.Len(); got != len(want) {
		t.Errorf("Len = %d, want %d", got, len(want))
	}
	for _, id := range want {
		if e, ok := ix.Get(id); !ok || e.ID != id {
			t.Errorf("Get(%s) = %s, %v", id, e.ID, ok)
		}
	}
	for _, id := range []string{"A", "B", "H"} {
		if _, ok := ix.Get(id); ok {
			t.Errorf("Get(%s) found a removed entry", id)
		}
	}
	ix.Put(Entry{ID: "B", Kind: KindProject, Title: "back", Published: days(1)})
	if got := ids(ix.Query(Query{PerPage: 1}, testNow).Entries); !slices.Equal(got, []string{"B"}) {
		t.Errorf("after re-Put: got %v, want [B]", got)
	}
}

func TestRemoveOrg(t *testing.T) {
	ix := newFixture(t)
	ix.removeOrg("G")
	want := []string{"H", "C", "B", "A"}
	if got := ids(ix.Query(Query{}, testNow).Entries); !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestPutOrgRenamesItsObjects(t *testing.T) {
	ix := newFixture(t)
	a, _ := ix.Get("A")
	a.Title = "Alpha SCIC"
	ix.Put(a)
	for _, id := range []string{"B", "C"} {
		if e, _ := ix.Get(id); e.OrgName != "Alpha SCIC" {
			t.Errorf("%s: OrgName = %q, want %q", id, e.OrgName, "Alpha SCIC")
		}
	}
	if e, _ := ix.Get("D"); e.OrgName != "Beta eG" {
		t.Errorf("D: OrgName = %q, want unchanged", e.OrgName)
	}
	if got := ids(ix.Query(Query{Text: "scic"}, testNow).Entries); !slices.Equal(got, []string{"C", "B", "A"}) {
		t.Errorf("search new name: got %v, want [C B A]", got)
	}
}

func TestEntriesAreCopies(t *testing.T) {
	ix := New()
	in := at(Entry{ID: "x", Kind: KindCall, Title: "x", Sectors: []string{"energy"}, Deadline: ptr(days(1))}, lyon)
	ix.Put(in)
	in.Sectors[0], *in.Lat, *in.Deadline = "housing", 0, days(-1)

	out := ix.Query(Query{Near: &lyon}, testNow).Entries[0]
	out.Sectors[0], *out.Lon, *out.DistanceKm = "digital", 0, 99

	got, _ := ix.Get("x")
	if got.Sectors[0] != "energy" || *got.Lat != lyon.Lat || *got.Lon != lyon.Lon || !got.Deadline.Equal(days(1)) || got.DistanceKm != nil {
		t.Errorf("index changed through a copy: %+v", got)
	}
}

func TestConcurrentPutQuery(t *testing.T) {
	ix := newFixture(t)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 200 {
				id := fmt.Sprintf("w%d-%d", w, i%20)
				ix.Put(at(Entry{ID: id, Kind: KindProject, Title: "Énergie " + id, Org: "A", Sectors: []string{"energy"}, Published: days(i)}, paris))
				if i%3 == 0 {
					ix.Remove(id)
				}
				if i%50 == 0 {
					a, _ := ix.Get("A")
					a.Title = fmt.Sprint("Alpha ", w, i)
					ix.Put(a)
				}
			}
		})
		wg.Go(func() {
			for range 200 {
				res := ix.Query(Query{Text: "energie", Near: &paris, RadiusKm: 10, Sort: SortDistance, PerPage: 5}, testNow)
				if len(res.Entries) > 5 || res.Total < len(res.Entries) {
					t.Errorf("bad page: %d entries, total %d", len(res.Entries), res.Total)
				}
				ix.Counts(Query{Country: "FR"}, testNow)
				ix.Len()
			}
		})
	}
	wg.Wait()
	if got := ix.Len(); got < 8 || got > 8+4*20 {
		t.Errorf("Len = %d, want between 8 and 88", got)
	}
}

func TestExpired(t *testing.T) {
	ix := New()
	for _, e := range []Entry{
		{ID: "past", Kind: KindCall, Status: "open", Deadline: ptr(testNow.Add(-time.Second))},
		{ID: "now", Kind: KindCall, Status: "open", Deadline: ptr(testNow)},
		{ID: "future", Kind: KindCall, Status: "open", Deadline: ptr(days(1))},
		{ID: "none", Kind: KindCall, Status: "open"},
		{ID: "filled", Kind: KindCall, Status: "filled", Deadline: ptr(days(-1))},
		{ID: "project", Kind: KindProject, Status: "active", Deadline: ptr(days(-1))},
	} {
		ix.Put(e)
	}
	want := map[string]string{"past": "expired", "now": "open", "future": "open", "none": "open", "filled": "filled", "project": "active"}
	for _, e := range ix.Query(Query{}, testNow).Entries {
		if e.Status != want[e.ID] {
			t.Errorf("%s: Status = %q, want %q", e.ID, e.Status, want[e.ID])
		}
	}
	if e, _ := ix.Get("past"); e.Status != "open" {
		t.Errorf("stored Status = %q, want open (expired is computed)", e.Status)
	}
	got := ids(ix.Query(Query{OpenOnly: true, Sort: SortDeadline}, testNow).Entries)
	if wantOpen := []string{"now", "future", "none"}; !slices.Equal(got, wantOpen) {
		t.Errorf("open calls: got %v, want %v", got, wantOpen)
	}
	later := ids(ix.Query(Query{OpenOnly: true}, days(2)).Entries)
	if !slices.Equal(later, []string{"none"}) {
		t.Errorf("open calls two days later: got %v, want [none]", later)
	}
}
