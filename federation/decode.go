package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"

	"codeberg.org/maillage/maillage/internal/errs"
	"github.com/go-fed/activity/streams"
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
// the raw map for what go-fed v1.0.0 does not know or misreads (extension
// terms, and text that looks like an IRI, which go-fed v1.0.0's generated
// property deserializers in streams/impl take for an IRI first).
type incoming struct {
	Raw    map[string]any
	Type   string
	ID     string
	Actor  string
	Object string         // object IRI (or the embedded object's id)
	Embed  map[string]any // embedded object, if any
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
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return decodeMap(ctx, raw)
}

// decodeMap reads an activity from its decoded JSON. go-fed is given only
// the envelope (type, id, actor and the first object, by id and type): it
// names the type and the activity's actor and object, and everything else
// is read from the raw map, so its cost does not grow with the body.
func decodeMap(ctx context.Context, raw map[string]any) (*incoming, error) {
	typ, _ := raw["type"].(string)
	if typ == "" {
		return nil, fmt.Errorf("%w: no type", ErrMalformed)
	}
	env := map[string]any{"type": typ, "@context": raw["@context"]}
	if env["@context"] == nil {
		env["@context"] = asContext // go-fed requires one; some servers omit it on embedded activities
	}
	for _, k := range []string{"id", "actor", "object"} {
		if v := reference(raw[k]); v != nil {
			env[k] = v
		}
	}
	t, err := streams.ToType(ctx, env)
	if err != nil {
		return nil, fmt.Errorf("%w %q: %v", ErrUnknownType, typ, err)
	}
	e, ok := t.(envelope)
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownType, typ)
	}
	in := &incoming{Raw: raw, Type: t.GetTypeName()}
	if id := t.GetJSONLDId(); id != nil && id.IsIRI() {
		in.ID = id.Get().String()
	}
	if a := e.GetActivityStreamsActor(); a != nil && a.Len() > 0 {
		in.Actor = iterID(a.At(0))
	}
	if o := e.GetActivityStreamsObject(); o != nil && o.Len() > 0 {
		in.Object = iterID(o.At(0))
	}
	if m, ok := raw["object"].(map[string]any); ok {
		in.Embed = m
	} else if arr, ok := raw["object"].([]any); ok && len(arr) > 0 {
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

// reference reduces a property value to what names it: the first element of
// an array, and of an embedded object only its id and type.
func reference(v any) any {
	if arr, ok := v.([]any); ok {
		if len(arr) == 0 {
			return nil
		}
		v = arr[0]
	}
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	ref := make(map[string]any, 2)
	for _, k := range []string{"id", "type"} {
		if v, ok := m[k]; ok {
			ref[k] = v
		}
	}
	return ref
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
