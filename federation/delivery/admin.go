package delivery

import (
	"fmt"

	"codeberg.org/maillage/maillage/internal/errs"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// ErrInFlight is returned when an administrator acts on a delivery that is
// being sent: its attempt will record the outcome, so it is left alone.
var ErrInFlight = errs.New(errs.Conflict, "delivery: being sent, try again in a moment")

// RetryNow makes a queued delivery due at once (its attempt count and last
// error are kept) and wakes the worker.
//
// w.mu is held across the store update, as in dispatch, so the delivery
// cannot start meanwhile; the attempt itself never holds w.mu while it
// writes, so this cannot deadlock.
func (w *Worker) RetryNow(id uint64) (model.Delivery, error) {
	d, err := w.change(id, func(tx *store.Tx, d model.Delivery) (model.Delivery, error) {
		nd := d
		nd.NextAttempt = w.o.Now()
		return nd, tx.Reschedule(d, nd)
	})
	if err == nil {
		w.Poke()
	}
	return d, err
}

// Drop removes a queued delivery without sending it.
func (w *Worker) Drop(id uint64) (model.Delivery, error) {
	return w.change(id, func(tx *store.Tx, d model.Delivery) (model.Delivery, error) {
		return d, tx.Dequeue(d)
	})
}

func (w *Worker) change(id uint64, fn func(*store.Tx, model.Delivery) (model.Delivery, error)) (model.Delivery, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.inflight[id] {
		return model.Delivery{}, fmt.Errorf("delivery %d: %w", id, ErrInFlight)
	}
	var out model.Delivery
	err := w.st.Update(func(tx *store.Tx) error {
		d, err := tx.Delivery(id)
		if err != nil {
			return err
		}
		out, err = fn(tx, d)
		return err
	})
	return out, err
}
