package delivery_test

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/federation/delivery"
	"codeberg.org/maillage/maillage/federation/httpsign"
	"codeberg.org/maillage/maillage/internal/testenv"
)

// fanOutHosts is how many distinct inbox hosts one activity goes to: 10,000
// followers on 1,000 servers, deduplicated to one shared inbox per server.
const fanOutHosts = 1000

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

// BenchmarkFanOut measures delivering one activity to 1,000 distinct inbox
// hosts on loopback (10,000 followers after shared-inbox deduplication):
// queueing the 1,000 deliveries in one transaction, then signing and POSTing
// each, until every receiver has counted its request. ns/op is the time for
// the whole fan-out.
func BenchmarkFanOut(b *testing.B) {
	rs := testenv.StartReceivers(b, fanOutHosts)
	inboxes := rs.Inboxes()
	for _, workers := range []int{16, 32} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			rs.Reset()
			st := newStore(b)
			done := testenv.NewDelivered()
			signer := newSigner(b, st)
			key, err := testKey()
			if err != nil {
				b.Fatal(err)
			}
			w := delivery.New(st, loopbackClient(), signer, testLogger(b), delivery.Options{
				Workers: workers, PerHost: 2, MaxAge: time.Hour, OnResult: done.OnResult})
			ctx, cancel := context.WithCancel(context.Background())
			stopped := make(chan error, 1)
			go func() { stopped <- w.Run(ctx) }()

			n := 0
			for b.Loop() {
				n++
				id := fmt.Sprintf("http://127.0.0.1:9/activities/%d", n)
				enqueue(b, st, id, activityBody(b, id), time.Now(), inboxes...)
				w.Poke()
				done.Wait(b, n*fanOutHosts, time.Minute)
			}
			elapsed := b.Elapsed()
			cancel()
			if err := <-stopped; err != nil {
				b.Errorf("Run: %v", err)
			}
			if q := queued(b, st); len(q) != 0 {
				b.Errorf("queue after fan-out holds %d deliveries, want 0", len(q))
			}
			dups := rs.Check(b, int64(n))
			if req, body := rs.Sample(); req == nil {
				b.Error("receiver 0 got no request")
			} else if _, err := httpsign.Verify(context.Background(), req, body, req.Host, time.Now(), testKeyFunc(key)); err != nil {
				b.Errorf("sample signature does not verify: %v", err)
			}
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(n*fanOutHosts)/elapsed.Seconds(), "deliveries/s")
			b.ReportMetric(float64(dups)/float64(n), "duplicate-POSTs/op")
			b.ReportMetric(testenv.PeakRSSMB(), "peak-RSS-MB")
			b.ReportMetric(float64(ms.Sys)/(1<<20), "go-sys-MB")
		})
	}
}
