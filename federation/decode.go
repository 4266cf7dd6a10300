package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"

	"codeberg.org/maillage/maillage/internal/errs"
	"github.com/go-fed/activity/streams/vocab"
)

// maxIRILen bounds ids and IRIs taken from remote input (bbolt keys are
// limited to 32 KiB; real IRIs are far shorter).
const maxIRILen = 2048

// Decoding errors.
var (
	ErrMalformed   = errs.New(errs.Malformed, "federation: malformed activity")
	ErrUnknownType = errors.New("federation: unknown activity type")
)

// incoming is a decoded activity: go-fed's typed view for the envelope, and
// the decoded JSON for what go-fed v1.0.0 does not know or misreads
// (extension terms, and text that looks like an IRI, which go-fed v1.0.0's
// generated property deserializers in streams/impl take for an IRI first).
type incoming struct {
	Type   string
	ID     string
	Actor  string
	Object string         // object IRI (or the embedded object's id)
	Embed  map[string]any // embedded object, if any
	// What some handlers read of the activity itself, as sent.
	ObjectValue any    // the object property: a Flag's list of reported IRIs
	To, Cc      any    // the activity's audience, when its object has none
	Content     string // a Flag's comment
	Target      string // a Move's target (its IRI, or an embedded actor's id)
}

// activityDoc is the part of an activity body the handlers read. Decoding
// into it, rather than into a map, skips the rest of the body (its
// @context, signature and software-specific extras) without allocating
// for it. Values whose shape varies stay any, as they were in the map.
type activityDoc struct {
	Type    any         `json:"type"`
	ID      any         `json:"id"`
	Actor   any         `json:"actor"`
	Object  objectValue `json:"object"`
	To      any         `json:"to"`
	Cc      any         `json:"cc"`
	Content any         `json:"content"`
	Target  any         `json:"target"`
}

// envelope is what every activity type we handle offers in go-fed.
type envelope interface {
	vocab.Type
	GetActivityStreamsActor() vocab.ActivityStreamsActorProperty
	GetActivityStreamsObject() vocab.ActivityStreamsObjectProperty
}

// decodeActivity parses a verified inbox body: its shape is checked on the
// bytes first (shape.go), then it is decoded once. Unknown types give
// ErrUnknownType (answered 202 and ignored), anything else unusable
// ErrMalformed.
func decodeActivity(ctx context.Context, body []byte) (*incoming, error) {
	if err := checkShape(body); err != nil {
		return nil, err
	}
	var doc activityDoc
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return decodeDoc(ctx, &doc)
}

// decodeMap reads an activity already decoded into a map: one embedded in
// an Announce, or an item of an outbox page.
func decodeMap(ctx context.Context, raw map[string]any) (*incoming, error) {
	return decodeDoc(ctx, &activityDoc{Type: raw["type"], ID: raw["id"], Actor: raw["actor"],
		Object: objectValue{raw["object"]}, To: raw["to"], Cc: raw["cc"], Content: raw["content"],
		Target: raw["target"]})
}

// decodeDoc reads an activity. go-fed is given only the envelope (type, id,
// and the ids of the actor and of the first object) with the plain
// ActivityStreams context: it names the type and the activity's actor and
// object. Everything else is read from the decoded JSON, so its cost does
// not grow with the body. Given an embedded object or actor, go-fed would
// deserialize it into every type it could be, for kilobytes a reference.
func decodeDoc(ctx context.Context, doc *activityDoc) (*incoming, error) {
	typ, _ := doc.Type.(string)
	if typ == "" {
		return nil, fmt.Errorf("%w: no type", ErrMalformed)
	}
	// The envelope's keys are the bare terms, which is what go-fed reads
	// under the plain context; the sender's own context plays no part.
	env := map[string]any{"type": typ, "@context": asContext}
	if doc.ID != nil {
		env["id"] = doc.ID
	}
	if id := refID(doc.Actor); id != nil {
		env["actor"] = id
	}
	if id := refID(doc.Object.v); id != nil {
		env["object"] = id
	}
	e, err := toEnvelope(ctx, env)
	if err != nil {
		return nil, fmt.Errorf("%w %q: %v", ErrUnknownType, typ, err)
	}
	in := &incoming{Type: e.GetTypeName(), ObjectValue: doc.Object.v, To: doc.To, Cc: doc.Cc}
	in.Content, _ = doc.Content.(string)
	if in.Target = iri(doc.Target); len(in.Target) > maxIRILen {
		return nil, fmt.Errorf("%w: %s: an IRI is over %d bytes", ErrMalformed, typ, maxIRILen)
	}
	if id := e.GetJSONLDId(); id != nil && id.IsIRI() {
		in.ID = id.Get().String()
	}
	if a := e.GetActivityStreamsActor(); a != nil && a.Len() > 0 {
		in.Actor = iterID(a.At(0))
	}
	if o := e.GetActivityStreamsObject(); o != nil && o.Len() > 0 {
		in.Object = iterID(o.At(0))
	}
	if m, ok := doc.Object.v.(map[string]any); ok {
		in.Embed = m
	} else if arr, ok := doc.Object.v.([]any); ok && len(arr) > 0 {
		in.Embed, _ = arr[0].(map[string]any)
	}
	// An embedded object may lack an id (Mastodon matches such a Follow by
	// actor and object: activity.rb#follow_request_from_object).
	if len(in.ID) > maxIRILen || len(in.Actor) > maxIRILen || len(in.Object) > maxIRILen {
		return nil, fmt.Errorf("%w: %s: an IRI is over %d bytes", ErrMalformed, typ, maxIRILen)
	}
	if in.ID == "" || !isHTTPIRI(in.ID) || !isHTTPIRI(in.Actor) || (in.Object == "" && in.Embed == nil) {
		return nil, fmt.Errorf("%w: %s needs http(s) id, actor and object", ErrMalformed, typ)
	}
	return in, nil
}

// refID reduces a property value to what names it, for go-fed: the first
// element of an array, and of an embedded object only its id (nil when it
// has none).
func refID(v any) any {
	if arr, ok := v.([]any); ok {
		if len(arr) == 0 {
			return nil
		}
		v = arr[0]
	}
	if m, ok := v.(map[string]any); ok {
		return m["id"]
	}
	return v
}

// iterLike is what go-fed's functional-property iterators offer.
type iterLike interface {
	IsIRI() bool
	GetIRI() *url.URL
	GetType() vocab.Type
}

func iterID(it iterLike) string {
	if it.IsIRI() {
		return it.GetIRI().String()
	}
	if t := it.GetType(); t != nil {
		if id := t.GetJSONLDId(); id != nil && id.IsIRI() {
			return id.Get().String()
		}
	}
	return ""
}

func isHTTPIRI(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// Raw-map readers, tolerant of the shapes the fediverse sends.

func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

// iri reads an IRI given as a string, an object with id/href, or the first
// element of an array of those.
func iri(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		if id := str(x, "id"); id != "" {
			return id
		}
		return str(x, "href")
	case []any:
		if len(x) > 0 {
			return iri(x[0])
		}
	}
	return ""
}

// strs reads a string or an array of strings.
func strs(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
