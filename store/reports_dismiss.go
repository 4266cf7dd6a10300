package store

import (
	"fmt"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// DismissReport marks the report id dismissed at `at` (the first time
// only) and returns it; ErrNotFound if there is none.
func (t *Tx) DismissReport(id uint64, at time.Time) (model.Report, error) {
	var r model.Report
	if err := t.getJSON(bucketReports, u64(id), &r); err != nil {
		return r, fmt.Errorf("report %d: %w", id, err)
	}
	if !r.Dismissed.IsZero() {
		return r, nil
	}
	r.Dismissed = at.UTC()
	return r, t.putJSON(bucketReports, u64(id), r)
}
