package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"

	"codeberg.org/maillage/maillage/internal/model"
)

// Actor returns a remote actor by IRI.
func (t *Tx) Actor(id string) (model.Actor, error) {
	var a model.Actor
	if err := t.getJSON(bucketActors, []byte(id), &a); err != nil {
		return a, fmt.Errorf("actor %s: %w", id, err)
	}
	return a, nil
}

// ActorByKeyID returns the actor owning the public key keyID.
func (t *Tx) ActorByKeyID(keyID string) (model.Actor, error) {
	id := t.bucket(bucketKeys).Get([]byte(keyID))
	if id == nil {
		return model.Actor{}, fmt.Errorf("key %s: %w", keyID, ErrNotFound)
	}
	return t.Actor(string(id))
}

// MaxActorSize bounds the encoded record of a remote actor: federation
// converts actor documents to fit (a padded profile must not cost the
// store what a megabyte of JSON would), and PutActor refuses larger ones.
const MaxActorSize = 48 << 10

// ActorSize is the size of a's record as PutActor encodes it.
func ActorSize(a model.Actor) int {
	data, err := json.Marshal(a)
	if err != nil {
		return math.MaxInt
	}
	return len(data)
}

// PutActor stores or refreshes a remote actor and its key index. A record
// over MaxActorSize is refused with ErrTooLarge.
func (t *Tx) PutActor(a model.Actor) error {
	if n := ActorSize(a); n > MaxActorSize {
		return fmt.Errorf("store: put actor %s: %d bytes: %w", a.ID, n, ErrTooLarge)
	}
	if old, err := t.Actor(a.ID); err == nil && old.KeyID != a.KeyID {
		if err := t.bucket(bucketKeys).Delete([]byte(old.KeyID)); err != nil {
			return err
		}
	}
	if a.KeyID != "" {
		if err := t.bucket(bucketKeys).Put([]byte(a.KeyID), []byte(a.ID)); err != nil {
			return fmt.Errorf("store: key index: %w", err)
		}
	}
	return t.putJSON(bucketActors, []byte(a.ID), a)
}

// DeleteActor forgets a remote actor: its profile, key, objects, replies,
// and the follows between it and our actors.
func (t *Tx) DeleteActor(id string) error {
	a, err := t.Actor(id)
	if err == nil && a.KeyID != "" {
		if err := t.bucket(bucketKeys).Delete([]byte(a.KeyID)); err != nil {
			return err
		}
	}
	if err := t.bucket(bucketActors).Delete([]byte(id)); err != nil {
		return err
	}
	objs, err := t.ObjectsBy(id, 0)
	if err != nil {
		return err
	}
	for _, o := range objs {
		if err := t.DeleteObject(o.ID); err != nil {
			return err
		}
	}
	orgs, err := t.Orgs()
	if err != nil {
		return err
	}
	for _, o := range orgs {
		if err := t.DeleteFollower(o.Name, id); err != nil {
			return err
		}
		if err := t.DeleteFollowing(o.Name, id); err != nil {
			return err
		}
	}
	return t.deleteRepliesBy(id)
}

// Actors lists the remote actors known, in IRI order.
func (t *Tx) Actors() ([]model.Actor, error) {
	var out []model.Actor
	err := t.eachPrefix(bucketActors, nil, false, func(k, v []byte) (bool, error) {
		var a model.Actor
		if err := t.getJSON(bucketActors, k, &a); err != nil {
			return false, err
		}
		out = append(out, a)
		return true, nil
	})
	return out, err
}

// ForgetActor removes a remote actor's profile and key index only; the
// caller has checked that nothing refers to it (see NeededActors).
func (t *Tx) ForgetActor(id string) error {
	a, err := t.Actor(id)
	if err != nil {
		return err
	}
	if a.KeyID != "" {
		if err := t.bucket(bucketKeys).Delete([]byte(a.KeyID)); err != nil {
			return fmt.Errorf("store: forget actor %s: %w", id, err)
		}
	}
	if err := t.bucket(bucketActors).Delete([]byte(id)); err != nil {
		return fmt.Errorf("store: forget actor %s: %w", id, err)
	}
	return nil
}

// NeededActors returns the IRIs of the actors the store refers to: in a
// follow either way (pending included), as the author of an object or a
// reply, in a report, or as an organisation stored through a relay.
func (t *Tx) NeededActors() (map[string]bool, error) {
	need := make(map[string]bool)
	for _, b := range [][]byte{bucketFollowers, bucketFollowing} {
		// Keys are local \0 actor.
		err := t.eachPrefix(b, nil, false, func(k, _ []byte) (bool, error) {
			if parts := bytes.SplitN(k, []byte{0}, 2); len(parts) == 2 {
				need[string(parts[1])] = true
			}
			return true, nil
		})
		if err != nil {
			return nil, err
		}
	}
	// by_actor keys are actor \0 published id: one seek per author, past
	// all its keys, rather than a walk over every object's.
	c := t.bucket(bucketByActor).Cursor()
	for k, _ := c.First(); k != nil; {
		actor, _, _ := bytes.Cut(k, []byte{0})
		need[string(actor)] = true
		k, _ = c.Seek(append(bytes.Clone(actor), 1))
	}
	err := t.eachPrefix(bucketReplies, nil, false, func(_, v []byte) (bool, error) {
		var r model.Reply
		if err := json.Unmarshal(v, &r); err != nil {
			return false, fmt.Errorf("store: decode reply: %w", err)
		}
		need[r.Actor] = true
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	err = t.eachPrefix(bucketRelayedActors, nil, false, func(k, _ []byte) (bool, error) {
		need[string(k)] = true // organisations stored through a relay (relays.go)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	reports, err := t.Reports()
	for _, r := range reports {
		need[r.Actor], need[r.Target] = true, true
	}
	return need, err
}
