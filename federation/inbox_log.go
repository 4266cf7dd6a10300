package federation

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// What the inbox logs per request (refusals, dropped objects, failures) is
// written, but a flood of requests (anyone can POST garbage, and a signed
// peer can send what it likes) must not write a line each: at most
// logWindowLines lines of each kind per logWindowSpan, and the first
// line after a cut says how many were left out. /metrics counts every
// request (countInbox).
const (
	logWindowLines = 20
	logWindowSpan  = 10 * time.Second
)

// logBounded logs msg at level if w allows it, with the number of lines
// w left out before it.
func (f *Federation) logBounded(w *logWindow, level slog.Level, msg string, args ...any) {
	ok, suppressed := w.allow(f.now())
	if !ok {
		return
	}
	if suppressed > 0 {
		args = append(args, "suppressed", suppressed)
	}
	f.log.Log(context.Background(), level, msg, args...)
}

// logWindow is that budget; its zero value is ready.
type logWindow struct {
	mu         sync.Mutex
	start      time.Time
	lines      int
	suppressed int
}

// allow tells whether a line may be written at now and, if so, how many
// were suppressed since the last one written.
func (w *logWindow) allow(now time.Time) (ok bool, suppressed int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if now.Sub(w.start) >= logWindowSpan || now.Before(w.start) {
		w.start, w.lines = now, 0
	}
	if w.lines >= logWindowLines {
		w.suppressed++
		return false, 0
	}
	w.lines++
	suppressed, w.suppressed = w.suppressed, 0
	return true, suppressed
}
