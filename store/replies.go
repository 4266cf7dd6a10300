package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// PutReply stores a reply to one of our objects (replacing an earlier
// version with the same id).
func (t *Tx) PutReply(r model.Reply) error {
	if old := t.bucket(bucketReplyIndex).Get([]byte(r.ID)); old != nil && string(old) != r.InReplyTo {
		if err := t.bucket(bucketReplies).Delete(join(string(old), r.ID)); err != nil {
			return err
		}
	}
	if err := t.bucket(bucketReplyIndex).Put([]byte(r.ID), []byte(r.InReplyTo)); err != nil {
		return fmt.Errorf("store: reply index: %w", err)
	}
	return t.putJSON(bucketReplies, join(r.InReplyTo, r.ID), r)
}

// Reply returns a stored reply by its IRI.
func (t *Tx) Reply(id string) (model.Reply, error) {
	var r model.Reply
	parent := t.bucket(bucketReplyIndex).Get([]byte(id))
	if parent == nil {
		return r, fmt.Errorf("reply %s: %w", id, ErrNotFound)
	}
	err := t.getJSON(bucketReplies, join(string(parent), id), &r)
	return r, err
}

// DeleteReply removes a reply; deleting an unknown one is not an error.
func (t *Tx) DeleteReply(id string) error {
	parent := t.bucket(bucketReplyIndex).Get([]byte(id))
	if parent == nil {
		return nil
	}
	if err := t.bucket(bucketReplies).Delete(join(string(parent), id)); err != nil {
		return err
	}
	return t.bucket(bucketReplyIndex).Delete([]byte(id))
}

// Replies lists the replies to an object in IRI order.
func (t *Tx) Replies(objectID string) ([]model.Reply, error) {
	var out []model.Reply
	err := t.eachPrefix(bucketReplies, join(objectID, ""), false, func(k, _ []byte) (bool, error) {
		var r model.Reply
		if err := t.getJSON(bucketReplies, k, &r); err != nil {
			return false, err
		}
		out = append(out, r)
		return true, nil
	})
	return out, err
}

func (t *Tx) deleteRepliesBy(actor string) error {
	var ids []string
	err := t.eachPrefix(bucketReplies, nil, false, func(k, v []byte) (bool, error) {
		var r model.Reply
		if err := t.getJSON(bucketReplies, k, &r); err != nil {
			return false, err
		}
		if r.Actor == actor {
			ids = append(ids, r.ID)
		}
		return true, nil
	})
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := t.DeleteReply(id); err != nil {
			return err
		}
	}
	return nil
}

// AddReaction records a Like or Announce of one of our objects. An actor
// counts once per kind and object, as Mastodon keeps one favourite per
// account and status; it reports false when the actor was already counted.
func (t *Tx) AddReaction(objectID, kind, activityID, actor string) (bool, error) {
	k := join(objectID, kind, actor)
	b := t.bucket(bucketReactions)
	if b.Get(k) != nil {
		return false, nil
	}
	return true, b.Put(k, []byte(activityID))
}

// RemoveReaction undoes actor's Like or Announce; activityID, when not
// empty, must be the one recorded.
func (t *Tx) RemoveReaction(objectID, kind, activityID, actor string) error {
	k := join(objectID, kind, actor)
	b := t.bucket(bucketReactions)
	if v := b.Get(k); v == nil || (activityID != "" && string(v) != activityID) {
		return nil
	}
	return b.Delete(k)
}

// Counts returns the likes, boosts and replies of an object.
func (t *Tx) Counts(objectID string) (model.Counts, error) {
	var c model.Counts
	for _, kind := range []string{model.ReactionLike, model.ReactionAnnounce} {
		err := t.eachPrefix(bucketReactions, join(objectID, kind, ""), false, func(_, _ []byte) (bool, error) {
			if kind == model.ReactionLike {
				c.Likes++
			} else {
				c.Announces++
			}
			return true, nil
		})
		if err != nil {
			return c, err
		}
	}
	err := t.eachPrefix(bucketReplies, join(objectID, ""), false, func(_, _ []byte) (bool, error) {
		c.Replies++
		return true, nil
	})
	return c, err
}

// RemoveReactionByID undoes a Like or Announce known only by its activity
// IRI (a scan: undo by IRI alone is rare).
func (t *Tx) RemoveReactionByID(activityID, actor string) error {
	var key []byte
	err := t.eachPrefix(bucketReactions, nil, false, func(k, v []byte) (bool, error) {
		if i := bytes.LastIndexByte(k, 0); i >= 0 && string(k[i+1:]) == actor && string(v) == activityID {
			key = bytes.Clone(k)
			return false, nil
		}
		return true, nil
	})
	if err != nil || key == nil {
		return err
	}
	return t.bucket(bucketReactions).Delete(key)
}

// PutTombstone remembers that a remote object or reply was deleted, so that
// a late or reordered Create or Update cannot bring it back (and a Delete
// that overtakes its Create still wins).
// The tombstone names who deleted: it only holds against that actor's own
// Creates, so one account cannot suppress another's posts by deleting
// their ids first.
func (t *Tx) PutTombstone(id, actor string, when time.Time) error {
	return t.bucket(bucketTombstones).Put([]byte(id), append(u64(uint64(when.Unix())), actor...))
}

// IsTombstoned reports whether actor deleted id.
func (t *Tx) IsTombstoned(id, actor string) bool {
	v := t.bucket(bucketTombstones).Get([]byte(id))
	return len(v) >= 8 && string(v[8:]) == actor
}

// PruneTombstones forgets the tombstones recorded before cutoff and
// returns how many. After that long, a Create arriving late would be a
// replay, not a reordering; the bucket stays bounded.
func (t *Tx) PruneTombstones(cutoff time.Time) (int, error) {
	var old [][]byte
	c := t.bucket(bucketTombstones).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(v) >= 8 && int64(binary.BigEndian.Uint64(v[:8])) < cutoff.Unix() {
			old = append(old, bytes.Clone(k))
		}
	}
	for _, k := range old {
		if err := t.bucket(bucketTombstones).Delete(k); err != nil {
			return 0, err
		}
	}
	return len(old), nil
}
