package federation

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
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
		inboxSlots: make(chan struct{}, 1), bodyLimits: bodyLimits{timeout: time.Second, budget: 1 << 20}}
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
