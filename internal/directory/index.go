package directory

import (
	"slices"
	"sync"

	"codeberg.org/maillage/maillage/internal/fold"
	"codeberg.org/maillage/maillage/internal/model"
)

// Index is an in-memory directory. It is safe for concurrent use: queries
// share a read lock and scan every entry; Put and Remove take the write
// lock and cost O(1), except that a new or renamed organisation also
// renames its objects (O(n)).
//
// An entry is a fixed-size row and its texts in a shared byte arena
// (row.go, arena.go), found by IRI through idTable: under 300 bytes an
// entry at 100,000 entries (BenchmarkIndexBytes).
type Index struct {
	// Read-only after New.
	sectorBit  map[string]uint64 // slug -> bit
	roleBit    map[string]uint32 // role -> bit
	sectorText []string          // folded slug and labels, by bit number
	scratch    sync.Pool         // *[]hit, reused by queries

	// mu guards everything below.
	mu      sync.RWMutex
	rows    []row
	arena   []byte
	garbage int // bytes of the arena no row uses
	byID    idTable
	strs    interned
	ids     stringIDs
	runes   map[rune]string // foldPatch's cache
}

// New returns an empty index.
func New() *Index {
	ix := &Index{
		sectorBit: make(map[string]uint64, len(model.Sectors)),
		roleBit:   make(map[string]uint32, len(model.PartnerRoles)),
		strs:      make(interned),
		ids:       newStringIDs(),
		byID:      newIDTable(),
		runes:     map[rune]string{},
	}
	for i, s := range model.Sectors[:min(len(model.Sectors), 64)] {
		ix.sectorBit[s.Slug] = 1 << i
		ix.sectorText = append(ix.sectorText, fold.String(s.Slug+"\n"+s.EN+"\n"+s.FR))
	}
	for i, r := range model.PartnerRoles[:min(len(model.PartnerRoles), 32)] {
		ix.roleBit[r] = 1 << i
	}
	ix.scratch.New = func() any { return new([]hit) }
	return ix
}

// Len is the number of entries.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.rows)
}

// Get returns a copy of the entry id, as stored (DistanceKm nil, Status
// not computed).
func (ix *Index) Get(id string) (Entry, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	i, _ := ix.find(id)
	if i < 0 {
		return Entry{}, false
	}
	return ix.decode(&ix.rows[i]), true
}

// Put adds e, or replaces the entry with the same ID. The index keeps its
// own copy. Putting an organisation that is new or whose Title changed
// sets the OrgName of its projects and calls to that Title.
func (ix *Index) Put(e Entry) {
	ix.put(e, true)
}

func (ix *Index) put(e Entry, rename bool) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	r := ix.encode(&e)
	i, _ := ix.find(e.ID)
	if i >= 0 {
		old := &ix.rows[i]
		rename = rename && e.Kind == KindOrg &&
			ix.title(old) != e.Title
		ix.release(old)
		ix.rows[i] = r
	} else {
		rename = rename && e.Kind == KindOrg
		ix.rows = grow(ix.rows, 1, 256)
		ix.rows = append(ix.rows, r)
		ix.insert(int32(len(ix.rows) - 1))
	}
	if rename {
		ix.renameOrgLocked(e.ID, e.Title)
	}
	ix.compactLocked()
}

// renameOrgLocked sets the OrgName of the entries of organisation org.
func (ix *Index) renameOrgLocked(org, name string) {
	orgID, ok := ix.lookup(org)
	if !ok || orgID == 0 {
		return
	}
	var nameID uint32
	for i := range ix.rows {
		r := &ix.rows[i]
		if r.org != orgID || ix.idIs(int32(i), org) || ix.str(r.orgName) == name {
			continue
		}
		if nameID == 0 {
			nameID = ix.internFolded(name)
		} else {
			ix.intern(name)
		}
		ix.drop(r.orgName)
		r.orgName = nameID
		title := ix.title(r)
		r.flags &^= flagOrgInSearch
		if name != title {
			r.flags |= flagOrgInSearch
		}
		ix.setGrams(r)
	}
}

// grow makes room for n more entries.
func (ix *Index) grow(n int) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.rows = slices.Grow(ix.rows, n)
}

// Remove deletes the entry id, if present.
func (ix *Index) Remove(id string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if i, s := ix.find(id); i >= 0 {
		ix.removeAtLocked(i, s)
	}
	ix.compactLocked()
}

// removeOrg deletes the entry id and every entry whose Org is id.
func (ix *Index) removeOrg(id string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	orgID, ok := ix.lookup(id)
	// Backwards, so that the entry swapped into i was already checked.
	for i := int32(len(ix.rows)) - 1; i >= 0; i-- {
		if ok && orgID != 0 && ix.rows[i].org == orgID || ix.idIs(i, id) {
			ix.removeAtLocked(i, ix.slotOf(i))
		}
	}
	ix.compactLocked()
}

// removeAtLocked moves the last entry into i and shortens the rows; s is
// the table slot of i.
func (ix *Index) removeAtLocked(i int32, s int) {
	last := int32(len(ix.rows) - 1)
	ix.release(&ix.rows[i])
	ix.deleteSlot(s)
	if i != last {
		ls := ix.slotOf(last)
		ix.rows[i] = ix.rows[last]
		ix.byID.slots[ls] = i
	}
	ix.rows[last] = row{}
	ix.rows = ix.rows[:last]
}

// compactLocked rewrites the arena without its garbage once that is more
// than half of it.
func (ix *Index) compactLocked() {
	if ix.garbage < 64<<10 || ix.garbage*2 < len(ix.arena) {
		return
	}
	a := make([]byte, 0, len(ix.arena)-ix.garbage)
	for i := range ix.rows {
		r := &ix.rows[i]
		n := fieldsLen(ix.arena, r.off)
		start := len(a)
		a = append(a, ix.arena[r.off:int(r.off)+n]...)
		r.off = uint32(start)
	}
	ix.arena, ix.garbage = a, 0
}

// grow makes room for n more in s, and at least atLeast: when full, a
// sixteenth more than it holds rather than append's quarter, so that at
// most about 6% of a large index is room not yet used.
func grow[T any](s []T, n, atLeast int) []T {
	if cap(s)-len(s) >= n {
		return s
	}
	g := make([]T, len(s), len(s)+max(n, atLeast, len(s)/16))
	copy(g, s)
	return g
}

// clone copies e's slices and pointers, so that the copy shares nothing.
func clone(e Entry) Entry {
	e.Sectors = slices.Clone(e.Sectors)
	e.PartnerRoles = slices.Clone(e.PartnerRoles)
	e.Lat, e.Lon, e.DistanceKm = clonePtr(e.Lat), clonePtr(e.Lon), clonePtr(e.DistanceKm)
	e.Deadline = clonePtr(e.Deadline)
	e.Provenance = clonePtr(e.Provenance)
	return e
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
