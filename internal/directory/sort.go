package directory

import (
	"cmp"
	"slices"
	"strings"
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
		return strings.Compare(a.id, b.id)
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
			return strings.Compare(rows[a.pos].id, rows[b.pos].id)
		}
	case SortTitle:
		return func(a, b hit) int {
			ra, rb := &rows[a.pos], &rows[b.pos]
			if c := strings.Compare(ra.search[:ra.titleLen], rb.search[:rb.titleLen]); c != 0 {
				return c
			}
			return strings.Compare(ra.id, rb.id)
		}
	}
	return func(a, b hit) int { return recent(&rows[a.pos], &rows[b.pos]) }
}

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
