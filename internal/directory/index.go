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
type Index struct {
	// Read-only after New.
	sectorBit  map[string]uint64 // slug -> bit
	roleBit    map[string]uint64 // role -> bit
	sectorText []string          // folded slug and labels, by bit number
	scratch    sync.Pool         // *[]hit, reused by queries

	// mu guards entries, rows, pos and strs.
	mu      sync.RWMutex
	entries []Entry
	rows    []row          // rows[i] is the scan data of entries[i]
	pos     map[string]int // ID -> index in entries and rows
	strs    interned
}

// New returns an empty index.
func New() *Index {
	ix := &Index{
		sectorBit: make(map[string]uint64, len(model.Sectors)),
		roleBit:   make(map[string]uint64, len(model.PartnerRoles)),
		pos:       make(map[string]int),
		strs:      make(interned),
	}
	for i, s := range model.Sectors[:min(len(model.Sectors), 64)] {
		ix.sectorBit[s.Slug] = 1 << i
		ix.sectorText = append(ix.sectorText, fold.String(s.Slug+"\n"+s.EN+"\n"+s.FR))
	}
	for i, r := range model.PartnerRoles[:min(len(model.PartnerRoles), 64)] {
		ix.roleBit[r] = 1 << i
	}
	ix.scratch.New = func() any { return new([]hit) }
	return ix
}

// Len is the number of entries.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.entries)
}

// Get returns a copy of the entry id, as stored (DistanceKm nil, Status
// not computed).
func (ix *Index) Get(id string) (Entry, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	i, ok := ix.pos[id]
	if !ok {
		return Entry{}, false
	}
	return clone(ix.entries[i]), true
}

// Put adds e, or replaces the entry with the same ID. The index keeps its
// own copy. Putting an organisation that is new or whose Title changed
// sets the OrgName of its projects and calls to that Title.
func (ix *Index) Put(e Entry) {
	ix.put(e, true)
}

func (ix *Index) put(e Entry, rename bool) {
	e = clone(e)
	e.DistanceKm = nil
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.strs.acquire(&e)
	r := ix.row(&e)
	i, ok := ix.pos[e.ID]
	if ok {
		rename = rename && e.Kind == KindOrg && ix.entries[i].Title != e.Title
		ix.strs.release(&ix.entries[i])
		ix.entries[i], ix.rows[i] = e, r
	} else {
		rename = rename && e.Kind == KindOrg
		ix.pos[e.ID] = len(ix.entries)
		ix.entries = append(ix.entries, e)
		ix.rows = append(ix.rows, r)
	}
	if rename {
		ix.renameOrgLocked(e.ID, e.Title)
	}
}

// renameOrgLocked sets the OrgName of the entries of organisation org.
func (ix *Index) renameOrgLocked(org, name string) {
	for i := range ix.entries {
		e := &ix.entries[i]
		if e.Org == org && e.ID != org && e.OrgName != name {
			ix.strs.drop(e.OrgName)
			e.OrgName = ix.strs.get(name)
			ix.rows[i] = ix.row(e)
		}
	}
}

// grow makes room for n more entries.
func (ix *Index) grow(n int) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.entries = slices.Grow(ix.entries, n)
	ix.rows = slices.Grow(ix.rows, n)
}

// Remove deletes the entry id, if present.
func (ix *Index) Remove(id string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if i, ok := ix.pos[id]; ok {
		ix.removeAtLocked(i)
	}
}

// removeOrg deletes the entry id and every entry whose Org is id.
func (ix *Index) removeOrg(id string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	// Backwards, so that the entry swapped into i was already checked.
	for i := len(ix.entries) - 1; i >= 0; i-- {
		if e := &ix.entries[i]; e.ID == id || e.Org == id {
			ix.removeAtLocked(i)
		}
	}
}

// removeAtLocked moves the last entry into i and shortens the slices.
func (ix *Index) removeAtLocked(i int) {
	last := len(ix.entries) - 1
	ix.strs.release(&ix.entries[i])
	delete(ix.pos, ix.entries[i].ID)
	if i != last {
		ix.entries[i], ix.rows[i] = ix.entries[last], ix.rows[last]
		ix.pos[ix.entries[i].ID] = i
	}
	ix.entries[last], ix.rows[last] = Entry{}, row{}
	ix.entries, ix.rows = ix.entries[:last], ix.rows[:last]
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
