package importer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// Transiscope's size at launch: 15,000 entries.
const benchN = 15_000

var (
	benchWords = strings.Fields("ferme jardin atelier vélo épicerie solidaire coopérative énergie citoyenne " +
		"ressourcerie repair café amap paniers tiers-lieu habitat partagé librairie recyclerie monnaie locale " +
		"compost école alternative théâtre radio associative cantine bio marché producteurs boutique")
	benchTowns = []struct {
		name, postal string
		lat, lon     float64
	}{
		{"Paris", "75011", 48.8589, 2.3790}, {"Lyon", "69001", 45.7676, 4.8344}, {"Nantes", "44000", 47.2184, -1.5536},
		{"Lille", "59000", 50.6292, 3.0573}, {"Toulouse", "31000", 43.6045, 1.4440}, {"Rennes", "35000", 48.1173, -1.6778},
		{"Angoulême", "16000", 45.6484, 0.1562}, {"Strasbourg", "67000", 48.5734, 7.7521}, {"Marseille", "13001", 43.2965, 5.3698},
	}
	benchOptions = []int{10427, 10429, 10432, 10433, 10434, 10452, 10454, 10455, 10473, 10485, 10507, 10525}
)

type benchEntry struct {
	id, name, desc, website string
	town                    int
	lat, lon                float64
	options                 []int
}

func benchEntries(seed uint64, n int) []benchEntry {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([]benchEntry, n)
	for i := range out {
		name := fmt.Sprintf("%s %s %s %d", benchWords[r.IntN(len(benchWords))], benchWords[r.IntN(len(benchWords))],
			benchWords[r.IntN(len(benchWords))], i)
		t := r.IntN(len(benchTowns))
		var desc strings.Builder
		for range 40 {
			desc.WriteString(benchWords[r.IntN(len(benchWords))])
			desc.WriteByte(' ')
		}
		out[i] = benchEntry{
			id: fmt.Sprintf("e%05d", i), name: name, desc: desc.String(), town: t,
			website: fmt.Sprintf("https://site-%d.example.org", i),
			lat:     benchTowns[t].lat + (r.Float64()-0.5)*0.2, lon: benchTowns[t].lon + (r.Float64()-0.5)*0.2,
			options: []int{benchOptions[r.IntN(len(benchOptions))], benchOptions[r.IntN(len(benchOptions))]},
		}
	}
	return out
}

// benchExport is a GoGoCarto export of es.
func benchExport(b *testing.B, es []benchEntry) []byte {
	type geo struct {
		Latitude  float64 `json:"latitude"`
		Longitude float64 `json:"longitude"`
	}
	type addr struct {
		StreetAddress   string `json:"streetAddress"`
		AddressLocality string `json:"addressLocality"`
		PostalCode      string `json:"postalCode"`
		AddressCountry  string `json:"addressCountry"`
	}
	type element struct {
		ID           string `json:"id"`
		Name         string `json:"name"`
		Geo          geo    `json:"geo"`
		Address      addr   `json:"address"`
		Description  string `json:"description"`
		Website      string `json:"website"`
		Telephone    string `json:"telephone"`
		Email        string `json:"email"`
		SourceKey    string `json:"sourceKey"`
		OptionValues []int  `json:"optionValues"`
	}
	data := make([]element, len(es))
	for i, e := range es {
		t := benchTowns[e.town]
		data[i] = element{
			ID: e.id, Name: e.name, Geo: geo{e.lat, e.lon},
			Address:     addr{fmt.Sprintf("%d rue de la Gare", i%200+1), t.name, t.postal, "FR"},
			Description: e.desc, Website: e.website, Telephone: "05 45 00 00 00", Email: "hidden",
			SourceKey: "Colibris", OptionValues: e.options,
		}
	}
	out, err := json.Marshal(map[string]any{"licence": "https://opendatacommons.org/licenses/odbl/summary/", "ontology": "gogofull", "data": data})
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// benchHeld is what an instance holds: entries of another source, a tenth
// of them near an incoming entry under a similar name, so that the
// duplicate check has real candidates to score.
func benchHeld(incoming []benchEntry, source string, n int) []Held {
	r := rand.New(rand.NewPCG(7, 7))
	others := benchEntries(99, n)
	held := make([]Held, n)
	for i, e := range others {
		if i%10 == 0 {
			in := incoming[r.IntN(len(incoming))]
			e.name, e.lat, e.lon = in.name+" asso", in.lat+0.0002, in.lon
		}
		lat, lon := e.lat, e.lon
		held[i] = Held{Key: fmt.Sprintf("https://aggregator.example/orgs/%d", i), Entry: Entry{
			SourceID: e.id, Kind: "org", Name: e.name, Description: e.desc, Website: e.website,
			Place:      Place{Country: "FR", Locality: benchTowns[e.town].name, Lat: &lat, Lon: &lon},
			Provenance: Provenance{Source: source},
		}}
	}
	return held
}

func benchImport(b *testing.B, held func(incoming []benchEntry, tx *Taxonomy) []Held) {
	tx := taxonomy(b, "gogocarto-taxonomy.json")
	incoming := benchEntries(1, benchN)
	file := benchExport(b, incoming)
	h := held(incoming, tx)
	debug.FreeOSMemory() // so that the process's peak RSS is the import's, not the generator's
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	var live, sys uint64
	var dups int
	for b.Loop() {
		batch, err := Parse(bytes.NewReader(file), Options{Format: FormatGoGoCarto, Source: "Transiscope", Taxonomy: tx, Now: testNow})
		if err != nil {
			b.Fatal(err)
		}
		p := NewPlan(batch, h)
		if len(batch.Entries) != benchN {
			b.Fatalf("%d entries, refused %v", len(batch.Entries), batch.Refused[:min(3, len(batch.Refused))])
		}
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		live, sys = max(live, m.HeapAlloc), max(sys, m.HeapSys)
		dups = len(p.Duplicates)
	}
	// live-MB is what stays reachable once parsed and planned (the file,
	// the held entries, the batch and the plan); heap-MB is the most heap
	// the process took from the system, an upper bound of the peak.
	b.ReportMetric(float64(live)/(1<<20), "live-MB")
	b.ReportMetric(float64(sys)/(1<<20), "heap-MB")
	b.ReportMetric(float64(len(file))/(1<<20), "file-MB")
	b.ReportMetric(float64(dups), "duplicates")
}

// BenchmarkImport15k parses a 15,000-entry GoGoCarto export and plans it
// against 15,000 entries of another source: every entry is new and goes
// through the duplicate check.
func BenchmarkImport15k(b *testing.B) {
	benchImport(b, func(in []benchEntry, _ *Taxonomy) []Held { return benchHeld(in, "Carteco", benchN) })
}

// BenchmarkReimport15k plans the same export against its previous import:
// every entry is matched by id and compared field by field.
func BenchmarkReimport15k(b *testing.B) {
	benchImport(b, func(in []benchEntry, tx *Taxonomy) []Held {
		file := benchExport(b, in)
		prev, err := Parse(bytes.NewReader(file), Options{Format: FormatGoGoCarto, Source: "Transiscope", Taxonomy: tx, Now: testNow})
		if err != nil {
			b.Fatal(err)
		}
		held := heldFrom(prev)
		for i := 0; i < len(held); i += 10 {
			held[i].Entry.Description += " (old)"
		}
		return held
	})
}
