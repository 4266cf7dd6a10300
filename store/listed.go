package store

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"codeberg.org/maillage/maillage/internal/model"
)

// listed reports whether o belongs in the listed bucket: a live project
// or call. Audience and blocks are not considered (blocks change without
// the object being written): readers check them.
func listed(o model.Object) bool {
	return (o.Kind == model.KindProject || o.Kind == model.KindCall) && !o.IsDeleted()
}

// setListed adds o to the listed bucket or removes it, as listed(o) says.
func (t *Tx) setListed(o model.Object) error {
	b := t.bucket(bucketListed)
	if listed(o) {
		return b.Put([]byte(o.ID), nil)
	}
	return b.Delete([]byte(o.ID))
}

// ProjectsAndCalls calls fn with each live project and call, whatever its
// audience, in IRI order, decoding only those: received Notes, which
// outnumber them by far on an aggregator, are not read.
func (t *Tx) ProjectsAndCalls(fn func(model.Object) error) error {
	return t.eachPrefix(bucketListed, nil, false, func(k, _ []byte) (bool, error) {
		o, err := t.Object(string(k))
		if err != nil {
			return false, err
		}
		return true, fn(o)
	})
}

// migrateListed creates the listed and contexts buckets and fills the
// listed one from the objects already stored. Activities stored before
// keep their old form, which Activity still reads.
func migrateListed(tx *bolt.Tx) error {
	l, err := tx.CreateBucketIfNotExists(bucketListed)
	if err != nil {
		return err
	}
	if _, err := tx.CreateBucketIfNotExists(bucketContexts); err != nil {
		return err
	}
	objs := tx.Bucket(bucketObjects)
	if objs == nil {
		return nil
	}
	return objs.ForEach(func(k, v []byte) error {
		var o model.Object
		if err := json.Unmarshal(v, &o); err != nil {
			return fmt.Errorf("decode object %q: %w", k, err)
		}
		if listed(o) {
			return l.Put(k, nil)
		}
		return nil
	})
}
