package directory

import (
	"slices"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
)

func TestOrgEntry(t *testing.T) {
	u := uris.URIs{Base: "https://a.example"}
	o := model.Org{Name: "alpha", Created: days(-9), Profile: model.Profile{
		DisplayName: "Alpha SCIC", Summary: "Énergie citoyenne", Website: "mailto:contact@alpha.example",
		ContactEmail: "contact@alpha.example", LegalForm: "fr-scic", Sectors: []string{"energy"},
		Location: &model.Place{Name: "Lyon", Country: "FR", Latitude: ptr(lyon.Lat), Longitude: ptr(lyon.Lon)},
	}}
	e := OrgEntry(o, u)
	want := Entry{ID: "https://a.example/orgs/alpha", URL: "https://a.example/orgs/alpha", Kind: KindOrg,
		Title: "Alpha SCIC", Summary: "Énergie citoyenne", Org: "https://a.example/orgs/alpha", OrgName: "Alpha SCIC",
		Source: "a.example", Local: true, Country: "FR", PlaceName: "Lyon", LegalForm: "fr-scic", Published: days(-9)}
	checkEntry(t, e, want)
	if len(e.Sectors) != 1 || e.Lat == nil || *e.Lat != lyon.Lat {
		t.Errorf("Sectors %v, Lat %v", e.Sectors, e.Lat)
	}

	o.DisplayName, o.Country = "", "BE"
	if e := OrgEntry(o, u); e.Title != "alpha" || e.Country != "BE" {
		t.Errorf("no display name: Title %q, Country %q; want alpha, BE (profile country first)", e.Title, e.Country)
	}
}

func TestActorEntry(t *testing.T) {
	p := &model.Profile{DisplayName: "Beta eG", Website: "https://beta.example", Country: "DE"}
	tests := []struct {
		name   string
		a      model.Actor
		wantOK bool
		want   Entry
	}{
		{"organisation", model.Actor{ID: "https://b.example/orgs/beta", Type: "Organization", Host: "b.example",
			URL: "https://b.example/@beta", Fetched: days(-1), Profile: p}, true,
			Entry{ID: "https://b.example/orgs/beta", URL: "https://b.example/@beta", Kind: KindOrg, Title: "Beta eG",
				Org: "https://b.example/orgs/beta", OrgName: "Beta eG", Source: "b.example", Country: "DE",
				Website: "https://beta.example", Published: days(-1)}},
		{"no URL", model.Actor{ID: "https://b.example/orgs/beta", Type: "Organization", Host: "b.example", Profile: p}, true,
			Entry{ID: "https://b.example/orgs/beta", URL: "https://b.example/orgs/beta", Kind: KindOrg, Title: "Beta eG",
				Org: "https://b.example/orgs/beta", OrgName: "Beta eG", Source: "b.example", Country: "DE", Website: "https://beta.example"}},
		{"no profile", model.Actor{ID: "https://m.example/users/x", Type: "Organization"}, false, Entry{}},
		{"person", model.Actor{ID: "https://m.example/users/x", Type: "Person", Profile: p}, false, Entry{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, ok := ActorEntry(tt.a)
			if ok != tt.wantOK {
				t.Fatalf("ok = %v, want %v", ok, tt.wantOK)
			}
			checkEntry(t, e, tt.want)
		})
	}
}

func TestObjectEntry(t *testing.T) {
	call := model.Object{ID: "https://b.example/orgs/beta/calls/1", Kind: model.KindCall, AttributedTo: "https://b.example/orgs/beta",
		Title: "Partenaires", Summary: "s", Status: "open", Deadline: ptr(days(3)), PartnerRoles: []string{"funder"},
		Location: &model.Place{Name: "Berlin", Country: "DE"}, Published: days(-2)}
	tests := []struct {
		name   string
		o      model.Object
		wantOK bool
		want   Entry
	}{
		{"call", call, true, Entry{ID: call.ID, URL: call.ID, Kind: KindCall, Title: "Partenaires", Summary: "s",
			Org: call.AttributedTo, OrgName: "Beta eG", Source: "b.example", Country: "DE", PlaceName: "Berlin",
			Status: "open", Published: days(-2)}},
		{"project with URL", model.Object{ID: "p", URL: "https://b.example/p.html", Kind: model.KindProject, Local: true}, true,
			Entry{ID: "p", URL: "https://b.example/p.html", Kind: KindProject, OrgName: "Beta eG", Source: "b.example", Local: true}},
		{"note", model.Object{ID: "n", Kind: model.KindNote}, false, Entry{}},
		{"tombstone", model.Object{ID: "t", Kind: model.KindCall, Deleted: days(-1)}, false, Entry{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, ok := ObjectEntry(tt.o, "Beta eG", "b.example")
			if ok != tt.wantOK {
				t.Fatalf("ok = %v, want %v", ok, tt.wantOK)
			}
			checkEntry(t, e, tt.want)
		})
	}
	e, _ := ObjectEntry(call, "Beta eG", "b.example")
	if e.Deadline == nil || !e.Deadline.Equal(days(3)) || !slices.Equal(e.PartnerRoles, []string{"funder"}) {
		t.Errorf("call: Deadline %v, PartnerRoles %v", e.Deadline, e.PartnerRoles)
	}
}

func TestWebURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://coop.example", "https://coop.example"},
		{" http://coop.example/a ", "http://coop.example/a"},
		{"contact@coop.example", ""},
		{"mailto:contact@coop.example", ""},
		{"https://contact@coop.example", ""},
		{"javascript:alert(1)", ""},
		{"coop.example", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := webURL(tt.in); got != tt.want {
			t.Errorf("webURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// checkEntry compares the scalar fields of an entry.
func checkEntry(t *testing.T, got, want Entry) {
	t.Helper()
	type scalars struct {
		ID, URL, Title, Summary, Org, OrgName, Source, Country, PlaceName, Status, LegalForm, Website string
		Kind                                                                                          Kind
		Local                                                                                         bool
		Published                                                                                     time.Time
	}
	s := func(e Entry) scalars {
		return scalars{e.ID, e.URL, e.Title, e.Summary, e.Org, e.OrgName, e.Source, e.Country, e.PlaceName,
			e.Status, e.LegalForm, e.Website, e.Kind, e.Local, e.Published}
	}
	if s(got) != s(want) {
		t.Errorf("got  %+v\nwant %+v", s(got), s(want))
	}
}
