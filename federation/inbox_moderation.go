package federation

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"codeberg.org/maillage/maillage/federation/httpsign"
	"codeberg.org/maillage/maillage/internal/service"
)

// isBlockedKey reports whether a POST's signature names a key of a blocked
// actor or server (answered 403). It runs before the signature is
// verified, so that no key is fetched from a blocked server (the fetch
// itself would be a request to it). The refusal of an unverified request
// is safe: a forger claiming a blocked key gets 403 instead of 401, and
// nothing is stored either way.
func (f *Federation) isBlockedKey(r *http.Request) (owner string, blocked bool) {
	owner, _, _ = strings.Cut(httpsign.KeyIDFromRequest(r), "#")
	return owner, owner != "" && f.svc.IsBlocked(r.Context(), owner)
}

// checkBlocked refuses a verified activity whose actor is blocked, by
// itself or through its server. It also covers activities unwrapped from
// an Announce and those read from an outbox after a follow (backfill).
func (f *Federation) checkBlocked(ctx context.Context, in *incoming) error {
	if !in.actorChecked && f.svc.IsBlocked(ctx, in.Actor) {
		return fmt.Errorf("%s by %s: blocked: %w", in.Type, in.Actor, service.ErrForbidden)
	}
	return nil
}

// onFlag records a report. Mastodon sends {type: Flag, actor: its instance
// actor, object: [reported account, status IRIs...], content: comment}
// (app/serializers/activitypub/flag_serializer.rb), to the reported
// account's inbox.
func (f *Federation) onFlag(ctx context.Context, in *incoming) error {
	return f.svc.ReceiveFlag(ctx, in.ID, in.Actor, iriList(in.ObjectValue), in.Content)
}

// iriList reads one IRI or an array of IRIs (strings or objects with an id).
func iriList(v any) []string {
	arr, ok := v.([]any)
	if !ok {
		arr = []any{v}
	}
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		if s := iri(e); s != "" {
			out = append(out, s)
		}
	}
	return out
}
