package web

import (
	"encoding/json"
	"net/http"
	"net/url"

	"codeberg.org/maillage/maillage/internal/config"
)

// tileConfig is the optional slippy map of the directory: Leaflet, served
// by this instance from webkit/static/leaflet (scripts/vendor-leaflet),
// over the operator's tiles. Without it the page has no script at all.
type tileConfig struct {
	url, attribution string
	// csp is the directory page's policy: scripts from this instance, the
	// tiles' host for images only, the points fetched from this instance.
	csp string
}

func newTileConfig(tmpl, attribution string) (*tileConfig, error) {
	if tmpl == "" {
		return nil, nil
	}
	origin, err := config.TileOrigin(tmpl)
	if err != nil {
		return nil, err
	}
	return &tileConfig{url: tmpl, attribution: attribution,
		csp: "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' " + origin +
			"; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"}, nil
}

// tileView is what the directory template needs for the slippy map.
type tileView struct {
	URL, Attribution string
	// Points is this instance's GeoJSON export with the page's filters
	// (bbox included): every placed result, bounded by maxExport.
	Points string
	// Query is the page's filters without paging or bbox: the script adds
	// the bbox of the visible area to it for the "list this area" link.
	Query string
	BBox  string // the page's bbox, "" for Europe
	Area  string // the directory with Query, until the script sets the bbox
	Fills string // JSON: sector slug to marker colour as on the SVG map, "" for mixed
}

// slippy returns the slippy map of the page, nil when no tile URL is set,
// and sets the page's policy to let the script and the tiles in.
func (h *Handler) slippy(w http.ResponseWriter, f *filters, v url.Values) *tileView {
	if h.tiles == nil {
		return nil
	}
	w.Header().Set("Content-Security-Policy", h.tiles.csp)
	m := map[string]string{"": mixedFill}
	for k, c := range sectorFill {
		m[k] = c
	}
	fills, _ := json.Marshal(m) // a map of strings: cannot fail
	t := &tileView{URL: h.tiles.url, Attribution: h.tiles.attribution,
		Points: "/directory.geojson?" + exportQuery(v), Query: withParam(v, "bbox", ""), Fills: string(fills)}
	t.Area = "/directory?" + t.Query
	if f.BBox != nil {
		t.BBox = f.BBox.String()
	}
	return t
}
