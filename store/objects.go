package store

import (
	"bytes"
	"encoding/json"
	"fmt"

	"codeberg.org/maillage/maillage/internal/model"
)

// Object returns a project or call (possibly a tombstone) by IRI.
func (t *Tx) Object(id string) (model.Object, error) {
	var o model.Object
	if err := t.getJSON(bucketObjects, []byte(id), &o); err != nil {
		return o, fmt.Errorf("object %s: %w", id, err)
	}
	return o, nil
}

func byActorKey(o model.Object) []byte {
	k := join(o.AttributedTo, "")
	k = append(k, u64(uint64(o.Published.UnixNano()))...)
	return append(k, o.ID...)
}

// PutObject stores or replaces an object and indexes it by author.
func (t *Tx) PutObject(o model.Object) error {
	return t.putObject(o, !t.HasObject(o.ID))
}

// AddObject is PutObject for an object the caller found absent in this
// transaction (HasObject): no index entry to replace, nothing to unlist.
// The inbox stores every received post this way.
func (t *Tx) AddObject(o model.Object) error { return t.putObject(o, true) }

func (t *Tx) putObject(o model.Object, isNew bool) error {
	if !isNew { // a new object has no index entry to remove: nothing decoded
		if old, err := t.Object(o.ID); err == nil {
			if err := t.bucket(bucketByActor).Delete(byActorKey(old)); err != nil {
				return err
			}
		}
	}
	if err := t.appendBucket(bucketByActor).Put(byActorKey(o), nil); err != nil {
		return fmt.Errorf("store: index object: %w", err)
	}
	if !isNew || listed(o) { // a new object left unlisted has no entry to remove
		if err := t.setListed(o); err != nil {
			return fmt.Errorf("store: list object: %w", err)
		}
	}
	data, err := json.Marshal(o)
	if err != nil {
		return fmt.Errorf("store: encode object %q: %w", o.ID, err)
	}
	if err := t.appendBucket(bucketObjects).Put([]byte(o.ID), data); err != nil {
		return fmt.Errorf("store: put object %q: %w", o.ID, err)
	}
	if o.IsDeleted() {
		return t.releaseRelayed(o.ID, false) // a tombstone no longer counts against its relay
	}
	return nil
}

// DeleteObject removes an object entirely (remote deletes; local ones become
// tombstones through PutObject instead), with its replies and reactions.
func (t *Tx) DeleteObject(id string) error {
	o, err := t.Object(id)
	if err != nil {
		return err
	}
	if err := t.bucket(bucketByActor).Delete(byActorKey(o)); err != nil {
		return err
	}
	if err := t.bucket(bucketObjects).Delete([]byte(id)); err != nil {
		return err
	}
	if err := t.bucket(bucketListed).Delete([]byte(id)); err != nil {
		return err
	}
	if err := t.releaseRelayed(id, false); err != nil {
		return err
	}
	replies, err := t.Replies(id)
	if err != nil {
		return err
	}
	for _, r := range replies {
		if err := t.bucket(bucketReplyIndex).Delete([]byte(r.ID)); err != nil {
			return err
		}
	}
	for _, b := range [][]byte{bucketReplies, bucketReactions} {
		if err := t.deletePrefix(b, join(id, "")); err != nil {
			return err
		}
	}
	return nil
}

// ObjectsBy lists an actor's objects, newest first, tombstones included;
// limit 0 means all.
func (t *Tx) ObjectsBy(actor string, limit int) ([]model.Object, error) {
	var out []model.Object
	err := t.eachPrefix(bucketByActor, join(actor, ""), true, func(k, _ []byte) (bool, error) {
		id := k[len(actor)+1+8:]
		o, err := t.Object(string(id))
		if err != nil {
			return false, err
		}
		out = append(out, o)
		return limit == 0 || len(out) < limit, nil
	})
	return out, err
}

// Objects lists every object known, in IRI order, tombstones excluded.
func (t *Tx) Objects() ([]model.Object, error) {
	var out []model.Object
	err := t.eachPrefix(bucketObjects, nil, false, func(k, _ []byte) (bool, error) {
		var o model.Object
		if err := t.getJSON(bucketObjects, k, &o); err != nil {
			return false, err
		}
		if !o.IsDeleted() {
			out = append(out, o)
		}
		return true, nil
	})
	return out, err
}

func (t *Tx) deletePrefix(bucket, prefix []byte) error {
	var keys [][]byte
	err := t.eachPrefix(bucket, prefix, false, func(k, _ []byte) (bool, error) {
		keys = append(keys, bytes.Clone(k))
		return true, nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := t.bucket(bucket).Delete(k); err != nil {
			return err
		}
	}
	return nil
}
