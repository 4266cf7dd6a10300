package importer

import (
	"fmt"
	"strings"
	"testing"
)

// csvOne parses one CSV data row with columns id,name,country,lat,lon.
func csvOne(t *testing.T, country, lat, lon string, opts Options) *Batch {
	t.Helper()
	in := fmt.Sprintf("id,name,country,lat,lon\nx1,Coop,%s,%s,%s\n", country, lat, lon)
	opts.Format, opts.Source, opts.Now = FormatCSV, "t", testNow
	b, err := Parse(strings.NewReader(in), opts)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestValidatePosition(t *testing.T) {
	for _, tc := range []struct {
		country, lat, lon string
		want              string // reason, or "" for accepted
	}{
		{"FR", "48.8566", "2.3522", ""},
		{"FR", "", "", ""},              // no position is allowed
		{"FR", "-21.115", "55.536", ""}, // La Réunion
		{"ES", "28.12", "-15.43", ""},   // Las Palmas
		{"PT", "37.74", "-25.67", ""},   // Ponta Delgada
		{"BE", "51.55", "2.60", ""},     // on the coast, inside the padding
		{"JP", "35.68", "139.69", ""},   // no outline: range checks only
		{"FR", "2.3522", "48.8566", "look swapped"},
		{"DE", "13.40", "52.52", "look swapped"},
		{"FR", "148.85", "2.35", "look swapped"},
		{"FR", "48.85", "200", "out of range"},
		{"FR", "0", "0", "0,0"},
		{"FR", "0.0", "-0.0", "0,0"},
		{"FR", "40.4168", "-3.7038", "outside FR"},
		{"FR", "48.85", "", "together"},
		{"FR", "NaN", "2.35", "not numbers"},
		{"FR", "Inf", "2.35", "not numbers"},
		{"FR", "48°51'N", "2.35", "not numbers"},
		{"FR", "1e400", "2.35", "not numbers"},
	} {
		b := csvOne(t, tc.country, tc.lat, tc.lon, Options{})
		var got string
		if len(b.Refused) > 0 {
			got = strings.Join(b.Refused[0].Reasons, "; ")
		}
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s %q,%q: refused %q, want %q", tc.country, tc.lat, tc.lon, got, tc.want)
		}
	}
}

func TestValidateCountry(t *testing.T) {
	for _, tc := range []struct{ in, def, want, reason string }{
		{"fr", "", "FR", ""},
		{"France", "", "FR", ""},
		{"Deutschland", "", "DE", ""},
		{"uk", "", "GB", ""},
		{"", "be", "BE", ""},
		{"", "", "", "country missing"},
		{"ZZ", "", "", "not an ISO 3166 code"},
		{"Fra", "", "", "not an ISO 3166 code"},
	} {
		b := csvOne(t, tc.in, "", "", Options{DefaultCountry: tc.def})
		switch {
		case tc.reason != "":
			if len(b.Refused) != 1 || !strings.Contains(b.Refused[0].Reasons[0], tc.reason) {
				t.Errorf("country %q: %+v, want refused for %q", tc.in, b.Refused, tc.reason)
			}
		case len(b.Entries) != 1 || b.Entries[0].Place.Country != tc.want:
			t.Errorf("country %q (default %q): %+v %+v, want %s", tc.in, tc.def, b.Entries, b.Refused, tc.want)
		}
	}
	if _, err := Parse(strings.NewReader("id,name\n"), Options{Format: FormatCSV, Source: "t", DefaultCountry: "France!"}); err == nil {
		t.Error("a bad default country is accepted")
	}
}

func TestValidateText(t *testing.T) {
	long := strings.Repeat("é", maxTextRunes+1)
	in := "id,name,country,description,website,kind,deadline,url\n" +
		"a," + strings.Repeat("n", maxNameRunes+1) + ",FR,,,,,\n" +
		"b,B,FR," + long + ",,,,\n" +
		"c,C,FR,,javascript:alert(1),,,\n" +
		"d,D,FR,,,person,,\n" +
		"e,E,FR,,,call,demain,\n" +
		"f,\"F\xff\",FR,,,,,http://localhost:8080/orgs/f\n" +
		"g,G,FR,,,,,/orgs/g\n"
	b, err := Parse(strings.NewReader(in), Options{Format: FormatCSV, Source: "t", Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"name longer", "description longer", "not an http", "unknown kind", "not a date", "", "url"} {
		if want == "" {
			continue
		}
		if r := refusalByIndex(t, b, i+1); !strings.Contains(r.Reasons[0], want) {
			t.Errorf("row %d: %q, want %q", i+1, r.Reasons, want)
		}
	}
	if len(b.Entries) != 1 || b.Entries[0].Name != "F\uFFFD" || b.Entries[0].URL != "http://localhost:8080/orgs/f" {
		t.Errorf("invalid UTF-8 not replaced: %+v", b.Entries)
	}
}
