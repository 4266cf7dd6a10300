package directory

import (
	"math/bits"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// Facets counts matching entries per value of a filter, for filter menus.
// Values with no entry are left out.
type Facets struct {
	Kinds     map[Kind]int   `json:"kinds"`
	Sectors   map[string]int `json:"sectors"`   // by slug
	Countries map[string]int `json:"countries"` // by ISO code; entries without one are not counted
}

// Counts counts, for each facet (kind, sector, country), the entries that
// match q with that facet's own filter left out, so that a menu shows
// what choosing another value would give: with Country "FR", Countries
// counts every country and Sectors counts French entries.
func (ix *Index) Counts(q Query, now time.Time) Facets {
	var kinds [8]int
	var sectors [64]int
	f := Facets{Kinds: map[Kind]int{}, Sectors: map[string]int{}, Countries: map[string]int{}}

	ix.mu.RLock()
	m := ix.compile(q, now)
	for i := range ix.rows {
		r := &ix.rows[i]
		if ok, _ := ix.rest(&m, r); !ok {
			continue
		}
		k, s, c := m.kindOK(r), m.sectorOK(r), m.countryOK(r)
		if s && c {
			kinds[r.kind]++
		}
		if k && c {
			for b := r.sectors; b != 0; b &= b - 1 {
				sectors[bits.TrailingZeros64(b)]++
			}
		}
		if k && s && r.countryKey != 0 {
			f.Countries[ix.str(r.countryKey)]++
		}
	}
	ix.mu.RUnlock()

	for _, k := range []Kind{KindOrg, KindProject, KindCall} {
		if n := kinds[kindBit(k)]; n > 0 {
			f.Kinds[k] = n
		}
	}
	for i, s := range model.Sectors[:len(ix.sectorText)] {
		if sectors[i] > 0 {
			f.Sectors[s.Slug] = sectors[i]
		}
	}
	return f
}
