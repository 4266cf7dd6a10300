package delivery_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/federation/delivery"
	"codeberg.org/maillage/maillage/internal/model"
)

// TestWorkerShutdownDrainsToQueue stops a worker while many deliveries are
// in flight and checks the contract of a graceful shutdown: each delivery
// was either delivered and dequeued, or is still queued exactly as it was
// (an interrupted attempt counts for nothing), and the next worker sends
// all of those.
func TestWorkerShutdownDrainsToQueue(t *testing.T) {
	const n, workers = 24, 4
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(50 * time.Millisecond):
			w.WriteHeader(http.StatusAccepted)
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	st := newStore(t)
	inboxes := make([]string, n)
	for i := range inboxes {
		inboxes[i] = fmt.Sprintf("%s/orgs/%d/inbox", srv.URL, i)
	}
	queuedAt := time.Now()
	all := enqueue(t, st, "http://127.0.0.1:9/activities/1", []byte(noteJSON), queuedAt, inboxes...)

	var mu sync.Mutex // guards outcomes
	outcomes := map[uint64]delivery.Outcome{}
	firstDone := make(chan struct{}, n)
	w := delivery.New(st, loopbackClient(), newSigner(t, st), testLogger(t), delivery.Options{
		Workers: workers, PerHost: workers, MaxAge: time.Hour,
		OnResult: func(d model.Delivery, o delivery.Outcome) {
			mu.Lock()
			outcomes[d.ID] = o
			mu.Unlock()
			firstDone <- struct{}{}
		}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	for range workers + 1 { // some delivered, the next ones in flight
		select {
		case <-firstDone:
		case <-time.After(waitTimeout):
			t.Fatal("no delivery done")
		}
	}
	cancel()
	select {
	case <-done:
	case <-time.After(waitTimeout):
		t.Fatal("Run did not return after cancel")
	}

	mu.Lock()
	delivered := len(outcomes)
	for id, o := range outcomes {
		if o != delivery.Delivered {
			t.Errorf("delivery %d: outcome %s during shutdown, want %s or none", id, o, delivery.Delivered)
		}
	}
	mu.Unlock()
	q := queued(t, st)
	if delivered+len(q) != n {
		t.Errorf("%d delivered + %d queued, want %d in all", delivered, len(q), n)
	}
	for _, d := range q {
		if outcomes[d.ID] != "" {
			t.Errorf("delivery %d is both delivered and queued", d.ID)
		}
		if d.Attempts != 0 || d.LastError != "" || !d.NextAttempt.Equal(all[0].NextAttempt) {
			t.Errorf("queued after shutdown: %+v, want it unchanged", d)
		}
	}
	if len(q) == 0 || delivered == 0 {
		t.Fatalf("%d delivered, %d queued: the shutdown did not happen mid-way", delivered, len(q))
	}

	// The next start sends the rest.
	results := startWorker(t, st, loopbackClient(), delivery.Options{Workers: workers, PerHost: workers, MaxAge: time.Hour})
	for range len(q) {
		if r := next(t, results); r.outcome != delivery.Delivered {
			t.Errorf("after restart: %s for %s", r.outcome, r.d.Inbox)
		}
	}
	if q := queued(t, st); len(q) != 0 {
		t.Errorf("queue after restart = %d deliveries, want none", len(q))
	}
}
