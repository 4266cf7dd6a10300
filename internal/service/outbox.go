package service

import (
	"fmt"
	"net/url"
	"slices"
	"sort"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// PublicIRI is the ActivityStreams public collection.
const PublicIRI = "https://www.w3.org/ns/activitystreams#Public"

// emit renders a, stores it (in the actor's outbox when public) and queues
// one delivery per distinct inbox, all inside tx.
func (s *Service) emit(tx *store.Tx, a model.Activity, inboxes []string, inOutbox bool) error {
	body, err := s.renderer.RenderActivity(a)
	if err != nil {
		return fmt.Errorf("render %s: %w", a.Type, err)
	}
	if err := tx.PutActivity(a, body, inOutbox); err != nil {
		return err
	}
	now := s.Now()
	for _, inbox := range inboxes {
		if s.uris.IsLocal(inbox) && inbox == s.uris.SharedInbox() {
			continue // our own shared inbox: local followers see local content already
		}
		if tx.IsBlocked(inbox) {
			continue // a blocked server gets nothing
		}
		d := model.Delivery{ActivityID: a.ID, Signer: a.Actor, Inbox: inbox, Created: now, NextAttempt: now}
		if _, err := tx.Enqueue(d); err != nil {
			return err
		}
	}
	return nil
}

// followerInboxes returns the distinct delivery inboxes of local's accepted
// followers, shared inboxes preferred, sorted for stable output.
func followerInboxes(tx *store.Tx, local string) ([]string, error) {
	fs, err := tx.Followers(local)
	if err != nil {
		return nil, err
	}
	set := make(map[string]struct{}, len(fs))
	for _, f := range fs {
		if f.Pending || tx.IsBlocked(f.Actor) {
			continue
		}
		inbox := f.Inbox
		if f.SharedInbox != "" {
			inbox = f.SharedInbox
		}
		set[inbox] = struct{}{}
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out, nil
}

// broadcast emits a public activity of an organisation to its followers
// and to the followers of the instance actor, so that instances following
// instances receive everything their peers publish, signed by its author.
// A Create is also boosted by the instance actor (Announce of the object's
// IRI), which is how Mastodon and GoToSocial users following the instance
// see it: both fetch the announced IRI, and neither unwraps an Announce of
// an activity (their announce.rb / dereferencing/announce.go).
func (s *Service) broadcast(tx *store.Tx, a model.Activity) error {
	if err := checkNotMoved(tx, a); err != nil {
		return err
	}
	a.To = []string{PublicIRI}
	a.CC = []string{s.uris.Followers(a.Actor)}
	inboxes, err := followerInboxes(tx, a.Actor)
	if err != nil {
		return err
	}
	instInboxes, err := followerInboxes(tx, model.InstanceName)
	if err != nil {
		return err
	}
	for _, in := range instInboxes {
		inboxes = appendUnique(inboxes, in)
	}
	if a.Actor != model.InstanceName {
		// Once to every accepted relay (relays.go): broadcast is only
		// given public projects and calls, and their Deletes.
		relays, err := relayInboxes(tx)
		if err != nil {
			return err
		}
		for _, in := range relays {
			inboxes = appendUnique(inboxes, in)
		}
	}
	if err := s.emit(tx, a, inboxes, true); err != nil {
		return err
	}
	if a.Actor == model.InstanceName || a.Type != "Create" {
		return nil
	}
	// Followers on a server known to run maillage ignore the boost
	// (federation/inbox.go applies an instance actor's Announce only of
	// an activity, never of an IRI) and had the Create above: skip them,
	// as docs/scaling.md recommends.
	instInboxes = slices.DeleteFunc(instInboxes, func(inbox string) bool { return isMaillagePeer(tx, inbox) })
	if len(instInboxes) == 0 {
		return nil
	}
	boost := model.Activity{
		ID:        s.uris.Activity(uris.NewID(s.Now())),
		Type:      "Announce",
		Actor:     model.InstanceName,
		ObjectID:  a.ObjectID,
		To:        []string{PublicIRI},
		CC:        []string{s.uris.Followers(model.InstanceName)},
		Published: a.Published,
	}
	return s.emit(tx, boost, instInboxes, true)
}

// isMaillagePeer reports whether the server of iri is one whose NodeInfo
// said it runs maillage (the network page's peers).
func isMaillagePeer(tx *store.Tx, iri string) bool {
	u, err := url.Parse(iri)
	if err != nil || u.Host == "" {
		return false
	}
	p, err := tx.Peer(uris.HostOf(u.Host))
	return err == nil && p.Maillage
}
