package federation

import (
	"encoding/json"
	"errors"
	"fmt"

	"codeberg.org/maillage/maillage/internal/errs"
	"codeberg.org/maillage/maillage/internal/uris"
)

// maxIRILen bounds ids and IRIs taken from remote input (bbolt keys are
// limited to 32 KiB; real IRIs are far shorter).
const maxIRILen = 2048

// Decoding errors.
var (
	ErrMalformed   = errs.New(errs.Malformed, "federation: malformed activity")
	ErrUnknownType = errors.New("federation: unknown activity type")
)

// incoming is a decoded activity: the envelope (type, id, actor, object)
// and what some handlers read of the activity itself, as sent.
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
	// actorChecked is set when Actor was found unblocked as the owner of
	// the request's key, moments before: checkBlocked need not read again.
	actorChecked bool
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

// decodeActivity parses a verified inbox body: its shape is checked on the
// bytes first (shape.go), then it is decoded once. Unknown types give
// ErrUnknownType (answered 202 and ignored), anything else unusable
// ErrMalformed.
func decodeActivity(body []byte) (*incoming, error) {
	if err := checkShape(body); err != nil {
		return nil, err
	}
	var doc activityDoc
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return decodeDoc(&doc)
}

// decodeMap reads an activity already decoded into a map: one embedded in
// an Announce, or an item of an outbox page.
func decodeMap(raw map[string]any) (*incoming, error) {
	return decodeDoc(&activityDoc{Type: raw["type"], ID: raw["id"], Actor: raw["actor"],
		Object: objectValue{raw["object"]}, To: raw["to"], Cc: raw["cc"], Content: raw["content"],
		Target: raw["target"]})
}

// decodeDoc reads an activity from its decoded JSON. Its type must be one
// of envelopeTypes; the actor and the object are named by their IRI, or
// the id of an embedded one (the first, given an array). Nothing else is
// decoded, so its cost does not grow with the body.
func decodeDoc(doc *activityDoc) (*incoming, error) {
	typ, _ := doc.Type.(string)
	if typ == "" {
		return nil, fmt.Errorf("%w: no type", ErrMalformed)
	}
	if !envelopeTypes[typ] {
		return nil, fmt.Errorf("%w %q", ErrUnknownType, typ)
	}
	in := &incoming{Type: typ, ObjectValue: doc.Object.v, To: doc.To, Cc: doc.Cc}
	in.Content, _ = doc.Content.(string)
	if in.Target = iri(doc.Target); len(in.Target) > maxIRILen {
		return nil, fmt.Errorf("%w: %s: an IRI is over %d bytes", ErrMalformed, typ, maxIRILen)
	}
	in.ID = canonicalIRI(doc.ID)
	in.Actor = canonicalIRI(refID(doc.Actor))
	in.Object = canonicalIRI(refID(doc.Object.v))
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
	if in.ID == "" || !isHTTPIRI(in.ID) || !isHTTPIRI(in.Actor) || (in.Object == "" && in.Embed == nil) ||
		(in.Object != "" && !isHTTPIRI(in.Object)) {
		return nil, fmt.Errorf("%w: %s needs http(s) id, actor and object", ErrMalformed, typ)
	}
	return in, nil
}

// canonicalIRI is v, a string, as net/url writes it back ("" for anything
// else, or what does not parse): "HTTPS://a.example/u#" is
// "https://a.example/u", as go-fed's IRI values had it when they read the
// envelope.
func canonicalIRI(v any) string {
	s, _ := v.(string)
	c, _ := uris.Canonical(s)
	return c
}

// refID reduces a property value to what names it: the first element of
// an array, and of an embedded object only its id (nil when it has none).
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

func isHTTPIRI(s string) bool {
	scheme, host, ok := uris.SchemeHost(s)
	return ok && (scheme == "https" || scheme == "http") && host != ""
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
