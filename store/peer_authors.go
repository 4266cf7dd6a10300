package store

import (
	"bytes"
	"encoding/json"
	"fmt"

	"codeberg.org/maillage/maillage/internal/model"
)

// EachContentAuthor calls fn with the IRI of each actor whose content the
// store holds: the author of an object (local ones included) or of a reply,
// and each organisation stored through a relay. An actor may come more
// than once; fn returns false to stop. Unlike EachActorIRI, it leaves out
// actors stored only because they follow someone here.
func (t *Tx) EachContentAuthor(fn func(iri string) bool) error {
	// by_actor keys are actor \0 published \0 id: one seek per author.
	c := t.bucket(bucketByActor).Cursor()
	for k, _ := c.First(); k != nil; {
		actor, _, _ := bytes.Cut(k, []byte{0})
		if !fn(string(actor)) {
			return nil
		}
		k, _ = c.Seek(append(bytes.Clone(actor), 1))
	}
	stop := false
	err := t.eachPrefix(bucketRelayedActors, nil, false, func(k, _ []byte) (bool, error) {
		stop = !fn(string(k))
		return !stop, nil
	})
	if err != nil || stop {
		return err
	}
	return t.eachPrefix(bucketReplies, nil, false, func(_, v []byte) (bool, error) {
		var r model.Reply
		if err := json.Unmarshal(v, &r); err != nil {
			return false, fmt.Errorf("store: decode reply: %w", err)
		}
		return fn(r.Actor), nil
	})
}
