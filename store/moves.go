package store

import (
	"fmt"

	"codeberg.org/maillage/maillage/internal/model"
)

// PutMove records a Move applied, under its origin and its target.
func (t *Tx) PutMove(m model.MoveRecord) error {
	for _, iri := range []string{m.Origin, m.Target} {
		if err := t.putJSON(bucketMoves, []byte(iri), m); err != nil {
			return fmt.Errorf("store: put move of %s: %w", m.Origin, err)
		}
	}
	return nil
}

// LastMove returns the latest Move recorded that involved the actor iri,
// as origin or target.
func (t *Tx) LastMove(iri string) (model.MoveRecord, error) {
	var m model.MoveRecord
	if err := t.getJSON(bucketMoves, []byte(iri), &m); err != nil {
		return m, fmt.Errorf("move of %s: %w", iri, err)
	}
	return m, nil
}

// LocalFollowsOf returns the follows of target that local actors sent,
// pending or accepted, by local actor name.
func (t *Tx) LocalFollowsOf(target string) (map[string]model.Following, error) {
	names, err := t.LocalsFollowing(target)
	if err != nil {
		return nil, err
	}
	out := map[string]model.Following{}
	for _, name := range names {
		if f, err := t.Following(name, target); err == nil {
			out[name] = f
		}
	}
	return out, nil
}
