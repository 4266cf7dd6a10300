package store

import (
	"errors"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

func TestQueueStatsAndDelivery(t *testing.T) {
	s := openTestStore(t)
	var st QueueStats
	mustView(t, s, func(tx *Tx) (err error) { st, err = tx.QueueStats(); return })
	if st.Depth != 0 || !st.Oldest.IsZero() {
		t.Errorf("empty queue stats = %+v, want zero", st)
	}
	// The first queued is retried late: it is the oldest though not first in
	// attempt order.
	ds := enqueue(t, s,
		model.Delivery{Inbox: "first", Created: t0, NextAttempt: t0.Add(time.Hour)},
		model.Delivery{Inbox: "second", Created: t0.Add(time.Minute), NextAttempt: t0.Add(time.Minute)},
		model.Delivery{Inbox: "third", Created: t0.Add(2 * time.Minute), NextAttempt: t0.Add(2 * time.Minute)},
	)
	mustView(t, s, func(tx *Tx) (err error) { st, err = tx.QueueStats(); return })
	if st.Depth != 3 || !st.Oldest.Equal(t0) {
		t.Errorf("stats = %+v, want depth 3, oldest %s", st, t0)
	}
	_, full, err := func() ([]model.Delivery, QueueStats, error) {
		var q []model.Delivery
		var fs QueueStats
		err := s.View(func(tx *Tx) (err error) { q, fs, err = tx.Queue(); return })
		return q, fs, err
	}()
	if err != nil || full != st {
		t.Errorf("QueueStats = %+v, Queue's stats = %+v (%v): want the same", st, full, err)
	}

	var d model.Delivery
	mustView(t, s, func(tx *Tx) (err error) { d, err = tx.Delivery(ds[2].ID); return })
	if d.Inbox != "third" || d.ID != ds[2].ID {
		t.Errorf("Delivery(%d) = %+v", ds[2].ID, d)
	}
	err = s.View(func(tx *Tx) error { _, err := tx.Delivery(999); return err })
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("Delivery(999): err = %v, want ErrNotFound", err)
	}
}
