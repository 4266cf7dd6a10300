package directory

import "hash/maphash"

// idTable finds an entry by IRI: open addressing with linear probing (at
// most three quarters full, made twice as large as its entries when it
// grows, of any size: a slot is the hash scaled to it) over
// positions in Index.rows, the IRI itself read from the arena, so that
// the index does not keep a second copy of every IRI as a map key.
type idTable struct {
	slots []int32 // -1: empty
	n     int
	seed  maphash.Seed
}

func newIDTable() idTable { return idTable{seed: maphash.MakeSeed()} }

// home is the first slot of hash h: its high 32 bits scaled to the size.
func (t *idTable) home(h uint64) int { return int((h >> 32) * uint64(len(t.slots)) >> 32) }

// next is the slot after s.
func (t *idTable) next(s int) int {
	if s++; s == len(t.slots) {
		return 0
	}
	return s
}

// hashOf is the hash of the IRI of row i, written in its two parts.
func (ix *Index) hashOf(i int32) uint64 {
	var h maphash.Hash
	h.SetSeed(ix.byID.seed)
	r := &ix.rows[i]
	if r.flags&flagIDInOrg != 0 {
		h.WriteString(ix.str(r.org))
	}
	h.Write(field(ix.arena, r.off, fID))
	return h.Sum64()
}

// idIs reports whether row i has the IRI id.
func (ix *Index) idIs(i int32, id string) bool {
	r := &ix.rows[i]
	rest := field(ix.arena, r.off, fID)
	if r.flags&flagIDInOrg != 0 {
		org := ix.str(r.org)
		return len(id) == len(org)+len(rest) && id[:len(org)] == org && id[len(org):] == string(rest)
	}
	return id == string(rest)
}

// find returns the position of id and its slot, or -1 and the empty slot
// where it would go.
func (ix *Index) find(id string) (pos int32, slot int) {
	t := &ix.byID
	if len(t.slots) == 0 {
		return -1, -1
	}
	for s := t.home(maphash.String(t.seed, id)); ; s = t.next(s) {
		p := t.slots[s]
		if p < 0 || ix.idIs(p, id) {
			return p, s
		}
	}
}

// slotOf returns the slot holding position i.
func (ix *Index) slotOf(i int32) int {
	t := &ix.byID
	for s := t.home(ix.hashOf(i)); ; s = t.next(s) {
		if t.slots[s] == i {
			return s
		}
	}
}

// insert adds position i, the last row, whose IRI is not in the table.
func (ix *Index) insert(i int32) {
	t := &ix.byID
	if (t.n+1)*4 > len(t.slots)*3 {
		ix.rehash(max(16, 2*len(ix.rows))) // every row, i included
		return
	}
	s := t.home(ix.hashOf(i))
	for t.slots[s] >= 0 {
		s = t.next(s)
	}
	t.slots[s] = i
	t.n++
}

func (ix *Index) rehash(size int) {
	t := &ix.byID
	t.slots = make([]int32, size)
	for s := range t.slots {
		t.slots[s] = -1
	}
	for i := range int32(len(ix.rows)) {
		s := t.home(ix.hashOf(i))
		for t.slots[s] >= 0 {
			s = t.next(s)
		}
		t.slots[s] = i
	}
	t.n = len(ix.rows)
}

// deleteSlot empties slot s, moving back the entries after it that
// probing would no longer reach (Knuth's algorithm R).
func (ix *Index) deleteSlot(s int) {
	t := &ix.byID
	t.slots[s] = -1
	t.n--
	for j := t.next(s); t.slots[j] >= 0; j = t.next(j) {
		home := t.home(ix.hashOf(t.slots[j]))
		// Move j into s unless home lies cyclically in (s, j].
		if (j > s && (home <= s || home > j)) || (j < s && home <= s && home > j) {
			t.slots[s], t.slots[j] = t.slots[j], -1
			s = j
		}
	}
}
