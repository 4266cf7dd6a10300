package directory

import (
	"math"
	"strings"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// matcher is a Query compiled for scanning rows.
type matcher struct {
	kinds      uint8 // kind bits; with anyKind false, one must match
	anyKind    bool
	sectors    uint64
	anySector  bool
	roles      uint32
	anyRole    bool
	country    uint32 // countryKey; with anyCountry false, must equal
	anyCountry bool
	source     uint32 // sourceKey; with anySource false, must equal
	anySource  bool
	openOnly   bool
	self       bool   // SelfPublished
	open       uint32 // number of the status "open", 0 when no entry has it
	nowNanos   int64
	words      []string
	wordSector []uint64 // sectors whose labels contain words[i]
	wordGrams  []grams

	near       bool
	lat, lon   float64 // radians
	cosLat     float64
	radiusKm   float64 // 0: no limit
	maxLat     float64 // radians: farther in latitude is out of the radius
	maxHav     float64 // haversine of the radius, with a little slack
	within     bool
	w, s, e, n float64 // radians: the box of Within

	sort        string
	now         time.Time
	page, limit int
}

// compile is called with ix.mu held: it reads the interned strings.
func (ix *Index) compile(q Query, now time.Time) matcher {
	m := matcher{
		anyKind:   len(q.Kinds) == 0,
		anySector: len(q.Sectors) == 0,
		anyRole:   q.Role == "",
		roles:     ix.roleBit[q.Role],
		openOnly:  q.OpenOnly,
		self:      q.SelfPublished,
		now:       now,
		nowNanos:  nanos(now),
		words:     words(q.Text),
		sort:      q.Sort,
	}
	// A country or host that no entry has matches nothing: noString.
	country := strings.ToUpper(strings.TrimSpace(q.Country))
	m.anyCountry = country == ""
	if id, ok := ix.lookup(country); ok {
		m.country = id
	} else {
		m.country = noString
	}
	source := strings.ToLower(strings.TrimSpace(q.Source))
	m.anySource = source == ""
	if id, ok := ix.lookup(source); ok {
		m.source = id
	} else {
		m.source = noString
	}
	m.open, _ = ix.lookup(string(model.CallOpen))
	for _, k := range q.Kinds {
		m.kinds |= kindBit(k)
	}
	for _, s := range q.Sectors {
		m.sectors |= ix.sectorBit[s]
	}
	for _, w := range m.words {
		var bits uint64
		for i, t := range ix.sectorText {
			if strings.Contains(t, w) {
				bits |= 1 << i
			}
		}
		m.wordSector = append(m.wordSector, bits)
		m.wordGrams = append(m.wordGrams, gramsOf(w))
	}
	if q.Near != nil && validPos(q.Near.Lat, q.Near.Lon) {
		m.near = true
		m.lat, m.lon = radians(q.Near.Lat), radians(q.Near.Lon)
		m.cosLat = math.Cos(m.lat)
		if q.RadiusKm > 0 {
			m.radiusKm = q.RadiusKm
			m.maxLat = q.RadiusKm / earthRadiusKm
			m.maxHav = maxHaversine(q.RadiusKm) * (1 + 1e-9)
		}
	}
	if b := q.Within; b != nil && b.West < b.East && b.South < b.North {
		m.within = true
		m.w, m.s, m.e, m.n = radians(b.West), radians(b.South), radians(b.East), radians(b.North)
	}
	if m.sort == SortDistance && !m.near || m.sort == "" {
		m.sort = SortRecent
	}
	m.page, m.limit = max(q.Page, 1), q.PerPage
	switch {
	case m.limit <= 0:
		m.limit = 20
	case m.limit > 100:
		m.limit = 100
	}
	return m
}

func (m *matcher) kindOK(r *row) bool    { return m.anyKind || r.kind&m.kinds != 0 }
func (m *matcher) sectorOK(r *row) bool  { return m.anySector || r.sectors&m.sectors != 0 }
func (m *matcher) countryOK(r *row) bool { return m.anyCountry || r.countryKey == m.country }

// noString is a string number no row holds.
const noString = ^uint32(0)

// rest applies every filter but kind, sector and country (the facets). It
// returns the distance in km when the query has a point, -1 when the
// entry has no position.
func (ix *Index) rest(m *matcher, r *row) (bool, float64) {
	if m.openOnly && !r.openAt(m.open, m.nowNanos) || m.self && r.flags&flagListed != 0 {
		return false, 0
	}
	if !m.anyRole && r.roles&m.roles == 0 || !m.anySource && r.sourceKey != m.source {
		return false, 0
	}
	var hasPos bool
	var lat, lon float64
	if m.within || m.near {
		if hasPos = r.hasPos(); hasPos {
			lat, lon = radians(r.lat), radians(r.lon)
		}
	}
	if m.within && (!hasPos || lon < m.w || lon > m.e || lat < m.s || lat > m.n) {
		return false, 0
	}
	dist := -1.0
	if m.near {
		switch {
		case hasPos && m.radiusKm > 0:
			if d := lat - m.lat; d > m.maxLat || -d > m.maxLat {
				return false, 0
			}
			h := haversine(m.lat, m.cosLat, m.lon, lat, math.Cos(lat), lon)
			if h > m.maxHav {
				return false, 0
			}
			if dist = arcKm(h); dist > m.radiusKm {
				return false, 0
			}
		case hasPos:
			dist = arcKm(haversine(m.lat, m.cosLat, m.lon, lat, math.Cos(lat), lon))
		case m.radiusKm > 0:
			return false, 0
		}
	}
	for i, w := range m.words {
		if r.sectors&m.wordSector[i] == 0 && (!r.grams.covers(&m.wordGrams[i]) || !ix.searchHas(r, w)) {
			return false, 0
		}
	}
	return true, dist
}

// searchHas reports whether the folded word w is in r's title, summary,
// organisation name (when not the title) or place: as a substring of the
// four joined by newlines, which a word never holds.
func (ix *Index) searchHas(r *row, w string) bool {
	return strings.Contains(unsafeString(field(ix.arena, r.off, fText)), w) ||
		r.flags&flagOrgInSearch != 0 && strings.Contains(ix.foldedStr(r.orgName), w) ||
		strings.Contains(ix.foldedStr(r.place), w)
}
