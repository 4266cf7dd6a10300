package service

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// The Receive* methods apply an incoming activity that package federation
// has verified (signature, key owner = actor) and decoded. Each checks here
// what the actor may touch, and runs at most once per activity id.

// ReceiveObject stores a project or call (Create or Update) from actor.
// It is kept only from actors a local actor follows, or when it arrives
// through a followed instance actor (via) of the same server. An Update
// replaces the stored object only when it is newer.
func (s *Service) ReceiveObject(ctx context.Context, activityID, actor, via string, o model.Object) (err error) {
	if o.AttributedTo != actor || !sameHost(o.ID, actor) {
		return fmt.Errorf("object %s by %s: %w", o.ID, actor, ErrForbidden)
	}
	if err := o.Validate(); err != nil {
		return err
	}
	o.Local = false
	defer s.changedOnSuccess(&err, o.ID)
	return s.receive(activityID, func(tx *store.Tx) error {
		ok, err := s.relevant(tx, actor, via)
		if err != nil || !ok {
			return err
		}
		if tx.IsTombstoned(o.ID, actor) {
			return nil
		}
		old, err := tx.Object(o.ID)
		switch {
		case err == nil && (old.Local || old.AttributedTo != actor):
			return fmt.Errorf("object %s belongs to %s: %w", o.ID, old.AttributedTo, ErrForbidden)
		case err == nil && old.IsDeleted():
			return nil // deleted objects are not revived
		case err == nil && !o.Updated.IsZero() && (o.Updated.Before(old.Updated) || o.Updated.Equal(old.Updated) && old.Audience != ""):
			// Stale or repeated update. A repeat of an object stored
			// before audiences were recorded is applied, for its audience.
			return nil
		case err != nil && !errors.Is(err, store.ErrNotFound):
			return err
		}
		return tx.PutObject(o)
	})
}

// ReceiveDelete removes actor's object id (or reply) if stored.
func (s *Service) ReceiveDelete(ctx context.Context, activityID, actor, id string) (err error) {
	if !sameHost(id, actor) {
		return fmt.Errorf("delete %s by %s: %w", id, actor, ErrForbidden)
	}
	defer s.changedOnSuccess(&err, id)
	return s.receive(activityID, func(tx *store.Tx) error {
		if r, err := tx.Reply(id); err == nil {
			if r.Actor != actor {
				return fmt.Errorf("reply %s: %w", id, ErrForbidden)
			}
			if err := tx.DeleteReply(id); err != nil {
				return err
			}
			return tx.PutTombstone(id, actor, s.Now())
		}
		o, err := tx.Object(id)
		if errors.Is(err, store.ErrNotFound) {
			return tx.PutTombstone(id, actor, s.Now()) // the Delete overtook its Create
		}
		if err != nil {
			return err
		}
		if o.Local || o.AttributedTo != actor {
			return fmt.Errorf("object %s: %w", id, ErrForbidden)
		}
		if o.IsDeleted() {
			return nil
		}
		// A tombstone, not removal: a late or redelivered Create must not
		// bring the object back.
		tomb := model.Object{ID: o.ID, Kind: o.Kind, AttributedTo: o.AttributedTo, Published: o.Published,
			Updated: o.Updated, Deleted: s.Now().UTC()}
		return tx.PutObject(tomb)
	})
}

// ReceiveActorDelete forgets a remote actor that deleted itself.
func (s *Service) ReceiveActorDelete(ctx context.Context, activityID, actor string) (err error) {
	if s.URIs.IsLocal(actor) {
		return fmt.Errorf("delete local actor %s: %w", actor, ErrForbidden)
	}
	defer s.changedOnSuccess(&err, actor)
	return s.receive(activityID, func(tx *store.Tx) error {
		return tx.DeleteActor(actor)
	})
}

// ReceiveActorUpdate refreshes a stored remote actor's profile.
func (s *Service) ReceiveActorUpdate(ctx context.Context, activityID string, a model.Actor) (err error) {
	defer s.changedOnSuccess(&err, a.ID)
	return s.receive(activityID, func(tx *store.Tx) error {
		if _, err := tx.Actor(a.ID); err != nil {
			return nil // not an actor we track
		}
		return tx.PutActor(a)
	})
}

// ReceiveReply stores a Note answering one of our objects; anyone on the
// fediverse may reply. Update of a stored reply replaces its text.
func (s *Service) ReceiveReply(ctx context.Context, activityID string, r model.Reply) error {
	if !sameHost(r.ID, r.Actor) {
		return fmt.Errorf("reply %s by %s: %w", r.ID, r.Actor, ErrForbidden)
	}
	return s.receive(activityID, func(tx *store.Tx) error {
		o, err := tx.Object(r.InReplyTo)
		if err != nil || !o.Local || o.IsDeleted() || tx.IsTombstoned(r.ID, r.Actor) {
			return nil // not a reply to a live local object, or deleted: ignored
		}
		if old, err := tx.Reply(r.ID); err == nil {
			if old.Actor != r.Actor {
				return fmt.Errorf("reply %s: %w", r.ID, ErrForbidden)
			}
			if !r.Updated.After(old.Updated) {
				return nil // a stale or repeated edit, as Mastodon ignores one
			}
		}
		r.Received = s.Now().UTC()
		return tx.PutReply(r)
	})
}

// ReceiveReaction counts a Like or Announce of one of our objects, or
// (undo true) withdraws it.
func (s *Service) ReceiveReaction(ctx context.Context, activityID, kind, reactionID, actor, objectID string, undo bool) error {
	return s.receive(activityID, func(tx *store.Tx) error {
		o, err := tx.Object(objectID)
		if err != nil || !o.Local || (o.IsDeleted() && !undo) {
			return nil
		}
		if undo {
			return tx.RemoveReaction(objectID, kind, reactionID, actor)
		}
		_, err = tx.AddReaction(objectID, kind, reactionID, actor)
		return err
	})
}

// Counts returns the likes, boosts and replies of an object.
func (s *Service) Counts(ctx context.Context, objectID string) (model.Counts, error) {
	var c model.Counts
	err := s.Store.View(func(tx *store.Tx) error {
		var err error
		if c, err = tx.Counts(objectID); err != nil {
			return err
		}
		rs, err := tx.Replies(objectID)
		c.Replies = 0 // count only the replies shown: not those of blocked actors
		for _, r := range rs {
			if !r.HiddenBy(tx) {
				c.Replies++
			}
		}
		return err
	})
	return c, err
}

// relevant reports whether content by actor, arriving directly or through
// the instance actor via, concerns this instance.
func (s *Service) relevant(tx *store.Tx, actor, via string) (bool, error) {
	if tx.IsBlocked(actor) || tx.IsBlocked(via) {
		return false, nil
	}
	if via != "" {
		if !sameHost(via, actor) {
			return false, nil
		}
		return tx.IsFollowedLocally(via)
	}
	if ok, err := tx.IsFollowedLocally(actor); ok || err != nil {
		return ok, err
	}
	return s.followsServerOf(tx, actor)
}

// followsServerOf reports whether a local actor has an accepted follow of
// the instance actor (an Application) of actor's server.
func (s *Service) followsServerOf(tx *store.Tx, actor string) (bool, error) {
	orgs, err := tx.Orgs()
	if err != nil {
		return false, err
	}
	for _, o := range orgs {
		fs, err := tx.FollowingList(o.Name)
		if err != nil {
			return false, err
		}
		for _, f := range fs {
			if f.State != model.FollowAccepted || !sameHost(f.Target, actor) {
				continue
			}
			if a, err := tx.Actor(f.Target); err == nil && a.Type == "Application" {
				return true, nil
			}
		}
	}
	return false, nil
}

// sameHost reports whether two IRIs share scheme and host[:port]: the
// origin rule Mastodon applies (create.rb non_matching_uri_hosts?).
func sameHost(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && ua.Host != "" && ua.Scheme == ub.Scheme && ua.Host == ub.Host
}

// SameOrigin is sameHost for other packages.
func SameOrigin(a, b string) bool { return sameHost(a, b) }

// RememberActor stores (or refreshes) a remote actor fetched by federation.
func (s *Service) RememberActor(ctx context.Context, a model.Actor) error {
	if s.URIs.IsLocal(a.ID) {
		return nil // local actors live in the orgs bucket
	}
	if err := s.Store.Update(func(tx *store.Tx) error { return tx.PutActor(a) }); err != nil {
		return err
	}
	s.Changed(a.ID)
	return nil
}

// ReceiveUndo undoes an activity known only by its IRI: a follow of one of
// our actors, or a like or boost.
func (s *Service) ReceiveUndo(ctx context.Context, activityID, actor, undone string) error {
	return s.receive(activityID, func(tx *store.Tx) error {
		orgs, err := tx.Orgs()
		if err != nil {
			return err
		}
		for _, o := range orgs {
			if f, err := tx.Follower(o.Name, actor); err == nil && f.FollowID == undone {
				return tx.DeleteFollower(o.Name, actor)
			}
		}
		return tx.RemoveReactionByID(undone, actor)
	})
}

// changedOnSuccess reports ids as changed when *err is nil (deferred).
func (s *Service) changedOnSuccess(err *error, ids ...string) {
	if *err == nil {
		s.Changed(ids...)
	}
}

// TombstoneRetention is how long a remote deletion is remembered.
const TombstoneRetention = 30 * 24 * time.Hour

// PruneTombstones forgets remote deletions older than TombstoneRetention.
func (s *Service) PruneTombstones(ctx context.Context) (int, error) {
	var n int
	err := s.Store.Update(func(tx *store.Tx) error {
		var err error
		n, err = tx.PruneTombstones(s.Now().Add(-TombstoneRetention))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune tombstones: %w", err)
	}
	return n, nil
}
