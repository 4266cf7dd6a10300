package federation

import (
	"context"
	"sync"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"
)

// envelopeResolver names an activity's envelope with go-fed, as
// streams.ToType does for every type, but built once: ToType makes a new
// JSONResolver with a closure for each of its hundred-odd types on every
// call (streams/gen_resolver_utils.go), about 85 allocations an activity.
// It knows the types that are an envelope (activities with an actor and an
// object); any other type resolves to an error, as ToType's did to a value
// that is not an envelope. It holds nothing that changes.
var envelopeResolver = sync.OnceValue(func() *streams.JSONResolver {
	r, err := streams.NewJSONResolver(
		keep[vocab.ActivityStreamsAccept], keep[vocab.ActivityStreamsActivity],
		keep[vocab.ActivityStreamsAdd], keep[vocab.ActivityStreamsAnnounce],
		keep[vocab.ActivityStreamsBlock], keep[vocab.ActivityStreamsCreate],
		keep[vocab.ActivityStreamsDelete], keep[vocab.ActivityStreamsDislike],
		keep[vocab.ActivityStreamsFlag], keep[vocab.ActivityStreamsFollow],
		keep[vocab.ActivityStreamsIgnore], keep[vocab.ActivityStreamsInvite],
		keep[vocab.ActivityStreamsJoin], keep[vocab.ActivityStreamsLeave],
		keep[vocab.ActivityStreamsLike], keep[vocab.ActivityStreamsListen],
		keep[vocab.ActivityStreamsMove], keep[vocab.ActivityStreamsOffer],
		keep[vocab.ActivityStreamsRead], keep[vocab.ActivityStreamsReject],
		keep[vocab.ActivityStreamsRemove], keep[vocab.ActivityStreamsTentativeAccept],
		keep[vocab.ActivityStreamsTentativeReject], keep[vocab.ActivityStreamsUndo],
		keep[vocab.ActivityStreamsUpdate], keep[vocab.ActivityStreamsView],
		keep[vocab.ForgeFedPush],
	)
	if err != nil {
		panic(err) // only a callback of a wrong signature fails, which keep cannot make
	}
	return r
})

// resolvedKey carries the *envelope that keep fills during one Resolve.
type resolvedKey struct{}

func keep[T envelope](ctx context.Context, t T) error {
	*ctx.Value(resolvedKey{}).(*envelope) = t
	return nil
}

// toEnvelope resolves env (a map with the plain ActivityStreams context)
// into its go-fed type.
func toEnvelope(ctx context.Context, env map[string]any) (envelope, error) {
	var e envelope
	if err := envelopeResolver().Resolve(context.WithValue(ctx, resolvedKey{}, &e), env); err != nil {
		return nil, err
	}
	return e, nil
}
