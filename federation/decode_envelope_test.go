package federation

import (
	"context"
	"strings"
	"testing"

	"github.com/go-fed/activity/streams"
)

// TestEnvelopeResolverAsToType checks that the resolver built once names
// every type go-fed v1.0.0 knows as streams.ToType did: the same envelope
// for an activity with actor and object, an error for any other type.
func TestEnvelopeResolverAsToType(t *testing.T) {
	// The types of streams/vocab/gen_type_*.go.
	names := strings.Fields(`Accept Activity Add Announce Application Arrive Article Audio Block
		Collection CollectionPage Create Delete Dislike Document Event Flag Follow Group Ignore Image
		IntransitiveActivity Invite Join Leave Like Link Listen Mention Move Note Object Offer
		OrderedCollection OrderedCollectionPage Organization Page Person Place Profile Question Read
		Reject Relationship Remove Service TentativeAccept TentativeReject Tombstone Travel Undo
		Update View Branch Commit Push Repository Ticket TicketDependency Emoji IdentityProof
		PublicKey Unknown`)
	ctx := context.Background()
	envelopes := 0
	for _, name := range names {
		env := func() map[string]any {
			return map[string]any{"@context": asContext, "type": name, "id": "https://a.example/1",
				"actor": "https://a.example/u", "object": "https://b.example/2"}
		}
		old, err := streams.ToType(ctx, env())
		want, wantOK := old.(envelope)
		wantOK = wantOK && err == nil
		got, err := toEnvelope(ctx, env())
		if gotOK := err == nil; gotOK != wantOK {
			t.Errorf("%s: resolved %v, ToType %v", name, gotOK, wantOK)
			continue
		}
		if !wantOK {
			continue
		}
		envelopes++
		if got.GetTypeName() != want.GetTypeName() || iterID(got.GetActivityStreamsObject().At(0)) != "https://b.example/2" ||
			iterID(got.GetActivityStreamsActor().At(0)) != "https://a.example/u" || got.GetJSONLDId().Get().String() != "https://a.example/1" {
			t.Errorf("%s: resolved as %s, ToType as %s", name, got.GetTypeName(), want.GetTypeName())
		}
	}
	if envelopes != 27 {
		t.Errorf("%d envelope types, want the 27 activities of go-fed v1.0.0 with actor and object", envelopes)
	}
}
