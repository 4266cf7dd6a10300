package service

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// resolveActor finds target (name@host, an actor IRI, or a host or base URL
// for its instance actor). The service describes its own actors itself, so
// that the resolver only ever fetches remote ones; a remote name or link
// that leads back here (the resolver then returns the bare local IRI) is
// described here too.
func (s *Service) resolveActor(ctx context.Context, target string) (model.Actor, error) {
	if iri, ok := s.localTarget(target); ok {
		return s.describeLocal(ctx, target, iri)
	}
	a, err := s.resolver.ResolveActor(ctx, target)
	if err != nil || !s.uris.IsLocal(a.ID) {
		return a, err
	}
	return s.describeLocal(ctx, target, a.ID)
}

func (s *Service) describeLocal(ctx context.Context, target, iri string) (model.Actor, error) {
	a, ok := s.LocalActor(ctx, iri)
	if !ok {
		return a, fmt.Errorf("resolve %q: local actor %s: %w", target, iri, ErrNotFound)
	}
	return a, nil
}

// localTarget returns the IRI of the local actor that target names, as our
// WebFinger (federation/wellknown.go) and NodeInfo would answer for it: an
// actor IRI of ours, name@our-host (an organisation, else a member), or our
// host or base URL (the instance actor, FEP-2677).
func (s *Service) localTarget(target string) (string, bool) {
	target = strings.TrimSpace(strings.TrimPrefix(target, "@"))
	host := s.uris.Host()
	switch {
	case strings.HasPrefix(target, "https://") || strings.HasPrefix(target, "http://"):
		u, err := url.Parse(target)
		if err != nil || !s.uris.IsLocal(target) {
			return "", false
		}
		if u.Path == "" || u.Path == "/" {
			return s.uris.Actor(model.InstanceName), true
		}
		if _, ok := s.uris.LocalActorName(target); ok {
			return target, true
		}
		return "", false // another page of ours: the resolver asks for it
	case strings.Contains(target, "@"):
		user, h, _ := strings.Cut(target, "@")
		if !strings.EqualFold(h, host) || strings.HasPrefix(user, model.PersonPrefix) {
			return "", false
		}
		name := strings.ToLower(user)
		if _, ok := s.LocalActor(context.Background(), s.uris.Actor(name)); !ok {
			name = model.PersonName(name) // a member (names never collide)
		}
		return s.uris.Actor(name), true
	default:
		if !strings.EqualFold(target, host) {
			return "", false
		}
		return s.uris.Actor(model.InstanceName), true
	}
}

// LocalActor describes one of our own actors as a remote side would see
// it; false when iri names none.
func (s *Service) LocalActor(ctx context.Context, iri string) (model.Actor, bool) {
	name, ok := s.uris.LocalActorName(iri)
	if !ok {
		return model.Actor{}, false
	}
	var o model.Org
	err := s.store.View(func(tx *store.Tx) (err error) { o, err = tx.Org(name); return err })
	if err != nil {
		return model.Actor{}, false
	}
	return model.Actor{ID: iri, Type: string(o.Kind()), Username: o.Handle(), Host: s.uris.Host(), Name: o.DisplayName,
		Inbox: s.uris.Inbox(name), SharedInbox: s.uris.SharedInbox(), KeyID: s.uris.KeyID(name),
		PublicKeyPEM: o.PublicKeyPEM, Fetched: s.Now(), AlsoKnownAs: o.AlsoKnownAs, MovedTo: o.MovedTo}, true
}
