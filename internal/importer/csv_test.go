package importer

import (
	"strings"
	"testing"
)

func TestCSV(t *testing.T) {
	b := parseFile(t, "entries.csv", Options{Format: FormatCSV})
	if len(b.Entries) != 3 {
		t.Fatalf("%d entries, refused %+v", len(b.Entries), b.Refused)
	}
	c1 := entryByID(t, b, "c1")
	if c1.Name != "Coopérative Énergie, Citoyens & Territoires" || c1.Place.Street != "3, place de l'Église" {
		t.Errorf("quoted commas or accents lost: %+v", c1)
	}
	if c1.Place.Lat == nil || *c1.Place.Lat != 47.2184 || *c1.Place.Lon != -1.5536 {
		t.Errorf("decimal commas: %v, %v", c1.Place.Lat, c1.Place.Lon)
	}
	if !equalStrings(c1.Sectors, []string{"energy", "ess-support"}) || c1.Email != "contact@energie-citoyens.example.org" {
		t.Errorf("c1 sectors %v, e-mail %q", c1.Sectors, c1.Email)
	}
	c2 := entryByID(t, b, "c2")
	if c2.Name != `L'Atelier "Répar'Tout"` || c2.Place.Country != "FR" || c2.Email != "" || c2.Place.Street != "12 rue Œillets" {
		t.Errorf("c2: %+v", c2)
	}
	if c3 := entryByID(t, b, "c3"); c3.Description != "Sur plusieurs\nlignes" {
		t.Errorf("multi-line cell: %q", c3.Description)
	}
	if r := refusalByIndex(t, b, 4); r.Ref.Line != 6 || r.Reasons[0] != "country missing" {
		t.Errorf("refusal after a multi-line cell: %+v", r)
	}
	if r := refusalByIndex(t, b, 5); r.Ref.Line != 7 || !strings.Contains(r.Reasons[0], "15 fields") {
		t.Errorf("ragged row: %+v", r)
	}
	if !equalStrings(b.IgnoredFields, []string{"remarque"}) {
		t.Errorf("ignored = %q", b.IgnoredFields)
	}
	if b.Dropped.Phones != 1 || b.Dropped.Emails != 1 {
		t.Errorf("dropped = %+v", b.Dropped)
	}
}

func TestCSVSemicolonsAndBOM(t *testing.T) {
	in := "\uFEFFNom;Code postal;Ville;Pays;Lat;Lon;Thématique\r\n" +
		"Le Relais, Emmaüs;59000;Lille;FR;50,63;3,06;Gestion des ressources et déchets\r\n"
	b, err := Parse(strings.NewReader(in), Options{Format: FormatCSV, Source: "Carteco", Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	// No id column: the row is refused, since a re-import could not find it.
	if len(b.Entries) != 0 || len(b.Refused) != 1 || !strings.Contains(b.Refused[0].Reasons[0], "no id") {
		t.Fatalf("entries %+v refused %+v", b.Entries, b.Refused)
	}
	in = strings.Replace(in, "Nom;", "Id;Nom;", 1)
	in = strings.Replace(in, "\r\nLe Relais", "\r\nr1;Le Relais", 1)
	b, err = Parse(strings.NewReader(in), Options{Format: FormatCSV, Source: "Carteco", Now: testNow})
	if err != nil || len(b.Entries) != 1 {
		t.Fatalf("%v %+v", err, b)
	}
	e := b.Entries[0]
	if e.Name != "Le Relais, Emmaüs" || e.Place.PostalCode != "59000" || !equalStrings(e.Sectors, []string{"circular-economy"}) {
		t.Errorf("%+v", e)
	}
}

func TestGeoJSON(t *testing.T) {
	b := parseFile(t, "entries.geojson", Options{Format: FormatGeoJSON})
	if len(b.Entries) != 3 {
		t.Fatalf("%d entries, refused %+v", len(b.Entries), b.Refused)
	}
	g1 := entryByID(t, b, "g1")
	if g1.Place.Lat == nil || *g1.Place.Lat != 50.8503 || *g1.Place.Lon != 4.3517 {
		t.Errorf("[lon, lat] order: %v %v", g1.Place.Lat, g1.Place.Lon)
	}
	if !equalStrings(g1.Categories, []string{"Fabriquer, réparer, zéro déchets", "Lien social"}) ||
		!equalStrings(g1.Sectors, []string{"circular-economy"}) {
		t.Errorf("g1 categories %q sectors %v", g1.Categories, g1.Sectors)
	}
	// A numeric id in properties, no geometry, a list in one string.
	g2 := entryByID(t, b, "42")
	if g2.Place.Lat != nil || !equalStrings(g2.Sectors, []string{"energy", "finance"}) {
		t.Errorf("42: %+v", g2)
	}
	if g5 := entryByID(t, b, "g5"); g5.Email != "" || g5.Name != "Cooperativa en Madrid" {
		t.Errorf("webmail address published or title lost: %+v", g5)
	}
	if r := refusalByIndex(t, b, 3); !strings.Contains(r.Reasons[0], "not a Point") {
		t.Errorf("%+v", r)
	}
	if r := refusalByIndex(t, b, 4); !strings.Contains(r.Reasons[0], "[longitude, latitude]") {
		t.Errorf("%+v", r)
	}
	if !equalStrings(b.IgnoredFields, []string{"couleur"}) || b.Dropped.Phones != 1 || b.Dropped.Emails != 1 {
		t.Errorf("ignored %q dropped %+v", b.IgnoredFields, b.Dropped)
	}
}
