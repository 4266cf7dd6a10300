package federation

import (
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"time"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/sanitize"
	"codeberg.org/maillage/maillage/internal/uris"
)

// Renderer turns local model values into ActivityStreams documents. It
// implements service.Renderer.
type Renderer struct {
	URIs uris.URIs
	San  *sanitize.Policy // renders Markdown descriptions
}

// activityType is what every go-fed activity type we send offers.
type activityType interface {
	vocab.Type
	SetActivityStreamsActor(vocab.ActivityStreamsActorProperty)
	SetActivityStreamsObject(vocab.ActivityStreamsObjectProperty)
	SetActivityStreamsTo(vocab.ActivityStreamsToProperty)
	SetActivityStreamsCc(vocab.ActivityStreamsCcProperty)
	SetActivityStreamsPublished(vocab.ActivityStreamsPublishedProperty)
}

func newActivity(typ string) (activityType, error) {
	switch typ {
	case "Create":
		return streams.NewActivityStreamsCreate(), nil
	case "Update":
		return streams.NewActivityStreamsUpdate(), nil
	case "Delete":
		return streams.NewActivityStreamsDelete(), nil
	case "Follow":
		return streams.NewActivityStreamsFollow(), nil
	case "Accept":
		return streams.NewActivityStreamsAccept(), nil
	case "Reject":
		return streams.NewActivityStreamsReject(), nil
	case "Undo":
		return streams.NewActivityStreamsUndo(), nil
	case "Announce":
		return streams.NewActivityStreamsAnnounce(), nil
	case "Flag":
		return streams.NewActivityStreamsFlag(), nil
	case "Move":
		return streams.NewActivityStreamsMove(), nil
	}
	return nil, fmt.Errorf("federation: cannot render activity type %q", typ)
}

// RenderActivity returns the JSON of an outgoing activity.
func (r *Renderer) RenderActivity(a model.Activity) ([]byte, error) {
	m, err := r.activityMap(a)
	if err != nil {
		return nil, err
	}
	m["@context"] = ldContext
	return json.Marshal(m)
}

// EmbeddedObject is the JSON of a local object exactly as RenderActivity
// embeds it in a Create or Update: the store keeps activities without it
// and renders it back (store.Store.SetObjectRenderer).
func (r *Renderer) EmbeddedObject(o model.Object) ([]byte, error) {
	m, err := r.ObjectMap(o)
	if err != nil {
		return nil, err
	}
	return json.Marshal(m)
}

func (r *Renderer) activityMap(a model.Activity) (map[string]any, error) {
	act, err := newActivity(a.Type)
	if err != nil {
		return nil, err
	}
	act.SetJSONLDId(idProp(a.ID))
	actor := streams.NewActivityStreamsActorProperty()
	actor.AppendIRI(mustIRI(r.URIs.Actor(a.Actor)))
	act.SetActivityStreamsActor(actor)
	if len(a.To) > 0 {
		to := streams.NewActivityStreamsToProperty()
		for _, s := range a.To {
			to.AppendIRI(mustIRI(s))
		}
		act.SetActivityStreamsTo(to)
	}
	if len(a.CC) > 0 {
		cc := streams.NewActivityStreamsCcProperty()
		for _, s := range a.CC {
			cc.AppendIRI(mustIRI(s))
		}
		act.SetActivityStreamsCc(cc)
	}
	pub := streams.NewActivityStreamsPublishedProperty()
	pub.Set(a.Published.UTC())
	act.SetActivityStreamsPublished(pub)
	obj := streams.NewActivityStreamsObjectProperty()
	obj.AppendIRI(mustIRI(a.ObjectID))
	act.SetActivityStreamsObject(obj)
	m, err := streams.Serialize(act)
	if err != nil {
		return nil, fmt.Errorf("federation: serialise %s: %w", a.Type, err)
	}
	// Embedded objects are built separately and put in place of the IRI,
	// so that they carry our extension properties.
	var embedded any
	switch {
	case a.Object != nil && a.Type == "Delete":
		embedded = tombstone(a.Object.ID, a.Published)
	case a.Object != nil:
		embedded, err = r.ObjectMap(*a.Object)
	case a.Reply != nil:
		embedded = r.ReplyMap(*a.Reply)
	case a.Type == "Delete":
		embedded = tombstone(a.ObjectID, a.Published)
	case a.Org != nil:
		embedded, err = r.ActorMap(*a.Org)
	case a.Follow != nil:
		embedded = map[string]any{"id": a.Follow.ID, "type": "Follow", "actor": a.Follow.Actor, "object": a.Follow.Object}
	case a.Inner != nil:
		embedded, err = r.activityMap(*a.Inner)
	}
	if err != nil {
		return nil, err
	}
	if embedded != nil {
		m["object"] = embedded
	}
	if a.Flag != nil { // Mastodon's shape: object [actor, objects...], content the comment
		m["object"], m["content"] = stringsToAny(a.Flag.Objects), a.Flag.Content
	}
	if a.Target != "" { // Move, in Mastodon's shape (move_serializer.rb): object is the actor itself
		m["target"] = a.Target
	}
	delete(m, "@context")
	forceArrays(m, "to", "cc")
	return m, nil
}

func tombstone(id string, when time.Time) map[string]any {
	return map[string]any{"id": id, "type": "Tombstone", "formerType": "Note", "deleted": when.UTC().Format(time.RFC3339)}
}

// forceArrays turns single values of the named keys into one-element
// arrays: go-fed writes scalars, and Mastodon ignores a scalar `attachment`
// (app/services/activitypub/process_account_service.rb, property_values:
// "return unless @json['attachment'].is_a?(Array)").
func forceArrays(m map[string]any, keys ...string) {
	for _, k := range keys {
		if v, ok := m[k]; ok {
			if _, isArray := v.([]any); !isArray {
				m[k] = []any{v}
			}
		}
	}
}

func idProp(s string) vocab.JSONLDIdProperty {
	p := streams.NewJSONLDIdProperty()
	p.Set(mustIRI(s))
	return p
}

// mustIRI parses an IRI we built ourselves or validated on the way in.
func mustIRI(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		return &url.URL{Opaque: s} // never happens for stored IRIs; keep the text
	}
	return u
}

func escText(s string) string { return html.EscapeString(s) }
func escAttr(s string) string { return html.EscapeString(s) }
