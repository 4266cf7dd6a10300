package mapgeo

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

func loadEurope(t testing.TB) *Map {
	t.Helper()
	m, err := LoadEurope()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// The page-weight budget: the whole map's path data under 60 KB.
func TestPathDataUnder60KB(t *testing.T) {
	m := loadEurope(t)
	if n := m.PathBytes(); n >= 60_000 || n < 10_000 {
		t.Errorf("path data is %d bytes, want under 60,000 (and a real map)", n)
	}
	t.Logf("path data: %d bytes, %d countries, %d border runs", m.PathBytes(), len(m.Countries), len(m.Borders))
}

func TestEmbeddedCountries(t *testing.T) {
	m := loadEurope(t)
	p := m.Proj
	for _, tt := range []struct {
		id       string
		lon, lat float64
	}{{"FR", 4.85, 45.75}, {"PT", -9.14, 38.72}, {"FI", 24.94, 60.17}, {"MT", 14.51, 35.9},
		{"IS", -21.9, 64.15}, {"CY", 33.36, 35.17}, {"XK", 21.17, 42.67}, {"IE", -6.26, 53.35}} {
		c, ok := m.Country(tt.id)
		if !ok {
			t.Errorf("no country %s", tt.id)
			continue
		}
		x, y := p.Forward(tt.lon, tt.lat)
		if !c.Box.Contains(x, y) || !c.BBox.Contains(tt.lon, tt.lat) {
			t.Errorf("%s: box %v / bbox %v do not hold (%v, %v)", tt.id, c.Box, c.BBox, tt.lon, tt.lat)
		}
	}
	if m.Source == "" {
		t.Error("map data has no source for the attribution")
	}
}

func TestWriteBase(t *testing.T) {
	m := loadEurope(t)
	var whole, zoomed bytes.Buffer
	href := func(c Country) string { return "/directory?bbox=" + c.BBox.String() + "&x=<1>" }
	if err := m.WriteBase(&whole, m.Box, RenderOptions{Highlight: map[string]bool{"FR": true}, CountryHref: href}); err != nil {
		t.Fatal(err)
	}
	view := View(m.Proj, BBox{West: 2, South: 43, East: 8, North: 47}, 100)
	if err := m.WriteBase(&zoomed, view, RenderOptions{}); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string]*bytes.Buffer{"whole": &whole, "zoomed": &zoomed} {
		svg := `<svg xmlns="http://www.w3.org/2000/svg">` + b.String() + `</svg>`
		d := xml.NewDecoder(strings.NewReader(svg))
		for {
			if _, err := d.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s: not well-formed XML: %v", name, err)
			}
		}
		if strings.Contains(svg, "<script") {
			t.Errorf("%s contains a script", name)
		}
	}
	if !strings.Contains(whole.String(), `class="land on c-FR"`) || !strings.Contains(whole.String(), "&amp;x=&lt;1&gt;") {
		t.Error("whole map: France not highlighted or link not escaped")
	}
	z := zoomed.String()
	if !strings.Contains(z, "c-FR") || !strings.Contains(z, "c-CH") || strings.Contains(z, "c-FI") {
		t.Error("zoomed map on the Alps: want France and Switzerland, not Finland")
	}
	if zoomed.Len()*3 > whole.Len() {
		t.Errorf("zoomed map is %d bytes, whole %d: culling does not work", zoomed.Len(), whole.Len())
	}
}

func TestLoadRejectsBrokenData(t *testing.T) {
	for name, in := range map[string]string{
		"not JSON":    "<svg>",
		"empty box":   `{"box":[0,0,0,0]}`,
		"bad path":    `{"box":[0,0,1,1],"countries":[{"name":"X","d":"M1 1l2 x"}]}`,
		"odd numbers": `{"box":[0,0,1,1],"countries":[{"name":"X","d":"M1 1l2"}]}`,
		"l first":     `{"box":[0,0,1,1],"countries":[{"name":"X","d":"l1 1"}]}`,
		"lone minus":  `{"box":[0,0,1,1],"borders":["M1 -"]}`,
		"huge number": `{"box":[0,0,1,1],"borders":["M1 123456789012"]}`,
		"empty path":  `{"box":[0,0,1,1],"borders":[""]}`,
		"too large":   `{"source":"` + strings.Repeat("x", maxData) + `"}`,
	} {
		if _, err := Load(strings.NewReader(in)); err == nil {
			t.Errorf("%s: Load succeeded, want an error", name)
		}
	}
	m, err := Load(strings.NewReader(`{"box":[0,0,10,10],"borders":["M1 2l3-4-1 1z"]}`))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.Borders[0].Box, (Box{1, -2, 4, 2}); got != want {
		t.Errorf("box of M1 2l3-4-1 1z = %v, want %v", got, want)
	}
}
