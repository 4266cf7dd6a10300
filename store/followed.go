package store

import (
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
)

// bucketFollowed indexes the follows sent by the other end: the inbox asks
// of every activity whether some local actor follows its author, and the
// follows are keyed by local name first. Answering from them took a read
// for each local actor, 15,000 on an instance that imported a map.
var bucketFollowed = []byte("followed") // actor IRI \0 local name -> follow state

// indexFollowing records (or, with state "", forgets) local's follow of
// target in bucketFollowed. PutFollowing and DeleteFollowing keep it.
func (t *Tx) indexFollowing(local, target, state string) error {
	b := t.bucket(bucketFollowed)
	if state == "" {
		return b.Delete(join(target, local))
	}
	return b.Put(join(target, local), []byte(state))
}

// IsFollowedLocally reports whether any local actor has an accepted follow
// of actor. A follow left by a name that is no longer a local actor does
// not count.
func (t *Tx) IsFollowedLocally(actor string) (bool, error) {
	found := false
	prefix := join(actor, "")
	err := t.eachPrefix(bucketFollowed, prefix, false, func(k, v []byte) (bool, error) {
		found = string(v) == model.FollowAccepted && t.isLocalName(k[len(prefix):])
		return !found, nil
	})
	return found, err
}

// isLocalName reports whether name is a local actor's.
func (t *Tx) isLocalName(name []byte) bool { return t.bucket(bucketOrgs).Get(name) != nil }

// EachFollowedOn calls fn with each actor on iri's server (same scheme,
// host and port) that a local actor follows, and whether that follow is
// accepted, until fn returns false. It reads only the keys under the
// server's origin.
func (t *Tx) EachFollowedOn(iri string, fn func(target string, accepted bool) bool) error {
	origin := uris.Origin(iri)
	if origin == "" {
		return nil
	}
	return t.eachPrefix(bucketFollowed, []byte(origin), false, func(k, v []byte) (bool, error) {
		target, local, _ := strings.Cut(string(k), "\x00")
		if !uris.SameOrigin(target, iri) || !t.isLocalName([]byte(local)) { // https://a.example.org, or a name gone
			return true, nil
		}
		return fn(target, string(v) == model.FollowAccepted), nil
	})
}

// migrateFollowed creates bucketFollowed from the follows already sent.
func migrateFollowed(tx *bolt.Tx) error {
	idx, err := tx.CreateBucketIfNotExists(bucketFollowed)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketFollowing).ForEach(func(k, v []byte) error {
		local, target, ok := strings.Cut(string(k), "\x00")
		if !ok {
			return nil
		}
		var f model.Following
		if err := decode(v, &f); err != nil {
			return fmt.Errorf("store: following %q: %w", k, err)
		}
		return idx.Put(join(target, local), []byte(f.State))
	})
}
