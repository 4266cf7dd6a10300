package mapgeo

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestWriteMarkers(t *testing.T) {
	m, p := loadEurope(t), NewProjection()
	pts := randomPoints(2000, 3)
	l := Layout{View: View(p, BBox{-6, 40, 24, 52}, 10), WidthPx: 390, MinPx: 20}
	c, err := Cluster(p, pts, l)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" width="390" viewBox="` + l.View.ViewBox() + `">`)
	if err := m.WriteBase(&b, l.View, RenderOptions{}); err != nil {
		t.Fatal(err)
	}
	style := func(mk Marker) MarkerStyle {
		s := MarkerStyle{Fill: "#8a3b12", Class: "kind-" + mk.Kind, Href: "?bbox=" + mk.BBox.Pad(0.1, 0.05).String() + "&a=b",
			Title: strconv.Itoa(mk.Count) + ` <"places">`}
		switch mk.Kind {
		case "project":
			s.Shape = Square
		case "call":
			s.Shape = Diamond
		}
		return s
	}
	if err := WriteMarkers(&b, c.Markers, l, style); err != nil {
		t.Fatal(err)
	}
	b.WriteString(`</svg>`)
	if dir := os.Getenv("MAPGEO_SVG_DIR"); dir != "" { // to look at it in a browser
		os.WriteFile(dir+"/markers.svg", b.Bytes(), 0o644)
	}
	d := xml.NewDecoder(bytes.NewReader(b.Bytes()))
	circles, texts := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			switch se.Name.Local {
			case "circle", "rect", "path":
				circles++
			case "text":
				texts++
			}
			for _, a := range se.Attr {
				// 24 px on screen is 12 px of radius in map units.
				if se.Name.Local == "circle" && a.Name.Local == "r" {
					if r, _ := strconv.ParseFloat(a.Value, 64); r*l.WidthPx/l.View.W() < 11.99 {
						t.Errorf("marker radius %v is under 12 px", r)
					}
				}
			}
		}
	}
	multi := 0
	for _, mk := range c.Markers {
		if mk.Count > 1 {
			multi++
		}
	}
	if texts != multi || circles < len(c.Markers) {
		t.Errorf("%d texts for %d clusters, %d shapes for %d markers", texts, multi, circles, len(c.Markers))
	}
	if strings.Contains(b.String(), `<"places">`) || !strings.Contains(b.String(), "&amp;a=b") {
		t.Error("title or link not escaped")
	}
}
