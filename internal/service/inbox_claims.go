package service

import (
	"context"
	"fmt"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
)

// Undone is the activity an Undo embeds, as its sender claims it: its id,
// type, actor and object.
type Undone struct {
	ID, Type, Actor, Object string
}

// ReceiveUndoActivity applies actor's Undo of the embedded activity u:
// only u's own actor may undo it (forbidden otherwise, whatever its type).
// An Undo of a Follow of one of our actors removes the follower; of a
// Like or an Announce, the reaction. Other types change nothing.
func (s *Service) ReceiveUndoActivity(ctx context.Context, activityID, actor string, u Undone) error {
	if u.Actor != actor {
		return fmt.Errorf("undo of %s by %s: %w", u.ID, actor, ErrForbidden)
	}
	switch u.Type {
	case "Follow":
		local, ok := s.uris.LocalActorName(u.Object)
		if !ok {
			return nil
		}
		return s.ReceiveUndoFollow(ctx, activityID, local, actor, u.ID)
	case "Like":
		return s.ReceiveReaction(ctx, activityID, model.ReactionLike, u.ID, actor, u.Object, true)
	case "Announce":
		return s.ReceiveReaction(ctx, activityID, model.ReactionAnnounce, u.ID, actor, u.Object, true)
	}
	return nil
}

// Relayed is a Create, Update or Delete that an instance actor wraps in an
// Announce, as the wrapped activity claims it. AboutActor is set when it
// is about an actor (its object is its actor, or an actor is embedded).
type Relayed struct {
	ID, Actor, Object string
	AboutActor        bool
}

// ReceiveRelayed decides whether the relayed activity in, announced by
// relay, may be applied as if in.Actor had sent it (then the caller
// applies it with via = relay). An instance actor speaks only for actors
// of its own server (forbidden otherwise), and only one that a local actor
// follows is trusted to relay at all (false, nil otherwise). The wrapped
// activity carries no signature of its own, so it may only bring objects:
// never an actor's profile, key or deletion (forbidden).
func (s *Service) ReceiveRelayed(ctx context.Context, relay string, in Relayed) (bool, error) {
	if !uris.SameOrigin(in.Actor, relay) || !uris.SameOrigin(in.ID, relay) {
		return false, fmt.Errorf("%s relayed by %s: %w", in.ID, relay, ErrForbidden)
	}
	if !s.IsFollowedApplication(ctx, relay) {
		return false, nil
	}
	if in.AboutActor {
		return false, fmt.Errorf("actor %s relayed by %s: %w", in.Actor, relay, ErrForbidden)
	}
	return true, nil
}
