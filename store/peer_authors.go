package store

import (
	"bytes"
)

// EachContentAuthor calls fn with an IRI on the origin of each actor
// whose content the store holds: the author of an object (local ones
// included), a reply's own IRI (on its author's origin, as the inbox
// checks), and each organisation stored through a relay. An origin may
// come more than once; fn returns false to stop. Unlike EachActorIRI, it
// leaves out actors stored only because they follow someone here. It
// reads keys only.
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
	for _, b := range [][]byte{bucketRelayedActors, bucketReplyIndex} {
		stop := false
		err := t.eachPrefix(b, nil, false, func(k, _ []byte) (bool, error) {
			stop = !fn(string(k))
			return !stop, nil
		})
		if err != nil || stop {
			return err
		}
	}
	return nil
}
