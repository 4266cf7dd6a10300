package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"

	"codeberg.org/maillage/maillage/internal/model"
)

// activityRecord is what the activities bucket held before migration 10,
// and what Activity still reads: the activity's metadata and its JSON
// exactly as delivered.
type activityRecord struct {
	Activity model.Activity  `json:"activity"`
	JSON     json.RawMessage `json:"json"`
}

// A compact record (since migration 10) is
//
//	compactTag, uvarint len(meta), meta, 0, body
//	compactTag, uvarint len(meta), meta, 1, ctxKey(8 bytes), rest
//
// where meta is the activity's JSON without what the object, reply,
// profile or inner activity already hold (only FollowFromActivity reads it
// back, for type, actor and object IRI), and the delivered JSON is
// `{"@context":` + contexts[ctxKey] + rest: the @context, identical in
// every activity (about 2 KB), is stored once. A body that does not start
// with a long enough @context is kept whole. Old records start
// with '{' and are read as activityRecord.
const (
	compactTag    = 1
	ctxKeyLen     = 8
	minContextLen = 64 // shorter contexts are not worth a lookup
)

var contextPrefix = []byte(`{"@context":`)

// PutActivity stores an outgoing activity with its rendered JSON and, when
// inOutbox, appends it to its actor's outbox.
func (t *Tx) PutActivity(a model.Activity, body []byte, inOutbox bool) error {
	rec, err := t.compactActivity(a, body)
	if err != nil {
		return err
	}
	if err := t.bucket(bucketActivities).Put([]byte(a.ID), rec); err != nil {
		return fmt.Errorf("store: put activity %q: %w", a.ID, err)
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

func (t *Tx) compactActivity(a model.Activity, body []byte) ([]byte, error) {
	a.Object, a.Reply, a.Org, a.Inner = nil, nil, nil, nil // in the body, and in their own buckets
	meta, err := json.Marshal(a)
	if err != nil {
		return nil, fmt.Errorf("store: encode activity %q: %w", a.ID, err)
	}
	rec := make([]byte, 0, 1+binary.MaxVarintLen64+len(meta)+ctxKeyLen+len(body))
	rec = append(rec, compactTag)
	rec = binary.AppendUvarint(rec, uint64(len(meta)))
	rec = append(rec, meta...)
	ctx, rest, ok := splitContext(body)
	if !ok {
		return append(append(rec, 0), body...), nil
	}
	sum := sha256.Sum256(ctx)
	key := sum[:ctxKeyLen]
	b := t.bucket(bucketContexts)
	if have := b.Get(key); have == nil {
		if err := b.Put(key, ctx); err != nil {
			return nil, fmt.Errorf("store: put context: %w", err)
		}
	} else if !bytes.Equal(have, ctx) {
		return append(append(rec, 0), body...), nil // a collision of 64 bits: keep this body whole
	}
	rec = append(append(rec, 1), key...)
	return append(rec, rest...), nil
}

// splitContext returns the @context value of a body that starts with it,
// and what follows the value.
func splitContext(body []byte) (ctx, rest []byte, ok bool) {
	if !bytes.HasPrefix(body, contextPrefix) {
		return nil, nil, false
	}
	tail := body[len(contextPrefix):]
	dec := json.NewDecoder(bytes.NewReader(tail))
	var raw json.RawMessage
	if dec.Decode(&raw) != nil {
		return nil, nil, false
	}
	n := int(dec.InputOffset())
	if n < minContextLen || n >= len(tail) || (tail[n] != ',' && tail[n] != '}') {
		return nil, nil, false
	}
	return tail[:n], tail[n:], true
}

// Activity returns an outgoing activity and its JSON, byte for byte as
// rendered. Its Object, Reply, Org and Inner are not kept: callers read
// objects and replies from their own buckets.
func (t *Tx) Activity(id string) (model.Activity, []byte, error) {
	v := t.bucket(bucketActivities).Get([]byte(id))
	if v == nil {
		return model.Activity{}, nil, fmt.Errorf("activity %s: %w", id, ErrNotFound)
	}
	if v[0] != compactTag {
		var r activityRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return r.Activity, nil, fmt.Errorf("store: decode activity %q: %w", id, err)
		}
		return r.Activity, r.JSON, nil
	}
	a, body, err := t.expandActivity(v)
	if err != nil {
		return a, nil, fmt.Errorf("store: decode activity %q: %w", id, err)
	}
	return a, body, nil
}

func (t *Tx) expandActivity(v []byte) (model.Activity, []byte, error) {
	var a model.Activity
	n, w := binary.Uvarint(v[1:])
	if w <= 0 || n > uint64(len(v)-1-w) {
		return a, nil, fmt.Errorf("bad record length")
	}
	meta, rest := v[1+w:1+w+int(n)], v[1+w+int(n):]
	if err := json.Unmarshal(meta, &a); err != nil {
		return a, nil, err
	}
	switch {
	case len(rest) > 0 && rest[0] == 0:
		return a, bytes.Clone(rest[1:]), nil // kept whole
	case len(rest) < 1+ctxKeyLen || rest[0] != 1:
		return a, nil, fmt.Errorf("bad body form")
	}
	rest = rest[1:]
	ctx := t.bucket(bucketContexts).Get(rest[:ctxKeyLen])
	if ctx == nil {
		return a, nil, fmt.Errorf("context %x missing", rest[:ctxKeyLen])
	}
	rest = rest[ctxKeyLen:]
	body := make([]byte, 0, len(contextPrefix)+len(ctx)+len(rest))
	body = append(append(append(body, contextPrefix...), ctx...), rest...)
	return a, body, nil
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
