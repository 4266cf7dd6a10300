package directory

import (
	"errors"
	"fmt"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// readEntry reads id from the store: a local organisation, a remote actor
// or an object. It reports false when id exists but has no entry (the
// instance actor, a person, a note, a tombstone, an object that is not
// public), and an error wrapping store.ErrNotFound when it does not exist.
func readEntry(tx *store.Tx, u uris.URIs, id string) (Entry, bool, error) {
	if name, ok := u.LocalActorName(id); ok {
		o, err := tx.Org(name)
		if err != nil || !LocalListed(o) {
			return Entry{}, false, err // the instance actor, members and withdrawn entries are not listed, as in Load
		}
		return OrgEntry(o, u), true, nil
	}
	if !u.IsLocal(id) && tx.HasActor(id) { // an actor first, as its id may name an object too
		a, err := tx.Actor(id)
		switch {
		case err != nil:
			return Entry{}, false, err
		case a.HiddenBy(tx):
			return Entry{}, false, nil
		}
		e, ok := ActorEntry(a)
		return e, ok, nil
	}
	// Most ids are received Notes: not listed, they have no entry, and are
	// not decoded to find that out.
	if !tx.IsListed(id) {
		if !tx.HasObject(id) {
			return Entry{}, false, fmt.Errorf("object %s: %w", id, store.ErrNotFound)
		}
		return Entry{}, false, nil
	}
	o, err := tx.Object(id)
	if err != nil {
		return Entry{}, false, err
	}
	if !o.IsPublic() || o.HiddenBy(tx) {
		return Entry{}, false, nil // unlisted, followers-only, direct, or blocked
	}
	by, err := readAuthor(tx, u, o)
	if err != nil {
		return Entry{}, false, err
	}
	e, ok := ObjectEntry(o, by.name, by.source)
	return e, ok, nil
}

// readAuthor reads the name and instance of o's organisation; an unknown
// author gets its IRI and the object's host.
func readAuthor(tx *store.Tx, u uris.URIs, o model.Object) (author, error) {
	if name, ok := u.LocalActorName(o.AttributedTo); ok {
		org, err := tx.Org(name)
		if err == nil {
			return author{name: orgTitle(org), source: u.Host()}, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return author{}, err
		}
	} else {
		a, err := tx.Actor(o.AttributedTo)
		if err == nil {
			return author{name: actorTitle(a), source: a.Host}, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return author{}, err
		}
	}
	return author{name: o.AttributedTo, source: uris.HostOf(o.ID)}, nil
}
