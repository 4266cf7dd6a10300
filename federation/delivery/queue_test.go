package delivery_test

import (
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

	v, err := delivery.ListQueue(st, "", 100)
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

	v, err = delivery.ListQueue(st, "PEER.example", 1)
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
