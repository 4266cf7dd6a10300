package directory

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/fold"
)

// randomIndex has n entries with many equal dates, titles and positions,
// so that orders rely on their tie-breaks.
func randomIndex(n int) (*Index, []Entry) {
	rng := rand.New(rand.NewPCG(1, 2))
	titles := []string{"Énergie", "energie", "Atelier", "atelier", "Zèbre", "Ébène", "ébène"}
	ix := New()
	var all []Entry
	for i := range n {
		e := Entry{ID: fmt.Sprintf("e%04d", rng.IntN(10*n)), Kind: KindCall, Status: "open",
			Title: titles[rng.IntN(len(titles))], Published: days(-rng.IntN(20))}
		if rng.IntN(3) > 0 {
			e.Deadline = ptr(days(rng.IntN(20) - 10))
		}
		if i%2 == 0 {
			e = at(e, []Point{lyon, paris, berlin}[rng.IntN(3)])
		}
		if _, dup := ix.Get(e.ID); dup {
			continue
		}
		ix.Put(e)
		all = append(all, e)
	}
	return ix, all
}

func TestSortMatchesReference(t *testing.T) {
	ix, all := randomIndex(1000)
	recent := func(a, b Entry) int {
		return cmp.Or(b.Published.Compare(a.Published), strings.Compare(a.ID, b.ID))
	}
	deadline := func(a, b Entry) int {
		switch {
		case a.Deadline == nil && b.Deadline == nil:
			return recent(a, b)
		case a.Deadline == nil:
			return 1
		case b.Deadline == nil:
			return -1
		}
		return cmp.Or(a.Deadline.Compare(*b.Deadline), recent(a, b))
	}
	title := func(a, b Entry) int {
		return cmp.Or(strings.Compare(fold.String(a.Title), fold.String(b.Title)), strings.Compare(a.ID, b.ID))
	}
	tests := []struct {
		sort string
		ref  func(a, b Entry) int
	}{
		{SortRecent, recent}, {SortDeadline, deadline}, {SortTitle, title},
	}
	for _, tt := range tests {
		want := ids(slices.SortedFunc(slices.Values(all), tt.ref))
		for _, per := range []int{1, 7, 100} {
			t.Run(fmt.Sprint(tt.sort, per), func(t *testing.T) {
				var got []string
				// The first pages use the heap, the last ones a full sort.
				for page := 1; len(got) < len(want); page++ {
					res := ix.Query(Query{Sort: tt.sort, Page: page, PerPage: per}, testNow)
					if len(res.Entries) == 0 {
						t.Fatalf("page %d empty after %d entries", page, len(got))
					}
					got = append(got, ids(res.Entries)...)
				}
				if !slices.Equal(got, want) {
					t.Errorf("pages differ from the reference order")
				}
			})
		}
	}
}

func TestSelectTop(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	compare := func(a, b hit) int { return cmp.Or(compareDist(a.dist, b.dist), cmp.Compare(a.pos, b.pos)) }
	for _, n := range []int{1, 2, 10, 1000} {
		hits := make([]hit, n)
		for i := range hits {
			hits[i] = hit{pos: int32(i), dist: float64(rng.IntN(50) - 5)} // negatives: unknown
		}
		want := slices.SortedFunc(slices.Values(hits), compare)
		for _, k := range []int{1, n / 5, n / 2, n} {
			if k == 0 {
				continue
			}
			got := selectTop(slices.Clone(hits), k, compare)
			if !slices.Equal(got, want[:k]) {
				t.Errorf("n %d k %d: got %v, want %v", n, k, got[:min(k, 5)], want[:min(k, 5)])
			}
		}
	}
}
