package matching

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
)

// benchData is n subscribers with realistic interests and a stream of
// 1,000 realistic open calls.
func benchData(n int) (map[string]Interests, []model.Object) {
	rng := rand.New(rand.NewPCG(2026, 6))
	subs := make(map[string]Interests, n)
	for i := range n {
		subs[fmt.Sprintf("member-%06d", i)] = realisticInterests(rng)
	}
	calls := make([]model.Object, 1000)
	for i := range calls {
		calls[i] = realisticCall(rng, i)
	}
	return subs, calls
}

func benchmarkMatch(b *testing.B, n int) {
	subs, calls := benchData(n)
	ix := New()
	for id, in := range subs {
		ix.Set(id, in)
	}
	matches := 0
	for i := 0; b.Loop(); i++ {
		matches += len(ix.Match(calls[i%len(calls)], now))
	}
	b.ReportMetric(float64(matches)/float64(b.N), "matches/call")
}

// BenchmarkMatch matches one incoming call against 10,000 subscribers.
func BenchmarkMatch(b *testing.B) { benchmarkMatch(b, 10_000) }

// BenchmarkMatch100k matches one incoming call against 100,000 subscribers.
func BenchmarkMatch100k(b *testing.B) { benchmarkMatch(b, 100_000) }

// BenchmarkMatchesLoop is the same work as BenchmarkMatch done by calling
// Interests.Matches for each of 10,000 subscribers: what the Index saves.
func BenchmarkMatchesLoop(b *testing.B) {
	subs, calls := benchData(10_000)
	list := make([]Interests, 0, len(subs))
	for _, in := range subs {
		list = append(list, in)
	}
	matches := 0
	for i := 0; b.Loop(); i++ {
		for _, in := range list {
			if in.Matches(calls[i%len(calls)], now) {
				matches++
			}
		}
	}
	b.ReportMetric(float64(matches)/float64(b.N), "matches/call")
}
