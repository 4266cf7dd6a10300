package mapgeo

import (
	"bufio"
	"html"
	"io"
	"strconv"
)

// Shape tells kinds apart without relying on colour alone (WCAG 2.1 SC
// 1.4.1).
type Shape int

const (
	Circle Shape = iota
	Square
	Diamond
)

// MarkerStyle is how one marker is drawn.
type MarkerStyle struct {
	Shape Shape
	Fill  string // a CSS colour from the caller's palette, not user input
	Class string // added to the marker's class, such as "kind-call"
	Href  string // link, such as the directory zoomed to the cluster
	Title string // accessible name, such as "12 organisations near Lyon"
}

// Marker text and outline colours: white on the caller's fill, which must
// be dark enough for 4.5:1 (SC 1.4.3), inside a dark outline that stands
// out from the pale land and sea (3:1, SC 1.4.11).
const (
	markerText    = "#ffffff"
	markerOutline = "#1f2937"
)

// WriteMarkers writes the markers as SVG, to follow WriteBase in the same
// <svg>. Each is MinPx across on screen whatever the zoom (so at least 24
// CSS pixels, a target size that passes WCAG 2.2 SC 2.5.8), with its count
// when it holds more than one point. style gives each marker's look.
func WriteMarkers(w io.Writer, ms []Marker, l Layout, style func(Marker) MarkerStyle) error {
	bw := bufio.NewWriter(w)
	r := max(l.MinPx, 24) / 2 * l.View.W() / l.WidthPx
	fs := r * 1.1
	bw.WriteString(`<g class="markers" stroke="` + markerOutline + `" stroke-width="1.5" font-family="sans-serif" font-weight="bold" text-anchor="middle">`)
	for _, m := range ms {
		s := style(m)
		if s.Href != "" {
			bw.WriteString(`<a href="` + html.EscapeString(s.Href) + `">`)
		}
		bw.WriteString(`<g class="marker ` + html.EscapeString(s.Class) + `" fill="` + html.EscapeString(s.Fill) + `">`)
		if s.Title != "" {
			bw.WriteString(`<title>` + html.EscapeString(s.Title) + `</title>`)
		}
		x, y := num(m.X), num(m.Y)
		switch s.Shape {
		case Square:
			bw.WriteString(`<rect x="` + num(m.X-r) + `" y="` + num(m.Y-r) + `" width="` + num(2*r) + `" height="` + num(2*r) + `" vector-effect="non-scaling-stroke"/>`)
		case Diamond:
			bw.WriteString(`<path d="M` + x + ` ` + num(m.Y-r) + `L` + num(m.X+r) + ` ` + y + `L` + x + ` ` + num(m.Y+r) + `L` + num(m.X-r) + ` ` + y + `z" vector-effect="non-scaling-stroke"/>`)
		default:
			bw.WriteString(`<circle cx="` + x + `" cy="` + y + `" r="` + num(r) + `" vector-effect="non-scaling-stroke"/>`)
		}
		if m.Count > 1 {
			label := strconv.Itoa(m.Count)
			if m.Count > 999 {
				label = strconv.Itoa(m.Count/1000) + "k"
			}
			bw.WriteString(`<text x="` + x + `" y="` + num(m.Y+fs*0.35) + `" font-size="` + num(fs) +
				`" fill="` + markerText + `" stroke="none">` + label + `</text>`)
		}
		bw.WriteString(`</g>`)
		if s.Href != "" {
			bw.WriteString(`</a>`)
		}
	}
	bw.WriteString(`</g>`)
	return bw.Flush()
}
