package directory

import (
	"encoding/binary"
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
	hp := ix.scratch.Get().(*[]hit)
	defer ix.scratch.Put(hp)

	ix.mu.RLock()
	defer ix.mu.RUnlock()
	m := ix.compile(q, now)
	hits := (*hp)[:0]
	for i := range ix.rows {
		r := &ix.rows[i]
		if !m.kindOK(r) || !m.sectorOK(r) || !m.countryOK(r) {
			continue
		}
		if ok, d := ix.rest(&m, r); ok {
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
	e := ix.decode(&ix.rows[h.pos])
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
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	m := ix.compile(q, now)
	var out []Place
	for i := range ix.rows {
		r := &ix.rows[i]
		if !r.hasPos() || !m.kindOK(r) || !m.sectorOK(r) || !m.countryOK(r) {
			continue
		}
		if ok, _ := ix.rest(&m, r); !ok {
			continue
		}
		a := ix.arena
		p := Place{ID: ix.idOf(r), Title: ix.title(r),
			Kind: bitKind(r.kind), Lat: r.lat, Lon: r.lon}
		if r.kind == 0 {
			p.Kind = Kind(field(a, r.off, fKind))
		}
		p.URL = p.ID
		if r.flags&flagURLIsID == 0 {
			p.URL = string(field(a, r.off, fURL))
		}
		if s := field(a, r.off, fSectors); len(s) > 0 {
			id, _ := binary.Uvarint(s)
			p.Sector = ix.str(uint32(id))
		}
		out = append(out, p)
	}
	return out
}
