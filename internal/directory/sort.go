package directory

import (
	"bytes"
	"cmp"
	"slices"
	"strings"
	"unsafe"
)

// compare returns the order of a sort (after compile, one of the Sort
// constants). Every order ends on the ID, so that it is total and pages
// never overlap.
func (ix *Index) compare(sort string) func(a, b hit) int {
	rows := ix.rows
	recent := func(a, b *row) int {
		if c := cmp.Compare(b.published, a.published); c != 0 {
			return c
		}
		return ix.compareIDs(a, b)
	}
	switch sort {
	case SortDeadline:
		return func(a, b hit) int {
			ra, rb := &rows[a.pos], &rows[b.pos]
			if c := cmp.Compare(ra.deadline, rb.deadline); c != 0 {
				return c
			}
			return recent(ra, rb)
		}
	case SortDistance:
		return func(a, b hit) int {
			if c := compareDist(a.dist, b.dist); c != 0 {
				return c
			}
			return ix.compareIDs(&rows[a.pos], &rows[b.pos])
		}
	case SortTitle:
		return func(a, b hit) int {
			ra, rb := &rows[a.pos], &rows[b.pos]
			if c := bytes.Compare(ix.titleKey(ra), ix.titleKey(rb)); c != 0 {
				return c
			}
			return ix.compareIDs(ra, rb)
		}
	}
	return func(a, b hit) int { return recent(&rows[a.pos], &rows[b.pos]) }
}

// compareIDs orders rows by IRI, without building the IRIs.
func (ix *Index) compareIDs(a, b *row) int {
	a1, a2 := ix.idParts(a)
	b1, b2 := ix.idParts(b)
	for {
		if len(a1) == 0 && len(a2) > 0 {
			a1, a2 = unsafeString(a2), nil
		}
		if len(b1) == 0 && len(b2) > 0 {
			b1, b2 = unsafeString(b2), nil
		}
		if len(a1) == 0 || len(b1) == 0 {
			return cmp.Compare(len(a1), len(b1))
		}
		n := min(len(a1), len(b1))
		if c := strings.Compare(a1[:n], b1[:n]); c != 0 {
			return c
		}
		a1, b1 = a1[n:], b1[n:]
	}
}

// unsafeString views b as a string without copying; b must not change
// while the string is in use (the arena only changes under the write lock).
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// compareDist orders distances, unknown ones (negative) last.
func compareDist(a, b float64) int {
	switch {
	case a < 0 && b < 0:
		return 0
	case a < 0:
		return 1
	case b < 0:
		return -1
	}
	return cmp.Compare(a, b)
}

// selectTop reorders hits so that hits[:k] holds the first k in order and
// returns it. For a page near the start it keeps a max-heap of the best k
// seen (O(n log k)) instead of sorting every hit.
func selectTop(hits []hit, k int, compare func(a, b hit) int) []hit {
	if k*4 >= len(hits) {
		slices.SortFunc(hits, compare)
		return hits[:k]
	}
	top := hits[:k]
	for i := k/2 - 1; i >= 0; i-- {
		siftDown(top, i, compare)
	}
	for _, h := range hits[k:] {
		if compare(h, top[0]) < 0 {
			top[0] = h
			siftDown(top, 0, compare)
		}
	}
	slices.SortFunc(top, compare)
	return top
}

// siftDown restores the max-heap property of h below i.
func siftDown(h []hit, i int, compare func(a, b hit) int) {
	for {
		big, l, r := i, 2*i+1, 2*i+2
		if l < len(h) && compare(h[l], h[big]) > 0 {
			big = l
		}
		if r < len(h) && compare(h[r], h[big]) > 0 {
			big = r
		}
		if big == i {
			return
		}
		h[i], h[big] = h[big], h[i]
		i = big
	}
}
