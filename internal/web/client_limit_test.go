package web

import (
	"fmt"
	"testing"
	"time"
)

// A full table of clients must not be flushed by new clients (found in
// review): a live window stays until it is over, and new clients are
// refused meanwhile.
func TestClientLimitFullTableKeepsLiveWindows(t *testing.T) {
	now := time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC)
	l := newClientLimit(func() time.Time { return now }, 2, time.Minute, 4)
	for range 2 {
		if !l.allow("victim") {
			t.Fatal("victim refused within the limit")
		}
	}
	if l.allow("victim") {
		t.Fatal("victim allowed over the limit")
	}
	for i := range 3 {
		l.allow(fmt.Sprint("c", i))
	}
	for i := range 100 { // new addresses while the table is full
		if l.allow(fmt.Sprint("new", i)) {
			t.Fatalf("new client %d allowed while the table is full of live windows", i)
		}
	}
	if l.allow("victim") {
		t.Error("victim's window was flushed by new clients")
	}
	now = now.Add(time.Minute)
	if !l.allow("new0") {
		t.Error("new client refused once the windows are over")
	}
	if !l.allow("victim") {
		t.Error("victim refused in its next window")
	}
}
