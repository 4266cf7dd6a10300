package store

import (
	"bytes"
	"encoding/base64"
	"fmt"

	"codeberg.org/maillage/maillage/internal/errs"
	"codeberg.org/maillage/maillage/internal/model"
)

// A Cursor resumes a listing after the last entry a page returned: that
// entry's key in its bucket, less the listing's prefix, in unpadded
// base64url. Keys are stable and ordered, so entries inserted between two
// pages neither shift nor repeat the ones already listed.
type Cursor string

func cursorOf(key, prefix []byte) Cursor {
	return Cursor(base64.RawURLEncoding.EncodeToString(key[len(prefix):]))
}

// ParseCursor checks a cursor received from a client; "" starts a
// listing from its first entry.
func ParseCursor(s string) (Cursor, error) {
	if _, err := base64.RawURLEncoding.DecodeString(s); err != nil || len(s) > 4096 {
		return "", ErrInvalidCursor
	}
	return Cursor(s), nil
}

// ErrInvalidCursor is a cursor that cannot have come from a page.
var ErrInvalidCursor = errs.New(errs.Malformed, "invalid cursor")

// eachAfter walks the keys starting with prefix, from the one after the
// cursor (or the first), forwards or backwards, passing each entry's
// cursor along; fn returns false to stop. Only the entry being visited is
// decoded, so a walk holds no more than its caller keeps.
func (t *Tx) eachAfter(bucket, prefix []byte, after Cursor, reverse bool, fn func(c Cursor, k, v []byte) (bool, error)) error {
	if after == "" {
		return t.eachPrefix(bucket, prefix, reverse, func(k, v []byte) (bool, error) {
			return fn(cursorOf(k, prefix), k, v)
		})
	}
	rest, err := base64.RawURLEncoding.DecodeString(string(after))
	if err != nil {
		return ErrInvalidCursor
	}
	from := append(bytes.Clone(prefix), rest...)
	c := t.bucket(bucket).Cursor()
	k, v := c.Seek(from)
	if reverse {
		// Seek lands on the first key at or after from: step back below it.
		if k == nil {
			k, v = c.Last()
		}
		for k != nil && bytes.Compare(k, from) >= 0 {
			k, v = c.Prev()
		}
	} else if k != nil && bytes.Equal(k, from) {
		k, v = c.Next()
	}
	for k != nil && hasPrefix(k, prefix) {
		more, err := fn(cursorOf(k, prefix), k, v)
		if err != nil || !more {
			return err
		}
		if reverse {
			k, v = c.Prev()
		} else {
			k, v = c.Next()
		}
	}
	return nil
}

// EachObjectBy walks an actor's objects newest first, tombstones
// included, from the one after the cursor.
func (t *Tx) EachObjectBy(actor string, after Cursor, fn func(Cursor, model.Object) (bool, error)) error {
	prefix := join(actor, "")
	return t.eachAfter(bucketByActor, prefix, after, true, func(c Cursor, k, _ []byte) (bool, error) {
		o, err := t.Object(string(k[len(prefix)+8:]))
		if err != nil {
			return false, err
		}
		return fn(c, o)
	})
}

// EachReply walks the replies to an object in IRI order.
func (t *Tx) EachReply(objectID string, after Cursor, fn func(Cursor, model.Reply) (bool, error)) error {
	return eachJSON(t, bucketReplies, join(objectID, ""), after, false, fn)
}

// EachFollower walks local's followers in actor-IRI order, pending
// requests included.
func (t *Tx) EachFollower(local string, after Cursor, fn func(Cursor, model.Follower) (bool, error)) error {
	return eachJSON(t, bucketFollowers, join(local, ""), after, false, fn)
}

// EachFollowing walks the follows local sent in target order.
func (t *Tx) EachFollowing(local string, after Cursor, fn func(Cursor, model.Following) (bool, error)) error {
	return eachJSON(t, bucketFollowing, join(local, ""), after, false, fn)
}

// EachBlock walks the blocks in target order.
func (t *Tx) EachBlock(after Cursor, fn func(Cursor, model.Block) (bool, error)) error {
	return eachJSON(t, bucketBlocks, nil, after, false, fn)
}

// EachReport walks the reports newest first.
func (t *Tx) EachReport(after Cursor, fn func(Cursor, model.Report) (bool, error)) error {
	return eachJSON(t, bucketReports, nil, after, true, fn)
}

// EachOrg walks the local actors by name, the instance actor included.
func (t *Tx) EachOrg(after Cursor, fn func(Cursor, model.Org) (bool, error)) error {
	return eachJSON(t, bucketOrgs, nil, after, false, fn)
}

func eachJSON[T any](t *Tx, bucket, prefix []byte, after Cursor, reverse bool, fn func(Cursor, T) (bool, error)) error {
	return t.eachAfter(bucket, prefix, after, reverse, func(c Cursor, k, v []byte) (bool, error) {
		var x T
		if err := decode(v, &x); err != nil {
			return false, fmt.Errorf("store: %s/%q: %w", bucket, k, err)
		}
		return fn(c, x)
	})
}

// EachQueued walks the delivery queue in attempt order.
func (t *Tx) EachQueued(after Cursor, fn func(Cursor, model.Delivery) (bool, error)) error {
	return eachJSON(t, bucketQueue, nil, after, false, fn)
}
