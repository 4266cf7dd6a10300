package delivery_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/federation/delivery"
	"codeberg.org/maillage/maillage/federation/httpsign"
	"codeberg.org/maillage/maillage/internal/model"
)

// fanOutHosts is how many distinct inbox hosts one activity goes to: 10,000
// followers on 1,000 servers, deduplicated to one shared inbox per server.
const fanOutHosts = 1000

// receivers are in-process inbox servers on loopback, one per port, so each
// is a distinct host to the worker. They count requests; the first request
// to receiver 0 also has its signature verified.
type receivers struct {
	servers []*httptest.Server
	counts  []atomic.Int64

	verifyOnce sync.Once
	verifyErr  error // set by verifyOnce
}

func startReceivers(b *testing.B, n int) *receivers {
	b.Helper()
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err == nil && lim.Cur < uint64(4*n) {
		b.Skipf("open file limit %d is too low for %d receivers (want %d)", lim.Cur, n, 4*n)
	}
	key, err := testKey()
	if err != nil {
		b.Fatal(err)
	}
	rs := &receivers{servers: make([]*httptest.Server, n), counts: make([]atomic.Int64, n)}
	for i := range n {
		rs.servers[i] = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			if i == 0 {
				rs.verifyOnce.Do(func() {
					_, rs.verifyErr = httpsign.Verify(r.Context(), r, body, time.Now(), testKeyFunc(key))
				})
			}
			rs.counts[i].Add(1)
			w.WriteHeader(http.StatusAccepted)
		}))
	}
	b.Cleanup(func() {
		for _, s := range rs.servers {
			s.Close()
		}
	})
	return rs
}

func (rs *receivers) inboxes() []string {
	out := make([]string, len(rs.servers))
	for i, s := range rs.servers {
		out[i] = s.URL + "/inbox"
	}
	return out
}

// check reports receivers that did not get exactly want requests.
func (rs *receivers) check(b *testing.B, want int64) (duplicates int64) {
	b.Helper()
	if rs.verifyErr != nil {
		b.Errorf("sample signature does not verify: %v", rs.verifyErr)
	}
	missing := 0
	for i := range rs.counts {
		switch n := rs.counts[i].Load(); {
		case n < want:
			missing++
		case n > want:
			duplicates += n - want
		}
	}
	if missing > 0 {
		b.Errorf("%d receivers got fewer than %d requests", missing, want)
	}
	return duplicates
}

// delivered tracks the distinct deliveries that succeeded.
type delivered struct {
	mu     sync.Mutex // guards ids and failed; cond uses it
	cond   *sync.Cond
	ids    map[uint64]bool
	failed []string
}

func newDelivered() *delivered {
	d := &delivered{ids: map[uint64]bool{}}
	d.cond = sync.NewCond(&d.mu)
	return d
}

func (d *delivered) onResult(del model.Delivery, o delivery.Outcome) {
	d.mu.Lock()
	if o == delivery.Delivered {
		d.ids[del.ID] = true
	} else {
		d.failed = append(d.failed, fmt.Sprintf("%s: %s", del.Inbox, o))
	}
	d.cond.Broadcast()
	d.mu.Unlock()
}

// wait blocks until n distinct deliveries succeeded, one failed or the
// timeout passed.
func (d *delivered) wait(b *testing.B, n int, timeout time.Duration) {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	stop := context.AfterFunc(ctx, func() { d.mu.Lock(); d.cond.Broadcast(); d.mu.Unlock() })
	defer stop()
	d.mu.Lock()
	defer d.mu.Unlock()
	for len(d.ids) < n && len(d.failed) == 0 && ctx.Err() == nil {
		d.cond.Wait()
	}
	switch {
	case len(d.failed) > 0:
		b.Fatalf("delivery failed: %s", d.failed[0])
	case len(d.ids) < n:
		b.Fatalf("%d of %d deliveries done after %s", len(d.ids), n, timeout)
	}
}

// activityBody is a realistic Create of a project, about 2 KB.
func activityBody(b *testing.B, id string) []byte {
	b.Helper()
	base := "http://127.0.0.1:9"
	text := strings.Repeat("Nous cherchons des partenaires pour une coopérative de mobilité partagée. ", 16)
	obj := map[string]any{
		"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":       id, "type": "Create", "actor": base + "/orgs/coop",
		"published": "2026-03-01T12:00:00Z",
		"to":        []string{"https://www.w3.org/ns/activitystreams#Public"},
		"cc":        []string{base + "/orgs/coop/followers"},
		"object": map[string]any{
			"id": base + "/orgs/coop/projects/01", "type": "Article", "kind": "project",
			"attributedTo": base + "/orgs/coop", "name": "Autopartage rural",
			"summary": "Une flotte de véhicules partagés pour trois communes.",
			"content": "<p>" + text + "</p>", "source": map[string]any{"content": text, "mediaType": "text/plain"},
			"url": base + "/orgs/coop/projects/01", "published": "2026-03-01T12:00:00Z",
			"sector": []string{"mobility", "energy"}, "status": "active",
			"location": map[string]any{"type": "Place", "name": "Die", "country": "FR", "latitude": 44.75, "longitude": 5.37},
			"to":       []string{"https://www.w3.org/ns/activitystreams#Public"},
		},
	}
	body, err := json.Marshal(obj)
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// peakRSSMB is the process's peak resident set (VmHWM) in MB.
func peakRSSMB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}

// BenchmarkFanOut measures delivering one activity to 1,000 distinct inbox
// hosts on loopback (10,000 followers after shared-inbox deduplication):
// queueing the 1,000 deliveries in one transaction, then signing and POSTing
// each, until every receiver has counted its request. ns/op is the time for
// the whole fan-out.
func BenchmarkFanOut(b *testing.B) {
	rs := startReceivers(b, fanOutHosts)
	inboxes := rs.inboxes()
	for _, workers := range []int{16, 32} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			for i := range rs.counts {
				rs.counts[i].Store(0)
			}
			st := newStore(b)
			done := newDelivered()
			w := delivery.New(st, loopbackClient(), newSigner(b), testLogger(b), delivery.Options{
				Workers: workers, PerHost: 2, MaxAge: time.Hour, OnResult: done.onResult})
			ctx, cancel := context.WithCancel(context.Background())
			stopped := make(chan error, 1)
			go func() { stopped <- w.Run(ctx) }()

			n := 0
			for b.Loop() {
				n++
				id := fmt.Sprintf("http://127.0.0.1:9/activities/%d", n)
				enqueue(b, st, id, activityBody(b, id), time.Now(), inboxes...)
				w.Poke()
				done.wait(b, n*fanOutHosts, time.Minute)
			}
			elapsed := b.Elapsed()
			cancel()
			if err := <-stopped; err != nil {
				b.Errorf("Run: %v", err)
			}
			if q := queued(b, st); len(q) != 0 {
				b.Errorf("queue after fan-out holds %d deliveries, want 0", len(q))
			}
			dups := rs.check(b, int64(n))
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(n*fanOutHosts)/elapsed.Seconds(), "deliveries/s")
			b.ReportMetric(float64(dups)/float64(n), "duplicate-POSTs/op")
			b.ReportMetric(peakRSSMB(), "peak-RSS-MB")
			b.ReportMetric(float64(ms.Sys)/(1<<20), "go-sys-MB")
		})
	}
}
