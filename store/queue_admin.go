package store

import (
	"encoding/binary"
	"fmt"

	"codeberg.org/maillage/maillage/internal/model"
)

// QueueStats counts the queue and finds its oldest delivery, decoding only
// that one: IDs come from the bucket's sequence, so the smallest ID is the
// delivery queued first. Metrics call it on every scrape.
func (t *Tx) QueueStats() (QueueStats, error) {
	var st QueueStats
	var oldest []byte
	var oldestID uint64
	c := t.bucket(bucketQueue).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		st.Depth++
		if id := binary.BigEndian.Uint64(k[8:16]); oldest == nil || id < oldestID {
			oldest, oldestID = v, id
		}
	}
	if oldest != nil {
		var d model.Delivery
		if err := decode(oldest, &d); err != nil {
			return st, fmt.Errorf("store: queue stats: %w", err)
		}
		st.Oldest = d.Created
	}
	return st, nil
}

// Delivery finds a queued delivery by ID. It scans the keys (the queue is
// ordered by attempt time): for the admin API, not for the hot path.
func (t *Tx) Delivery(id uint64) (model.Delivery, error) {
	var d model.Delivery
	c := t.bucket(bucketQueue).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if binary.BigEndian.Uint64(k[8:16]) != id {
			continue
		}
		if err := decode(v, &d); err != nil {
			return d, fmt.Errorf("store: delivery %d: %w", id, err)
		}
		return d, nil
	}
	return d, fmt.Errorf("store: delivery %d: %w", id, ErrNotFound)
}
