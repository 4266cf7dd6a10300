package directory

import (
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// hit is a matching entry: its position and, for queries with a point,
// its distance in km (-1 without a position).
type hit struct {
	pos  int32
	dist float64
}

// Query returns one page of the entries matching q, in q's order, as of
// now (which decides open and expired calls). Returned entries are copies.
// The scan takes the read lock and allocates only the page it returns.
func (ix *Index) Query(q Query, now time.Time) Result {
	m := ix.compile(q, now)
	hp := ix.scratch.Get().(*[]hit)
	defer ix.scratch.Put(hp)

	ix.mu.RLock()
	defer ix.mu.RUnlock()
	hits := (*hp)[:0]
	for i := range ix.rows {
		r := &ix.rows[i]
		if !m.kindOK(r) || !m.sectorOK(r) || !m.countryOK(r) {
			continue
		}
		if ok, d := m.rest(r); ok {
			hits = append(hits, hit{pos: int32(i), dist: d})
		}
	}
	*hp = hits

	res := Result{Entries: []Entry{}, Total: len(hits), Page: m.page, PerPage: m.limit}
	if m.page-1 >= (len(hits)+m.limit-1)/m.limit {
		return res
	}
	start := (m.page - 1) * m.limit
	end := min(start+m.limit, len(hits))
	for _, h := range selectTop(hits, end, ix.compare(m.sort))[start:end] {
		res.Entries = append(res.Entries, ix.export(h, &m))
	}
	return res
}

// callState is what decides whether the call of e is open.
func (e *Entry) callState() model.CallState {
	return model.CallState{Status: e.Status, Deadline: e.Deadline}
}

// export copies the entry of h as a query result.
func (ix *Index) export(h hit, m *matcher) Entry {
	e := clone(ix.entries[h.pos])
	if e.Kind == KindCall {
		e.Status = string(e.callState().At(m.now))
	}
	if m.near && h.dist >= 0 {
		d := h.dist
		e.DistanceKm = &d
	}
	return e
}

// Place is a matching entry with a position, as the map shows it.
type Place struct {
	ID, URL, Title string
	Kind           Kind
	Sector         string // the entry's first sector, or ""
	Lat, Lon       float64
}

// Places returns every entry matching q that has a position, not only one
// page of them, in index order: the map places all the results. Paging
// and sorting are ignored.
func (ix *Index) Places(q Query, now time.Time) []Place {
	m := ix.compile(q, now)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var out []Place
	for i := range ix.rows {
		r := &ix.rows[i]
		if !r.hasPos || !m.kindOK(r) || !m.sectorOK(r) || !m.countryOK(r) {
			continue
		}
		if ok, _ := m.rest(r); !ok {
			continue
		}
		e := &ix.entries[i]
		if e.Lat == nil || e.Lon == nil {
			continue
		}
		p := Place{ID: e.ID, URL: e.URL, Title: e.Title, Kind: e.Kind, Lat: *e.Lat, Lon: *e.Lon}
		if len(e.Sectors) > 0 {
			p.Sector = e.Sectors[0]
		}
		out = append(out, p)
	}
	return out
}
