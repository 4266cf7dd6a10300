package federation

import (
	"context"
	"fmt"

	"codeberg.org/maillage/maillage/internal/service"
)

// onMove applies a Move of an actor to its new account, as Mastodon sends
// it (app/serializers/activitypub/move_serializer.rb: actor and object the
// old account, target the new one; testdata/mastodon_move.json). Only an
// actor moves itself: a Move whose object is not its actor is refused, as
// Mastodon ignores it (app/lib/activitypub/activity/move.rb) and GoToSocial
// refuses it (internal/federation/federatingdb/move.go). The service
// fetches the target afresh and checks its alsoKnownAs.
func (f *Federation) onMove(ctx context.Context, in *incoming) error {
	if in.Object != in.Actor {
		return fmt.Errorf("move of %s sent by %s: %w", in.Object, in.Actor, service.ErrForbidden)
	}
	if in.Target == "" {
		return fmt.Errorf("move of %s: %w: no target", in.Actor, ErrMalformed)
	}
	return f.svc.ReceiveMove(ctx, in.ID, in.Actor, in.Target)
}
