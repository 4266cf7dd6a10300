package service

import (
	"context"
	"errors"
	"fmt"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// Follow makes the local actor local follow target (name@host, an actor
// IRI, or a host for its instance actor). The follow stays pending until the
// target's Accept arrives.
func (s *Service) Follow(ctx context.Context, p Principal, local, target string) (model.Following, error) {
	var f model.Following
	if !p.canActAs(ActFollow, local) {
		return f, fmt.Errorf("%s may not follow for %s: %w", p, local, ErrForbidden)
	}
	if err := s.checkNotBlocked(ctx, "target", target); err != nil {
		return f, err // before resolving: nothing is asked of a blocked server
	}
	actor, err := s.resolveActor(ctx, target)
	if err != nil {
		return f, fmt.Errorf("follow %s: %w", target, err)
	}
	if err := s.checkNotBlocked(ctx, "target", actor.ID); err != nil {
		return f, err
	}
	if actor.ID == s.uris.Actor(local) {
		return f, model.Invalid("target", "validation.follow.self")
	}
	err = s.store.Update(func(tx *store.Tx) error {
		if _, err := s.localOrg(tx, local); err != nil {
			return err
		}
		if err := tx.PutActor(actor); err != nil {
			return err
		}
		if old, err := tx.Following(local, actor.ID); err == nil && old.State == model.FollowAccepted {
			f = old
			return nil
		}
		now := s.Now().UTC()
		f = model.Following{Target: actor.ID, FollowID: s.uris.Activity(uris.NewID(now)), State: model.FollowPending, Since: now}
		if err := tx.PutFollowing(local, f); err != nil {
			return err
		}
		a := model.Activity{ID: f.FollowID, Type: "Follow", Actor: local, ObjectID: actor.ID,
			To: []string{actor.ID}, Published: now}
		return s.emit(tx, a, []string{actor.Inbox}, false)
	})
	if err != nil {
		return f, fmt.Errorf("follow %s: %w", target, err)
	}
	s.poke()
	s.changed(actor.ID) // stored with the follow
	s.log.Info("follow sent", "actor", actor.ID, "local", local)
	return f, nil
}

// Unfollow withdraws local's follow of target (as resolved by Follow) with
// an Undo.
func (s *Service) Unfollow(ctx context.Context, p Principal, local, target string) error {
	if !p.canActAs(ActFollow, local) {
		return fmt.Errorf("%s may not unfollow for %s: %w", p, local, ErrForbidden)
	}
	err := s.store.Update(func(tx *store.Tx) error {
		id, err := s.knownActor(tx, target)
		if err != nil {
			return err
		}
		f, err := tx.Following(local, id)
		if err != nil {
			return err
		}
		actor, err := tx.Actor(id)
		if err != nil {
			return err
		}
		if err := tx.DeleteFollowing(local, id); err != nil {
			return err
		}
		now := s.Now().UTC()
		a := model.Activity{ID: s.uris.Activity(uris.NewID(now)), Type: "Undo", Actor: local,
			ObjectID: f.FollowID, Follow: &model.FollowRef{ID: f.FollowID, Actor: s.uris.Actor(local), Object: id},
			To: []string{id}, Published: now}
		inboxes := []string{actor.Inbox}
		if tx.IsBlocked(id) {
			inboxes = nil // a blocked actor is sent nothing, not even the Undo
		}
		return s.emit(tx, a, inboxes, false)
	})
	if err != nil {
		return fmt.Errorf("unfollow %s: %w", target, err)
	}
	s.poke()
	return nil
}

// knownActor maps an IRI or a name@host handle to a stored actor's IRI.
func (s *Service) knownActor(tx *store.Tx, target string) (string, error) {
	if _, err := tx.Actor(target); err == nil {
		return target, nil
	}
	actors, err := tx.Actors()
	if err != nil {
		return "", err
	}
	for _, a := range actors {
		if a.Handle() == target || "@"+a.Handle() == target || a.Host == target {
			return a.ID, nil
		}
	}
	return "", fmt.Errorf("actor %s: %w", target, ErrNotFound)
}

// ReceiveFollow handles a Follow of the local actor local by a remote actor:
// the follower is stored and, unless the organisation approves followers by
// hand, an Accept embedding the Follow is sent, signed by local.
func (s *Service) ReceiveFollow(ctx context.Context, activityID, local string, follower model.Actor) (err error) {
	defer s.changedOnSuccess(&err, follower.ID) // stored with the follow
	return s.receive(activityID, func(tx *store.Tx) error {
		org, err := s.localOrg(tx, local)
		if err != nil {
			return err
		}
		if tx.IsBlocked(follower.ID) {
			return fmt.Errorf("follow by %s: blocked: %w", follower.ID, ErrForbidden)
		}
		if err := tx.PutActor(follower); err != nil {
			return err
		}
		pending := org.ManualApprove
		if old, err := tx.Follower(local, follower.ID); err == nil && !old.Pending {
			pending = false // a repeated Follow from an accepted follower is accepted again, as Mastodon does
		}
		f := model.Follower{Actor: follower.ID, Inbox: follower.Inbox, SharedInbox: follower.SharedInbox,
			FollowID: activityID, Pending: pending, Since: s.Now().UTC()}
		if err := tx.PutFollower(local, f); err != nil {
			return err
		}
		if f.Pending {
			return nil
		}
		return s.answerFollow(tx, "Accept", local, f)
	})
}

// ApproveFollower accepts (or, approve false, rejects) a pending follow
// request of an organisation that approves followers by hand.
func (s *Service) ApproveFollower(ctx context.Context, p Principal, local, actor string, approve bool) error {
	if err := authorize(p, ActFollow, local); err != nil {
		return fmt.Errorf("approve follower %s: %w", actor, err)
	}
	err := s.store.Update(func(tx *store.Tx) error {
		f, err := tx.Follower(local, actor)
		if err != nil {
			return err
		}
		if approve {
			if !f.Pending {
				return nil // already a follower
			}
			f.Pending = false
			if err := tx.PutFollower(local, f); err != nil {
				return err
			}
			return s.answerFollow(tx, "Accept", local, f)
		}
		if err := tx.DeleteFollower(local, actor); err != nil {
			return err
		}
		return s.answerFollow(tx, "Reject", local, f)
	})
	if err != nil {
		return fmt.Errorf("approve follower %s: %w", actor, err)
	}
	s.poke()
	return nil
}

func (s *Service) answerFollow(tx *store.Tx, typ, local string, f model.Follower) error {
	now := s.Now().UTC()
	a := model.Activity{ID: s.uris.Activity(uris.NewID(now)), Type: typ, Actor: local, ObjectID: f.FollowID,
		Follow: &model.FollowRef{ID: f.FollowID, Actor: f.Actor, Object: s.uris.Actor(local)},
		To:     []string{f.Actor}, Published: now}
	return s.emit(tx, a, []string{f.Inbox}, false)
}

// ReceiveUndoFollow removes actor from local's followers; followID, when
// known, must match the stored follow.
func (s *Service) ReceiveUndoFollow(ctx context.Context, activityID, local, actor, followID string) error {
	return s.receive(activityID, func(tx *store.Tx) error {
		f, err := tx.Follower(local, actor)
		if errors.Is(err, store.ErrNotFound) {
			return errNoEffect
		}
		if err != nil {
			return err
		}
		if followID != "" && f.FollowID != followID {
			return nil
		}
		return tx.DeleteFollower(local, actor)
	})
}

// ReceiveFollowAnswer applies an Accept (accepted true) or Reject of a
// follow that local sent to actor, and reports whether it started a
// backfill of actor (backfill.go), which it records in the same
// transaction. Only the Accept that moves the follow from pending to
// accepted starts one: an Accept of an accepted follow changes nothing,
// so a followed server cannot restart its own backfill, with fresh limits,
// by accepting again.
func (s *Service) ReceiveFollowAnswer(ctx context.Context, activityID, local, actor, followID string, accepted bool) (backfill bool, err error) {
	err = s.receive(activityID, func(tx *store.Tx) error {
		backfill = false // a batched transaction may run this again
		f, err := tx.Following(local, actor)
		if errors.Is(err, store.ErrNotFound) {
			return errNoEffect // an answer to a follow we withdrew
		}
		if err != nil {
			return err
		}
		if followID != "" && followID != f.FollowID {
			return nil
		}
		if !accepted {
			return tx.DeleteFollowing(local, actor)
		}
		if f.State == model.FollowAccepted {
			return errNoEffect
		}
		f.State = model.FollowAccepted
		if err := tx.PutFollowing(local, f); err != nil {
			return err
		}
		backfill = true
		return startBackfill(tx, actor)
	})
	return backfill && err == nil, err
}

// FollowFromActivity finds which local actor sent the Follow followID and
// to whom, for an Accept or Reject that names the Follow only by its IRI.
func (s *Service) FollowFromActivity(ctx context.Context, followID string) (local, target string, err error) {
	err = s.store.View(func(tx *store.Tx) error {
		a, _, err := tx.Activity(followID)
		if err != nil {
			return err
		}
		if a.Type != "Follow" {
			return fmt.Errorf("activity %s is a %s: %w", followID, a.Type, ErrNotFound)
		}
		local, target = a.Actor, a.ObjectID
		return nil
	})
	return local, target, err
}

// Followers lists the followers of a local actor.
func (s *Service) Followers(ctx context.Context, local string) ([]model.Follower, error) {
	var out []model.Follower
	err := s.store.View(func(tx *store.Tx) error {
		if _, err := s.localOrg(tx, local); err != nil {
			return err
		}
		var err error
		out, err = tx.Followers(local)
		return err
	})
	return out, err
}

// FollowingList lists the follows a local actor sent.
func (s *Service) FollowingList(ctx context.Context, local string) ([]model.Following, error) {
	var out []model.Following
	err := s.store.View(func(tx *store.Tx) error {
		if _, err := s.localOrg(tx, local); err != nil {
			return err
		}
		var err error
		out, err = tx.FollowingList(local)
		return err
	})
	return out, err
}

// receive runs an inbox effect once per activity id: the id is marked seen
// in the same transaction, so a redelivered activity changes nothing.
// An effect that returns errNoEffect (having written nothing) leaves no
// trace: replaying it has no effect either, so a remote cannot fill the
// store with activities that are ignored.
func (s *Service) receive(activityID string, fn func(tx *store.Tx) error) error {
	poke := false
	err := s.store.Batch(func(tx *store.Tx) error {
		poke = false
		if tx.IsSeen(activityID) {
			return nil
		}
		if err := fn(tx); errors.Is(err, errNoEffect) {
			return nil
		} else if err != nil {
			return err
		}
		poke = true
		_, err := tx.MarkSeen(activityID, s.Now())
		return err
	})
	if poke && err == nil {
		s.poke()
	}
	return err
}

// errNoEffect is returned by an inbox effect that ignored its activity
// before writing anything (see receive); it never leaves the package.
var errNoEffect = errors.New("service: activity has no effect")
