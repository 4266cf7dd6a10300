package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"codeberg.org/maillage/maillage/internal/model"
)

// activityRecord is what the activities bucket held before migration 11,
// and what Activity still reads: the activity's metadata and its JSON
// exactly as delivered.
type activityRecord struct {
	Activity model.Activity  `json:"activity"`
	JSON     json.RawMessage `json:"json"`
}

// A compact record (since migration 11) is
//
//	compactTag, uvarint len(meta), meta, flags, [ctxKey], [object], rest
//
// where meta is the activity's JSON without its IRI (the key), its
// addressing (in the body) and what the object, reply, profile or inner
// activity already hold: only FollowFromActivity reads it back, for type,
// actor and object IRI. With flagContext, the delivered
// JSON starts `{"@context":` + contexts[ctxKey(8 bytes)]: the @context,
// the same in every activity (about 2 KB), is stored once. With
// flagObject, object is uvarint len(IRI), IRI, uvarint offset: the
// embedded object, which was the store's ObjectRenderer's rendering of the
// stored object when the activity was put, is left out of rest and
// rendered back at that offset when read. An edited object is therefore
// served and delivered as it is now, as Mastodon renders its own Creates.
// Old records start with '{' and are read as activityRecord.
const (
	compactTag    = 1
	ctxKeyLen     = 8
	minContextLen = 64 // shorter contexts are not worth a lookup

	flagContext = 1 << 0
	flagObject  = 1 << 1
)

var contextPrefix = []byte(`{"@context":`)

// PutActivity stores an outgoing activity with its rendered JSON and, when
// inOutbox, appends it to its actor's outbox.
func (t *Tx) PutActivity(a model.Activity, body []byte, inOutbox bool) error {
	rec, err := t.compactActivity(a, body)
	if err != nil {
		return err
	}
	if err := t.appendBucket(bucketActivities).Put([]byte(a.ID), rec); err != nil {
		return fmt.Errorf("store: put activity %q: %w", a.ID, err)
	}
	if !inOutbox {
		return nil
	}
	b := t.appendBucket(bucketOutbox)
	seq, err := b.NextSequence()
	if err != nil {
		return fmt.Errorf("store: outbox sequence: %w", err)
	}
	return b.Put(append(join(a.Actor, ""), u64(seq)...), []byte(a.ID))
}

func (t *Tx) compactActivity(a model.Activity, body []byte) ([]byte, error) {
	embedded, id := a.Object, a.ID
	a.Object, a.Reply, a.Org, a.Inner = nil, nil, nil, nil // in the body, and in their own buckets
	a.ID, a.To, a.CC = "", nil, nil                        // the key; in the body
	meta, err := json.Marshal(a)
	if err != nil {
		return nil, fmt.Errorf("store: encode activity %q: %w", id, err)
	}
	rec := make([]byte, 0, 1+binary.MaxVarintLen64+len(meta)+1+ctxKeyLen+len(body))
	rec = append(rec, compactTag)
	rec = binary.AppendUvarint(rec, uint64(len(meta)))
	rec = append(rec, meta...)
	flagAt := len(rec)
	rec = append(rec, 0)
	rest := body
	if ctx, after, ok := splitContext(body); ok {
		sum := sha256.Sum256(ctx)
		key := sum[:ctxKeyLen]
		b := t.bucket(bucketContexts)
		have := b.Get(key)
		if have == nil {
			if err := b.Put(key, ctx); err != nil {
				return nil, fmt.Errorf("store: put context: %w", err)
			}
		}
		if have == nil || bytes.Equal(have, ctx) { // else a collision of 64 bits: keep this context
			rec[flagAt] |= flagContext
			rec = append(rec, key...)
			rest = after
		}
	}
	if embedded != nil {
		if off, n, ok := t.objectSpan(embedded.ID, rest); ok {
			rec[flagAt] |= flagObject
			rec = binary.AppendUvarint(rec, uint64(len(embedded.ID)))
			rec = append(rec, embedded.ID...)
			rec = binary.AppendUvarint(rec, uint64(off))
			rec = append(rec, rest[:off]...)
			return append(rec, rest[off+n:]...), nil
		}
	}
	return append(rec, rest...), nil
}

// objectSpan finds, in rest, the rendering of the stored object id as the
// value of "object": its offset and length.
func (t *Tx) objectSpan(id string, rest []byte) (off, n int, ok bool) {
	if t.render == nil {
		return 0, 0, false
	}
	o, err := t.Object(id)
	if err != nil {
		return 0, 0, false
	}
	r, err := t.render(o)
	if err != nil || len(r) == 0 || bytes.Count(rest, r) != 1 {
		return 0, 0, false
	}
	off = bytes.Index(rest, r)
	if !bytes.HasSuffix(rest[:off], []byte(`"object":`)) {
		return 0, 0, false
	}
	return off, len(r), true
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

// Activity returns an outgoing activity and its JSON. Its Object, Reply,
// Org, Inner, To and CC are not kept (the JSON has them): callers read objects and replies from their
// own buckets. The JSON is as rendered, its embedded object as it is now
// (see compactActivity); an activity whose embedded object is no longer
// stored is ErrNotFound.
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
	a.ID = id
	if err != nil {
		return a, nil, fmt.Errorf("store: activity %q: %w", id, err)
	}
	return a, body, nil
}

var errRecord = errors.New("malformed record")

func (t *Tx) expandActivity(v []byte) (model.Activity, []byte, error) {
	var a model.Activity
	v = v[1:]
	n, w := binary.Uvarint(v)
	if w <= 0 || n >= uint64(len(v)-w) {
		return a, nil, errRecord
	}
	meta, flags, rest := v[w:w+int(n)], v[w+int(n)], v[w+int(n)+1:]
	if err := json.Unmarshal(meta, &a); err != nil {
		return a, nil, err
	}
	var ctx, obj []byte
	if flags&flagContext != 0 {
		if len(rest) < ctxKeyLen {
			return a, nil, errRecord
		}
		if ctx = t.bucket(bucketContexts).Get(rest[:ctxKeyLen]); ctx == nil {
			return a, nil, fmt.Errorf("context %x missing", rest[:ctxKeyLen])
		}
		rest = rest[ctxKeyLen:]
	}
	off := 0
	if flags&flagObject != 0 {
		n, w := binary.Uvarint(rest)
		if w <= 0 || n > uint64(len(rest)-w) {
			return a, nil, errRecord
		}
		id := string(rest[w : w+int(n)])
		rest = rest[w+int(n):]
		o64, w := binary.Uvarint(rest)
		if w <= 0 || o64 > uint64(len(rest)-w) {
			return a, nil, errRecord
		}
		rest, off = rest[w:], int(o64)
		if t.render == nil {
			return a, nil, errors.New("an object renderer is needed")
		}
		o, err := t.Object(id)
		if err != nil {
			return a, nil, err
		}
		if obj, err = t.render(o); err != nil {
			return a, nil, err
		}
	}
	body := make([]byte, 0, len(contextPrefix)+len(ctx)+len(obj)+len(rest))
	if flags&flagContext != 0 {
		body = append(append(body, contextPrefix...), ctx...)
	}
	body = append(append(append(body, rest[:off]...), obj...), rest[off:]...)
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
			switch {
			case errors.Is(err, ErrNotFound):
				// its object is gone: nothing to show
			case err != nil:
				return false, err
			default:
				out = append(out, body)
			}
		}
		n++
		return true, nil
	})
	return out, n, err
}
