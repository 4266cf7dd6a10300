package model

import (
	"testing"
	"time"
)

// The one rule for a call's status: deadlines are instants in UTC
// (docs/vocabulary.md, mai:deadline), so there is no reader's zone to
// apply; a call is open up to and including its deadline.
func TestCallStateAt(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { t := now.Add(d); return &t }
	day := 24 * time.Hour
	tests := []struct {
		name string
		c    CallState
		want CallStatus
	}{
		{"open, deadline tomorrow", CallState{"open", at(day)}, CallOpen},
		{"open, deadline later today", CallState{"open", at(time.Hour)}, CallOpen},
		{"open, deadline now", CallState{"open", at(0)}, CallOpen},
		{"open, deadline a moment ago", CallState{"open", at(-time.Nanosecond)}, CallExpired},
		{"open, deadline yesterday", CallState{"open", at(-day)}, CallExpired},
		{"open, no deadline", CallState{"open", nil}, CallOpen},
		{"closed by hand, deadline tomorrow", CallState{"closed", at(day)}, CallClosed},
		{"closed by hand, deadline yesterday", CallState{"closed", at(-day)}, CallClosed},
		{"filled, deadline tomorrow", CallState{"filled", at(day)}, CallFilled},
		{"filled, deadline yesterday", CallState{"filled", at(-day)}, CallFilled},
		{"cancelled", CallState{"cancelled", at(day)}, CallCancelled},
		{"deadline in another zone, passed", CallState{"open", func() *time.Time {
			t := now.Add(-time.Minute).In(time.FixedZone("UTC+14", 14*3600))
			return &t
		}()}, CallExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.At(now); got != tt.want {
				t.Errorf("At = %q, want %q", got, tt.want)
			}
			if got, want := tt.c.IsOpen(now), tt.want == CallOpen; got != want {
				t.Errorf("IsOpen = %t, want %t", got, want)
			}
		})
	}
}

func TestObjectCallStatus(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	past := now.Add(-time.Hour)
	call := Object{Kind: KindCall, Status: "open", Deadline: &past}
	if got := call.CallStatus(now); got != CallExpired {
		t.Errorf("CallStatus of an open call past its deadline = %q, want expired", got)
	}
	if got := (Object{Kind: KindProject, Status: "active"}).CallStatus(now); got != "active" {
		t.Errorf("CallStatus of a project = %q, want its status", got)
	}
}
