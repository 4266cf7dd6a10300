// Package uris builds and parses every public IRI of an instance from its
// base URL. A published IRI never changes, so this is the only place that
// knows the URL layout.
package uris

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"strings"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// URIs builds IRIs under one base URL (scheme://host[:port], no slash).
type URIs struct {
	Base string
}

// Host is the host[:port] of the base URL, as used in handles.
func (u URIs) Host() string {
	h := u.Base
	if i := strings.Index(h, "://"); i >= 0 {
		h = h[i+3:]
	}
	return h
}

// Actor is the IRI of a local actor; the instance actor lives at /actor,
// an account's Person actor (model.PersonName) at /members/{username}.
func (u URIs) Actor(name string) string {
	if name == model.InstanceName {
		return u.Base + "/actor"
	}
	if user, ok := model.PersonUsername(name); ok {
		return u.Base + "/members/" + user
	}
	return u.Base + "/orgs/" + name
}

func (u URIs) KeyID(name string) string     { return u.Actor(name) + "#main-key" }
func (u URIs) Inbox(name string) string     { return u.Actor(name) + "/inbox" }
func (u URIs) Outbox(name string) string    { return u.Actor(name) + "/outbox" }
func (u URIs) Followers(name string) string { return u.Actor(name) + "/followers" }
func (u URIs) Following(name string) string { return u.Actor(name) + "/following" }
func (u URIs) SharedInbox() string          { return u.Base + "/inbox" }
func (u URIs) Activity(id string) string    { return u.Base + "/activities/" + id }

// Flag is the IRI of a report sent to another server. Reports are not
// served (the path answers 404), unlike other activities.
func (u URIs) Flag(id string) string { return u.Base + "/flags/" + id }
func (u URIs) Replies(objectIRI string) string {
	return objectIRI + "/replies"
}

// Object is the IRI (and page) of a local project or call.
func (u URIs) Object(org string, kind model.Kind, id string) string {
	return u.Base + "/orgs/" + org + "/" + string(kind) + "s/" + id
}

// ObjectOfPath is Object for the path segments of an object's page:
// kinds is "projects" or "calls".
func (u URIs) ObjectOfPath(org, kinds, id string) string {
	return u.Object(org, model.Kind(strings.TrimSuffix(kinds, "s")), id)
}

// Note is the IRI of a reply written by a local organisation.
func (u URIs) Note(org, id string) string { return u.Base + "/orgs/" + org + "/notes/" + id }

// Tag is the page listing objects of a sector (hashtag href).
func (u URIs) Tag(sector string) string { return u.Base + "/sectors/" + sector }

// IsLocal reports whether iri belongs to this instance.
func (u URIs) IsLocal(iri string) bool {
	return iri == u.Base || strings.HasPrefix(iri, u.Base+"/") || strings.HasPrefix(iri, u.Base+"#")
}

// LocalActorName returns the local name of a local actor IRI.
func (u URIs) LocalActorName(iri string) (string, bool) {
	if iri == u.Base+"/actor" {
		return model.InstanceName, true
	}
	if user, ok := strings.CutPrefix(iri, u.Base+"/members/"); ok {
		if user == "" || strings.ContainsAny(user, "/#?~") {
			return "", false
		}
		return model.PersonName(user), true
	}
	rest, ok := strings.CutPrefix(iri, u.Base+"/orgs/")
	if !ok || rest == "" || strings.HasPrefix(rest, model.PersonPrefix) || rest == model.InstanceName || strings.ContainsAny(rest, "/#?") {
		return "", false
	}
	return rest, true
}

// IsInboxPath reports whether path (a request's URL path) is an inbox of
// this instance: the shared one or a local actor's (Inbox). Servers post
// signed activities there, with no cookie, so the form CSRF protection
// must let them through whatever Origin or Sec-Fetch-Site they send.
func (u URIs) IsInboxPath(path string) bool {
	if u.Base+path == u.SharedInbox() {
		return true
	}
	actor, ok := strings.CutSuffix(path, "/inbox")
	if !ok {
		return false
	}
	name, ok := u.LocalActorName(u.Base + actor)
	return ok && u.Inbox(name) == u.Base+path
}

var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// NewID returns a new time-ordered, URL-safe identifier.
func NewID(now time.Time) string {
	var b [12]byte
	binary.BigEndian.PutUint64(b[:8], uint64(now.UnixNano()))
	_, _ = rand.Read(b[8:]) // crypto/rand.Read never fails
	return idEncoding.EncodeToString(b[:])
}
