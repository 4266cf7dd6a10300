package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// The organisations a backfill found in an instance actor's collection
// are kept apart from its progress (migration 12), so that saving the
// progress after each page rewrites a few counters, not up to 1,000 IRIs:
//
//	actor \0 'i' index(4) -> organisation IRI   (in the order found)
//	actor \0 'h' IRI      -> 1                  (already listed)
var bucketBackfillOrgs = []byte("backfill_orgs")

func backfillOrgKey(actor string, i int) []byte {
	k := append(join(actor, "i"), 0, 0, 0, 0)
	binary.BigEndian.PutUint32(k[len(k)-4:], uint32(i))
	return k
}

// AddBackfillOrgs appends to the organisations of actor's backfill those of
// iris it does not list yet, while it lists fewer than max; n is how many
// it lists before, and the count after is returned.
func (t *Tx) AddBackfillOrgs(actor string, n, max int, iris []string) (int, error) {
	b := t.bucket(bucketBackfillOrgs)
	for _, iri := range iris {
		if n >= max {
			break
		}
		seen := join(actor, "h", iri)
		if b.Get(seen) != nil {
			continue
		}
		if err := b.Put(seen, []byte{1}); err != nil {
			return n, fmt.Errorf("store: backfill org %s: %w", iri, err)
		}
		if err := b.Put(backfillOrgKey(actor, n), []byte(iri)); err != nil {
			return n, fmt.Errorf("store: backfill org %s: %w", iri, err)
		}
		n++
	}
	return n, nil
}

// BackfillOrg returns the i-th organisation found by actor's backfill.
func (t *Tx) BackfillOrg(actor string, i int) (string, error) {
	v := t.bucket(bucketBackfillOrgs).Get(backfillOrgKey(actor, i))
	if v == nil {
		return "", fmt.Errorf("store: backfill org %d of %s: %w", i, actor, ErrNotFound)
	}
	return string(v), nil
}

// deleteBackfillOrgs forgets the organisations found by actor's backfill.
func (t *Tx) deleteBackfillOrgs(actor string) error {
	b := t.bucket(bucketBackfillOrgs)
	if b == nil {
		return nil
	}
	c := b.Cursor()
	prefix := join(actor, "")
	for k, _ := c.Seek(prefix); k != nil && hasPrefix(k, prefix); k, _ = c.Seek(prefix) {
		if err := b.Delete(k); err != nil {
			return fmt.Errorf("store: delete backfill orgs of %s: %w", actor, err)
		}
	}
	return nil
}

// migrateBackfillOrgs moves the organisation list out of each stored
// backfill's progress into bucketBackfillOrgs, its cursor at the first one
// left (the list held only those left to read).
func migrateBackfillOrgs(tx *bolt.Tx) error {
	if _, err := tx.CreateBucketIfNotExists(bucketBackfillOrgs); err != nil {
		return err
	}
	t := &Tx{tx: tx}
	type legacy struct {
		Orgs []string `json:"orgs"`
	}
	var keys, values [][]byte
	err := tx.Bucket(bucketBackfills).ForEach(func(k, v []byte) error {
		keys, values = append(keys, append([]byte{}, k...)), append(values, append([]byte{}, v...))
		return nil
	})
	if err != nil {
		return err
	}
	for i, k := range keys {
		var old legacy
		var m map[string]any
		if err := json.Unmarshal(values[i], &old); err != nil {
			return fmt.Errorf("backfill %s: %w", k, err)
		}
		if err := json.Unmarshal(values[i], &m); err != nil {
			return fmt.Errorf("backfill %s: %w", k, err)
		}
		n, err := t.AddBackfillOrgs(string(k), 0, len(old.Orgs), old.Orgs)
		if err != nil {
			return err
		}
		delete(m, "orgs")
		m["orgs_found"], m["next_org"] = n, 0
		data, err := json.Marshal(m)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketBackfills).Put(k, data); err != nil {
			return err
		}
	}
	return nil
}
