package mapgeo

import (
	"bufio"
	"html"
	"io"
	"strings"
)

// RenderOptions changes how WriteBase draws the base map.
type RenderOptions struct {
	// Highlight lists country codes drawn in a darker tone, such as the
	// countries of the current results.
	Highlight map[string]bool
	// CountryHref, if set, makes each country a link (say, to the directory
	// zoomed to Country.BBox); "" leaves a country without one.
	CountryHref func(c Country) string
}

// Colours meet WCAG 2.1's 3:1 contrast for graphics (SC 1.4.11) between
// borders and land; markers and labels go on top with their own colours.
// They are presentation attributes, not style attributes, so a strict
// Content-Security-Policy leaves them alone, and a stylesheet can still
// override them through the classes.
const (
	seaFill    = "#dbe9f1"
	landFill   = "#f3f1ea"
	onFill     = "#e2dcc8"
	borderLine = "#7d7d7d"
)

// WriteBase writes the base map for view as an SVG <g> element, to be
// placed in an <svg> whose viewBox is view.ViewBox(); markers follow it in
// the same <svg>. Only countries and borders that reach into view are
// written, so a zoomed map is lighter than the whole one. Strokes do not
// scale with the zoom (vector-effect). No script is involved.
func (m *Map) WriteBase(w io.Writer, view Box, o RenderOptions) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(`<g class="basemap"><rect class="sea" x="` + num(view.MinX) + `" y="` + num(view.MinY) +
		`" width="` + num(view.W()) + `" height="` + num(view.H()) + `" fill="` + seaFill + `"/>`)
	for _, c := range m.Countries {
		if !c.Box.Intersects(view) {
			continue
		}
		href := ""
		if o.CountryHref != nil {
			href = o.CountryHref(c)
		}
		if href != "" {
			bw.WriteString(`<a href="` + html.EscapeString(href) + `">`)
		}
		class, fill := "land", landFill
		if o.Highlight[c.ID] && c.ID != "" {
			class, fill = "land on", onFill
		}
		if c.ID != "" {
			class += " c-" + c.ID
		}
		bw.WriteString(`<path class="` + class + `" fill="` + fill + `" fill-rule="evenodd" d="` + c.D + `"><title>` +
			html.EscapeString(c.Name) + `</title></path>`)
		if href != "" {
			bw.WriteString(`</a>`)
		}
	}
	var d strings.Builder
	for _, l := range m.Borders {
		if l.Box.Intersects(view) {
			d.WriteString(l.D)
		}
	}
	if d.Len() > 0 {
		bw.WriteString(`<path class="borders" fill="none" stroke="` + borderLine +
			`" stroke-width="0.8" stroke-linejoin="round" vector-effect="non-scaling-stroke" d="` + d.String() + `"/>`)
	}
	bw.WriteString(`</g>`)
	return bw.Flush()
}
