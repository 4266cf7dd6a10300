package directory

import "codeberg.org/maillage/maillage/internal/fold"

// interned shares the strings many entries repeat (an organisation's IRI
// and name in each of its projects and calls, hosts, countries, places,
// statuses, sector slugs), counted so that a string no entry uses any
// more is dropped: a peer renaming its organisations again and again
// does not grow the table. Rows hold a string's number (internRef.id),
// 4 bytes instead of a 16-byte header. Guarded by Index.mu.
type interned map[string]*internRef

type internRef struct {
	s      string
	folded string // fold.String(s), for the strings the search reads (names, places)
	n      int
	id     uint32
}

// stringIDs numbers the interned strings: byID[id] is the string of id, id 0
// is "" and never counted; free holds the numbers of dropped strings.
type stringIDs struct {
	byID []*internRef
	free []uint32
}

func newStringIDs() stringIDs { return stringIDs{byID: []*internRef{{}}} }

// intern counts one more use of s and returns its number.
func (ix *Index) intern(s string) uint32 {
	if s == "" {
		return 0
	}
	r, ok := ix.strs[s]
	if !ok {
		r = &internRef{s: s}
		if n := len(ix.ids.free); n > 0 {
			r.id, ix.ids.free = ix.ids.free[n-1], ix.ids.free[:n-1]
			ix.ids.byID[r.id] = r
		} else {
			r.id = uint32(len(ix.ids.byID))
			ix.ids.byID = append(ix.ids.byID, r)
		}
		ix.strs[s] = r
	}
	r.n++
	return r.id
}

// internFolded is intern for a string the search reads folded.
func (ix *Index) internFolded(s string) uint32 {
	id := ix.intern(s)
	if r := ix.ids.byID[id]; id != 0 && r.folded == "" {
		r.folded = fold.String(s)
	}
	return id
}

// drop counts one use less of the string id.
func (ix *Index) drop(id uint32) {
	if id == 0 {
		return
	}
	r := ix.ids.byID[id]
	if r.n--; r.n <= 0 {
		delete(ix.strs, r.s)
		ix.ids.byID[id] = nil
		ix.ids.free = append(ix.ids.free, id)
	}
}

// str is the string of id.
func (ix *Index) str(id uint32) string {
	if id == 0 {
		return ""
	}
	return ix.ids.byID[id].s
}

// foldedStr is the folded string of id (interned with internFolded).
func (ix *Index) foldedStr(id uint32) string {
	if id == 0 {
		return ""
	}
	return ix.ids.byID[id].folded
}

// lookup is the number of s, 0 when no entry uses it.
func (ix *Index) lookup(s string) (uint32, bool) {
	if s == "" {
		return 0, true
	}
	r, ok := ix.strs[s]
	if !ok {
		return 0, false
	}
	return r.id, true
}
