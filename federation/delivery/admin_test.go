package delivery_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/federation/delivery"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// startAdminWorker runs a Worker until the test ends and returns it with
// the channel of its outcomes.
func startAdminWorker(t *testing.T, st *store.Store) (*delivery.Worker, <-chan result) {
	t.Helper()
	results := make(chan result, 64)
	w := delivery.New(st, loopbackClient(), newSigner(t, st), testLogger(t), delivery.Options{MaxAge: time.Hour,
		OnResult: func(d model.Delivery, o delivery.Outcome) { results <- result{d, o} }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = w.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return w, results
}

// failedBefore queues deliveries that failed three times and wait an hour.
func failedBefore(t *testing.T, st *store.Store, inboxes ...string) []model.Delivery {
	t.Helper()
	ds := enqueue(t, st, "http://127.0.0.1:9/activities/1", []byte(noteJSON), time.Now(), inboxes...)
	err := st.Update(func(tx *store.Tx) error {
		for i, d := range ds {
			nd := d
			nd.Attempts, nd.LastError, nd.NextAttempt = 3, "status 503", time.Now().Add(time.Hour)
			if err := tx.Reschedule(d, nd); err != nil {
				return err
			}
			ds[i] = nd
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func TestWorkerRetryNowAndDrop(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	st := newStore(t)
	ds := failedBefore(t, st, srv.URL+"/a/inbox", srv.URL+"/b/inbox")
	w, results := startAdminWorker(t, st)

	d, err := w.RetryNow(ds[0].ID)
	if err != nil {
		t.Fatalf("RetryNow: %v", err)
	}
	if d.Attempts != 3 || d.LastError != "status 503" || time.Until(d.NextAttempt) > time.Second {
		t.Errorf("RetryNow = %+v, want attempts and error kept, due now", d)
	}
	if r := next(t, results); r.d.ID != ds[0].ID || r.outcome != delivery.Delivered {
		t.Errorf("after RetryNow: %s for %d, want %s for %d", r.outcome, r.d.ID, delivery.Delivered, ds[0].ID)
	}

	if _, err := w.Drop(ds[1].ID); err != nil {
		t.Fatalf("Drop: %v", err)
	}
	if q := queued(t, st); len(q) != 0 {
		t.Errorf("queue after retry and drop = %+v, want empty", q)
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("requests = %d, want 1 (the dropped delivery is never sent)", n)
	}
	for name, f := range map[string]func(uint64) (model.Delivery, error){"RetryNow": w.RetryNow, "Drop": w.Drop} {
		if _, err := f(ds[1].ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s(gone): err = %v, want ErrNotFound", name, err)
		}
	}
}

func TestWorkerAdminLeavesInFlightAlone(t *testing.T) {
	inbox := &blockingInbox{release: make(chan struct{}), arrived: make(chan struct{}, 1)}
	srv := httptest.NewServer(inbox)
	defer srv.Close()
	released := false
	defer func() {
		if !released {
			close(inbox.release)
		}
	}()
	st := newStore(t)
	ds := enqueue(t, st, "http://127.0.0.1:9/activities/1", []byte(noteJSON), time.Now(), srv.URL+"/inbox")
	w, results := startAdminWorker(t, st)
	select {
	case <-inbox.arrived:
	case <-time.After(waitTimeout):
		t.Fatal("the request never arrived")
	}
	if _, err := w.RetryNow(ds[0].ID); !errors.Is(err, delivery.ErrInFlight) {
		t.Errorf("RetryNow(in flight): err = %v, want ErrInFlight", err)
	}
	if _, err := w.Drop(ds[0].ID); !errors.Is(err, delivery.ErrInFlight) {
		t.Errorf("Drop(in flight): err = %v, want ErrInFlight", err)
	}
	close(inbox.release)
	released = true
	if r := next(t, results); r.outcome != delivery.Delivered {
		t.Errorf("outcome = %s, want %s", r.outcome, delivery.Delivered)
	}
	if q := queued(t, st); len(q) != 0 {
		t.Errorf("queue = %+v, want empty", q)
	}
}
