package store

import (
	"encoding/json"
	"fmt"

	"codeberg.org/maillage/maillage/internal/model"
)

// activityRecord is what the activities bucket holds: the activity's
// metadata and its JSON exactly as delivered.
type activityRecord struct {
	Activity model.Activity  `json:"activity"`
	JSON     json.RawMessage `json:"json"`
}

// PutActivity stores an outgoing activity with its rendered JSON and, when
// inOutbox, appends it to its actor's outbox.
func (t *Tx) PutActivity(a model.Activity, body []byte, inOutbox bool) error {
	if err := t.putJSON(bucketActivities, []byte(a.ID), activityRecord{a, body}); err != nil {
		return err
	}
	if !inOutbox {
		return nil
	}
	b := t.bucket(bucketOutbox)
	seq, err := b.NextSequence()
	if err != nil {
		return fmt.Errorf("store: outbox sequence: %w", err)
	}
	return b.Put(append(join(a.Actor, ""), u64(seq)...), []byte(a.ID))
}

// Activity returns an outgoing activity and its JSON.
func (t *Tx) Activity(id string) (model.Activity, []byte, error) {
	var r activityRecord
	if err := t.getJSON(bucketActivities, []byte(id), &r); err != nil {
		return r.Activity, nil, fmt.Errorf("activity %s: %w", id, err)
	}
	return r.Activity, r.JSON, nil
}

// Outbox returns the JSON of local's outbox activities, newest first,
// skipping offset and returning at most limit, plus the total count.
func (t *Tx) Outbox(local string, offset, limit int) ([][]byte, int, error) {
	var out [][]byte
	n := 0
	err := t.eachPrefix(bucketOutbox, join(local, ""), true, func(_, v []byte) (bool, error) {
		if n >= offset && len(out) < limit {
			_, body, err := t.Activity(string(v))
			if err != nil {
				return false, err
			}
			out = append(out, body)
		}
		n++
		return true, nil
	})
	return out, n, err
}
