package store

import (
	"encoding/json"
	"fmt"

	"codeberg.org/maillage/maillage/internal/model"
)

// Backfill returns the stored progress of the backfill of actor.
func (t *Tx) Backfill(actor string) (model.Backfill, error) {
	var b model.Backfill
	err := t.getJSON(bucketBackfills, []byte(actor), &b)
	return b, err
}

// PutBackfill stores the progress of a backfill.
func (t *Tx) PutBackfill(b model.Backfill) error {
	return t.putJSON(bucketBackfills, []byte(b.Actor), b)
}

// DeleteBackfill forgets a finished (or abandoned) backfill, and the
// organisations it found.
func (t *Tx) DeleteBackfill(actor string) error {
	if err := t.deleteBackfillOrgs(actor); err != nil {
		return err
	}
	if err := t.bucket(bucketBackfills).Delete([]byte(actor)); err != nil {
		return fmt.Errorf("store: delete backfill %s: %w", actor, err)
	}
	return nil
}

// Backfills lists the backfills in progress.
func (t *Tx) Backfills() ([]model.Backfill, error) {
	var out []model.Backfill
	err := t.eachPrefix(bucketBackfills, nil, false, func(_, v []byte) (bool, error) {
		var b model.Backfill
		if err := json.Unmarshal(v, &b); err != nil {
			return false, fmt.Errorf("store: decode backfill: %w", err)
		}
		out = append(out, b)
		return true, nil
	})
	return out, err
}
