package store

import (
	"fmt"

	"codeberg.org/maillage/maillage/internal/model"
)

// AddReport stores a new report, assigning its ID (increasing, so that
// the bucket is in arrival order).
func (t *Tx) AddReport(r model.Report) (model.Report, error) {
	seq, err := t.bucket(bucketReports).NextSequence()
	if err != nil {
		return r, fmt.Errorf("store: report sequence: %w", err)
	}
	r.ID = seq
	return r, t.putJSON(bucketReports, u64(seq), r)
}

// Reports lists the reports, newest first.
func (t *Tx) Reports() ([]model.Report, error) {
	var out []model.Report
	err := t.eachPrefix(bucketReports, nil, true, func(_, v []byte) (bool, error) {
		var r model.Report
		if err := decode(v, &r); err != nil {
			return false, err
		}
		out = append(out, r)
		return true, nil
	})
	return out, err
}

// ReportCount is how many reports are stored.
func (t *Tx) ReportCount() int { return t.bucket(bucketReports).Stats().KeyN }
