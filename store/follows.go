package store

import (
	"fmt"

	"codeberg.org/maillage/maillage/internal/model"
)

// PutFollower records that a remote actor follows the local actor local.
func (t *Tx) PutFollower(local string, f model.Follower) error {
	if err := t.indexFollower(local, f.Actor, false); err != nil {
		return fmt.Errorf("store: index follower: %w", err)
	}
	return t.putJSON(bucketFollowers, join(local, f.Actor), f)
}

// Follower returns one follower of local.
func (t *Tx) Follower(local, actor string) (model.Follower, error) {
	var f model.Follower
	if err := t.getJSON(bucketFollowers, join(local, actor), &f); err != nil {
		return f, fmt.Errorf("follower %s of %s: %w", actor, local, err)
	}
	return f, nil
}

// DeleteFollower removes a follower; removing an absent one is not an error.
func (t *Tx) DeleteFollower(local, actor string) error {
	if err := t.indexFollower(local, actor, true); err != nil {
		return fmt.Errorf("store: index follower: %w", err)
	}
	return t.bucket(bucketFollowers).Delete(join(local, actor))
}

// Followers lists the followers of local in actor-IRI order, pending
// requests included (callers filter on Pending).
func (t *Tx) Followers(local string) ([]model.Follower, error) {
	var out []model.Follower
	err := t.eachPrefix(bucketFollowers, join(local, ""), false, func(k, _ []byte) (bool, error) {
		var f model.Follower
		if err := t.getJSON(bucketFollowers, k, &f); err != nil {
			return false, err
		}
		out = append(out, f)
		return true, nil
	})
	return out, err
}

// PutFollowing records a follow sent by local.
func (t *Tx) PutFollowing(local string, f model.Following) error {
	if err := t.indexFollowing(local, f.Target, f.State, false); err != nil {
		return fmt.Errorf("store: index following: %w", err)
	}
	return t.putJSON(bucketFollowing, join(local, f.Target), f)
}

// Following returns local's follow of target.
func (t *Tx) Following(local, target string) (model.Following, error) {
	var f model.Following
	if err := t.getJSON(bucketFollowing, join(local, target), &f); err != nil {
		return f, fmt.Errorf("following %s by %s: %w", target, local, err)
	}
	return f, nil
}

// DeleteFollowing forgets local's follow of target.
func (t *Tx) DeleteFollowing(local, target string) error {
	if err := t.indexFollowing(local, target, "", true); err != nil {
		return fmt.Errorf("store: index following: %w", err)
	}
	return t.bucket(bucketFollowing).Delete(join(local, target))
}

// FollowingList lists the follows sent by local.
func (t *Tx) FollowingList(local string) ([]model.Following, error) {
	var out []model.Following
	err := t.eachPrefix(bucketFollowing, join(local, ""), false, func(k, _ []byte) (bool, error) {
		var f model.Following
		if err := t.getJSON(bucketFollowing, k, &f); err != nil {
			return false, err
		}
		out = append(out, f)
		return true, nil
	})
	return out, err
}
