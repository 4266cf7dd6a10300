package web

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/mapgeo"
	"codeberg.org/maillage/maillage/internal/model"
	template "codeberg.org/maillage/maillage/internal/web/webkit/tmpl/htmltemplate"
)

// The map is clustered for a 360 px wide drawing with markers 26 px
// across, and shown between 100% of a phone's width and 640 px: on a
// 390 px phone a marker is still about 25 px, above the 24 px target of
// WCAG 2.2 SC 2.5.8, and on a wide screen it grows with the map.
const (
	mapWidthPx  = 360
	mapMarkerPx = 26
	// mapMinKm is the narrowest view a zoom shows (a town and around it).
	mapMinKm = 20
)

// sectorFill is the colour of a marker whose points share a sector: each
// dark enough for white count labels (4.5:1, WCAG 2.1 SC 1.4.3; tested).
// Markers whose points do not share a sector are mixedFill. Shapes tell
// the kinds apart, so colour is never the only cue (SC 1.4.1).
var sectorFill = map[string]string{
	"mobility": "#1f5f99", "energy": "#8a5200", "water-natural-resources": "#0e6a6a",
	"food-agriculture": "#3d6b1f", "housing": "#8b3a3a", "circular-economy": "#5c6400",
	"digital": "#5a3d99", "finance": "#1e3a5f", "health-care": "#a3245a",
	"education-training": "#7a4a12", "employment-inclusion": "#0b6b45", "culture-media": "#7b2d8e",
	"citizenship-local-development": "#b02e1c", "ess-support": "#4a5868",
}

const mixedFill = "#30363d"

// kindShape is the shape of each kind on the map and in the legend.
var kindShape = map[directory.Kind]mapgeo.Shape{
	directory.KindOrg: mapgeo.Circle, directory.KindProject: mapgeo.Square, directory.KindCall: mapgeo.Diamond,
}

// mapView is the directory's map: the SVG and its legend.
type mapView struct {
	SVG      template.HTML // written by mapgeo, which escapes every value
	Placed   int           // results on the map
	Outside  int           // results with a position outside the view
	Unplaced int           // results without a position
	Zoomed   bool
	Europe   string // the directory with the same filters and no bbox
	Kinds    []legendItem
	Sectors  []legendItem
	Mixed    legendItem // markers whose points differ in sector
}

type legendItem struct {
	Key, Label, Fill string
	Shape            string // "circle", "square", "diamond"
}

// newMap draws every place matching the query, clustered for the view
// (the bbox filter, else Europe). Links keep the page's filters: a
// cluster or a country zooms in, a single result opens its page.
func (h *Handler) newMap(f *filters, v url.Values, total int, lang string, now time.Time) (mapView, error) {
	q := f.Query
	places := h.dir.Places(q, now)
	p := h.basemap.Proj
	view := mapgeo.Europe
	if f.BBox != nil {
		view = mapgeo.View(p, *f.BBox, mapMinKm)
	}
	l := mapgeo.Layout{View: view, WidthPx: mapWidthPx, MinPx: mapMarkerPx}
	pts := make([]mapgeo.Point, len(places))
	for i, pl := range places {
		pts[i] = mapgeo.Point{ID: pl.ID, Lon: pl.Lon, Lat: pl.Lat, Kind: string(pl.Kind), Sector: pl.Sector}
	}
	c, err := mapgeo.Cluster(p, pts, l)
	if err != nil {
		return mapView{}, err
	}
	m := mapView{Mixed: legendItem{Fill: mixedFill, Shape: "circle"}, Placed: len(places) - c.Outside - c.Invalid, Outside: c.Outside, Unplaced: max(total-len(places), 0) + c.Invalid,
		Zoomed: f.BBox != nil, Europe: "/directory?" + withParam(v, "bbox", "")}
	zoom := func(b mapgeo.BBox) string { return "/directory?" + withParam(v, "bbox", b.String()) }

	var svg strings.Builder
	svg.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="map" width="` + strconv.Itoa(mapWidthPx) +
		`" viewBox="` + view.ViewBox() + `" aria-labelledby="map-title"><title id="map-title">` +
		template.HTMLEscapeString(h.tr.T(lang, "directory.map")) + `</title>`)
	err = h.basemap.WriteBase(&svg, view, mapgeo.RenderOptions{CountryHref: func(c mapgeo.Country) string {
		if c.ID == "" {
			return ""
		}
		return zoom(c.BBox)
	}})
	if err != nil {
		return mapView{}, err
	}
	kinds, sectors := map[string]bool{}, map[string]bool{}
	style := func(mk mapgeo.Marker) mapgeo.MarkerStyle {
		s := mapgeo.MarkerStyle{Shape: kindShape[directory.Kind(mk.Kind)], Fill: mixedFill, Class: "kind-" + mk.Kind}
		if fill, ok := sectorFill[mk.Sector]; ok {
			s.Fill = fill
			sectors[mk.Sector] = true
		}
		for _, i := range mk.Members {
			kinds[pts[i].Kind] = true
		}
		first := places[mk.Members[0]]
		switch {
		case mk.Count == 1:
			s.Href, s.Title = first.URL, first.Title
		case mk.IsCoincident():
			// Zooming cannot split them: list them, filtered to this spot.
			s.Href = zoom(mk.BBox.Pad(0, 0.002))
			s.Title = h.tr.T(lang, "directory.map_here", mk.Count, first.Title)
		default:
			s.Href = zoom(mk.BBox.Pad(0.3, 0.02))
			s.Title = h.tr.T(lang, "directory.map_cluster", mk.Count)
		}
		return s
	}
	if err := mapgeo.WriteMarkers(&svg, c.Markers, l, style); err != nil {
		return mapView{}, err
	}
	svg.WriteString(`</svg>`)
	m.SVG = template.HTML(svg.String()) // mapgeo escapes titles, names and links
	if len(sectors) > 0 || len(kinds) > 0 {
		m.legend(kinds, sectors, func(k string) string { return h.tr.T(lang, k) }, lang)
	}
	return m, nil
}

// legend lists the shapes of the kinds and the colours of the sectors
// that are on the map, in the taxonomy's order.
func (m *mapView) legend(kinds, sectors map[string]bool, t func(string) string, lang string) {
	for _, k := range []directory.Kind{directory.KindOrg, directory.KindProject, directory.KindCall} {
		if kinds[string(k)] {
			m.Kinds = append(m.Kinds, legendItem{Key: string(k), Label: t("kind." + string(k)), Fill: mixedFill,
				Shape: [...]string{"circle", "square", "diamond"}[kindShape[k]]})
		}
	}
	for _, s := range model.Sectors {
		if sectors[s.Slug] {
			label := s.EN
			if lang == "fr" {
				label = s.FR
			}
			m.Sectors = append(m.Sectors, legendItem{Key: s.Slug, Label: label, Fill: sectorFill[s.Slug], Shape: "circle"})
		}
	}
}

// withParam is the query string v without paging, with key set to val
// ("" removes it).
func withParam(v url.Values, key, val string) string {
	c := url.Values{}
	for k, vs := range v {
		if k != "page" && k != key {
			c[k] = vs
		}
	}
	if val != "" {
		c.Set(key, val)
	}
	return c.Encode()
}
