package delivery_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/federation/delivery"
	"codeberg.org/maillage/maillage/internal/uris"
)

// The tests in this file guard against two dispatch bugs found by them:
// duplicate POSTs from a stale scan, and head-of-line blocking by a host at
// its cap.

// countingInbox answers 202 and counts requests by host and path.
type countingInbox struct {
	mu   sync.Mutex // guards seen
	seen map[string]int
}

func (c *countingInbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	c.seen[r.Host+r.URL.Path]++
	c.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

// TestWorkerDeliversOnce checks that a delivery is sent once when every
// attempt succeeds. dispatch reads the due deliveries (tx.Due in st.View)
// before it takes w.mu; an attempt that dequeues its delivery and leaves
// inflight between the two is then started again from the stale list.
func TestWorkerDeliversOnce(t *testing.T) {
	const hosts, n = 10, 500
	inbox := &countingInbox{seen: map[string]int{}}
	inboxes := make([]string, n)
	for i := range hosts {
		srv := httptest.NewServer(inbox)
		defer srv.Close()
		for j := i; j < n; j += hosts {
			inboxes[j] = fmt.Sprintf("%s/%d/inbox", srv.URL, j)
		}
	}
	st := newStore(t)
	enqueue(t, st, "http://127.0.0.1:9/activities/1", []byte(noteJSON), time.Now(), inboxes...)
	results, stop := runWorker(t, st, loopbackClient(), delivery.Options{Workers: 32, PerHost: 2, MaxAge: time.Hour})
	defer stop()
	attempts := map[uint64]int{} // by delivery ID
	for len(attempts) < n {
		r := next(t, results)
		if r.outcome != delivery.Delivered {
			t.Fatalf("%s: outcome %s, want %s", r.d.Inbox, r.outcome, delivery.Delivered)
		}
		attempts[r.d.ID]++
	}
	stop() // waits for any attempt still in flight
	for len(results) > 0 {
		attempts[(<-results).d.ID]++
	}
	if q := queued(t, st); len(q) != 0 {
		t.Errorf("queue = %d deliveries, want empty", len(q))
	}

	inbox.mu.Lock()
	defer inbox.mu.Unlock()
	dups := 0
	for path, count := range inbox.seen {
		if count != 1 {
			dups++
			if dups <= 3 {
				t.Errorf("%s received %d requests, want 1", path, count)
			}
		}
	}
	if len(inbox.seen) != n || dups > 0 {
		t.Errorf("%d of %d inboxes received duplicates (%d distinct received)", dups, n, len(inbox.seen))
	}
	again := 0
	for _, count := range attempts {
		if count > 1 {
			again++
		}
	}
	if again > 0 {
		t.Errorf("%d of %d deliveries were attempted more than once, want 0", again, n)
	}
}

// TestWorkerPerHostCapNoHeadOfLine checks that a host at its cap does not
// hold back other hosts when more deliveries to it are due than one queue
// scan returns (tx.Due is limited to 4*Workers+64 entries, oldest first).
func TestWorkerPerHostCapNoHeadOfLine(t *testing.T) {
	const workers = 2                // one for the slow host (PerHost 1), one free
	const slowN = 4*workers + 64 + 2 // more than one scan returns
	slow := &blockingInbox{release: make(chan struct{}), arrived: make(chan struct{}, slowN)}
	slowSrv := httptest.NewServer(slow)
	defer slowSrv.Close()
	var releaseOnce sync.Once
	release := func() { releaseOnce.Do(func() { close(slow.release) }) }
	defer release()
	fastSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusAccepted)
	}))
	defer fastSrv.Close()

	st := newStore(t)
	now := time.Now()
	slowInboxes := make([]string, slowN)
	for i := range slowInboxes {
		slowInboxes[i] = fmt.Sprintf("%s/%d/inbox", slowSrv.URL, i)
	}
	enqueue(t, st, "http://127.0.0.1:9/activities/1", []byte(noteJSON), now, slowInboxes...)
	enqueue(t, st, "http://127.0.0.1:9/activities/2", []byte(noteJSON), now.Add(time.Millisecond), fastSrv.URL+"/inbox")
	results := startWorker(t, st, loopbackClient(), delivery.Options{Workers: workers, PerHost: 1, MaxAge: time.Hour})

	r := next(t, results)
	if uris.HostOf(r.d.Inbox) != uris.HostOf(fastSrv.URL) || r.outcome != delivery.Delivered {
		t.Errorf("first outcome: %s for %s, want %s for %s while the slow host blocks", r.outcome, r.d.Inbox,
			delivery.Delivered, fastSrv.URL)
	}
	release()
}
