package store

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The seen bucket makes inbox processing idempotent: it holds the ids of
// the incoming activities applied recently. Ids are stored as their
// SHA-256, so that an entry has the same small size however long the id a
// remote chose, and with the time received, indexed in seen_at so that
// PruneSeen reads only what it removes.

func seenKey(activityID string) []byte {
	h := sha256.Sum256([]byte(activityID))
	return h[:]
}

// IsSeen reports whether an incoming activity id was recorded.
func (t *Tx) IsSeen(activityID string) bool {
	return t.bucket(bucketSeen).Get(seenKey(activityID)) != nil
}

// MarkSeen records an incoming activity id received at now; it reports
// false when the id was already recorded.
func (t *Tx) MarkSeen(activityID string, now time.Time) (bool, error) {
	k := seenKey(activityID)
	if t.bucket(bucketSeen).Get(k) != nil {
		return false, nil
	}
	at := u64(uint64(now.Unix()))
	if err := t.bucket(bucketSeen).Put(k, at); err != nil {
		return false, fmt.Errorf("store: mark seen: %w", err)
	}
	if err := t.bucket(bucketSeenAt).Put(append(at, k...), nil); err != nil {
		return false, fmt.Errorf("store: mark seen: index: %w", err)
	}
	return true, nil
}

// PruneSeen forgets at most limit activity ids received before cutoff,
// oldest first, and returns how many it removed; callers repeat it in new
// transactions until it returns less than limit, so that no transaction
// grows with the backlog.
func (t *Tx) PruneSeen(cutoff time.Time, limit int) (int, error) {
	end := u64(uint64(max(cutoff.Unix(), 0)))
	var old [][]byte
	c := t.bucket(bucketSeenAt).Cursor()
	for k, _ := c.First(); k != nil && len(old) < limit && bytes.Compare(k[:min(len(k), 8)], end) < 0; k, _ = c.Next() {
		old = append(old, bytes.Clone(k))
	}
	for _, k := range old {
		if err := t.bucket(bucketSeenAt).Delete(k); err != nil {
			return 0, fmt.Errorf("store: prune seen: %w", err)
		}
		if len(k) > 8 {
			if err := t.bucket(bucketSeen).Delete(k[8:]); err != nil {
				return 0, fmt.Errorf("store: prune seen: %w", err)
			}
		}
	}
	return len(old), nil
}

// SeenCount is the number of activity ids recorded.
func (t *Tx) SeenCount() int { return t.bucket(bucketSeen).Stats().KeyN }

// migrateSeen rewrites the seen bucket of schema 8 (raw id -> unix
// seconds) as hashed ids with the seen_at index.
func migrateSeen(tx *bolt.Tx) error {
	at, err := tx.CreateBucketIfNotExists(bucketSeenAt)
	if err != nil {
		return err
	}
	type entry struct{ key, at []byte }
	var all []entry
	if b := tx.Bucket(bucketSeen); b != nil {
		err := b.ForEach(func(k, v []byte) error {
			when := make([]byte, 8) // a malformed time reads as 1970: pruned at the next pass
			if len(v) == 8 {
				copy(when, v)
			}
			all = append(all, entry{seenKey(string(k)), when})
			return nil
		})
		if err != nil {
			return err
		}
		if err := tx.DeleteBucket(bucketSeen); err != nil {
			return err
		}
	}
	seen, err := tx.CreateBucket(bucketSeen)
	if err != nil {
		return err
	}
	for _, e := range all {
		if err := seen.Put(e.key, e.at); err != nil {
			return err
		}
		if err := at.Put(append(e.at, e.key...), nil); err != nil {
			return err
		}
	}
	return nil
}
