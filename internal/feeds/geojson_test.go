package feeds

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"testing"

	"codeberg.org/maillage/maillage/internal/directory"
)

type testCollection struct {
	Type     string            `json:"type"`
	Features []json.RawMessage `json:"features"`
}

type testFeature struct {
	Type     string `json:"type"`
	ID       string `json:"id"`
	Geometry struct {
		Type        string    `json:"type"`
		Coordinates []float64 `json:"coordinates"`
	} `json:"geometry"`
	Properties geoProperty `json:"properties"`
}

func readGeoJSON(t *testing.T, raw []byte) []testFeature {
	t.Helper()
	var c testCollection
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, raw)
	}
	if c.Type != "FeatureCollection" || c.Features == nil {
		t.Fatalf("not a FeatureCollection with a features array: %s", raw)
	}
	features := make([]testFeature, len(c.Features))
	for i, raw := range c.Features {
		if err := json.Unmarshal(raw, &features[i]); err != nil {
			t.Fatalf("feature %d: %v", i, err)
		}
		if f := features[i]; f.Type != "Feature" || f.Geometry.Type != "Point" || len(f.Geometry.Coordinates) != 2 {
			t.Errorf("feature %d is not a Point feature: %s", i, raw)
		}
	}
	return features
}

func TestGeoJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := GeoJSON(&buf, fixtureEntries()); err != nil {
		t.Fatal(err)
	}
	features := readGeoJSON(t, buf.Bytes())
	want := []struct {
		id       string
		lon, lat float64
		props    geoProperty
	}{
		{"https://a.example/orgs/coop", 2.35, 48.85, geoProperty{
			ID: "https://a.example/orgs/coop", URL: "https://a.example/@coop", Kind: "org", Title: "Coop Énergie",
			Org: "Coop Énergie", OrgID: "https://a.example/orgs/coop", Country: "FR", Sectors: []string{"energy"},
			Status: "active",
		}},
		{"https://b.example/calls/1", 18.4, -33.9, geoProperty{
			ID: "https://b.example/calls/1", URL: "https://b.example/calls/1", Kind: "call",
			Title: fixtureEntries()[2].Title, Org: "ESS; Cape, Town", OrgID: "https://b.example/orgs/ess",
			Country: "ZA", Sectors: []string{"finance", "digital"}, Status: "open", Deadline: "2026-03-15T00:00:00Z",
		}},
		{"https://b.example/calls/2", -5.57, 50.63, geoProperty{
			ID: "https://b.example/calls/2", URL: "https://b.example/calls/2", Kind: "call",
			Title: `=HYPERLINK("http://evil.example") write to [e-mail removed]`,
			Org:   "-ESS+ <[e-mail removed]>", OrgID: "https://b.example/orgs/ess", Country: "BE",
			Sectors: []string{"@sector"}, Status: "cancelled", Deadline: "2026-04-01T15:00:00Z",
		}},
	}
	if len(features) != len(want) {
		t.Fatalf("%d features, want %d (entries with a position)", len(features), len(want))
	}
	for i, w := range want {
		f := features[i]
		if f.ID != w.id {
			t.Errorf("feature %d id = %q, want %q", i, f.ID, w.id)
		}
		if c := f.Geometry.Coordinates; c[0] != w.lon || c[1] != w.lat {
			t.Errorf("feature %d coordinates = %v, want [lon %v, lat %v]", i, c, w.lon, w.lat)
		}
		if !reflect.DeepEqual(f.Properties, w.props) {
			t.Errorf("feature %d properties =\n%+v\nwant\n%+v", i, f.Properties, w.props)
		}
	}
	if m := emailPattern().FindAllString(buf.String(), -1); m != nil {
		t.Errorf("e-mail addresses in output: %q", m)
	}
	if bytes.Contains(buf.Bytes(), []byte("<script>")) {
		t.Errorf("<script> not escaped in JSON")
	}
}

func TestGeoJSONSkips(t *testing.T) {
	base := fixtureEntries()[0]
	tests := []struct {
		name     string
		lat, lon *float64
		want     int
	}{
		{"no position", nil, nil, 0},
		{"latitude only", ptr(1.0), nil, 0},
		{"latitude out of range", ptr(91.0), ptr(0.0), 0},
		{"longitude out of range", ptr(0.0), ptr(-180.5), 0},
		{"NaN", ptr(math.NaN()), ptr(0.0), 0},
		{"infinite", ptr(0.0), ptr(math.Inf(1)), 0},
		{"null island", ptr(0.0), ptr(0.0), 1},
		{"corners", ptr(-90.0), ptr(180.0), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := base
			e.Lat, e.Lon = tt.lat, tt.lon
			var buf bytes.Buffer
			if err := GeoJSON(&buf, []directory.Entry{e}); err != nil {
				t.Fatal(err)
			}
			if got := len(readGeoJSON(t, buf.Bytes())); got != tt.want {
				t.Errorf("%d features, want %d", got, tt.want)
			}
		})
	}
}

func TestGeoJSONEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := GeoJSON(&buf, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "{\"type\":\"FeatureCollection\",\"features\":[]}\n"; got != want {
		t.Errorf("empty collection = %q, want %q", got, want)
	}
}

func TestGeoJSONNoSectors(t *testing.T) {
	e := fixtureEntries()[0]
	e.Sectors = nil
	var buf bytes.Buffer
	if err := GeoJSON(&buf, []directory.Entry{e}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte(`"sectors":[]`)) {
		t.Errorf("sectors not an empty array: %s", buf.Bytes())
	}
}
