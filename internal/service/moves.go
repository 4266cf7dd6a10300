package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"codeberg.org/maillage/maillage/internal/errs"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// ActMove is listing an organisation's aliases and moving it to another
// actor (administrators only: a move hands its followers over).
const ActMove Action = "move"

// Limits of moves. An actor involved in a Move applied here (as origin or
// target) is not moved again for moveCooldown: Mastodon ignores a second
// Move of one account for 7 days (app/lib/activitypub/activity/move.rb,
// PROCESSING_COOLDOWN) and GoToSocial any Move involving either account
// for 7 days after a success (internal/processing/workers/fromfediapi_move.go,
// ShouldProcessMove). A Move that is refused after its target was fetched
// is not tried again for moveRetryAfter (GoToSocial: 5 minutes), so that
// a followed actor cannot make us fetch target after target.
const (
	moveCooldown     = 7 * 24 * time.Hour
	moveRetryAfter   = 5 * time.Minute
	maxMoveAttempts  = 4096
	moveAttemptsKeep = time.Hour
)

// SetAliases sets the actor IRIs a local organisation moves from (its
// alsoKnownAs) and federates an Update of the actor: a server that
// receives a Move from one of them fetches this actor and checks the list.
func (s *Service) SetAliases(ctx context.Context, p Principal, name string, aliases []string) (model.Org, error) {
	var o model.Org
	if err := authorize(p, ActMove, name); err != nil {
		return o, fmt.Errorf("set aliases: %w", err)
	}
	clean := make([]string, 0, len(aliases))
	for _, a := range aliases {
		if a = strings.TrimSpace(a); a != "" {
			clean = append(clean, a)
		}
	}
	if err := model.ValidateAliases(s.uris.Actor(name), clean); err != nil {
		return o, err
	}
	err := s.store.Update(func(tx *store.Tx) error {
		var err error
		if o, err = s.localOrg(tx, name); err != nil {
			return err
		}
		if !o.IsOrganisation() {
			return fmt.Errorf("set aliases of %s: not an organisation: %w", name, ErrNotFound)
		}
		o.AlsoKnownAs = clean
		if len(clean) == 0 {
			o.AlsoKnownAs = nil
		}
		o.Updated = s.Now().UTC()
		if err := tx.PutOrg(o); err != nil {
			return err
		}
		return s.emitActorUpdate(tx, o)
	})
	if err != nil {
		return o, fmt.Errorf("set aliases of %s: %w", name, err)
	}
	s.poke()
	s.changed(s.uris.Actor(name))
	s.log.Info("aliases set", "org", name, "aliases", len(clean))
	return o, nil
}

// emitActorUpdate federates an Update of a local actor to its followers.
// An imported organisation's Update (its claim, its move) also goes to the
// instance actor's followers: they learned of the entry by the backfill of
// this instance, not by following it, as the imports' Updates do
// (putImported).
func (s *Service) emitActorUpdate(tx *store.Tx, o model.Org) error {
	org := o
	a := model.Activity{ID: s.uris.Activity(uris.NewID(s.Now())), Type: "Update", Actor: o.Name,
		ObjectID: s.uris.Actor(o.Name), Org: &org, Published: s.Now().UTC(),
		To: []string{PublicIRI}, CC: []string{s.uris.Followers(o.Name)}}
	inboxes, err := followerInboxes(tx, o.Name)
	if err != nil {
		return err
	}
	if o.Provenance != nil && o.Name != model.InstanceName {
		inst, err := followerInboxes(tx, model.InstanceName)
		if err != nil {
			return err
		}
		for _, in := range inst {
			inboxes = appendUnique(inboxes, in)
		}
	}
	return s.emit(tx, a, inboxes, false)
}

// MoveOrg moves the local organisation name to target (name@host or an
// actor IRI: on another server, Mastodon or GoToSocial included, or here),
// as Mastodon's MoveService does (app/services/move_service.rb): target is
// fetched afresh and must list the organisation in its alsoKnownAs and not
// have moved itself; then, in one transaction, the organisation records
// movedTo (rendered on its actor, shown on its page; it publishes nothing
// more), an Update of the actor and a Move{actor, object: itself, target}
// (move_serializer.rb) go to its followers, and its local followers are
// moved at once: each follows target and withdraws its follow.
func (s *Service) MoveOrg(ctx context.Context, p Principal, name, target string) (model.Org, error) {
	var o model.Org
	if err := authorize(p, ActMove, name); err != nil {
		return o, fmt.Errorf("move: %w", err)
	}
	target = strings.TrimSpace(target)
	if target == "" || len(target) > model.MaxIRI {
		return o, model.Invalid("target", "validation.move.target")
	}
	self := s.uris.Actor(name)
	if err := s.checkNotBlocked(ctx, "target", target); err != nil {
		return o, model.Invalid("target", "validation.move.blocked")
	}
	if _, err := s.Org(ctx, name); err != nil {
		return o, fmt.Errorf("move %s: %w", name, err)
	}
	actor, err := s.resolveActor(ctx, target) // a remote target is fetched afresh (Client.FetchActor)
	if err != nil {
		return o, fmt.Errorf("move %s to %s: %w", name, target, err)
	}
	switch {
	case actor.ID == self:
		return o, model.Invalid("target", "validation.move.target_self")
	case s.IsBlocked(ctx, actor.ID):
		return o, model.Invalid("target", "validation.move.blocked")
	case actor.MovedTo != "":
		return o, model.Invalid("target", "validation.move.target_moved")
	case !slices.Contains(actor.AlsoKnownAs, self):
		return o, model.Invalid("target", "validation.move.not_aliased")
	}
	var moved []string
	err = s.store.Update(func(tx *store.Tx) error {
		var err error
		if o, err = s.localOrg(tx, name); err != nil {
			return err
		}
		if !o.IsOrganisation() {
			return fmt.Errorf("not an organisation: %w", ErrNotFound)
		}
		now := s.Now().UTC()
		if last, err := tx.LastMove(self); err == nil && last.Origin == self && now.Sub(last.Time) < moveCooldown && last.Target != actor.ID {
			return fmt.Errorf("moved to %s on %s: %w", last.Target, last.Time.Format(time.DateOnly), ErrConflict)
		}
		o.MovedTo, o.Updated = actor.ID, now
		if err := tx.PutOrg(o); err != nil {
			return err
		}
		if !s.uris.IsLocal(actor.ID) {
			if err := tx.PutActor(actor); err != nil {
				return err
			}
		}
		if err := s.emitActorUpdate(tx, o); err != nil {
			return err
		}
		move := model.Activity{ID: s.uris.Activity(uris.NewID(now)), Type: "Move", Actor: name, ObjectID: self,
			Target: actor.ID, To: []string{s.uris.Followers(name)}, Published: now}
		inboxes, err := followerInboxes(tx, name)
		if err != nil {
			return err
		}
		if err := s.emit(tx, move, inboxes, false); err != nil {
			return err
		}
		if moved, err = s.moveLocalFollows(tx, self, s.uris.Inbox(name), actor); err != nil {
			return err
		}
		return tx.PutMove(model.MoveRecord{Origin: self, Target: actor.ID, ActivityID: move.ID, Time: now})
	})
	if err != nil {
		return o, fmt.Errorf("move %s to %s: %w", name, actor.ID, err)
	}
	s.poke()
	s.changed(self, actor.ID)
	s.log.Info("organisation moved", "org", name, "target", actor.ID, "local_follows_moved", len(moved))
	return o, nil
}

// ReceiveMove applies a Move that the remote actor origin sent of itself
// (the caller checked that actor and object are origin) to target. As
// Mastodon (move.rb, move_worker.rb: UnfollowFollowWorker) and GoToSocial
// (fromfediapi_move.go) do, target is fetched afresh and must list origin
// in its alsoKnownAs and not have moved itself; then every local follow of
// origin becomes a follow of target by the same local actor (a Follow, then
// an Undo of the old one). Refused, with an error of the forbidden kind:
// a blocked target, a target that does not list origin, an origin or
// target moved here less than moveCooldown ago, a follow already carried
// through model.MaxMoveHops moves (that follow stays as it is). Rate
// limited: a second try for one origin within moveRetryAfter. A Move of
// an actor nobody here follows changes nothing and fetches nothing.
func (s *Service) ReceiveMove(ctx context.Context, activityID, origin, target string) error {
	if target == origin || !model.IsActorIRI(target) {
		return fmt.Errorf("move of %s to %q: %w", origin, target, ErrForbidden)
	}
	now := s.Now()
	var followed bool
	err := s.store.View(func(tx *store.Tx) error {
		if tx.IsSeen(activityID) {
			return nil
		}
		fs, err := tx.LocalFollowsOf(origin)
		if err != nil {
			return err
		}
		followed = len(fs) > 0
		for _, iri := range []string{origin, target} {
			if last, err := tx.LastMove(iri); err == nil && now.Sub(last.Time) < moveCooldown {
				return fmt.Errorf("move of %s to %s: %s moved on %s: %w", origin, target, iri,
					last.Time.Format(time.DateOnly), ErrForbidden)
			}
		}
		if tx.IsBlocked(target) {
			return fmt.Errorf("move of %s to %s: target blocked: %w", origin, target, ErrForbidden)
		}
		return nil
	})
	if err != nil || !followed {
		return err
	}
	if !s.moveAttempts.try(origin, now) {
		// Rate limited, not refused: a Move whose target could not be
		// fetched (answered 502) is retried by its sender, and one of
		// these retries comes after moveRetryAfter (Mastodon retries 429).
		return errs.E(errs.RateLimited, fmt.Errorf("move of %s to %s: tried less than %s ago", origin, target, moveRetryAfter))
	}
	actor, err := s.resolveActor(ctx, target) // fetched afresh, never from a cache
	if err != nil {
		return fmt.Errorf("move of %s: target %s: %w", origin, target, err)
	}
	switch {
	case actor.ID != target:
		return fmt.Errorf("move of %s: target %s is %s: %w", origin, target, actor.ID, ErrForbidden)
	case actor.MovedTo != "":
		return fmt.Errorf("move of %s: target %s moved to %s: %w", origin, target, actor.MovedTo, ErrForbidden)
	case !slices.Contains(actor.AlsoKnownAs, origin):
		return fmt.Errorf("move of %s: target %s does not list it in alsoKnownAs: %w", origin, target, ErrForbidden)
	}
	var moved []string
	err = s.receive(activityID, func(tx *store.Tx) error {
		if tx.IsBlocked(actor.ID) {
			return fmt.Errorf("move of %s to %s: target blocked: %w", origin, target, ErrForbidden)
		}
		old, err := tx.Actor(origin)
		if err != nil {
			return err
		}
		old.MovedTo = actor.ID
		if err := tx.PutActor(old); err != nil {
			return err
		}
		if !s.uris.IsLocal(actor.ID) {
			if err := tx.PutActor(actor); err != nil {
				return err
			}
		}
		if moved, err = s.moveLocalFollows(tx, origin, old.Inbox, actor); err != nil {
			return err
		}
		return tx.PutMove(model.MoveRecord{Origin: origin, Target: actor.ID, ActivityID: activityID, Time: now.UTC()})
	})
	if err != nil {
		return err
	}
	s.changed(origin, actor.ID)
	s.log.Info("move applied", "actor", origin, "target", actor.ID, "activity_id", activityID, "local_follows_moved", len(moved))
	return nil
}

// moveLocalFollows turns every local follow of origin (whose personal
// inbox is originInbox) into a follow of target by the same local actor:
// a Follow of target (unless it follows target already, or is target),
// then an Undo of the follow of origin, as Mastodon's UnfollowFollowWorker
// does. A follow carried through model.MaxMoveHops moves already stays
// where it is. It returns the local actors moved.
func (s *Service) moveLocalFollows(tx *store.Tx, origin, originInbox string, target model.Actor) ([]string, error) {
	follows, err := tx.LocalFollowsOf(origin)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(follows))
	for name := range follows {
		names = append(names, name)
	}
	sort.Strings(names)
	var moved []string
	for _, name := range names {
		f := follows[name]
		if f.Moves >= model.MaxMoveHops {
			s.log.Warn("follow not moved: too many moves", "local", name, "actor", origin, "target", target.ID)
			continue
		}
		now := s.Now().UTC()
		if _, err := tx.Following(name, target.ID); errors.Is(err, store.ErrNotFound) && target.ID != s.uris.Actor(name) {
			nf := model.Following{Target: target.ID, FollowID: s.uris.Activity(uris.NewID(now)), State: model.FollowPending,
				Since: now, Moves: f.Moves + 1}
			if err := tx.PutFollowing(name, nf); err != nil {
				return nil, err
			}
			follow := model.Activity{ID: nf.FollowID, Type: "Follow", Actor: name, ObjectID: target.ID,
				To: []string{target.ID}, Published: now}
			if err := s.emit(tx, follow, []string{target.Inbox}, false); err != nil {
				return nil, err
			}
		} else if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		if err := tx.DeleteFollowing(name, origin); err != nil {
			return nil, err
		}
		undo := model.Activity{ID: s.uris.Activity(uris.NewID(now)), Type: "Undo", Actor: name, ObjectID: f.FollowID,
			Follow: &model.FollowRef{ID: f.FollowID, Actor: s.uris.Actor(name), Object: origin},
			To:     []string{origin}, Published: now}
		inboxes := []string{originInbox}
		if tx.IsBlocked(origin) || originInbox == "" {
			inboxes = nil
		}
		if err := s.emit(tx, undo, inboxes, false); err != nil {
			return nil, err
		}
		moved = append(moved, name)
	}
	return moved, nil
}

// moveAttempts remembers, in memory and bounded, when a Move of each
// origin was last tried, for moveRetryAfter.
type moveAttempts struct {
	mu sync.Mutex
	m  map[string]time.Time // guarded by mu
}

func newMoveAttempts() *moveAttempts { return &moveAttempts{m: make(map[string]time.Time)} }

// try reports whether a Move of origin may be tried now, and records it.
func (a *moveAttempts) try(origin string, now time.Time) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if at, ok := a.m[origin]; ok && now.Sub(at) < moveRetryAfter {
		return false
	}
	if len(a.m) >= maxMoveAttempts {
		for k, at := range a.m {
			if now.Sub(at) > moveAttemptsKeep || len(a.m) >= maxMoveAttempts {
				delete(a.m, k)
			}
		}
	}
	a.m[origin] = now
	return true
}

// checkNotMoved refuses a Create or Update by an organisation that has
// moved: from then on it publishes only at its new address (a Delete of
// what it published still goes out).
func checkNotMoved(tx *store.Tx, a model.Activity) error {
	if a.Type == "Delete" {
		return nil
	}
	o, err := tx.Org(a.Actor)
	if err != nil || o.MovedTo == "" {
		return nil // a missing actor is the caller's to report
	}
	return model.Invalid("org", "validation.move.moved")
}
