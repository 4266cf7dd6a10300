package service

import (
	"sync"
	"time"
)

// A Delete can overtake its Create. For an actor with a follow either way
// the store keeps a tombstone (ReceiveDelete); anyone else may still reply
// to our objects, so their Deletes of ids we never held are remembered
// here, in memory, bounded in number and for a few hours, as Mastodon
// keeps them in Redis for 6 hours (app/lib/activitypub/activity.rb,
// delete_later!). A stranger cannot make the store grow this way.
const (
	earlyDeleteTTL  = 6 * time.Hour
	maxEarlyDeletes = 4096 // ids are at most 2 KiB (federation's decode): at most ~16 MiB
)

// earlyDeletes maps actor \0 object id to when the Delete arrived.
type earlyDeletes struct {
	mu sync.Mutex
	m  map[string]time.Time
}

func (e *earlyDeletes) add(actor, id string, now time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.m) >= maxEarlyDeletes {
		for k, at := range e.m { // forget the expired, else any one
			if now.Sub(at) > earlyDeleteTTL {
				delete(e.m, k)
			}
		}
		for k := range e.m {
			if len(e.m) < maxEarlyDeletes {
				break
			}
			delete(e.m, k)
		}
	}
	e.m[actor+"\x00"+id] = now
}

// has reports whether actor deleted id in the last earlyDeleteTTL.
func (e *earlyDeletes) has(actor, id string, now time.Time) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	at, ok := e.m[actor+"\x00"+id]
	return ok && now.Sub(at) <= earlyDeleteTTL
}
