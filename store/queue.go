package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// The queue bucket is ordered by next attempt time, so due deliveries are a
// prefix scan from the start.

func queueKey(d model.Delivery) []byte {
	return append(u64(uint64(d.NextAttempt.UnixNano())), u64(d.ID)...)
}

// Enqueue adds a delivery, assigning its ID.
func (t *Tx) Enqueue(d model.Delivery) (model.Delivery, error) {
	id, err := t.bucket(bucketQueue).NextSequence()
	if err != nil {
		return d, fmt.Errorf("store: queue sequence: %w", err)
	}
	d.ID = id
	return d, t.putJSON(bucketQueue, queueKey(d), d)
}

// Reschedule moves a queued delivery to a new attempt time. old is the
// delivery as it was read (its NextAttempt locates it).
// It fails with ErrNotFound when old is no longer queued (dropped by an
// administrator or a block while it was being sent): it stays gone.
func (t *Tx) Reschedule(old model.Delivery, next model.Delivery) error {
	if t.bucket(bucketQueue).Get(queueKey(old)) == nil {
		return fmt.Errorf("delivery %d: %w", old.ID, ErrNotFound)
	}
	if err := t.bucket(bucketQueue).Delete(queueKey(old)); err != nil {
		return err
	}
	return t.putJSON(bucketQueue, queueKey(next), next)
}

// Dequeue removes a delivery (done or given up).
func (t *Tx) Dequeue(d model.Delivery) error {
	return t.bucket(bucketQueue).Delete(queueKey(d))
}

// QueueStats describes the delivery queue.
type QueueStats struct {
	Depth  int
	Oldest time.Time // creation time of the oldest queued delivery
}

// Queue lists every queued delivery in attempt order, and stats.
func (t *Tx) Queue() ([]model.Delivery, QueueStats, error) {
	var out []model.Delivery
	var st QueueStats
	err := t.eachPrefix(bucketQueue, nil, false, func(_, v []byte) (bool, error) {
		var d model.Delivery
		if err := decode(v, &d); err != nil {
			return false, err
		}
		out = append(out, d)
		st.Depth++
		if st.Oldest.IsZero() || d.Created.Before(st.Oldest) {
			st.Oldest = d.Created
		}
		return true, nil
	})
	return out, st, err
}

// EachDue walks the deliveries due at now, oldest first, looking at most at
// limit of them: skip(id) passes over one without decoding it, and take
// receives the others until it returns false. It returns the attempt time
// of the first delivery not yet due (zero if none).
func (t *Tx) EachDue(now time.Time, limit int, skip func(id uint64) bool, take func(model.Delivery) bool) (time.Time, error) {
	limitKey := u64(uint64(now.UnixNano()) + 1)
	c := t.bucket(bucketQueue).Cursor()
	seen := 0
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if bytes.Compare(k[:8], limitKey) >= 0 {
			var d model.Delivery
			if err := decode(v, &d); err != nil {
				return time.Time{}, err
			}
			return d.NextAttempt, nil
		}
		if seen++; seen > limit {
			return now, nil // more is due than one scan looks at
		}
		if skip(binary.BigEndian.Uint64(k[8:16])) {
			continue
		}
		var d model.Delivery
		if err := decode(v, &d); err != nil {
			return time.Time{}, err
		}
		if !take(d) {
			return now, nil
		}
	}
	return time.Time{}, nil
}
