package matching

import (
	"math"
	"slices"
	"sync"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// Grid for circles: cells of cellDeg × cellDeg degrees. A circle whose
// bounding box covers more than maxCells cells is kept in a list that every
// call with a point scans instead.
const (
	cellDeg  = 2
	rows     = 180 / cellDeg
	cols     = 360 / cellDeg
	maxCells = 64
)

// bucket names a list a subscriber is filed under.
type bucket struct {
	kind uint8 // byCountry, byCell, wide, bySector, byRole
	n    int32
}

const (
	byCountry uint8 = iota
	byCell
	wide
	bySector
	byRole
)

// Index matches calls against many subscribers' interests. Subscribers are
// identified by opaque ids (a member, an organisation). It is safe for
// concurrent use; Match only takes a read lock.
type Index struct {
	// mu guards the fields below.
	mu    sync.RWMutex
	subs  map[string]*subscriber
	lists map[bucket][]*subscriber
}

// New returns an empty Index.
func New() *Index {
	return &Index{subs: map[string]*subscriber{}, lists: map[bucket][]*subscriber{}}
}

// Len is the number of subscribers.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.subs)
}

// Set replaces the interests of subscriber id. Interests should have passed
// Validate; invalid ones are kept and behave as Interests.Matches says.
// Empty interests are kept too (they count in Len) and match nothing.
func (ix *Index) Set(id string, in Interests) {
	s := compileInterests(id, in)
	s.filed = bucketsOf(s)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.removeLocked(id)
	ix.subs[id] = s
	for _, b := range s.filed {
		ix.lists[b] = append(ix.lists[b], s)
	}
}

// Remove forgets subscriber id; it does nothing if id is unknown.
func (ix *Index) Remove(id string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.removeLocked(id)
}

func (ix *Index) removeLocked(id string) {
	s, ok := ix.subs[id]
	if !ok {
		return
	}
	delete(ix.subs, id)
	for _, b := range s.filed {
		l := ix.lists[b]
		if i := slices.Index(l, s); i >= 0 {
			l[i] = l[len(l)-1]
			l[len(l)-1] = nil
			l = l[:len(l)-1]
		}
		if len(l) == 0 {
			delete(ix.lists, b)
		} else {
			ix.lists[b] = l
		}
	}
}

// Match returns the sorted ids of the subscribers call is for at now.
func (ix *Index) Match(call model.Object, now time.Time) []string {
	c, ok := compileCall(call, now)
	if !ok {
		return nil
	}
	var ids []string
	ix.mu.RLock()
	visit := func(b bucket) {
		for _, s := range ix.lists[b] {
			if s.matches(&c) {
				ids = append(ids, s.id)
			}
		}
	}
	switch {
	case c.hasCountry:
		visit(bucket{byCountry, int32(c.country)})
	case !c.eligible.isEmpty():
		for i := range 26 * 26 {
			if c.eligible.has(i) {
				visit(bucket{byCountry, int32(i)})
			}
		}
	}
	if c.hasPoint {
		visit(bucket{byCell, cellOf(c.lat, c.lon)})
		visit(bucket{kind: wide})
	}
	for i := range 64 {
		if c.sectors&(1<<i) != 0 {
			visit(bucket{bySector, int32(i)})
		}
		if c.roles&(1<<i) != 0 {
			visit(bucket{byRole, int32(i)})
		}
	}
	ix.mu.RUnlock()
	slices.Sort(ids) // a subscriber reached from two lists appears twice
	return slices.Compact(ids)
}

// bucketsOf files a subscriber under one dimension it stated, the most
// selective first: place, else sectors, else roles. A call can only match
// it through that dimension, so Match visits no other subscriber.
func bucketsOf(s *subscriber) []bucket {
	var bs []bucket
	switch {
	case s.hasCountries || s.near != nil:
		for i := range 26 * 26 {
			if s.countries.has(i) {
				bs = append(bs, bucket{byCountry, int32(i)})
			}
		}
		if s.near != nil {
			bs = append(bs, cellsOf(s)...)
		}
	case s.hasSectors:
		bs = bits(bySector, s.sectors)
	case s.hasRoles:
		bs = bits(byRole, s.roles)
	}
	return bs
}

func bits(kind uint8, m uint64) []bucket {
	var bs []bucket
	for i := range 64 {
		if m&(1<<i) != 0 {
			bs = append(bs, bucket{kind, int32(i)})
		}
	}
	return bs
}

// cellsOf lists the grid cells that s's bounding box covers, or the wide
// list when they are too many or the circle cannot be bounded.
func cellsOf(s *subscriber) []bucket {
	if !boundable(*s.near) || s.box.dLon >= 180 {
		return []bucket{{kind: wide}}
	}
	b := s.box
	r0, r1 := row(b.lat-b.dLat), row(b.lat+b.dLat)
	c0, c1 := colFloor(b.lon-b.dLon), colFloor(b.lon+b.dLon)
	if c1-c0+1 >= cols || (r1-r0+1)*(c1-c0+1) > maxCells {
		return []bucket{{kind: wide}}
	}
	var bs []bucket
	for r := r0; r <= r1; r++ {
		for c := c0; c <= c1; c++ {
			bs = append(bs, bucket{byCell, int32(r*cols + wrap(c))})
		}
	}
	return bs
}

func cellOf(lat, lon float64) int32 { return int32(row(lat)*cols + wrap(colFloor(lon))) }

func row(lat float64) int { return min(max(int(math.Floor((lat+90)/cellDeg)), 0), rows-1) }

// colFloor is the column of lon before wrapping: outside 0..cols-1 for
// longitudes beyond ±180.
func colFloor(lon float64) int { return int(math.Floor((lon + 180) / cellDeg)) }

func wrap(c int) int { return ((c % cols) + cols) % cols }
