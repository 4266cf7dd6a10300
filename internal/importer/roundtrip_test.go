package importer

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/feeds"
	"codeberg.org/maillage/maillage/internal/model"
)

// directoryEntries are what an instance's /directory.geojson and
// /directory.csv carry: an organisation, a project and a call, one with a
// title a spreadsheet would read as a formula.
func directoryEntries() []directory.Entry {
	deadline := time.Date(2027, 3, 15, 0, 0, 0, 0, time.UTC)
	org := "https://a.example/orgs/enercoop"
	return []directory.Entry{
		{
			ID: org, URL: org, Kind: directory.KindOrg, Title: "Enercoop", Org: org, OrgName: "Enercoop",
			Source: "a.example", Sectors: []string{"energy"}, Country: "FR", PlaceName: "Paris 19e",
			Lat: ptr(48.8898), Lon: ptr(2.3759), Status: "active", Website: "https://www.enercoop.fr",
			Provenance: &model.Provenance{Source: "Transiscope", SourceURL: "https://transiscope.example/fiche/12",
				SourceID: "12", Licence: "ODbL-1.0"},
		},
		{
			ID: org + "/projects/pv", URL: "https://a.example/projects/pv", Kind: directory.KindProject,
			Title: "-20 % d'énergie, toits solaires", Org: org, OrgName: "Enercoop", Source: "a.example",
			Sectors: []string{"energy", "citizenship-local-development"}, Country: "FR", PlaceName: "Nantes",
			Lat: ptr(47.2184), Lon: ptr(-1.5536), Status: "active",
		},
		{
			ID: org + "/calls/1", URL: "https://a.example/calls/1", Kind: directory.KindCall,
			Title: "Territoires pilotes, autoconsommation", Org: org, OrgName: "Enercoop", Source: "a.example",
			Sectors: []string{"energy"}, Country: "BE", PlaceName: "Liège", Lat: ptr(50.6326), Lon: ptr(5.5797),
			Status: "open", Deadline: &deadline, PartnerRoles: []string{"pilot-territory", "co-investor"},
		},
	}
}

func TestMaillageGeoJSONRoundTrip(t *testing.T) {
	src := directoryEntries()
	var buf bytes.Buffer
	if err := feeds.GeoJSON(&buf, src); err != nil {
		t.Fatal(err)
	}
	b, err := Parse(&buf, Options{Format: FormatGeoJSON, Source: "a.example", Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Entries) != len(src) || len(b.Refused) != 0 || len(b.Unmapped) != 0 || len(b.IgnoredFields) != 0 {
		t.Fatalf("entries %d refused %+v unmapped %v ignored %v", len(b.Entries), b.Refused, b.Unmapped, b.IgnoredFields)
	}
	for i, d := range src {
		e := b.Entries[i]
		// Every property the GeoJSON export writes.
		if e.SourceID != d.ID || e.URL != d.URL || e.Kind != string(d.Kind) || e.Name != d.Title ||
			e.OrgName != d.OrgName || e.Org != d.Org || e.Place.Country != d.Country || e.Status != d.Status ||
			!slices.Equal(e.Sectors, d.Sectors) || *e.Place.Lat != *d.Lat || *e.Place.Lon != *d.Lon ||
			!sameTime(e.Deadline, d.Deadline) || !sameListing(e, d) {
			t.Errorf("entry %d:\n got %+v\nfrom %+v", i, e, d)
		}
	}
}

// sameListing reports whether e keeps the provenance of d, an
// organisation listed from an imported map: the map as the database its
// entry was aggregated from, and the licence as the entry's own.
func sameListing(e Entry, d directory.Entry) bool {
	if d.Provenance == nil {
		return e.Provenance.SourceKey == "" && e.Provenance.Licence == ""
	}
	return e.Provenance.SourceKey == d.Provenance.Source && e.Provenance.Licence == d.Provenance.Licence
}

func TestMaillageCSVRoundTrip(t *testing.T) {
	src := directoryEntries()
	var buf bytes.Buffer
	if err := feeds.CSV(&buf, src, func(key string, args ...any) string { return key }); err != nil {
		t.Fatal(err)
	}
	b, err := Parse(&buf, Options{Format: FormatCSV, Source: "a.example", Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Entries) != len(src) || len(b.Refused) != 0 || len(b.Unmapped) != 0 || len(b.IgnoredFields) != 0 {
		t.Fatalf("entries %d refused %+v unmapped %v ignored %v", len(b.Entries), b.Refused, b.Unmapped, b.IgnoredFields)
	}
	for i, d := range src {
		e := b.Entries[i]
		// Every column the CSV export writes; the page URL is the id.
		if e.SourceID != d.URL || e.URL != d.URL || e.Kind != string(d.Kind) || e.Name != d.Title ||
			e.OrgName != d.OrgName || e.Place.Country != d.Country || e.Place.Name != d.PlaceName ||
			e.Status != d.Status || !slices.Equal(e.Sectors, d.Sectors) || !slices.Equal(e.PartnerRoles, d.PartnerRoles) ||
			e.Website != d.Website || e.Provenance.Origin != d.Source ||
			*e.Place.Lat != *d.Lat || *e.Place.Lon != *d.Lon || !sameTime(e.Deadline, d.Deadline) || !sameListing(e, d) {
			t.Errorf("entry %d:\n got %+v\nfrom %+v", i, e, d)
		}
	}
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}
