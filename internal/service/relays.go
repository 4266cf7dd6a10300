package service

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// Relays (issue #11). The instance actor subscribes to a relay with a
// Follow, in one of the two protocols in use:
//
//   - Mastodon's (app/models/relay.rb): the administrator gives the relay's
//     inbox; the Follow's object is the Public collection, and it has no
//     to; leaving is an Undo embedding that Follow. The relay's Accept is
//     matched by the Follow's id (app/lib/activitypub/activity/accept.rb,
//     accept_follow_for_relay), a Reject likewise (reject.rb).
//   - LitePub's (Pleroma's lib/pleroma/web/activity_pub/relay.ex): the
//     administrator gives the relay actor, which the instance actor
//     follows as any actor.
//
// Which one is told by what the URL serves: an actor document is a LitePub
// relay, anything else is taken for a Mastodon relay's inbox. Public
// projects and calls are then delivered to every accepted relay's inbox
// (broadcast, outbox.go); what a relay sends is never stored as sent:
// package federation fetches each object from its origin and passes it to
// ReceiveRelayedObject or ReceiveRelayedOrg, which apply the relay's switch
// and limits.

// RelaySettings are what an administrator changes on a relay; nil fields
// are left as they are.
type RelaySettings struct {
	Paused    *bool
	Discovery *bool // read once the maillage servers it makes known (discover.go)
	Rate      *int  // objects accepted per minute, 1 to 10,000
	MaxStored *int  // objects and organisations stored through it, 1 to 1,000,000
}

// Relays lists the relays joined.
func (s *Service) Relays(ctx context.Context, p Principal) ([]model.Relay, error) {
	if err := authorize(p, ActSettings, ""); err != nil {
		return nil, fmt.Errorf("list relays: %w", err)
	}
	var out []model.Relay
	err := s.store.View(func(tx *store.Tx) error {
		var err error
		out, err = tx.Relays()
		return err
	})
	for i := range out {
		addPending(&out[i], s.relayRates.peekPending(out[i].URL)) // not written yet
	}
	return out, err
}

// relayURL checks an administrator's relay URL.
func relayURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	// A relay's inbox or actor has a path (/inbox, /actor): a bare host
	// would be resolved as that server's instance actor.
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
		u.Fragment != "" || u.Path == "" || u.Path == "/" || len(raw) > 2048 {
		return "", model.Invalid("url", "validation.relay.url")
	}
	return raw, nil
}

// AddRelay joins the relay at rawURL: a LitePub relay actor, or a
// Mastodon relay's inbox. The relay stays pending until it accepts.
// Joining a relay already joined sends nothing.
func (s *Service) AddRelay(ctx context.Context, p Principal, rawURL string) (model.Relay, error) {
	var r model.Relay
	if err := authorize(p, ActSettings, ""); err != nil {
		return r, fmt.Errorf("add relay: %w", err)
	}
	u, err := relayURL(rawURL)
	if err != nil {
		return r, err
	}
	if s.uris.IsLocal(u) {
		return r, model.Invalid("url", "validation.relay.own_server")
	}
	if err := s.checkNotBlocked(ctx, "url", u); err != nil {
		return r, err // before fetching: nothing is asked of a blocked server
	}
	now := s.Now().UTC()
	r = model.Relay{URL: u, Protocol: model.RelayMastodon, Inbox: u, State: model.RelayPending,
		Rate: model.RelayDefaultRate, MaxStored: model.RelayDefaultMaxStored, Since: now,
		FollowID: s.uris.Activity(uris.NewID(now))}
	follow := model.Activity{ID: r.FollowID, Type: "Follow", Actor: model.InstanceName, ObjectID: PublicIRI, Published: now}
	// An actor document at the URL: LitePub. Anything else (Mastodon
	// relays answer a GET of their inbox with an error) is an inbox.
	if a, err := s.resolver.ResolveActor(ctx, u); err == nil && a.ID != "" {
		// A relay actor is a service (Pleroma's relay is an Application,
		// Activity-Relay's a Service); a person or an organisation is not
		// one, and its inbox is no relay's.
		if (a.Type != "Application" && a.Type != "Service") || a.ID != u || !uris.SameOrigin(a.Inbox, u) {
			return r, model.Invalid("url", "validation.relay.not_relay")
		}
		r.Protocol, r.Actor, r.Inbox = model.RelayLitePub, a.ID, a.Inbox
		follow.ObjectID, follow.To = a.ID, []string{a.ID}
	}
	err = s.store.Update(func(tx *store.Tx) error {
		if old, err := tx.Relay(u); err == nil {
			r = old
			return nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		r.Stored = tx.RelayHeldAll(u) // joined before: what it brought then still counts
		if err := tx.PutRelay(r); err != nil {
			return err
		}
		return s.emit(tx, follow, []string{r.Inbox}, false)
	})
	if err != nil {
		return r, fmt.Errorf("add relay %s: %w", u, err)
	}
	s.poke()
	s.log.Info("relay follow sent", "relay", r.URL, "protocol", r.Protocol)
	return r, nil
}

// RemoveRelay leaves the relay at url: an Undo of our Follow is sent (not
// to a blocked relay) and the relay is forgotten. What came through it
// stays.
func (s *Service) RemoveRelay(ctx context.Context, p Principal, url string) error {
	if err := authorize(p, ActSettings, ""); err != nil {
		return fmt.Errorf("remove relay: %w", err)
	}
	url = strings.TrimSpace(url)
	err := s.store.Update(func(tx *store.Tx) error {
		r, err := tx.Relay(url)
		if err != nil {
			return err
		}
		if err := tx.DeleteRelay(url); err != nil {
			return err
		}
		object := PublicIRI
		if r.Protocol == model.RelayLitePub {
			object = r.Actor
		}
		now := s.Now().UTC()
		undo := model.Activity{ID: s.uris.Activity(uris.NewID(now)), Type: "Undo", Actor: model.InstanceName,
			ObjectID: r.FollowID, Follow: &model.FollowRef{ID: r.FollowID, Actor: s.uris.Actor(model.InstanceName), Object: object},
			Published: now}
		if r.Protocol == model.RelayLitePub {
			undo.To = []string{r.Actor}
		}
		return s.emit(tx, undo, []string{r.Inbox}, false) // emit skips a blocked inbox
	})
	if err != nil {
		return fmt.Errorf("remove relay %s: %w", url, err)
	}
	s.poke()
	s.log.Info("relay left", "relay", url)
	return nil
}

// UpdateRelay changes a relay's switch and limits.
func (s *Service) UpdateRelay(ctx context.Context, p Principal, url string, in RelaySettings) (model.Relay, error) {
	var r model.Relay
	if err := authorize(p, ActSettings, ""); err != nil {
		return r, fmt.Errorf("update relay: %w", err)
	}
	if in.Rate != nil && (*in.Rate < 1 || *in.Rate > 10_000) {
		return r, model.Invalid("rate", "validation.relay.rate")
	}
	if in.MaxStored != nil && (*in.MaxStored < 1 || *in.MaxStored > 1_000_000) {
		return r, model.Invalid("max_stored", "validation.relay.max_stored")
	}
	err := s.store.Update(func(tx *store.Tx) error {
		var err error
		if r, err = tx.Relay(strings.TrimSpace(url)); err != nil {
			return err
		}
		if in.Paused != nil {
			r.Paused = *in.Paused
		}
		if in.Discovery != nil {
			r.NoDiscovery = !*in.Discovery
		}
		if in.Rate != nil {
			r.Rate = *in.Rate
		}
		if in.MaxStored != nil {
			r.MaxStored = *in.MaxStored
		}
		return tx.PutRelay(r)
	})
	if err != nil {
		return r, fmt.Errorf("update relay %s: %w", url, err)
	}
	return r, nil
}

// ReceiveRelayAnswer applies an Accept (accepted true) or Reject by actor
// of the Follow followID, when that Follow is one of our relay
// subscriptions; it reports whether it was. As in Mastodon, the Follow's
// id identifies the relay; here the answer must also come from the relay's
// server (Mastodon does not check), and for LitePub from its actor. The
// actor that accepts a Mastodon-protocol follow is the relay actor from
// then on: what it signs is relayed content.
func (s *Service) ReceiveRelayAnswer(ctx context.Context, activityID, actor, followID string, accepted bool) (bool, error) {
	if followID == "" {
		return false, nil
	}
	found := false
	err := s.receive(activityID, func(tx *store.Tx) error {
		found = false
		rs, err := tx.Relays()
		if err != nil {
			return err
		}
		for _, r := range rs {
			if r.FollowID != followID {
				continue
			}
			found = true
			if !uris.SameOrigin(actor, r.URL) || (r.Protocol == model.RelayLitePub && actor != r.Actor) {
				return fmt.Errorf("answer to relay follow %s by %s: %w", followID, actor, ErrForbidden)
			}
			was := r.State
			r.State, r.Actor = model.RelayRejected, actor
			if accepted {
				r.State = model.RelayAccepted
			}
			if err := tx.PutRelay(r); err != nil {
				return err
			}
			if accepted && was != model.RelayAccepted {
				// Once per acceptance: the relay's subscribers learn of
				// our organisations (discover.go).
				return s.announceToRelay(tx, r, RelayAnnounceOrgs)
			}
			return nil
		}
		return errNoEffect
	})
	if found && err == nil {
		s.poke() // the announcements of our organisations, if any
		s.log.Info("relay answered", "actor", actor, "accepted", accepted)
	}
	return found, err
}

// RelayOf returns the relay whose actor is actor, if any.
func (s *Service) RelayOf(ctx context.Context, actor string) (model.Relay, bool) {
	var out model.Relay
	found := false
	_ = s.store.View(func(tx *store.Tx) error {
		rs, err := tx.Relays()
		for _, r := range rs {
			if actor != "" && r.Actor == actor {
				out, found = r, true
			}
		}
		return err
	})
	return out, found
}

// relayInboxes returns the inboxes of the accepted relays, except blocked
// ones.
func relayInboxes(tx *store.Tx) ([]string, error) {
	rs, err := tx.Relays()
	var out []string
	for _, r := range rs {
		if r.State == model.RelayAccepted && !tx.IsBlocked(r.Inbox) && !tx.IsBlocked(r.Actor) {
			out = appendUnique(out, r.Inbox)
		}
	}
	return out, err
}

// relayPeers names the servers of the relays joined, for the network page.
func (s *Service) relayPeers() ([]PeerRef, error) {
	var out []PeerRef
	err := s.store.View(func(tx *store.Tx) error {
		rs, err := tx.Relays()
		for _, r := range rs {
			if u, perr := url.Parse(r.Inbox); perr == nil && u.Host != "" {
				out = append(out, PeerRef{Origin: u.Scheme + "://" + u.Host, Via: model.PeerRelay})
			}
		}
		return err
	})
	return out, err
}
