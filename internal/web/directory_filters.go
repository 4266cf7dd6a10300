package web

import (
	"net/url"
	"strconv"
	"strings"

	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/gazetteer"
	"codeberg.org/maillage/maillage/internal/i18n"
	"codeberg.org/maillage/maillage/internal/mapgeo"
	"codeberg.org/maillage/maillage/internal/model"
)

// maxRadiusKm bounds the radius filter: half the Earth's circumference.
const maxRadiusKm = 20000

// filterError is a filter the page could not use: the field, and the key
// of its message in the reader's language with the value it quotes.
type filterError struct {
	Field, Key string
	Arg        string
	Message    string // Key and Arg in the reader's language (translate)
}

// filters is the directory query read from a URL, with what was wrong in
// it and the place that "near" named.
type filters struct {
	Query  directory.Query
	Errors []filterError
	Place  *gazetteer.Place // what "near" found
	BBox   *mapgeo.BBox
}

// byField is f.Errors by field, the first of each, for the form's
// messages.
func (f filters) byField() map[string]*filterError {
	m := make(map[string]*filterError, len(f.Errors))
	for i := range f.Errors {
		if _, ok := m[f.Errors[i].Field]; !ok {
			m[f.Errors[i].Field] = &f.Errors[i]
		}
	}
	return m
}

// parseQuery reads the directory filters of the JSON and the exports:
// invalid values are left out, the page reports them (readFilters).
func (h *Handler) parseQuery(v url.Values) directory.Query { return h.readFilters(v).Query }

// readFilters reads the directory filters from the URL. Unknown kinds and
// sectors (checkboxes) are ignored; a value typed in a field that cannot
// be used is reported, in the order of the form, and left out.
func (h *Handler) readFilters(v url.Values) filters {
	q := directory.Query{Text: strings.TrimSpace(v.Get("q")), Role: v.Get("role"),
		OpenOnly: v.Get("open") != "", Source: v.Get("source"), Sort: v.Get("sort"), SelfPublished: v.Get("self") != ""}
	var f filters
	bad := func(field, key, arg string) {
		f.Errors = append(f.Errors, filterError{Field: field, Key: key, Arg: arg})
	}
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
	if c := strings.TrimSpace(v.Get("country")); c != "" {
		if model.IsCountryCode(c) {
			q.Country = strings.ToUpper(c)
		} else {
			bad("country", "directory.err_country", c)
		}
	}

	radius, radiusOK := 0.0, true
	if s := strings.TrimSpace(v.Get("radius")); s != "" {
		r, err := strconv.ParseFloat(s, 64)
		if radiusOK = err == nil && r > 0 && r <= maxRadiusKm; radiusOK {
			radius = r
		}
	}
	if near := strings.TrimSpace(v.Get("near")); near != "" {
		h.readNear(near, &q, &f, bad)
	} else {
		readPoint(v, &q, bad)
	}
	if !radiusOK {
		bad("radius", "directory.err_radius", strconv.Itoa(maxRadiusKm))
	} else if q.Near != nil && q.RadiusKm == 0 {
		q.RadiusKm = radius
	}
	if s := v.Get("bbox"); s != "" {
		if b, err := mapgeo.ParseBBox(s); err == nil {
			f.BBox = &b
			q.Within = &directory.BBox{West: b.West, South: b.South, East: b.East, North: b.North}
		} else {
			bad("bbox", "directory.err_bbox", "")
		}
	}
	switch q.Sort {
	case "", directory.SortRecent, directory.SortDeadline, directory.SortTitle:
	case directory.SortDistance:
		if q.Near == nil {
			bad("sort", "directory.err_sort_distance", "")
			q.Sort = ""
		}
	default:
		q.Sort = ""
	}
	q.Page, _ = strconv.Atoi(v.Get("page"))
	q.PerPage, _ = strconv.Atoi(v.Get("per_page"))
	f.Query = q
	return f
}

// translate fills the errors' messages in lang.
func (f *filters) translate(tr *i18n.Bundle, lang string) {
	for i := range f.Errors {
		e := &f.Errors[i]
		if e.Arg != "" {
			e.Message = tr.T(lang, e.Key, e.Arg)
		} else {
			e.Message = tr.T(lang, e.Key)
		}
	}
}

// readNear looks the place up in the gazetteer: "Lyon, 50 km".
func (h *Handler) readNear(near string, q *directory.Query, f *filters, bad func(field, key, arg string)) {
	pq, err := gazetteer.ParseQuery(near)
	if err != nil {
		bad("near", "directory.err_near", "")
		return
	}
	g, err := h.places()
	if err != nil {
		h.log.Error("load gazetteer", "err", err)
		bad("near", "directory.err_near_unavailable", "")
		return
	}
	p, ok := g.Find(pq.Name, pq.Country)
	if !ok {
		bad("near", "directory.err_near_unknown", pq.Name)
		return
	}
	f.Place = &p
	q.Near = &directory.Point{Lat: p.Lat, Lon: p.Lon}
	q.RadiusKm = pq.RadiusKm
}

// readPoint reads the lat and lon fields, which go together.
func readPoint(v url.Values, q *directory.Query, bad func(field, key, arg string)) {
	ls, ns := strings.TrimSpace(v.Get("lat")), strings.TrimSpace(v.Get("lon"))
	if ls == "" && ns == "" {
		return
	}
	lat, err1 := strconv.ParseFloat(ls, 64)
	lon, err2 := strconv.ParseFloat(ns, 64)
	ok1 := err1 == nil && lat >= -90 && lat <= 90
	ok2 := err2 == nil && lon >= -180 && lon <= 180
	// A missing half is reported only when the other half is usable.
	if !ok1 && (ls != "" || ok2) {
		bad("lat", "directory.err_lat", "")
	}
	if !ok2 && (ns != "" || ok1) {
		bad("lon", "directory.err_lon", "")
	}
	if ok1 && ok2 {
		q.Near = &directory.Point{Lat: lat, Lon: lon}
	}
}
