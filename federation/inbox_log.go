package federation

import (
	"sync"
	"time"
)

// A refused inbox request is logged, but a flood of them (anyone can POST
// garbage, and a signed peer can send what it likes) must not write a line
// each: at most refusalLogMax lines per refusalLogWindow, and the first
// line after a cut says how many were left out. /metrics counts every one
// (countInbox).
const (
	refusalLogMax    = 20
	refusalLogWindow = 10 * time.Second
)

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
	if now.Sub(w.start) >= refusalLogWindow || now.Before(w.start) {
		w.start, w.lines = now, 0
	}
	if w.lines >= refusalLogMax {
		w.suppressed++
		return false, 0
	}
	w.lines++
	suppressed, w.suppressed = w.suppressed, 0
	return true, suppressed
}
