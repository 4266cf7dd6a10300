package store

import (
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
)

// The follows either way, indexed by the remote actor: the inbox asks of
// every activity whether some local actor follows its author (or is
// followed by it, for an Undo), and the follows are keyed by local name
// first. Answering from them took a read for each local actor, 15,000 on
// an instance that imported a map, for any signed request.
var (
	bucketFollowed     = []byte("followed")      // actor IRI \0 local name -> state of local's follow of actor
	bucketFollowsLocal = []byte("follows_local") // actor IRI \0 local name -> nil: actor follows local
)

// indexFollowing records (or, with del, forgets) local's follow of target
// and its state in bucketFollowed. PutFollowing and DeleteFollowing keep it.
func (t *Tx) indexFollowing(local, target, state string, del bool) error {
	b := t.bucket(bucketFollowed)
	if del {
		return b.Delete(join(target, local))
	}
	return b.Put(join(target, local), []byte(state))
}

// indexFollower records (or, with del, forgets) that actor follows local
// in bucketFollowsLocal. PutFollower and DeleteFollower keep it.
func (t *Tx) indexFollower(local, actor string, del bool) error {
	b := t.bucket(bucketFollowsLocal)
	if del {
		return b.Delete(join(actor, local))
	}
	return b.Put(join(actor, local), nil)
}

// LocalsFollowedBy lists the local actors that actor follows (pending
// requests included), by name.
func (t *Tx) LocalsFollowedBy(actor string) ([]string, error) {
	return t.localsOf(bucketFollowsLocal, actor)
}

// LocalsFollowing lists the local actors that follow target (pending or
// accepted), by name.
func (t *Tx) LocalsFollowing(target string) ([]string, error) {
	return t.localsOf(bucketFollowed, target)
}

// localsOf lists the local names indexed under actor in bucket, those no
// longer local left out.
func (t *Tx) localsOf(bucket []byte, actor string) ([]string, error) {
	var out []string
	prefix := join(actor, "")
	err := t.eachPrefix(bucket, prefix, false, func(k, _ []byte) (bool, error) {
		if name := k[len(prefix):]; t.isLocalName(name) {
			out = append(out, string(name))
		}
		return true, nil
	})
	return out, err
}

// HasLocalFollow reports whether actor follows a local actor or a local
// actor follows it, pending or accepted.
func (t *Tx) HasLocalFollow(actor string) (bool, error) {
	for _, b := range [][]byte{bucketFollowed, bucketFollowsLocal} {
		found := false
		prefix := join(actor, "")
		err := t.eachPrefix(b, prefix, false, func(k, _ []byte) (bool, error) {
			found = t.isLocalName(k[len(prefix):])
			return !found, nil
		})
		if found || err != nil {
			return found, err
		}
	}
	return false, nil
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

// migrateFollowed creates the indexes of the follows either way from the
// follows already recorded.
func migrateFollowed(tx *bolt.Tx) error {
	idx, err := tx.CreateBucketIfNotExists(bucketFollowed)
	if err != nil {
		return err
	}
	followers, err := tx.CreateBucketIfNotExists(bucketFollowsLocal)
	if err != nil {
		return err
	}
	err = tx.Bucket(bucketFollowers).ForEach(func(k, _ []byte) error {
		if local, actor, ok := strings.Cut(string(k), "\x00"); ok {
			return followers.Put(join(actor, local), nil)
		}
		return nil
	})
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
