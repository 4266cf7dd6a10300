package importer

import (
	"strings"
	"testing"
)

func TestGoGoCartoExport(t *testing.T) {
	b := parseFile(t, "gogocarto-elements.json", Options{
		Format: FormatGoGoCarto, SourceURL: "https://transiscope.example/api/elements.json",
		Taxonomy: taxonomy(t, "gogocarto-taxonomy.json"),
	})
	if got, want := len(b.Entries), 4; got != want {
		t.Fatalf("%d entries, want %d; refused %+v", got, want, b.Refused)
	}
	if b.Licence != "https://opendatacommons.org/licenses/odbl/summary/" {
		t.Errorf("licence from the file = %q", b.Licence)
	}

	e := entryByID(t, b, "10kw")
	if e.Name != "La Ruche de Chenay" || e.Kind != "org" || e.Place.Street != "5 rue Edmond Proust" ||
		e.Place.Locality != "Chenay" || e.Place.PostalCode != "79120" || e.Place.Country != "FR" {
		t.Errorf("10kw fields: %+v", e)
	}
	if e.Place.Lat == nil || *e.Place.Lat != 46.3252 || *e.Place.Lon != -0.0339 {
		t.Errorf("10kw position: %v %v", e.Place.Lat, e.Place.Lon)
	}
	if !equalStrings(e.Sectors, []string{"food-agriculture"}) {
		t.Errorf("10kw sectors = %v", e.Sectors)
	}
	want := []string{"Agriculture & Alimentation > Epicerie & Supérette", "Agriculture & Alimentation"}
	if !equalStrings(e.Categories, want) {
		t.Errorf("10kw categories = %q, want %q", e.Categories, want)
	}
	if e.Email != "" {
		t.Errorf("hidden e-mail became %q", e.Email)
	}

	// Option values as objects, a nested option three levels down, a
	// numeric telephone, coordinates as strings, a website without scheme.
	e = entryByID(t, b, "zw9")
	if e.Website != "https://www.cuisinesdumonde.com" {
		t.Errorf("website = %q", e.Website)
	}
	if e.Email != "contact@cuisinesdumonde.com" {
		t.Errorf("role address on the website's domain dropped: %q", e.Email)
	}
	if !strings.Contains(e.Description, "[e-mail removed]") || !strings.Contains(e.Description, "[phone removed]") ||
		strings.Contains(e.Description, "gmail") || strings.Contains(e.Description, "06 68") {
		t.Errorf("description not scrubbed: %q", e.Description)
	}
	if e.Commitment == "" || e.DescriptionMore == "" {
		t.Errorf("commitment or descriptionMore lost: %+v", e)
	}
	if !equalStrings(e.Categories, []string{"option 10430", "Agriculture & Alimentation > Circuits courts > AMAP/Paniers"}) {
		t.Errorf("zw9 categories = %q", e.Categories)
	}

	// The deepest mapped label wins: Habitat > Ressourcerie is circular
	// economy, not housing; "Mode & Beauté" is reported, not guessed.
	e = entryByID(t, b, "104K")
	if !equalStrings(e.Sectors, []string{"circular-economy", "ess-support"}) {
		t.Errorf("104K sectors = %v", e.Sectors)
	}
	if e.Email != "" {
		t.Errorf("name-like address published: %q", e.Email)
	}
	if e.Place.Country != "FR" {
		t.Errorf("lower-case country not normalised: %q", e.Place.Country)
	}

	// Guadeloupe is in FR's outline.
	e = entryByID(t, b, "AEW")
	if e.Place.Lat == nil || e.Email != "bonjour@dotsoley.example.org" {
		t.Errorf("AEW: %+v", e)
	}

	unmapped := map[string]int{}
	for _, u := range b.Unmapped {
		unmapped[u.Category] = u.Entries
	}
	for _, c := range []string{"Mode & Beauté", "option 10430", "option 99999"} {
		if unmapped[c] != 1 {
			t.Errorf("unmapped %q counted %d, want 1 (all: %v)", c, unmapped[c], b.Unmapped)
		}
	}

	refused := map[int]string{
		5:  "status -4",
		6:  "look swapped for FR",
		7:  "0,0",
		8:  "name missing",
		9:  `field "name" is not text`,
		10: `id "10kw" already used by entry 1`,
	}
	if len(b.Refused) != len(refused) {
		t.Errorf("%d refused, want %d: %+v", len(b.Refused), len(refused), b.Refused)
	}
	for i, reason := range refused {
		r := refusalByIndex(t, b, i)
		if !strings.Contains(strings.Join(r.Reasons, "; "), reason) {
			t.Errorf("entry %d reasons %q, want one containing %q", i, r.Reasons, reason)
		}
	}
	if r := refusalByIndex(t, b, 9); r.SourceID != "BADTYPE" {
		t.Errorf("refusal of an unreadable entry lost its id: %+v", r)
	}

	if d := b.Dropped; d.Hidden != 2 || d.Phones != 2 || d.Emails != 1 || d.TextReplaced != 1 {
		t.Errorf("dropped = %+v", d)
	}
}

func TestGoGoCartoPlainArray(t *testing.T) {
	b := parseFile(t, "gogocarto-array.json", Options{Format: FormatGoGoCarto, Licence: "ODbL-1.0"})
	if len(b.Entries) != 2 || len(b.Refused) != 0 {
		t.Fatalf("entries %d, refused %+v", len(b.Entries), b.Refused)
	}
	a1 := entryByID(t, b, "A1")
	if !equalStrings(a1.Sectors, []string{"mobility"}) || a1.Email != "info@atelier-velo.example.org" {
		t.Errorf("A1: %+v", a1)
	}
	a2 := entryByID(t, b, "A2")
	if a2.Place.Country != "BE" || !equalStrings(a2.Categories, []string{"Culture", "Tiers-lieux"}) ||
		!equalStrings(a2.Sectors, []string{"culture-media"}) {
		t.Errorf("A2: %+v", a2)
	}
	if a2.Provenance.Licence != "ODbL-1.0" {
		t.Errorf("licence option not used: %q", a2.Provenance.Licence)
	}
}

func TestProvenance(t *testing.T) {
	b := parseFile(t, "gogocarto-elements.json", Options{
		Format: FormatGoGoCarto, Source: "Transiscope", SourceURL: "transiscope-2026-12.json", Licence: "ODbL-1.0",
		Taxonomy: taxonomy(t, "gogocarto-taxonomy.json"),
	})
	p := entryByID(t, b, "zw9").Provenance
	want := Provenance{
		Source: "Transiscope", SourceURL: "transiscope-2026-12.json", SourceID: "zw9", SourceKey: "LMC",
		Licence: "ODbL-1.0", Imported: testNow,
	}
	if p != want {
		t.Errorf("provenance = %+v, want %+v", p, want)
	}
}

func TestTaxonomyForms(t *testing.T) {
	tx := taxonomy(t, "gogocarto-taxonomy.json")
	if tx.Len() != 16 {
		t.Errorf("options = %d, want 16", tx.Len())
	}
	p, ok := tx.path("10434")
	if !ok || strings.Join(p, " > ") != "Agriculture & Alimentation > Circuits courts > AMAP/Paniers" {
		t.Errorf("path(10434) = %q, %v", p, ok)
	}
	if p, ok := tx.path("ressourcerie"); !ok || len(p) != 2 {
		t.Errorf("option by name: %q, %v", p, ok)
	}

	ld := taxonomy(t, "transiscope-taxonomy.jsonld")
	p, ok = ld.path("10")
	if !ok || strings.Join(p, " > ") != "Economie Sociale et Solidaire > Fabriquer, réparer, zéro déchets" {
		t.Errorf("JSON-LD path(10) = %q, %v", p, ok)
	}
	if p, _ := ld.path("26"); len(p) != 2 || p[1] != "Climat et énergie" {
		t.Errorf("skos:prefLabel not read: %q", p)
	}

	one, err := ParseTaxonomy(strings.NewReader(`{"name":"Catégories","options":[{"id":1,"name":"Habitat"}]}`))
	if err != nil || one.Len() != 1 {
		t.Errorf("single root category: %v, %v", one, err)
	}
	for _, bad := range []string{
		``, `nope`, `{"name":"x","options":[]}`, `[{"options":[{"name":"no id"}]}]`,
		`[{"options":[{"id":1,"name":"a"},{"id":1,"name":"b"}]}]`, `{"options":[{"id":1,`,
	} {
		if _, err := ParseTaxonomy(strings.NewReader(bad)); err == nil {
			t.Errorf("ParseTaxonomy(%q) accepted", bad)
		}
	}
}
