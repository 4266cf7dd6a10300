package delivery_test

import (
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/federation/delivery"
)

// TestWorkerOverallCap checks Options.Workers, the deliveries in flight
// across all hosts, while every one of them blocks: rescans and pokes
// must not start more.
func TestWorkerOverallCap(t *testing.T) {
	const hosts, perHost, workers = 6, 2, 3
	var srvs []*httptest.Server
	inbox := &blockingInbox{release: make(chan struct{}), arrived: make(chan struct{}, hosts*perHost)}
	released := false
	release := func() {
		if !released {
			released = true
			close(inbox.release)
		}
	}
	for range hosts {
		s := httptest.NewServer(inbox) // one host each (its port)
		srvs = append(srvs, s)
		defer s.Close()
	}
	defer release() // before the servers close, which waits for the handlers
	st := newStore(t)
	var inboxes []string
	for i := range hosts * perHost {
		inboxes = append(inboxes, fmt.Sprintf("%s/orgs/%d/inbox", srvs[i%hosts].URL, i))
	}
	enqueue(t, st, "http://127.0.0.1:9/activities/1", []byte(noteJSON), time.Now(), inboxes...)
	results, stop := runWorker(t, st, loopbackClient(), delivery.Options{Workers: workers, PerHost: perHost, MaxAge: time.Hour})
	for range workers {
		select {
		case <-inbox.arrived:
		case <-time.After(waitTimeout):
			t.Fatalf("fewer than %d requests arrived", workers)
		}
	}
	select { // a rescan or a poke must not start a fourth
	case <-inbox.arrived:
		t.Errorf("more than %d requests in flight", workers)
	case <-time.After(100 * time.Millisecond):
	}
	if current, peak := inbox.counts(); current != workers || peak != workers {
		t.Errorf("requests in flight = %d (peak %d), want %d: the overall cap", current, peak, workers)
	}
	release()
	for range hosts * perHost {
		if r := next(t, results); r.outcome != delivery.Delivered {
			t.Errorf("%s: %s", r.d.Inbox, r.outcome)
		}
	}
	stop()
	if _, peak := inbox.counts(); peak != workers {
		t.Errorf("peak requests in flight = %d, want %d", peak, workers)
	}
}
