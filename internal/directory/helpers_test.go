package directory

import (
	"testing"
	"time"
)

// now is the clock of every query in the tests.
var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func days(n int) time.Time { return testNow.AddDate(0, 0, n) }
func ptr[T any](v T) *T    { return &v }

// Places used by the fixtures.
var (
	paris     = Point{48.8566, 2.3522}
	lyon      = Point{45.7640, 4.8357}
	marseille = Point{43.2965, 5.3698}
	berlin    = Point{52.5200, 13.4050}
	brussels  = Point{50.8503, 4.3517}
)

func at(e Entry, p Point) Entry {
	e.Lat, e.Lon = ptr(p.Lat), ptr(p.Lon)
	return e
}

// fixture is eight entries; by Published, newest first: F E H C B A D G.
func fixture() []Entry {
	return []Entry{
		at(Entry{ID: "A", Kind: KindOrg, Title: "Alpha Energie", Summary: "Fournisseur d'électricité", Org: "A", OrgName: "Alpha Energie",
			Source: "a.example", Local: true, Sectors: []string{"energy"}, Country: "FR", PlaceName: "Paris", Published: days(-10)}, paris),
		at(Entry{ID: "B", Kind: KindProject, Title: "Toits solaires", Summary: "Centrales ENERGIE citoyennes", Org: "A", OrgName: "Alpha Energie",
			Source: "a.example", Local: true, Sectors: []string{"energy", "housing"}, Country: "FR", PlaceName: "Lyon", Status: "active", Published: days(-5)}, lyon),
		at(Entry{ID: "C", Kind: KindCall, Title: "Appel : réemploi des panneaux", Org: "A", OrgName: "Alpha Energie", Source: "a.example", Local: true,
			Sectors: []string{"circular-economy"}, Country: "FR", PlaceName: "Marseille", Status: "open", Deadline: ptr(days(10)),
			PartnerRoles: []string{"supplier", "pilot-user"}, Published: days(-4)}, marseille),
		at(Entry{ID: "D", Kind: KindCall, Title: "Wohnprojekt: Partner gesucht", Org: "G", OrgName: "Beta eG", Source: "b.example",
			Sectors: []string{"housing"}, Country: "DE", Status: "open", Deadline: ptr(days(-1)), PartnerRoles: []string{"co-investor"}, Published: days(-20)}, berlin),
		{ID: "E", Kind: KindCall, Title: "Mobilité partagée", Org: "G", OrgName: "Beta eG", Source: "b.example",
			Sectors: []string{"mobility"}, Country: "DE", Status: "open", PartnerRoles: []string{"pilot-territory"}, Published: days(-2)},
		at(Entry{ID: "F", Kind: KindCall, Title: "Closed call énergie", Org: "G", OrgName: "Beta eG", Source: "b.example",
			Sectors: []string{"energy"}, Country: "BE", Status: "closed", Deadline: ptr(days(30)), Published: days(-1)}, brussels),
		at(Entry{ID: "G", Kind: KindOrg, Title: "Beta eG", Summary: "Wohnungsgenossenschaft", Org: "G", OrgName: "Beta eG", Source: "b.example",
			Sectors: []string{"housing"}, Country: "DE", Published: days(-30), Website: "https://beta.example"}, berlin),
		{ID: "H", Kind: KindProject, Title: "Atelier vélo", Org: "https://c.example/orgs/gamma", OrgName: "Gamma", Source: "c.example",
			Sectors: []string{"mobility", "circular-economy"}, Country: "FR", Status: "idea", Published: days(-3)},
	}
}

func newFixture(t testing.TB) *Index {
	t.Helper()
	ix := New()
	for _, e := range fixture() {
		ix.Put(e)
	}
	return ix
}

func ids(es []Entry) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}
