package matching

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// TestIndexEquivalence checks Index.Match against a loop of
// Interests.Matches over randomised subscribers and calls, including odd
// ones, and again after updates and removals.
func TestIndexEquivalence(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 5))
	subs := map[string]Interests{}
	ix := New()
	for i := range 1500 {
		in := oddInterests(rng)
		if i%2 == 0 {
			in = realisticInterests(rng)
		}
		id := fmt.Sprintf("m%04d", i)
		subs[id] = in
		ix.Set(id, in)
	}
	compare := func(round string) {
		t.Helper()
		if ix.Len() != len(subs) {
			t.Fatalf("%s: Len() = %d, want %d", round, ix.Len(), len(subs))
		}
		total, calls := 0, 0
		for i := range 400 {
			call := oddCall(rng, i)
			if i%2 == 0 {
				call = realisticCall(rng, i)
			}
			want := bruteForce(subs, call)
			slices.Sort(want)
			got := ix.Match(call, now)
			if !slices.Equal(got, want) {
				t.Fatalf("%s: call %+v (location %+v)\nIndex.Match = %q\nbrute force = %q", round, call, call.Location, got, want)
			}
			total += len(got)
			if len(got) > 0 {
				calls++
			}
		}
		t.Logf("%s: %d of 400 calls matched, %d matches", round, calls, total)
		if calls < 100 || total < 2000 {
			t.Errorf("%s: only %d calls matched, %d matches: the test proves little", round, calls, total)
		}
	}
	compare("initial")
	for i := range 1500 {
		id := fmt.Sprintf("m%04d", i)
		switch rng.IntN(4) {
		case 0:
			ix.Remove(id)
			delete(subs, id)
		case 1:
			subs[id] = oddInterests(rng)
			ix.Set(id, subs[id])
		}
	}
	ix.Remove("nobody")
	compare("after updates")
}

func TestIndexSetRemove(t *testing.T) {
	ix := New()
	call := openCall()
	ix.Set("a", Interests{Sectors: []string{"energy"}})
	ix.Set("b", Interests{Countries: []string{"FR"}, Near: &Place{Lat: 48.85, Lon: 2.35, RadiusKm: 10}})
	ix.Set("c", Interests{Roles: []string{"funder"}})
	ix.Set("d", Interests{})
	if got, want := ix.Match(call, now), []string{"a", "b", "c"}; !slices.Equal(got, want) {
		t.Fatalf("Match = %q, want %q (b is filed twice and listed once)", got, want)
	}
	ix.Set("a", Interests{Sectors: []string{"digital"}})
	ix.Remove("c")
	if got, want := ix.Match(call, now), []string{"b"}; !slices.Equal(got, want) {
		t.Errorf("after Set and Remove: Match = %q, want %q", got, want)
	}
	if ix.Len() != 3 {
		t.Errorf("Len() = %d, want 3", ix.Len())
	}
}

// TestIndexConcurrent runs Set, Remove and Match at once; run with -race.
func TestIndexConcurrent(t *testing.T) {
	ix := New()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 1))
			for i := range 300 {
				id := fmt.Sprintf("w%d-%d", w, i%50)
				if i%7 == 0 {
					ix.Remove(id)
				} else {
					ix.Set(id, realisticInterests(rng))
				}
			}
		})
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 2))
			for i := range 300 {
				ix.Match(realisticCall(rng, i), now)
				ix.Len()
			}
		})
	}
	wg.Wait()
	if n := ix.Len(); n == 0 || n > 200 {
		t.Errorf("Len() = %d, want 1..200", n)
	}
}
