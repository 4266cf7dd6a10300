package store

import (
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"codeberg.org/maillage/maillage/internal/uris"
)

// What relays brought and is still held, so that a relay's total counts
// what it holds, not what it ever sent, and is counted per origin too:
// relay_held keys relay URL \0 origin (uris.Domain) \0 IRI; an object's
// relay is found by relayed_objects, an organisation's by relayed_actors.
var (
	bucketRelayHeld      = []byte("relay_held")      // relay URL \0 domain \0 IRI -> nil
	bucketRelayedObjects = []byte("relayed_objects") // object IRI -> relay URL it came through
)

func heldKey(url, iri string) []byte { return join(url, uris.Domain(iri), iri) }

// HoldRelayed records that the object (or, actor true, the organisation)
// iri was stored through the relay at url, which counted it in its
// Stored. An organisation is then kept while nothing else keeps it
// (NeededActors). Its deletion lowers the relay's Stored again.
func (t *Tx) HoldRelayed(url, iri string, actor bool) error {
	reverse := bucketRelayedObjects
	if actor {
		reverse = bucketRelayedActors
	}
	if err := t.bucket(reverse).Put([]byte(iri), []byte(url)); err != nil {
		return fmt.Errorf("store: hold relayed %s: %w", iri, err)
	}
	return t.bucket(bucketRelayHeld).Put(heldKey(url, iri), nil)
}

// RelayHeld counts what the relay at url holds from the origin domain,
// counting no further than max.
func (t *Tx) RelayHeld(url, domain string, max int) int {
	n := 0
	_ = t.eachPrefix(bucketRelayHeld, append(join(url, domain), 0), false, func(_, _ []byte) (bool, error) {
		n++
		return n < max, nil
	})
	return n
}

// RelayHeldAll counts what the relay at url brought and is still held,
// from every origin: a relay joined again starts from what it left.
func (t *Tx) RelayHeldAll(url string) int64 {
	var n int64
	_ = t.eachPrefix(bucketRelayHeld, append([]byte(url), 0), false, func(_, _ []byte) (bool, error) {
		n++
		return true, nil
	})
	return n
}

// releaseRelayed forgets that iri came through a relay, when it did, and
// lowers that relay's Stored: the object was deleted, or the organisation
// deleted itself.
func (t *Tx) releaseRelayed(iri string, actor bool) error {
	reverse := bucketRelayedObjects
	if actor {
		reverse = bucketRelayedActors
	}
	b := t.bucket(reverse)
	if b == nil {
		return nil // before its migration
	}
	v := b.Get([]byte(iri))
	if v == nil {
		return nil
	}
	url := string(v)
	if err := b.Delete([]byte(iri)); err != nil {
		return err
	}
	held := t.bucket(bucketRelayHeld)
	if held.Get(heldKey(url, iri)) == nil {
		return nil // held before the count was kept per object: nothing to lower
	}
	if err := held.Delete(heldKey(url, iri)); err != nil {
		return err
	}
	r, err := t.Relay(url)
	if errors.Is(err, ErrNotFound) {
		return nil // the relay was left
	} else if err != nil {
		return err
	}
	if r.Stored > 0 {
		r.Stored--
	}
	return t.PutRelay(r)
}

// migrateRelayHeld creates the buckets of what relays brought and is held,
// and enters the organisations already kept through a relay (objects were
// not recorded by relay before: they stay counted in Stored).
func migrateRelayHeld(tx *bolt.Tx) error {
	held, err := tx.CreateBucketIfNotExists(bucketRelayHeld)
	if err != nil {
		return err
	}
	if _, err := tx.CreateBucketIfNotExists(bucketRelayedObjects); err != nil {
		return err
	}
	actors := tx.Bucket(bucketRelayedActors)
	if actors == nil {
		return nil
	}
	return actors.ForEach(func(k, v []byte) error {
		return held.Put(heldKey(string(v), string(k)), nil)
	})
}
