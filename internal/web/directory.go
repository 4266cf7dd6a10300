package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// parseQuery reads the directory filters from the URL. Unknown values are
// ignored rather than refused: this is a search form.
func parseQuery(v url.Values) directory.Query {
	q := directory.Query{Text: strings.TrimSpace(v.Get("q")), Country: strings.ToUpper(v.Get("country")),
		Role: v.Get("role"), OpenOnly: v.Get("open") != "", Source: v.Get("source"), Sort: v.Get("sort")}
	for _, k := range v["kind"] {
		switch directory.Kind(k) {
		case directory.KindOrg, directory.KindProject, directory.KindCall:
			q.Kinds = append(q.Kinds, directory.Kind(k))
		}
	}
	for _, s := range v["sector"] {
		if model.IsSector(s) {
			q.Sectors = append(q.Sectors, s)
		}
	}
	if len(q.Country) != 2 {
		q.Country = ""
	}
	lat, err1 := strconv.ParseFloat(v.Get("lat"), 64)
	lon, err2 := strconv.ParseFloat(v.Get("lon"), 64)
	radius, err3 := strconv.ParseFloat(v.Get("radius"), 64)
	if err1 == nil && err2 == nil && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 {
		q.Near = &directory.Point{Lat: lat, Lon: lon}
		if err3 == nil && radius > 0 && radius <= 20000 {
			q.RadiusKm = radius
		}
	}
	q.Page, _ = strconv.Atoi(v.Get("page"))
	q.PerPage, _ = strconv.Atoi(v.Get("per_page"))
	return q
}

// directoryView is what the directory page shows.
type directoryView struct {
	Query    directory.Query
	Values   url.Values
	Result   directory.Result
	Pages    []pageLink
	Map      mapView
	Sectors  []sectorOption
	Roles    []string
	Exports  template.URL // "?" and the encoded filters, for the export links
	Now      time.Time
	LastPage int
}

type pageLink struct {
	N       int
	URL     string
	Current bool
}

type sectorOption struct {
	Slug, Label string
	Checked     bool
}

func (h *Handler) showDirectory(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	q := parseQuery(v)
	now := h.now()
	res := h.dir.Query(q, now)
	lang := h.tr.Pick(r)
	view := directoryView{Query: q, Values: v, Result: res, Roles: model.PartnerRoles, Now: now,
		Exports: template.URL("?" + exportQuery(v))} // built by url.Values.Encode: already escaped
	for _, s := range model.Sectors {
		label := s.EN
		if lang == "fr" {
			label = s.FR
		}
		checked := false
		for _, c := range q.Sectors {
			checked = checked || c == s.Slug
		}
		view.Sectors = append(view.Sectors, sectorOption{s.Slug, label, checked})
	}
	view.LastPage = (res.Total + res.PerPage - 1) / max(res.PerPage, 1)
	for n := max(1, res.Page-3); n <= min(view.LastPage, res.Page+3); n++ {
		view.Pages = append(view.Pages, pageLink{N: n, URL: "/directory?" + withPage(v, n), Current: n == res.Page})
	}
	view.Map = newMap(res.Entries)
	h.kit.Render(w, r, http.StatusOK, "directory", webkit.Page{Title: h.tr.T(lang, "directory.title"),
		Description: h.tr.T(lang, "directory.description"), Data: view})
}

// withPage is the query string v with page set to n.
func withPage(v url.Values, n int) string {
	c := url.Values{}
	for k, vs := range v {
		c[k] = vs
	}
	c.Set("page", strconv.Itoa(n))
	return c.Encode()
}

// exportQuery is v without paging, for exports that take every match.
func exportQuery(v url.Values) string {
	c := url.Values{}
	for k, vs := range v {
		if k != "page" && k != "per_page" {
			c[k] = vs
		}
	}
	return c.Encode()
}

func (h *Handler) directoryJSON(w http.ResponseWriter, r *http.Request) {
	res := h.dir.Query(parseQuery(r.URL.Query()), h.now())
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, http.StatusOK, res)
}

// mapView places entries with coordinates on an equirectangular map of
// Europe drawn as inline SVG: no tile server, no script.
type mapView struct {
	Width, Height int
	Points        []mapPoint
	Grid          []mapLine
	Labels        []mapLabel // country codes at their capitals, to find one's way
	Outside       int        // entries with coordinates outside the frame
}

type mapLabel struct {
	X, Y float64
	Text string
}

// capitals place country codes on the map (approximate, for orientation).
var capitals = []struct {
	code     string
	lat, lon float64
}{
	{"IS", 64.1, -21.9}, {"IE", 53.3, -6.3}, {"GB", 51.5, -0.1}, {"PT", 38.7, -9.1}, {"ES", 40.4, -3.7},
	{"FR", 48.9, 2.4}, {"BE", 50.8, 4.4}, {"NL", 52.4, 4.9}, {"LU", 49.6, 6.1}, {"DE", 52.5, 13.4},
	{"CH", 46.9, 7.4}, {"IT", 41.9, 12.5}, {"AT", 48.2, 16.4}, {"DK", 55.7, 12.6}, {"NO", 59.9, 10.8},
	{"SE", 59.3, 18.1}, {"FI", 60.2, 24.9}, {"EE", 59.4, 24.8}, {"LV", 56.9, 24.1}, {"LT", 54.7, 25.3},
	{"PL", 52.2, 21.0}, {"CZ", 50.1, 14.4}, {"SK", 48.1, 17.1}, {"HU", 47.5, 19.0}, {"SI", 46.1, 14.5},
	{"HR", 45.8, 16.0}, {"RO", 44.4, 26.1}, {"BG", 42.7, 23.3}, {"GR", 38.0, 23.7}, {"CY", 35.2, 33.4},
	{"MT", 35.9, 14.5}, {"RS", 44.8, 20.5}, {"UA", 50.5, 30.5}, {"TR", 39.9, 32.9},
}

type mapPoint struct {
	X, Y  float64
	Title string
	URL   string
	Kind  directory.Kind
}

type mapLine struct{ X1, Y1, X2, Y2 float64 }

// The frame: from Iceland and the Canaries to the Urals and the Levant.
const (
	mapWest, mapEast   = -25.0, 45.0
	mapSouth, mapNorth = 27.0, 72.0
	mapWidth           = 700
)

func newMap(entries []directory.Entry) mapView {
	height := int(float64(mapWidth) * (mapNorth - mapSouth) / (mapEast - mapWest) * 1.2) // stretch latitudes a little
	m := mapView{Width: mapWidth, Height: height}
	x := func(lon float64) float64 { return (lon - mapWest) / (mapEast - mapWest) * float64(m.Width) }
	y := func(lat float64) float64 { return (mapNorth - lat) / (mapNorth - mapSouth) * float64(m.Height) }
	for lon := -20.0; lon <= 40; lon += 10 {
		m.Grid = append(m.Grid, mapLine{x(lon), 0, x(lon), float64(m.Height)})
	}
	for lat := 30.0; lat <= 70; lat += 10 {
		m.Grid = append(m.Grid, mapLine{0, y(lat), float64(m.Width), y(lat)})
	}
	for _, c := range capitals {
		m.Labels = append(m.Labels, mapLabel{x(c.lon), y(c.lat), c.code})
	}
	for _, e := range entries {
		if e.Lat == nil || e.Lon == nil {
			continue
		}
		if *e.Lon < mapWest || *e.Lon > mapEast || *e.Lat < mapSouth || *e.Lat > mapNorth {
			m.Outside++
			continue
		}
		m.Points = append(m.Points, mapPoint{X: x(*e.Lon), Y: y(*e.Lat), Title: e.Title, URL: e.URL, Kind: e.Kind})
	}
	return m
}

// HasKind reports whether kind k is selected.
func (d directoryView) HasKind(k string) bool {
	for _, x := range d.Query.Kinds {
		if string(x) == k {
			return true
		}
	}
	return false
}

// First is the rank of the page's first entry.
func (d directoryView) First() int { return (d.Result.Page-1)*d.Result.PerPage + 1 }

// writeJSON answers v as JSON (the directory's public document).
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
