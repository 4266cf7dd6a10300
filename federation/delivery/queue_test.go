package delivery_test

import (
	"fmt"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/federation/delivery"
)

// TestQueueHostSpellings checks that the queue view names a server the
// way blocks and the per-host limit do (uris.HostOf): inboxes spelt
// "Peer.Example" and "peer.example." are one failing host, and -host
// finds them whatever its case. The view used the raw URL host before,
// so one server showed up as two and "-host PEER.example" found nothing.
func TestQueueHostSpellings(t *testing.T) {
	st := newStore(t)
	failedBefore(t, st, "http://Peer.Example/inbox", "http://peer.example./users/a/inbox", "http://other.example/inbox")
	enqueue(t, st, "http://127.0.0.1:9/activities/2", []byte(noteJSON), time.Now(), "http://fresh.example/inbox")

	v, err := delivery.ListQueue(st, "", "", 100)
	if err != nil {
		t.Fatal(err)
	}
	if v.Total != 4 || len(v.Deliveries) != 4 || v.Truncated || v.Oldest == nil {
		t.Errorf("total %d, %d listed, truncated %t, oldest %v; want 4 listed, not truncated, an oldest", v.Total, len(v.Deliveries), v.Truncated, v.Oldest)
	}
	if len(v.Hosts) != 2 {
		t.Fatalf("failing hosts = %+v, want peer.example and other.example", v.Hosts)
	}
	if h := v.Hosts[0]; h.Host != "peer.example" || h.Failing != 2 || h.Queued != 2 || h.LastError != "status 503" {
		t.Errorf("first failing host = %+v, want peer.example with 2 failing of 2 queued, status 503", h)
	}
	if h := v.Hosts[1]; h.Host != "other.example" || h.Failing != 1 {
		t.Errorf("second failing host = %+v, want other.example with 1 failing", h)
	}

	v, err = delivery.ListQueue(st, "PEER.example", "", 1)
	if err != nil {
		t.Fatal(err)
	}
	if v.Total != 2 || len(v.Deliveries) != 1 || !v.Truncated || v.Deliveries[0].Host != "peer.example" {
		t.Errorf("host PEER.example, limit 1: total %d, listed %+v, truncated %t; want 2 in total, 1 listed, truncated", v.Total, v.Deliveries, v.Truncated)
	}

	s, err := delivery.QueueStats(st)
	if err != nil {
		t.Fatal(err)
	}
	if s.Depth != 4 || s.Oldest.IsZero() {
		t.Errorf("stats = %+v, want depth 4 and an oldest delivery", s)
	}
}

// TestQueuePages lists the queue two deliveries at a time, following
// Next, while deliveries are queued between pages: each one queued before
// comes once, and the sums cover the whole queue on every page.
func TestQueuePages(t *testing.T) {
	st := newStore(t)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 7 {
		enqueue(t, st, fmt.Sprintf("http://127.0.0.1:9/activities/%d", i), []byte(noteJSON), t0.Add(time.Duration(i)*time.Minute),
			fmt.Sprintf("http://peer%d.example/inbox", i))
	}
	seen := map[string]int{}
	after := ""
	for page := 0; ; page++ {
		v, err := delivery.ListQueue(st, "", after, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Deliveries) > 2 || v.Total != 7+page {
			t.Errorf("page %d: %d listed of %d; want at most 2 of %d", page, len(v.Deliveries), v.Total, 7+page)
		}
		for _, d := range v.Deliveries {
			seen[d.Host]++
		}
		if v.Next == "" {
			break
		}
		if page > 10 {
			t.Fatal("pages do not end")
		}
		after = v.Next
		enqueue(t, st, fmt.Sprintf("http://127.0.0.1:9/activities/late%d", page), []byte(noteJSON), t0.Add(-time.Hour),
			fmt.Sprintf("http://late%d.example/inbox", page))
	}
	for i := range 7 {
		if h := fmt.Sprintf("peer%d.example", i); seen[h] != 1 {
			t.Errorf("%s listed %d times, want once", h, seen[h])
		}
	}
	if _, err := delivery.ListQueue(st, "", "%%", 2); err == nil {
		t.Error("a malformed cursor was accepted")
	}
}
