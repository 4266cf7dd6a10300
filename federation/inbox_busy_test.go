package federation

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestInboxBusyIsNoError: a POST turned away because every processing
// slot is taken is answered 503 with Retry-After, and logged as a refusal
// (Warn), not as a failure: a burst past the limit would otherwise fill
// the error log with one line per request.
func TestInboxBusyIsNoError(t *testing.T) {
	var logs bytes.Buffer
	f := &Federation{log: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		inboxSlots: make(chan struct{}, 1), bodyLimits: bodyLimits{timeout: time.Second, budget: 1 << 20}, now: time.Now}
	f.inboxSlots <- struct{}{} // the only slot is taken
	r := httptest.NewRequest(http.MethodPost, "/inbox", strings.NewReader(`{"type":"Create"}`))
	r.Header.Set("Content-Type", ContentTypeAS)
	w := httptest.NewRecorder()
	f.Inbox(w, r)
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
		t.Fatalf("status %d, Retry-After %q: want 503 with Retry-After", w.Code, w.Header().Get("Retry-After"))
	}
	if got := logs.String(); !strings.Contains(got, "level=WARN") || strings.Contains(got, "level=ERROR") {
		t.Errorf("log of a busy inbox:\n%s\nwant one WARN line, no ERROR", got)
	}
}

// TestInboxRefusalsLogBounded: a flood of refused POSTs writes at most
// logWindowLines lines per logWindowSpan; the first line of the next
// window says how many were left out. Every one is still answered.
func TestInboxRefusalsLogBounded(t *testing.T) {
	var logs bytes.Buffer
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	f := &Federation{log: slog.New(slog.NewTextHandler(&logs, nil)), now: func() time.Time { return now }}
	post := func() {
		t.Helper()
		r := httptest.NewRequest(http.MethodPost, "/inbox", strings.NewReader(`{}`))
		r.Header.Set("Content-Type", "text/plain")
		w := httptest.NewRecorder()
		f.Inbox(w, r)
		if w.Code != http.StatusUnsupportedMediaType {
			t.Fatalf("status %d, want 415", w.Code)
		}
	}
	const flood = 5 * logWindowLines
	for range flood {
		post()
	}
	if n := strings.Count(logs.String(), "inbox activity refused"); n != logWindowLines {
		t.Errorf("%d refusals logged %d lines, want %d", flood, n, logWindowLines)
	}
	if strings.Contains(logs.String(), "suppressed=") {
		t.Errorf("a line of the first window reports suppressed lines:\n%s", logs.String())
	}
	logs.Reset()
	now = now.Add(logWindowSpan)
	post()
	if got, want := logs.String(), fmt.Sprintf("suppressed=%d", flood-logWindowLines); !strings.Contains(got, want) {
		t.Errorf("first line of the next window:\n%s\nwant %s", got, want)
	}
}

// TestLogWindow: logWindowLines lines per window whatever the number of
// goroutines asking, the suppressed count carried by the next line let
// through, and a clock that goes back starts a new window rather than
// silencing the log until it catches up.
func TestLogWindow(t *testing.T) {
	var w logWindow
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	var allowed atomic.Int64
	for range 8 {
		wg.Go(func() {
			for range 100 {
				if ok, _ := w.allow(now); ok {
					allowed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if n := allowed.Load(); n != logWindowLines {
		t.Errorf("800 concurrent asks let %d lines through, want %d", n, logWindowLines)
	}
	now = now.Add(-time.Hour)
	if ok, suppressed := w.allow(now); !ok || suppressed != 800-logWindowLines {
		t.Errorf("after the clock went back: allowed %v, suppressed %d; want true, %d", ok, suppressed, 800-logWindowLines)
	}
}
