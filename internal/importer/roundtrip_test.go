package importer

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
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
			Summary: "Fournisseur d'électricité 100 % renouvelable, en SCIC", Source: "a.example", Sectors: []string{"energy"}, Country: "FR", PlaceName: "Paris 19e",
			Lat: ptr(48.8898), Lon: ptr(2.3759), Status: "active", Website: "https://www.enercoop.fr",
			Provenance: &model.Provenance{Source: "Transiscope", SourceURL: "https://transiscope.example/fiche/12",
				SourceID: "12", Licence: "ODbL-1.0"},
		},
		{
			ID: org + "/projects/pv", URL: "https://a.example/projects/pv", Kind: directory.KindProject,
			Title: "-20 % d'énergie, toits solaires", Org: org, OrgName: "Enercoop", Source: "a.example",
			Summary: "Des toits \"solaires\" partagés;\nune ligne de plus",
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

// TestMaillageGeoJSONRoundTrip: every property /directory.geojson writes
// is read back; a new property fails the test until it is.
func TestMaillageGeoJSONRoundTrip(t *testing.T) {
	src := directoryEntries()
	var buf bytes.Buffer
	if err := feeds.GeoJSON(&buf, src); err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(buf.Bytes(), &fc); err != nil {
		t.Fatal(err)
	}
	b, err := Parse(&buf, Options{Format: FormatGeoJSON, Source: "a.example", Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Entries) != len(src) || len(b.Refused) != 0 || len(b.Unmapped) != 0 || len(b.IgnoredFields) != 0 {
		t.Fatalf("entries %d refused %+v unmapped %v ignored %v", len(b.Entries), b.Refused, b.Unmapped, b.IgnoredFields)
	}
	// What each property of the export became, by name.
	props := map[string]func(e Entry, d directory.Entry) bool{
		"id":       func(e Entry, d directory.Entry) bool { return e.SourceID == d.ID },
		"url":      func(e Entry, d directory.Entry) bool { return e.URL == d.URL },
		"kind":     func(e Entry, d directory.Entry) bool { return e.Kind == string(d.Kind) },
		"title":    func(e Entry, d directory.Entry) bool { return e.Name == d.Title },
		"org":      func(e Entry, d directory.Entry) bool { return e.OrgName == d.OrgName },
		"org_id":   func(e Entry, d directory.Entry) bool { return e.Org == d.Org },
		"country":  func(e Entry, d directory.Entry) bool { return e.Place.Country == d.Country },
		"sectors":  func(e Entry, d directory.Entry) bool { return slices.Equal(e.Sectors, d.Sectors) },
		"status":   func(e Entry, d directory.Entry) bool { return e.Status == d.Status },
		"deadline": func(e Entry, d directory.Entry) bool { return sameTime(e.Deadline, d.Deadline) },
	}
	for _, k := range []string{"listed_by", "listed_by_url", "listed_by_id", "licence"} {
		props[k] = func(e Entry, d directory.Entry) bool { return sameListing(e, d, "a.example") }
	}
	for i, d := range src {
		e := b.Entries[i]
		for k := range fc.Features[i].Properties {
			if same, ok := props[k]; !ok {
				t.Errorf("entry %d: property %q of the export is not checked", i, k)
			} else if !same(e, d) {
				t.Errorf("entry %d: %q not kept:\n got %+v\nfrom %+v", i, k, e, d)
			}
		}
		if *e.Place.Lat != *d.Lat || *e.Place.Lon != *d.Lon {
			t.Errorf("entry %d: position %v,%v, want %v,%v", i, *e.Place.Lat, *e.Place.Lon, *d.Lat, *d.Lon)
		}
		if !sameListing(e, d, "a.example") {
			t.Errorf("entry %d: provenance %+v, from %+v", i, e.Provenance, d.Provenance)
		}
	}
}

// sameListing reports whether e, read from an export of d through an
// import named source, keeps d's provenance. An organisation listed from
// an imported map keeps that map as its source, with its id, page and
// licence there, reached via this import; any other entry comes from the
// import itself.
func sameListing(e Entry, d directory.Entry, source string) bool {
	pv := e.Provenance
	if d.Provenance == nil {
		return pv.Source == source && pv.Via == "" && pv.SourceID == e.SourceID && pv.Licence == ""
	}
	want := d.Provenance
	return pv.Source == want.Source && pv.SourceURL == want.SourceURL && pv.SourceID == want.SourceID &&
		pv.Licence == want.Licence && pv.Via == source
}

// TestMaillageCSVRoundTrip: every column /directory.csv writes is read
// back (the labels beside the slugs are the slugs' names); a new column
// fails the test until it is.
func TestMaillageCSVRoundTrip(t *testing.T) {
	src := directoryEntries()
	var buf bytes.Buffer
	if err := feeds.CSV(&buf, src, func(key string, args ...any) string { return key }); err != nil {
		t.Fatal(err)
	}
	header, err := csv.NewReader(bytes.NewReader(buf.Bytes())).Read()
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse(&buf, Options{Format: FormatCSV, Source: "a.example", Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Entries) != len(src) || len(b.Refused) != 0 || len(b.Unmapped) != 0 || len(b.IgnoredFields) != 0 {
		t.Fatalf("entries %d refused %+v unmapped %v ignored %v", len(b.Entries), b.Refused, b.Unmapped, b.IgnoredFields)
	}
	labels := func(e Entry, d directory.Entry) bool { return true } // names of the slugs beside them
	cols := map[string]func(e Entry, d directory.Entry) bool{
		"kind":                func(e Entry, d directory.Entry) bool { return e.Kind == string(d.Kind) },
		"title":               func(e Entry, d directory.Entry) bool { return e.Name == d.Title },
		"summary":             func(e Entry, d directory.Entry) bool { return e.Description == d.Summary },
		"organisation":        func(e Entry, d directory.Entry) bool { return e.OrgName == d.OrgName },
		"country":             func(e Entry, d directory.Entry) bool { return e.Place.Country == d.Country },
		"place":               func(e Entry, d directory.Entry) bool { return e.Place.Name == d.PlaceName },
		"lat":                 func(e Entry, d directory.Entry) bool { return *e.Place.Lat == *d.Lat },
		"lon":                 func(e Entry, d directory.Entry) bool { return *e.Place.Lon == *d.Lon },
		"sectors":             func(e Entry, d directory.Entry) bool { return slices.Equal(e.Sectors, d.Sectors) },
		"sector_labels":       labels,
		"status":              func(e Entry, d directory.Entry) bool { return e.Status == d.Status },
		"deadline":            func(e Entry, d directory.Entry) bool { return sameTime(e.Deadline, d.Deadline) },
		"partner_roles":       func(e Entry, d directory.Entry) bool { return slices.Equal(e.PartnerRoles, d.PartnerRoles) },
		"partner_role_labels": labels,
		"website":             func(e Entry, d directory.Entry) bool { return e.Website == d.Website },
		// The page URL is the entry's id at the instance that exported it.
		"url":    func(e Entry, d directory.Entry) bool { return e.URL == d.URL && e.SourceID == d.URL },
		"source": func(e Entry, d directory.Entry) bool { return e.Provenance.Origin == d.Source },
	}
	for _, k := range []string{"listed_by", "listed_by_url", "listed_by_id", "licence"} {
		cols[k] = func(e Entry, d directory.Entry) bool { return sameListing(e, d, "a.example") }
	}
	for _, k := range header {
		if cols[k] == nil {
			t.Errorf("column %q of the export is not checked", k)
		}
	}
	for i, d := range src {
		e := b.Entries[i]
		for _, k := range header {
			if same := cols[k]; same != nil && !same(e, d) {
				t.Errorf("entry %d: %q not kept:\n got %+v\nfrom %+v", i, k, e, d)
			}
		}
	}
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}
