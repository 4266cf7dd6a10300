package service

import (
	"strings"
	"sync"
	"time"
)

// Link e-mails (password reset, address confirmation) are sent on a
// stranger's request, so each mailbox gets at most mailboxMaxLinks of each
// kind per mailboxWindow, whatever client asks: one address cannot be
// flooded from many. At most mailboxMaxKeys mailboxes are remembered.
const (
	mailboxMaxLinks = 3
	// accountMaxConfirmations bounds the confirmation links one account
	// causes per mailboxWindow, whatever addresses it gives: room to fix a
	// typo and ask again, not to mail strangers.
	accountMaxConfirmations = 5
	mailboxWindow           = time.Hour
	mailboxMaxKeys          = 10000
)

// mailboxLimit counts the e-mails sent to each mailbox in a sliding
// window. It is in memory (a restart forgets it) and bounded: when full,
// mailboxes with nothing in the window go first, then the one least
// recently written to.
type mailboxLimit struct {
	max    int
	window time.Duration
	size   int

	mu   sync.Mutex // guards sent
	sent map[string][]time.Time
}

func newMailboxLimit(max int, window time.Duration, size int) *mailboxLimit {
	return &mailboxLimit{max: max, window: window, size: size, sent: map[string][]time.Time{}}
}

// allow reports whether one more e-mail may go to addr at now, and if so
// counts it. Addresses are compared without case (the domain is
// case-insensitive, and most servers treat the local part so too).
func (l *mailboxLimit) allow(addr string, now time.Time) bool {
	key := strings.ToLower(strings.TrimSpace(addr))
	l.mu.Lock()
	defer l.mu.Unlock()
	times := l.live(l.sent[key], now)
	if len(times) >= l.max {
		l.sent[key] = times
		return false
	}
	if _, known := l.sent[key]; !known {
		l.makeRoom(now)
	}
	l.sent[key] = append(times, now)
	return true
}

// live is the part of times still in the window at now (times is in
// order).
func (l *mailboxLimit) live(times []time.Time, now time.Time) []time.Time {
	i := 0
	for i < len(times) && now.Sub(times[i]) >= l.window {
		i++
	}
	return times[i:]
}

// makeRoom keeps the map under size entries. l.mu is held.
func (l *mailboxLimit) makeRoom(now time.Time) {
	if len(l.sent) < l.size {
		return
	}
	var oldest string
	var oldestAt time.Time
	for k, times := range l.sent {
		if times = l.live(times, now); len(times) == 0 {
			delete(l.sent, k)
		} else if last := times[len(times)-1]; oldest == "" || last.Before(oldestAt) {
			oldest, oldestAt = k, last
		}
	}
	if len(l.sent) >= l.size {
		delete(l.sent, oldest)
	}
}
