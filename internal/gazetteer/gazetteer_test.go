package gazetteer

import (
	"errors"
	"math"
	"runtime"
	"strings"
	"sync"
	"testing"
)

var europe = sync.OnceValues(LoadEurope)

func loadEurope(t testing.TB) *Gazetteer {
	t.Helper()
	g, err := europe()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestSearchAccentsAndCase(t *testing.T) {
	g := loadEurope(t)
	for _, tt := range []struct {
		q, country, name, cc string
	}{
		{"Lyon", "", "Lyon", "FR"},
		{"lyon", "fr", "Lyon", "FR"},
		{"Besançon", "", "Besançon", "FR"},
		{"besancon", "", "Besançon", "FR"},
		{"BESANÇ", "", "Besançon", "FR"},
		{"Malmö", "", "Malmö", "SE"},
		{"malmo", "", "Malmö", "SE"},
		{"Łódź", "", "Łódź", "PL"},
		{"lodz", "", "Łódź", "PL"},
		{"saint etienne", "", "Saint-Étienne", "FR"},
		{"Helsinki", "", "Helsinki", "FI"},
		{"Lisbon", "", "Lisbon", "PT"},
	} {
		got := g.Search(tt.q, tt.country, 5)
		if len(got) == 0 || got[0].Name != tt.name || got[0].Country != tt.cc {
			t.Errorf("Search(%q, %q)[0] = %+v, want %s %s", tt.q, tt.country, first(got), tt.name, tt.cc)
		}
	}
	lyon := g.Search("Lyon", "", 1)[0]
	if math.Abs(lyon.Lat-45.7485) > 1e-4 || math.Abs(lyon.Lon-4.8467) > 1e-4 || lyon.Region != "Auvergne-Rhône-Alpes" || lyon.Population < 400_000 {
		t.Errorf("Lyon = %+v", lyon)
	}
}

func first(p []Place) Place {
	if len(p) == 0 {
		return Place{}
	}
	return p[0]
}

func TestSearchRankingAndFilter(t *testing.T) {
	g := loadEurope(t)
	got := g.Search("Par", "", 10)
	if len(got) != 10 || got[0].Name != "Paris" {
		t.Fatalf("Search(Par) = %v", got)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Population > got[i-1].Population {
			t.Errorf("Search(Par): %s (%d) after %s (%d)", got[i].Name, got[i].Population, got[i-1].Name, got[i-1].Population)
		}
		if !strings.HasPrefix(nameKey(got[i].Name), "par") {
			t.Errorf("Search(Par) returned %s", got[i].Name)
		}
	}
	for _, p := range g.Search("San", "IT", 20) {
		if p.Country != "IT" {
			t.Errorf("Search(San, IT) returned %+v", p)
		}
	}
	// The filter finds places that unfiltered results would crowd out.
	if got := g.Search("Paris", "DK", 3); len(got) != 0 {
		t.Errorf("Search(Paris, DK) = %v, want none", got)
	}
	if got := g.Search("Valen", "FR", 2); len(got) != 2 || got[0].Name != "Valence" || got[1].Name != "Valenciennes" {
		t.Errorf("Search(Valen, FR) = %v, want Valence and Valenciennes, not Valencia in Spain", got)
	}
	for _, q := range []string{"", "  ", "---", strings.Repeat("a", 300)} {
		if got := g.Search(q, "", 5); got != nil {
			t.Errorf("Search(%q) = %v, want nil", q, got)
		}
	}
	if got := g.Search("a", "", 1000); len(got) != MaxResults {
		t.Errorf("Search(a, 1000) gave %d results, want the cap %d", len(got), MaxResults)
	}
	if got := g.Search("Lyon", "", 0); got != nil {
		t.Errorf("Search with limit 0 = %v", got)
	}
}

func TestFind(t *testing.T) {
	g := loadEurope(t)
	for _, tt := range []struct{ name, country, want, cc string }{
		{"Valence", "", "Valence", "FR"},
		{"Valencia", "", "Valencia", "ES"},
		{"Bar", "", "Bar", "ME"}, // exact beats Barcelona
		{"Barc", "", "Barcelona", "ES"},
		{"Frankfurt", "", "Frankfurt am Main", "DE"},
		{"Paris", "FR", "Paris", "FR"},
	} {
		got, ok := g.Find(tt.name, tt.country)
		if !ok || got.Name != tt.want || got.Country != tt.cc {
			t.Errorf("Find(%q, %q) = %+v, %t; want %s %s", tt.name, tt.country, got, ok, tt.want, tt.cc)
		}
	}
	if _, ok := g.Find("Xyzzyq", ""); ok {
		t.Error("Find(Xyzzyq) found something")
	}
}

func TestLoadRejectsBrokenData(t *testing.T) {
	for name, in := range map[string]string{
		"unknown record": "X\t1\n",
		"short place":    "P\tLyon\tFR\n",
		"bad country":    "P\tLyon\tfrance\t\t45\t4\t1\n",
		"bad latitude":   "P\tLyon\tFR\t\t95\t4\t1\n",
		"NaN longitude":  "P\tLyon\tFR\t\t45\tNaN\t1\n",
		"bad population": "P\tLyon\tFR\t\t45\t4\t-1\n",
		"long line":      "P\t" + strings.Repeat("x", 5000) + "\tFR\t\t45\t4\t1\n",
		"long name":      "P\t" + strings.Repeat("x", 300) + "\tFR\t\t45\t4\t1\n",
	} {
		if _, err := Load(strings.NewReader(in)); err == nil {
			t.Errorf("%s: Load succeeded, want an error", name)
		}
	}
	g, err := Load(strings.NewReader("# c\nR\tFR\t84\tAuvergne\nP\tLyon\tFR\t84\t45.7\t4.8\t10\nP\t--\tFR\t\t1\t1\t1\nP\tLyons\tGB\tXX\t1\t2\t3\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := g.Search("ly", "", 5); len(got) != 2 || got[0].Region != "Auvergne" || got[1].Region != "" {
		t.Errorf("small gazetteer: %+v", got)
	}
}

func TestParseQuery(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Query
	}{
		{"Lyon", Query{Name: "Lyon"}},
		{"  Lyon, FR ", Query{Name: "Lyon", Country: "FR"}},
		{"Lyon, fr", Query{Name: "Lyon", Country: "FR"}},
		{"Lyon 50 km", Query{Name: "Lyon", RadiusKm: 50}},
		{"Lyon, 50km", Query{Name: "Lyon", RadiusKm: 50}},
		{"Lyon, FR, 12.5 km", Query{Name: "Lyon", Country: "FR", RadiusKm: 12.5}},
		{"Saint-Étienne 30 KM", Query{Name: "Saint-Étienne", RadiusKm: 30}},
		{"Bar, ME", Query{Name: "Bar", Country: "ME"}},
		{"Aix-en-Provence", Query{Name: "Aix-en-Provence"}},
	} {
		got, err := ParseQuery(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseQuery(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"", " , FR", "Lyon 0 km", "Lyon 99999 km", "Lyon, FR, 5000 km", "50 km", strings.Repeat("a", 400), "---"} {
		if _, err := ParseQuery(in); !errors.Is(err, ErrQuery) {
			t.Errorf("ParseQuery(%q) error = %v, want ErrQuery", in, err)
		}
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Łódź": "lodz", "Malmö": "malmo", "Besançon": "besancon", "Gießen": "giessen", "Þórshöfn": "thorshofn",
		"'s-Hertogenbosch": "s hertogenbosch", "Saint-Étienne": "saint etienne", "  L'Haÿ-les-Roses ": "l hay les roses",
		"København": "kobenhavn", "İstanbul": "istanbul", "Αθήνα": "αθηνα",
	} {
		if got := nameKey(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkLoad measures loading the embedded data; heap-MB is what the
// loaded index keeps.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadEurope(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	g, _ := LoadEurope()
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heap-MB")
	b.ReportMetric(float64(g.Len()), "places")
	runtime.KeepAlive(g)
}

func BenchmarkSearch(b *testing.B) {
	g := loadEurope(b)
	for _, bc := range []struct{ name, q, country string }{
		{"prefix", "Lyo", ""}, {"one-letter", "s", ""}, {"one-letter-country", "s", "DE"}, {"accents", "Łódź", "PL"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				g.Search(bc.q, bc.country, 10)
			}
		})
	}
}
