package service

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/importer"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// benchMap is a CSV map of n organisations in nine French towns, with
// Transiscope-like descriptions and categories; changed alters every
// tenth description.
func benchMap(n int, changed bool) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("ferme jardin atelier vélo épicerie solidaire coopérative énergie citoyenne ressourcerie " +
		"repair café amap paniers tiers-lieu habitat partagé librairie recyclerie monnaie locale compost école")
	towns := []struct {
		name     string
		lat, lon float64
	}{{"Paris", 48.8589, 2.3790}, {"Lyon", 45.7676, 4.8344}, {"Nantes", 47.2184, -1.5536}, {"Lille", 50.6292, 3.0573},
		{"Toulouse", 43.6045, 1.4440}, {"Rennes", 48.1173, -1.6778}, {"Angoulême", 45.6484, 0.1562},
		{"Strasbourg", 48.5734, 7.7521}, {"Marseille", 43.2965, 5.3698}}
	cats := []string{"Climat et énergie", "Agriculture et alimentation", "Habitat", "Mobilité", "Économie sociale et solidaire"}
	var buf bytes.Buffer
	buf.WriteString("id,name,description,locality,country,lat,lon,website,categories\n")
	for i := range n {
		w := func() string { return words[r.IntN(len(words))] }
		t := towns[r.IntN(len(towns))]
		var desc strings.Builder
		for range 40 {
			desc.WriteString(w())
			desc.WriteByte(' ')
		}
		if changed && i%10 == 0 {
			desc.WriteString("(nouveau)")
		}
		fmt.Fprintf(&buf, "e%05d,%s %s %s %d,%s,%s,FR,%.5f,%.5f,https://site-%d.example.org,%s\n", i, w(), w(), w(), i,
			strings.TrimSpace(desc.String()), t.name, t.lat+(r.Float64()-0.5)*0.2, t.lon+(r.Float64()-0.5)*0.2, i, cats[r.IntN(len(cats))])
	}
	return buf.Bytes()
}

// peakHeap samples the heap in use every few milliseconds until stopped.
type peakHeap struct {
	stop chan struct{}
	wg   sync.WaitGroup
	peak uint64
}

func startPeakHeap() *peakHeap {
	p := &peakHeap{stop: make(chan struct{})}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			p.peak = max(p.peak, s[0].Value.Uint64())
			select {
			case <-p.stop:
				return
			case <-t.C:
			}
		}
	}()
	return p
}

func (p *peakHeap) done() uint64 { close(p.stop); p.wg.Wait(); return p.peak }

// peakRSS is the process's peak resident set (VmHWM) since it was last
// reset, in MB; 0 where /proc is missing.
func peakRSS() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

const benchOrgs = 15_000

// benchApply imports file into a fresh instance (after first, when not
// nil) and reports the time of the parse and the apply, the peak heap
// during them, and the process's peak RSS.
func benchApply(b *testing.B, first, file []byte, want func(importer.Counts) bool) {
	b.ReportAllocs()
	b.SetBytes(int64(len(file)))
	var peak uint64
	for b.Loop() {
		b.StopTimer()
		e := newBenchEnv(b)
		if first != nil {
			if _, err := e.svc.Import(context.Background(), TokenPrincipal(), benchParse(b, first), false); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		debug.FreeOSMemory()
		// Reset the peak RSS (proc(5), /proc/pid/clear_refs): the setup's
		// first import is not the one measured.
		_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
		b.StartTimer()
		ph := startPeakHeap()
		r, err := e.svc.Import(context.Background(), TokenPrincipal(), benchParse(b, file), false)
		peak = max(peak, ph.done())
		if err != nil {
			b.Fatal(err)
		}
		if !want(r.Counts) {
			b.Fatalf("counts %+v", r.Counts)
		}
		b.StopTimer()
		e.st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(peakRSS(), "peak-RSS-MB")
}

// newBenchEnv is a Service on a fresh store, with fake edges.
func newBenchEnv(b *testing.B) *testEnv {
	st, err := store.Open(filepath.Join(b.TempDir(), "maillage.db"), store.Options{LockTimeout: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	e := &testEnv{st: st, u: uris.URIs{Base: "https://local.example"}, render: &fakeRenderer{}, clock: &fakeClock{now: t0}}
	e.svc, err = New(Deps{Store: st, URIs: e.u, Renderer: e.render, Resolver: &fakeResolver{}, Now: e.clock.Now, Poke: func() {},
		KeyPair: func() (string, string, error) { return testPrivatePEM, testPublicPEM, nil }})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.svc.Bootstrap(context.Background(), "acme", "Acme"); err != nil {
		b.Fatal(err)
	}
	return e
}

func benchParse(b *testing.B, file []byte) *importer.Batch {
	batch, err := importer.Parse(bytes.NewReader(file), importer.Options{Format: importer.FormatCSV, Source: "Transiscope",
		Licence: "ODbL-1.0", Now: t0})
	if err != nil {
		b.Fatal(err)
	}
	return batch
}

// BenchmarkImportApply15k parses a 15,000-entry map and applies it to an
// empty instance in one transaction: 15,000 organisations created, with
// no key pair (made on first use).
func BenchmarkImportApply15k(b *testing.B) {
	benchApply(b, nil, benchMap(benchOrgs, false), func(c importer.Counts) bool { return c.Added+c.Duplicates == benchOrgs })
}

// BenchmarkReimportApply15k applies the same map again with a tenth of
// the descriptions changed: 1,500 updates, 13,500 unchanged.
func BenchmarkReimportApply15k(b *testing.B) {
	benchApply(b, benchMap(benchOrgs, false), benchMap(benchOrgs, true), func(c importer.Counts) bool {
		return c.Added == 0 && c.Updated > 0 && c.Unchanged > c.Updated
	})
}
