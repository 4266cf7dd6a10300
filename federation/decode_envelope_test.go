package federation

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"
)

// TestEnvelopeTypesAsGoFed checks envelopeTypes against go-fed v1.0.0: a
// type is an envelope exactly when streams.ToType resolves it to a type
// with an actor and an object property, and decodeDoc then names the same
// actor and object as go-fed does.
func TestEnvelopeTypesAsGoFed(t *testing.T) {
	// The types of streams/vocab/gen_type_*.go.
	names := strings.Fields(`Accept Activity Add Announce Application Arrive Article Audio Block
		Collection CollectionPage Create Delete Dislike Document Event Flag Follow Group Ignore Image
		IntransitiveActivity Invite Join Leave Like Link Listen Mention Move Note Object Offer
		OrderedCollection OrderedCollectionPage Organization Page Person Place Profile Question Read
		Reject Relationship Remove Service TentativeAccept TentativeReject Tombstone Travel Undo
		Update View Branch Commit Push Repository Ticket TicketDependency Emoji IdentityProof
		PublicKey Unknown`)
	type withActorAndObject interface {
		vocab.Type
		GetActivityStreamsActor() vocab.ActivityStreamsActorProperty
		GetActivityStreamsObject() vocab.ActivityStreamsObjectProperty
	}
	ctx := context.Background()
	envelopes := 0
	for _, name := range names {
		raw := map[string]any{"@context": asContext, "type": name, "id": "https://a.example/1",
			"actor": map[string]any{"type": "Person", "id": "https://a.example/u"}, "object": []any{"https://b.example/2"}}
		typed, err := streams.ToType(ctx, raw)
		want, wantOK := typed.(withActorAndObject)
		wantOK = wantOK && err == nil
		if envelopeTypes[name] != wantOK {
			t.Errorf("%s: in envelopeTypes %v, an envelope for go-fed %v", name, envelopeTypes[name], wantOK)
			continue
		}
		got, err := decodeMap(raw)
		if !wantOK {
			if err == nil {
				t.Errorf("%s: decoded, want ErrUnknownType", name)
			}
			continue
		}
		envelopes++
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got.Type != want.GetTypeName() || got.ID != want.GetJSONLDId().Get().String() ||
			got.Actor != goFedID(want.GetActivityStreamsActor().At(0)) || got.Object != goFedID(want.GetActivityStreamsObject().At(0)) {
			t.Errorf("%s: decoded %+v, go-fed reads %s", name, got, want.GetTypeName())
		}
	}
	if envelopes != len(envelopeTypes) || envelopes != 27 {
		t.Errorf("%d envelope types, want the 27 activities of go-fed v1.0.0 with actor and object", envelopes)
	}
}

// goFedID is what go-fed names a property's value by: its IRI, or the id
// of the embedded object.
func goFedID(it interface {
	IsIRI() bool
	GetIRI() *url.URL
	GetType() vocab.Type
}) string {
	if it.IsIRI() {
		return it.GetIRI().String()
	}
	if t := it.GetType(); t != nil && t.GetJSONLDId() != nil {
		return t.GetJSONLDId().Get().String()
	}
	return ""
}

// TestDecodeIRIs: the envelope's IRIs are read as go-fed read them (net/url
// writes them back), and an object that is no http(s) IRI is refused.
func TestDecodeIRIs(t *testing.T) {
	in, err := decodeMap(map[string]any{"type": "Follow", "id": "HTTPS://a.example/f/1",
		"actor": "https://a.example/u#", "object": "https://b.example/users/x y"})
	if err != nil {
		t.Fatal(err)
	}
	if in.ID != "https://a.example/f/1" || in.Actor != "https://a.example/u" || in.Object != "https://b.example/users/x%20y" {
		t.Errorf("decoded id %q, actor %q, object %q", in.ID, in.Actor, in.Object)
	}
	for _, object := range []any{"foo", "/orgs/x", "https://b.example/%zz", "mailto:x@b.example", 42} {
		if _, err := decodeMap(map[string]any{"type": "Follow", "id": "https://a.example/f/2",
			"actor": "https://a.example/u", "object": object}); !errors.Is(err, ErrMalformed) {
			t.Errorf("object %v: %v, want ErrMalformed", object, err)
		}
	}
}
