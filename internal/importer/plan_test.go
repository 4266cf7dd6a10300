package importer

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/feeds"
	"codeberg.org/maillage/maillage/internal/model"
)

// heldFrom turns a batch into what an instance holds after applying it,
// with keys "k-<source id>".
func heldFrom(b *Batch) []Held {
	var out []Held
	for _, e := range b.Entries {
		out = append(out, Held{Key: "k-" + e.SourceID, Entry: e})
	}
	return out
}

func reimport(t *testing.T, in string, at time.Time) *Batch {
	t.Helper()
	b, err := Parse(strings.NewReader(in), Options{
		Format: FormatCSV, Source: "Carteco", SourceURL: "carteco-" + at.Format("2006-01") + ".csv", Now: at,
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReimport(t *testing.T) {
	const header = "id,name,country,lat,lon,website,categories\n"
	first := reimport(t, header+
		"1,Enercoop,FR,48.8898,2.3759,https://enercoop.fr,Climat et énergie\n"+
		"2,Mobicoop,FR,48.69,6.18,https://mobicoop.fr,Mobilité\n"+
		"3,Railcoop,FR,44.61,2.03,https://railcoop.fr,Mobilité\n"+
		"4,Biocoop,FR,48.86,2.35,https://biocoop.fr,Agriculture & Alimentation\n", testNow)
	p := NewPlan(first, nil)
	if len(p.Added) != 4 || len(p.Updated)+len(p.Unchanged)+len(p.Withdrawn)+len(p.Duplicates) != 0 {
		t.Fatalf("first import: %+v", p.Report().Counts)
	}
	held := heldFrom(first)
	held[3].Withdrawn = true // Biocoop was withdrawn by an earlier import

	// A month later: Enercoop unchanged (the file name and import time
	// differ), Mobicoop moved and re-categorised, Railcoop gone, Biocoop
	// back, Som Energia new.
	second := reimport(t, header+
		"1,Enercoop,FR,48.8898,2.3759,https://enercoop.fr,Climat et énergie\n"+
		"2,Mobicoop,FR,48.70,6.19,https://www.mobicoop.fr,Mobilité;Économie sociale et solidaire\n"+
		"4,Biocoop,FR,48.86,2.35,https://biocoop.fr,Agriculture & Alimentation\n"+
		"5,Som Energia,ES,41.98,2.82,https://somenergia.coop,Climat et énergie\n", testNow.AddDate(0, 1, 0))
	p = NewPlan(second, held)
	c := p.Report().Counts
	if c != (Counts{Added: 1, Updated: 2, Unchanged: 1, Withdrawn: 1}) {
		t.Fatalf("counts = %+v", c)
	}
	if p.Unchanged[0].Key != "k-1" || p.Added[0].Entry.SourceID != "5" || p.Withdrawn[0].Key != "k-3" {
		t.Errorf("unchanged %+v added %+v withdrawn %+v", p.Unchanged, p.Added, p.Withdrawn)
	}
	changed := map[string][]string{}
	for _, u := range p.Updated {
		for _, ch := range u.Changes {
			changed[u.Key] = append(changed[u.Key], ch.Field)
		}
	}
	if got := strings.Join(changed["k-2"], ","); got != "position,website,sectors,categories" {
		t.Errorf("Mobicoop changes = %s", got)
	}
	if got := strings.Join(changed["k-4"], ","); got != "status" {
		t.Errorf("relisted Biocoop changes = %s", got)
	}

	// An entry refused this time is not withdrawn.
	third := reimport(t, header+
		"1,Enercoop,FR,0,0,https://enercoop.fr,Climat et énergie\n"+
		"2,Mobicoop,FR,48.69,6.18,https://mobicoop.fr,Mobilité\n"+
		"3,Railcoop,FR,44.61,2.03,https://railcoop.fr,Mobilité\n"+
		"4,Biocoop,FR,48.86,2.35,https://biocoop.fr,Agriculture & Alimentation\n", testNow)
	if c := NewPlan(third, heldFrom(first)).Report().Counts; c != (Counts{Unchanged: 3, Refused: 1}) {
		t.Errorf("re-import with a refused entry: %+v", c)
	}

	// The same file again changes nothing; entries from another source
	// are never withdrawn by this one.
	other := Held{Key: "k-x", Entry: Entry{SourceID: "1", Name: "Other", Provenance: Provenance{Source: "Transiscope"}}}
	p = NewPlan(first, append(heldFrom(first), other))
	if c := p.Report().Counts; c != (Counts{Unchanged: 4}) {
		t.Errorf("same file again: %+v", c)
	}
}

func TestDuplicates(t *testing.T) {
	held := []Held{
		{Key: "own-1", Entry: Entry{SourceID: "", Name: "Enercoop", Website: "https://www.enercoop.fr/",
			Place: Place{Country: "FR", Lat: ptr(48.8898), Lon: ptr(2.3759)}}},
		{Key: "tr-7", Entry: Entry{SourceID: "7", Name: "La Ressourcerie du Pays d'Auge", Provenance: Provenance{Source: "Transiscope"},
			Place: Place{Country: "FR", Lat: ptr(49.1468), Lon: ptr(0.2262)}}},
		{Key: "tr-8", Entry: Entry{SourceID: "8", Name: "Biocoop Angoulême", Website: "https://biocoop.fr/angouleme",
			Place: Place{Country: "FR", Lat: ptr(45.6488), Lon: ptr(0.1569)}}},
		{Key: "tr-9", Entry: Entry{SourceID: "9", Name: "Épicerie du Marais", Place: Place{Country: "FR", PostalCode: "75004", Locality: "Paris"}}},
	}
	in := "id,name,country,lat,lon,website,code_postal,ville\n" +
		// same website, another address: a duplicate
		"a,Enercoop SCIC,FR,48.80,2.30,enercoop.fr,,\n" +
		// similar name 40 m away
		"b,Ressourcerie Pays d'Auge,FR,49.1471,0.2264,,,\n" +
		// same chain, 30 km away, same host, other page: not one
		"c,Biocoop Cognac,FR,45.6953,-0.3290,https://biocoop.fr/cognac,,\n" +
		// same name, no position, same postal code and locality
		"d,Epicerie du marais,FR,,,,75004,Paris\n" +
		// same building, unrelated name: not one
		"e,Atelier vélo,FR,49.1468,0.2262,,,\n" +
		// same name far away: not one
		"f,Enercoop,FR,43.60,1.44,,,\n" +
		// two entries of the file for one organisation
		"h,Atelier Vélo Lille,FR,50.6292,3.0573,https://velo-lille.example.org,,\n" +
		"i,L'atelier vélo de Lille,FR,50.6293,3.0573,velo-lille.example.org/,,\n"
	b, err := Parse(strings.NewReader(in), Options{Format: FormatCSV, Source: "Carteco", Now: testNow})
	if err != nil || len(b.Entries) != 8 {
		t.Fatalf("%v %+v", err, b.Refused)
	}
	p := NewPlan(b, held)
	dups := map[string]Match{}
	for _, d := range p.Duplicates {
		dups[d.Entry.SourceID] = d.Matches[0]
	}
	for id, key := range map[string]string{"a": "own-1", "b": "tr-7", "d": "tr-9"} {
		if m, ok := dups[id]; !ok || m.Key != key {
			t.Errorf("%s: match %+v, want %s", id, m, key)
		}
	}
	if m := dups["a"]; !strings.Contains(strings.Join(m.Reasons, ","), "same website") {
		t.Errorf("reasons %q", m.Reasons)
	}
	if m := dups["b"]; !strings.Contains(strings.Join(m.Reasons, ","), "m apart") {
		t.Errorf("reasons %q", m.Reasons)
	}
	for _, id := range []string{"c", "e", "f"} {
		if m, ok := dups[id]; ok {
			t.Errorf("%s flagged as a duplicate of %+v", id, m)
		}
	}
	if m := dups["i"]; m.Key != "" || m.Ref.Index != 7 || m.Ref.Line != 8 {
		t.Errorf("duplicate within the file: %+v", m)
	}
	if len(p.Added) != 4 {
		t.Errorf("added %d, want 4", len(p.Added))
	}
	var buf bytes.Buffer
	p.Report().WriteText(&buf)
	if !strings.Contains(buf.String(), `may be "Atelier Vélo Lille" (this file, line 8)`) {
		t.Errorf("report:\n%s", buf.String())
	}
}

func TestReportText(t *testing.T) {
	tx := taxonomy(t, "gogocarto-taxonomy.json")
	b := parseFile(t, "gogocarto-elements.json", Options{Format: FormatGoGoCarto, Source: "Transiscope", SourceURL: "t.json", Taxonomy: tx})
	held := heldFrom(b)[:2]
	held[0].Entry.Name = "Ancien nom"
	held = append(held, Held{Key: "k-gone", Entry: Entry{SourceID: "gone", Name: "Fermée", Provenance: Provenance{Source: "Transiscope"}}})
	r := NewPlan(b, held).Report()
	if r.Counts != (Counts{Added: 2, Updated: 1, Unchanged: 1, Withdrawn: 1, Refused: 6}) {
		t.Errorf("counts %+v", r.Counts)
	}
	var buf bytes.Buffer
	if err := r.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"import from Transiscope (t.json), licence https://opendatacommons.org/licenses/odbl/summary/, 2026-12-07T09:00:00Z",
		"added 2, updated 1, unchanged 1, withdrawn 1, refused 6, possible duplicates 0",
		"personal data left out: 1 e-mail addresses, 2 hidden values, 2 phone numbers; text replaced in 1 entries",
		"  Mode & Beauté (1)",
		`updated   entry 1: id 10kw "La Ruche de Chenay"`,
		`name: "Ancien nom" → "La Ruche de Chenay"`,
		`withdrawn - id gone "Fermée"`,
		`refused   entry 6: id SWAP "Coordonnées inversées"`,
		"look swapped for FR",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "gmail") || strings.Contains(out, "06 68") {
		t.Errorf("report shows personal data:\n%s", out)
	}
}

// TestDuplicateWithinFileStaysHeldBack: an entry held back as a duplicate
// of another entry of the same file is held back again when the file is
// imported again, now that the other one is held.
func TestDuplicateWithinFileStaysHeldBack(t *testing.T) {
	in := "id,name,website,country,lat,lon\n" +
		"a,Ressourcerie du Port,https://port.example.org,FR,43.2965,5.3698\n" +
		"b,La Ressourcerie du Port,https://port.example.org,FR,43.2966,5.3698\n"
	first := reimport(t, in, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	p := NewPlan(first, nil)
	if len(p.Added) != 1 || len(p.Duplicates) != 1 {
		t.Fatalf("first import: added %d, duplicates %d, refused %+v", len(p.Added), len(p.Duplicates), first.Refused)
	}
	held := []Held{{Key: "k-a", Entry: p.Added[0].Entry}}
	p = NewPlan(reimport(t, in, time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)), held)
	if len(p.Added) != 0 || len(p.Duplicates) != 1 || len(p.Unchanged) != 1 || p.Duplicates[0].Matches[0].Key != "k-a" {
		t.Errorf("second import: added %d, duplicates %+v, unchanged %d", len(p.Added), p.Duplicates, len(p.Unchanged))
	}
}

// TestReimportRelayed: an organisation of a maillage export listed from a
// map is matched on that map and its id: imported again through the same
// export it is unchanged, reached through another export or directly from
// the map it is the same organisation, and one the export no longer lists
// is withdrawn only by an import of that export. One held as it was
// recorded before (the export's source and the entry's IRI) is updated to
// the map, not added again.
func TestReimportRelayed(t *testing.T) {
	listed := func(name, id string) directory.Entry {
		iri := "https://a.example/orgs/" + strings.ToLower(name)
		return directory.Entry{ID: iri, URL: iri, Kind: directory.KindOrg, Title: name, OrgName: name, Source: "a.example",
			Country: "FR", Lat: ptr(48.8898), Lon: ptr(2.3759 + float64(len(id))),
			Provenance: &model.Provenance{Source: "Transiscope", SourceURL: "https://transiscope.example/" + id, SourceID: id, Licence: "ODbL-1.0"}}
	}
	csvOf := func(entries ...directory.Entry) string {
		var buf bytes.Buffer
		if err := feeds.CSV(&buf, entries, func(key string, args ...any) string { return key }); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	enercoop, mobicoop := listed("Enercoop", "12"), listed("Mobicoop", "133")
	export, less := csvOf(enercoop, mobicoop), csvOf(enercoop)
	parse := func(source, in string) *Batch {
		b, err := Parse(strings.NewReader(in), Options{Format: FormatCSV, Source: source, Now: testNow})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	first := parse("Export of A", export)
	held := []Held{}
	for _, e := range first.Entries {
		h := Held{Key: "k-" + e.Provenance.SourceID, Entry: e}
		h.Entry.SourceID = e.Provenance.SourceID // as the instance records it
		held = append(held, h)
	}
	if c := NewPlan(parse("Export of A", export), held).Report().Counts; c != (Counts{Unchanged: 2}) {
		t.Errorf("same export again: %+v", c)
	}
	// Another instance's export of the same map entries: the same
	// organisations, now reached through it; missing ones stay.
	p := NewPlan(parse("Export of B", less), held)
	if c := p.Report().Counts; c != (Counts{Updated: 1}) || p.Updated[0].Key != "k-12" {
		t.Errorf("through another export: %+v %+v", c, p.Updated)
	}
	// Directly from the map.
	p = NewPlan(parse("Transiscope", "id,name,country,lat,lon\n12,Enercoop,FR,48.8898,2.3759\n"), held)
	if c := p.Report().Counts; c.Added != 0 || c.Withdrawn != 0 || c.Updated+c.Unchanged != 1 {
		t.Errorf("from the map: %+v", c)
	}
	// The export without Mobicoop.
	p = NewPlan(parse("Export of A", less), held)
	if c := p.Report().Counts; c != (Counts{Unchanged: 1, Withdrawn: 1}) || p.Withdrawn[0].Key != "k-133" {
		t.Errorf("export without Mobicoop: %+v %+v", c, p.Withdrawn)
	}

	// Recorded before: the export as source, the IRI as id, the map as
	// source key.
	legacy := []Held{{Key: "k-old", Entry: first.Entries[0]}}
	legacy[0].Entry.Provenance = Provenance{Source: "Export of A", SourceID: first.Entries[0].SourceID, SourceKey: "Transiscope", Licence: "ODbL-1.0"}
	p = NewPlan(parse("Export of A", export), legacy)
	if c := p.Report().Counts; c != (Counts{Added: 1, Updated: 1}) || p.Updated[0].Key != "k-old" {
		t.Errorf("recorded before: %+v %+v", c, p.Updated)
	}
}
