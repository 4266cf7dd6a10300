package store

import (
	"bytes"
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
func (t *Tx) Reschedule(old model.Delivery, next model.Delivery) error {
	if err := t.bucket(bucketQueue).Delete(queueKey(old)); err != nil {
		return err
	}
	return t.putJSON(bucketQueue, queueKey(next), next)
}

// Dequeue removes a delivery (done or given up).
func (t *Tx) Dequeue(d model.Delivery) error {
	return t.bucket(bucketQueue).Delete(queueKey(d))
}

// Due returns up to limit deliveries whose attempt time is not after now,
// oldest first, and the time of the next one that is not yet due (zero if
// the queue holds none).
func (t *Tx) Due(now time.Time, limit int) ([]model.Delivery, time.Time, error) {
	var out []model.Delivery
	var next time.Time
	limitKey := u64(uint64(now.UnixNano()) + 1)
	c := t.bucket(bucketQueue).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if bytes.Compare(k[:8], limitKey) >= 0 {
			var d model.Delivery
			if err := decode(v, &d); err != nil {
				return nil, next, err
			}
			next = d.NextAttempt
			break
		}
		if len(out) >= limit {
			continue
		}
		var d model.Delivery
		if err := decode(v, &d); err != nil {
			return nil, next, err
		}
		out = append(out, d)
	}
	return out, next, nil
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
