package directory

import (
	"runtime"
	"slices"
	"testing"
	"time"
)

// benchQueries are the filtered queries people run, in the mix
// BenchmarkQuery cycles through.
func benchQueries() []struct {
	name string
	q    Query
} {
	lyon := &Point{45.76, 4.84}
	return []struct {
		name string
		q    Query
	}{
		{"text", Query{Text: "énergie"}},
		{"text-rare", Query{Text: "vélo cargo"}},
		{"sector-country", Query{Sectors: []string{"food-agriculture"}, Country: "FR"}},
		{"open-calls-deadline", Query{Kinds: []Kind{KindCall}, OpenOnly: true, Sort: SortDeadline}},
		{"role", Query{Kinds: []Kind{KindCall}, Role: "pilot-territory"}},
		{"near-lyon-100km", Query{Near: lyon, RadiusKm: 100, Sort: SortDistance}},
		{"orgs-by-title", Query{Kinds: []Kind{KindOrg}, Sort: SortTitle}},
		{"page-5", Query{Page: 5}},
		{"combined", Query{Text: "habitat", Near: lyon, RadiusKm: 300, OpenOnly: true, Sort: SortDeadline}},
	}
}

// benchIndex builds the 100,000-entry index and returns the heap it holds
// in MiB.
func benchIndex(now time.Time) (*Index, float64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	ix := New()
	synthEntries(100_000, now, ix.Put)
	runtime.GC()
	runtime.ReadMemStats(&after)
	return ix, float64(after.HeapAlloc-before.HeapAlloc) / (1 << 20)
}

// reportPercentiles reports the median and 95th percentile of ds in ms.
func reportPercentiles(b *testing.B, ds []time.Duration) {
	slices.Sort(ds)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(ds[len(ds)/2]), "p50-ms")
	b.ReportMetric(ms(ds[len(ds)*95/100]), "p95-ms")
}

func BenchmarkQuery(b *testing.B) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	ix, mb := benchIndex(now)
	queries := benchQueries()
	var ds []time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		ix.Query(queries[i%len(queries)].q, now)
		ds = append(ds, time.Since(start))
	}
	reportPercentiles(b, ds)
	b.ReportMetric(mb, "index-MB") // after the loop: b.Loop's first call drops metrics
	runtime.KeepAlive(ix)
}

// BenchmarkQueryEach times each query of the mix alone.
func BenchmarkQueryEach(b *testing.B) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	ix := New()
	synthEntries(100_000, now, ix.Put)
	for _, tt := range benchQueries() {
		b.Run(tt.name, func(b *testing.B) {
			var ds []time.Duration
			total := 0
			for b.Loop() {
				start := time.Now()
				total = ix.Query(tt.q, now).Total
				ds = append(ds, time.Since(start))
			}
			reportPercentiles(b, ds)
			b.ReportMetric(float64(total), "matches")
		})
	}
}

func BenchmarkCounts(b *testing.B) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	ix := New()
	synthEntries(100_000, now, ix.Put)
	for b.Loop() {
		ix.Counts(Query{Country: "FR", Kinds: []Kind{KindCall}}, now)
	}
}

func BenchmarkPut(b *testing.B) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	ix := New()
	var es []Entry
	synthEntries(100_000, now, func(e Entry) { es = append(es, e) })
	for _, e := range es {
		ix.Put(e)
	}
	for i := 0; b.Loop(); i++ {
		e := es[i%len(es)]
		e.Title += " v2"
		ix.Put(e)
	}
}

// BenchmarkIndexBytes reports the heap the index holds per entry at
// 100,000 entries (entries, scan rows, position map, interned strings),
// and the time to put them all.
func BenchmarkIndexBytes(b *testing.B) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var mb float64
	for b.Loop() {
		var ix *Index
		ix, mb = benchIndex(now)
		runtime.KeepAlive(ix)
	}
	b.ReportMetric(mb*(1<<20)/100_000, "B/entry")
}
