package service

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
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
	if o.AttributedTo != actor || !uris.SameOrigin(o.ID, actor) {
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
			return cmp.Or(err, errNoEffect)
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
			return s.matchCalls(tx, o.ID)
		case err != nil && !errors.Is(err, store.ErrNotFound):
			return err
		}
		if err := tx.PutObject(o); err != nil {
			return err
		}
		return s.matchCalls(tx, o.ID)
	})
}

// ReceiveDelete removes actor's object id (or reply) if stored.
func (s *Service) ReceiveDelete(ctx context.Context, activityID, actor, id string) (err error) {
	if !uris.SameOrigin(id, actor) {
		return fmt.Errorf("delete %s by %s: %w", id, actor, ErrForbidden)
	}
	defer s.changedOnSuccess(&err, id)
	early := false // remember in memory, once the transaction is done
	defer func() {
		if early && err == nil {
			s.early.add(actor, id, s.Now())
		}
	}()
	return s.receive(activityID, func(tx *store.Tx) error {
		early = false
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
			// The Delete may have overtaken its Create: stored, for
			// TombstoneRetention, only when the actor's content could be
			// kept here; anyone else's (their replies) is remembered in
			// memory for a few hours (early.go), or a stranger could fill
			// the store with Deletes of ids that never existed.
			if ok, err := s.hasFollowWith(tx, actor); err != nil || !ok {
				early = err == nil
				return cmp.Or(err, errNoEffect)
			}
			return tx.PutTombstone(id, actor, s.Now())
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
	if s.uris.IsLocal(actor) {
		return fmt.Errorf("delete local actor %s: %w", actor, ErrForbidden)
	}
	defer s.changedOnSuccess(&err, actor)
	return s.receive(activityID, func(tx *store.Tx) error {
		return tx.DeleteActor(actor)
	})
}

// ReceiveActorUpdate refreshes a stored remote actor's profile; only the
// actor itself (actor, who sent the Update) may change it.
func (s *Service) ReceiveActorUpdate(ctx context.Context, activityID, actor string, a model.Actor) (err error) {
	if a.ID != actor {
		return fmt.Errorf("update of actor %s by %s: %w", a.ID, actor, ErrForbidden)
	}
	defer s.changedOnSuccess(&err, a.ID)
	return s.receive(activityID, func(tx *store.Tx) error {
		if _, err := tx.Actor(a.ID); err != nil {
			return errNoEffect // not an actor we track
		}
		return tx.PutActor(a)
	})
}

// ReceiveReply stores a Note answering one of our objects; anyone on the
// fediverse may reply. Update of a stored reply replaces its text. The
// author's profile, when given (its ID is the reply's actor), is stored
// with the reply: the replies shown with an object need it. Only the
// reply's author (actor, who sent the activity) may create or edit it.
func (s *Service) ReceiveReply(ctx context.Context, activityID, actor string, r model.Reply, author model.Actor) (err error) {
	if r.Actor != actor {
		return fmt.Errorf("reply %s attributed to %s, sent by %s: %w", r.ID, r.Actor, actor, ErrForbidden)
	}
	if !uris.SameOrigin(r.ID, r.Actor) {
		return fmt.Errorf("reply %s by %s: %w", r.ID, r.Actor, ErrForbidden)
	}
	keepAuthor := author.ID == r.Actor && !s.uris.IsLocal(author.ID)
	if keepAuthor {
		defer s.changedOnSuccess(&err, author.ID)
	}
	return s.receive(activityID, func(tx *store.Tx) error {
		o, err := tx.Object(r.InReplyTo)
		if err != nil || !o.Local || o.IsDeleted() || tx.IsTombstoned(r.ID, r.Actor) || s.early.has(r.Actor, r.ID, s.Now()) {
			return errNoEffect // not a reply to a live local object, or deleted: ignored
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
		if keepAuthor {
			if err := tx.PutActor(author); err != nil {
				return err
			}
		}
		return tx.PutReply(r)
	})
}

// ReceiveReaction counts a Like or Announce of one of our objects, or
// (undo true) withdraws it.
func (s *Service) ReceiveReaction(ctx context.Context, activityID, kind, reactionID, actor, objectID string, undo bool) error {
	return s.receive(activityID, func(tx *store.Tx) error {
		o, err := tx.Object(objectID)
		if err != nil || !o.Local || (o.IsDeleted() && !undo) {
			return errNoEffect
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
	err := s.store.View(func(tx *store.Tx) error {
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
		if !uris.SameOrigin(via, actor) {
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
// the instance actor (an Application) of actor's server. It reads the
// follows of that server's actors only (store.EachFollowedOn), not the
// local actors: an importing instance holds thousands of organisations,
// and this runs on inbox activities.
func (s *Service) followsServerOf(tx *store.Tx, actor string) (bool, error) {
	found := false
	err := tx.EachFollowedOn(actor, func(target string, accepted bool) bool {
		if !accepted {
			return true // a pending follow: its actor is not decoded
		}
		a, err := tx.Actor(target)
		found = err == nil && a.Type == "Application"
		return !found
	})
	return found, err
}

// hasFollowWith reports whether a local actor and actor follow each other
// either way (a pending follow counts), or a local actor follows actor's
// server: the relationships that make actor's content and profile kept.
func (s *Service) hasFollowWith(tx *store.Tx, actor string) (bool, error) {
	if ok, err := s.relevant(tx, actor, ""); ok || err != nil {
		return ok, err
	}
	return tx.HasLocalFollow(actor)
}

// RefreshActor replaces a stored remote actor by a newer copy fetched by
// federation (a rotated key, an edited profile). An actor not stored is
// not added: the use cases that need one store it with the relationship
// (Follow, ReceiveFollow, ReceiveReply, Report).
func (s *Service) RefreshActor(ctx context.Context, a model.Actor) (err error) {
	if s.uris.IsLocal(a.ID) {
		return nil
	}
	stored := false
	err = s.store.Batch(func(tx *store.Tx) error {
		stored = false
		if _, err := tx.Actor(a.ID); errors.Is(err, store.ErrNotFound) {
			return nil
		} else if err != nil {
			return err
		}
		stored = true
		return tx.PutActor(a)
	})
	if err != nil {
		return fmt.Errorf("refresh actor %s: %w", a.ID, err)
	}
	if stored {
		s.changed(a.ID)
	}
	return nil
}

// RememberActor stores (or refreshes) a remote actor unconditionally; use
// it only for an actor the instance has a relationship with.
func (s *Service) RememberActor(ctx context.Context, a model.Actor) error {
	if s.uris.IsLocal(a.ID) {
		return nil // local actors live in the orgs bucket
	}
	if err := s.store.Update(func(tx *store.Tx) error { return tx.PutActor(a) }); err != nil {
		return err
	}
	s.changed(a.ID)
	return nil
}

// ReceiveUndo undoes an activity known only by its IRI: a follow of one of
// our actors, or a like or boost.
func (s *Service) ReceiveUndo(ctx context.Context, activityID, actor, undone string) error {
	return s.receive(activityID, func(tx *store.Tx) error {
		names, err := tx.LocalsFollowedBy(actor) // not every local actor: an importing instance holds thousands
		if err != nil {
			return err
		}
		for _, name := range names {
			if f, err := tx.Follower(name, actor); err == nil && f.FollowID == undone {
				return tx.DeleteFollower(name, actor)
			}
		}
		return tx.RemoveReactionByID(undone, actor)
	})
}

// changedOnSuccess reports ids as changed when *err is nil (deferred).
func (s *Service) changedOnSuccess(err *error, ids ...string) {
	if *err == nil {
		s.changed(ids...)
	}
}

// TombstoneRetention is how long a remote deletion is remembered.
const TombstoneRetention = 30 * 24 * time.Hour

// PruneTombstones forgets remote deletions older than TombstoneRetention.
func (s *Service) PruneTombstones(ctx context.Context) (int, error) {
	var n int
	err := s.store.Update(func(tx *store.Tx) error {
		var err error
		n, err = tx.PruneTombstones(s.Now().Add(-TombstoneRetention))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune tombstones: %w", err)
	}
	return n, nil
}

// SeenRetention is how long the id of an applied activity is remembered,
// making its redelivery a no-op. It outlasts the senders' retries:
// Mastodon retries a delivery 16 times over about two to three days
// (app/workers/activitypub/delivery_worker.rb: (count**4)+15 seconds plus
// jitter) and gives up on an inbox after 7 days of failures
// (app/lib/delivery_failure_tracker.rb, FAILURE_DAYS_THRESHOLD).
const SeenRetention = 8 * 24 * time.Hour

// pruneChunk bounds the ids forgotten per transaction.
const pruneChunk = 10000

// PruneSeen forgets the ids of activities received more than
// SeenRetention ago, in transactions of at most pruneChunk ids.
func (s *Service) PruneSeen(ctx context.Context) (int, error) {
	cutoff := s.Now().Add(-SeenRetention)
	total := 0
	for {
		var n int
		err := s.store.Update(func(tx *store.Tx) error {
			var err error
			n, err = tx.PruneSeen(cutoff, pruneChunk)
			return err
		})
		if err != nil {
			return total, fmt.Errorf("prune seen activities: %w", err)
		}
		total += n
		if n < pruneChunk || ctx.Err() != nil {
			return total, nil
		}
	}
}

// PruneActors forgets the stored remote actors nothing refers to any more
// (store.NeededActors: no follow either way, object, reply or report),
// such as those unfollowed, and those stored before actors were kept only
// with a relationship. They are fetched again if they come back.
func (s *Service) PruneActors(ctx context.Context) (int, error) {
	var gone []string
	err := s.store.Update(func(tx *store.Tx) error {
		gone = gone[:0]
		need, err := tx.NeededActors()
		if err != nil {
			return err
		}
		actors, err := tx.Actors()
		if err != nil {
			return err
		}
		for _, a := range actors {
			if need[a.ID] {
				continue
			}
			if hosted, err := s.followsServerOf(tx, a.ID); err != nil {
				return err
			} else if hosted && a.Type == "Organization" {
				continue // listed by a followed instance (ReceiveHostedOrg)
			}
			if err := tx.ForgetActor(a.ID); err != nil {
				return err
			}
			gone = append(gone, a.ID)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("prune actors: %w", err)
	}
	s.changed(gone...)
	return len(gone), nil
}

// NeedsAuthor reports whether actor has content kept here (an object) but
// no stored profile: then federation passes its profile to KeepAuthor.
func (s *Service) NeedsAuthor(ctx context.Context, actor string) bool {
	need := false
	_ = s.store.View(func(tx *store.Tx) error {
		need = s.keepsContentOf(tx, actor)
		return nil
	})
	return need
}

// KeepAuthor stores the profile of a remote actor whose content is kept
// here, if it is not stored yet.
func (s *Service) KeepAuthor(ctx context.Context, a model.Actor) (err error) {
	stored := false
	err = s.store.Batch(func(tx *store.Tx) error {
		stored = false
		if !s.keepsContentOf(tx, a.ID) {
			return nil
		}
		stored = true
		return tx.PutActor(a)
	})
	if err != nil {
		return fmt.Errorf("keep author %s: %w", a.ID, err)
	}
	if stored {
		s.changed(a.ID)
	}
	return nil
}

// keepsContentOf reports whether a remote actor not stored has objects
// stored.
func (s *Service) keepsContentOf(tx *store.Tx, actor string) bool {
	if s.uris.IsLocal(actor) {
		return false
	}
	if tx.HasActor(actor) {
		return false
	}
	objs, err := tx.ObjectsBy(actor, 1)
	return err == nil && len(objs) > 0
}
