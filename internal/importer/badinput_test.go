package importer

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

func TestBadFiles(t *testing.T) {
	for _, tc := range []struct {
		name   string
		format Format
		in     string
		want   error
		msg    string
	}{
		{"empty json", FormatGoGoCarto, "", ErrFormat, "unexpected end"},
		{"invalid json", FormatGoGoCarto, `{"data": [{"id": "a",}]}`, ErrFormat, "invalid JSON"},
		{"truncated", FormatGoGoCarto, `{"ontology":"gogofull","data":[{"id":"a","name":"A"}`, ErrFormat, "unexpected end"},
		{"no data", FormatGoGoCarto, `{"ontology":"gogofull"}`, ErrFormat, `no "data"`},
		{"data not array", FormatGoGoCarto, `{"data":{"id":1}}`, ErrFormat, "not an array"},
		{"scalar", FormatGoGoCarto, `42`, ErrFormat, "want an object"},
		{"trailing", FormatGoGoCarto, `[] []`, ErrFormat, "after the end"},
		{"geojson not collection", FormatGeoJSON, `{"type":"Feature","features":[]}`, ErrFormat, "FeatureCollection"},
		{"geojson array", FormatGeoJSON, `[]`, ErrFormat, "FeatureCollection"},
		{"geojson invalid", FormatGeoJSON, `{"type":"FeatureCollection","features":[{]}`, ErrFormat, "invalid JSON"},
		{"csv empty", FormatCSV, "", ErrFormat, "empty"},
		{"csv no name column", FormatCSV, "id,ville\n1,Lyon\n", ErrFormat, "no name column"},
		{"csv bare quote", FormatCSV, "id,name,country\n1,Le \"Relais,FR\n", ErrFormat, "line 2"},
		{"unknown format", "kml", "", nil, "unknown format"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Parse(strings.NewReader(tc.in), Options{Format: tc.format, Source: "t", Now: testNow})
			if err == nil || b != nil {
				t.Fatalf("Parse = %+v, %v; want an error", b, err)
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("error %v is not %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not say %q", err, tc.msg)
			}
		})
	}
	if _, err := Parse(strings.NewReader("[]"), Options{Format: FormatGoGoCarto}); err == nil {
		t.Error("no source name accepted")
	}
}

// repeatReader yields head, then body n times, then tail, without holding
// the whole file in memory.
type repeatReader struct {
	parts []string
	body  string
	n     int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	for len(r.parts) > 0 {
		if r.parts[0] == "" {
			r.parts = r.parts[1:]
			if len(r.parts) == 1 && r.n > 0 {
				r.parts = append([]string{r.body}, r.parts...)
				r.n--
			}
			continue
		}
		n := copy(p, r.parts[0])
		r.parts[0] = r.parts[0][n:]
		return n, nil
	}
	return 0, io.EOF
}

func newRepeat(head, body string, n int, tail string) io.Reader {
	return &repeatReader{parts: []string{head, "", tail}, body: body, n: n}
}

func TestLimits(t *testing.T) {
	el := `{"id":"%d","name":"A","geo":{"latitude":48.1,"longitude":2.1},"address":{"addressCountry":"FR"}},`
	small := Limits{MaxBytes: 4 << 10, MaxEntries: 10}

	var body strings.Builder
	for i := range 11 {
		fmt.Fprintf(&body, el, i)
	}
	in := "[" + strings.TrimSuffix(body.String(), ",") + "]"
	_, err := Parse(strings.NewReader(in), Options{Format: FormatGoGoCarto, Source: "t", Limits: small})
	if !errors.Is(err, ErrTooManyEntries) || !strings.Contains(err.Error(), "more than 10") {
		t.Errorf("11 entries with a cap of 10: %v", err)
	}
	csvIn := "id,name,country\n" + strings.Repeat("1,A,FR\n", 11)
	if _, err := Parse(strings.NewReader(csvIn), Options{Format: FormatCSV, Source: "t", Limits: small}); !errors.Is(err, ErrTooManyEntries) {
		t.Errorf("CSV rows over the cap: %v", err)
	}

	exact := "[" + strings.Repeat(" ", 4<<10-2) + "]"
	if _, err := Parse(strings.NewReader(exact), Options{Format: FormatGoGoCarto, Source: "t", Limits: small}); err != nil {
		t.Errorf("a file of exactly MaxBytes: %v", err)
	}
	over := "[" + strings.Repeat(" ", 4<<10-1) + "]"
	if _, err := Parse(strings.NewReader(over), Options{Format: FormatGoGoCarto, Source: "t", Limits: small}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a file one byte over: %v", err)
	}

	// The default limits: a 50 MB file and 100,000 entries, streamed.
	if testing.Short() {
		t.Skip("default limits read up to 51 MB")
	}
	pad := strings.Repeat("x", 1000)
	big := newRepeat(`{"data":[`, `{"id":"x","name":"`+pad+`"},`, DefaultMaxBytes/1000, `{}]}`)
	if _, err := Parse(big, Options{Format: FormatGoGoCarto, Source: "t"}); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "over 52428800 bytes") {
		t.Errorf("51 MB file: %v", err)
	}
	many := newRepeat("id,name,country\n", "1,A,FR\n", DefaultMaxEntries+1, "")
	if _, err := Parse(many, Options{Format: FormatCSV, Source: "t"}); !errors.Is(err, ErrTooManyEntries) {
		t.Errorf("100,001 rows: %v", err)
	}
}

// FuzzParse checks that no input makes Parse panic, and that what it
// accepts has only valid entries.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"ontology":"gogofull","data":[{"id":"a","name":"A","geo":{"latitude":48,"longitude":2},"address":{"addressCountry":"FR"},"optionValues":[1,{"optionId":2}]}]}`,
		`[{"id":1,"name":["x"]}]`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[2,48]},"properties":{"name":"A","id":"1","country":"FR"}}]}`,
		"id,name,country,lat,lon\n1,A,FR,48,2\n",
		"id;nom;pays\n1;\"A;B\";FR\n",
	} {
		f.Add(s)
	}
	tx, err := ParseTaxonomy(strings.NewReader(`[{"options":[{"id":1,"name":"Habitat","subcategories":[{"options":[{"id":2,"name":"Ressourcerie"}]}]}]}]`))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in string) {
		for _, format := range []Format{FormatGoGoCarto, FormatGeoJSON, FormatCSV} {
			b, err := Parse(strings.NewReader(in), Options{Format: format, Source: "f", Taxonomy: tx, Limits: Limits{MaxEntries: 100}})
			if err != nil {
				continue
			}
			for _, e := range b.Entries {
				if e.Name == "" || e.SourceID == "" || e.Place.Country == "" || (e.Place.Lat == nil) != (e.Place.Lon == nil) {
					t.Fatalf("invalid entry accepted: %+v", e)
				}
			}
			NewPlan(b, nil).Report().WriteText(io.Discard)
		}
	})
}
