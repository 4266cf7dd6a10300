package service

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// A newcomer to a relay (issue #11): a relay carries only what is sent
// after joining, so
//
//   - on joining, the instance sends the relay an Update of some of its
//     organisations (relays forward an actor's Update as they forward a
//     Create: yukimochi/Activity-Relay api/handle.go, aode-relay
//     src/routes/inbox.rs), which every subscriber fetches from here and
//     lists (relay_receive.go);
//   - a maillage server a relay made known (an organisation of its stored
//     through the relay, and its NodeInfo saying maillage) that nothing
//     here follows is read once, without following: its organisations
//     collection and their outboxes, by the backfill (model.Backfill.Relay),
//     and then kept up with through the relay;
//   - and since the newcomer, in turn, hears nothing of the servers that
//     joined before it until they publish, each server that discovers it
//     introduces itself: the Update of one of its organisations, sent to
//     the newcomer's shared inbox only (through the relay, it would reach
//     every subscriber: S² deliveries per newcomer instead of S). The
//     newcomer takes it as its relay's announcement of that organisation
//     (Introduced): fetched from its origin, under the relay's switch,
//     rate and total. One delivery per server discovered, each
//     discovered once a week at most.
//
// Discovery goes through relays only, not through every server of the
// network page: joining a relay is the administrator's consent to receive
// the network's public content, under the relay's switch and total; a
// server that merely follows us, or whose actor we hold, gets no say in
// what we read.
const (
	// RelayAnnounceOrgs bounds the organisations announced to a relay on
	// joining it: one is enough for a maillage subscriber to discover the
	// server and read the rest, and receivers take 60 objects a minute
	// from a relay by default.
	RelayAnnounceOrgs = 20
	// DiscoverPerHour bounds the servers read once per hour, and
	// DiscoverEvery how often one server is.
	DiscoverPerHour = 60
	DiscoverEvery   = 7 * 24 * time.Hour
)

// announceToRelay queues for the relay r an Update of each local
// organisation (max at most, those that did not move away), addressed to
// the Public collection and signed by it.
func (s *Service) announceToRelay(tx *store.Tx, r model.Relay, max int) error {
	if tx.IsBlocked(r.Inbox) || tx.IsBlocked(r.Actor) {
		return nil
	}
	n := 0
	// The first ones, in name order: not every organisation of an
	// importing instance decoded.
	return tx.EachOrg("", func(_ store.Cursor, o model.Org) (bool, error) {
		if n >= max {
			return false, nil
		}
		if o.MovedTo != "" || o.Kind() == model.ActorInstance {
			return true, nil // receivers keep only organisations
		}
		n++
		return true, s.emit(tx, s.orgUpdate(o), []string{r.Inbox}, false)
	})
}

// orgUpdate is the Update of the local organisation o's actor, addressed
// to the Public collection.
func (s *Service) orgUpdate(o model.Org) model.Activity {
	return model.Activity{ID: s.uris.Activity(uris.NewID(s.Now())), Type: "Update", Actor: o.Name,
		ObjectID: s.uris.Actor(o.Name), Org: &o, Published: s.Now().UTC(),
		To: []string{PublicIRI}, CC: []string{s.uris.Followers(o.Name)}}
}

// discoveryRelay returns the relay at url when what it makes known may be
// read: joined, accepted, not paused, its discovery on, not blocked.
func discoveryRelay(tx *store.Tx, url string) (model.Relay, bool) {
	r, err := tx.Relay(url)
	if err != nil || !r.IsAccepting() || r.NoDiscovery || tx.IsBlocked(r.Actor) || tx.IsBlocked(r.Inbox) {
		return r, false
	}
	return r, true
}

// Discover starts the reading of the maillage servers that relays made
// known and that are due, and returns their instance actors, whose
// backfills the caller runs. A server is due when its NodeInfo said
// maillage and named its instance actor, an organisation of it came
// through a relay whose discovery is on, it is not blocked, nothing here
// follows its instance actor, and it was not read in the last
// DiscoverEvery; at most DiscoverPerHour servers are read per hour.
func (s *Service) Discover(ctx context.Context) ([]string, error) {
	due := func(tx *store.Tx, p model.Peer, now time.Time) (string, bool) {
		if !p.Maillage || p.InstanceActor == "" || !uris.SameOrigin(p.InstanceActor, p.Origin) ||
			s.uris.IsLocal(p.InstanceActor) || tx.IsBlocked(p.InstanceActor) || tx.IsBlocked(p.Host) ||
			(!p.Discovered.IsZero() && now.Sub(p.Discovered) < DiscoverEvery) {
			return "", false
		}
		url, _, ok := tx.RelayedActorOn(p.Origin)
		if !ok {
			return "", false
		}
		if _, ok := discoveryRelay(tx, url); !ok {
			return "", false
		}
		if _, err := tx.Following(model.InstanceName, p.InstanceActor); err == nil {
			return "", false // followed: the follow's backfill reads it
		}
		if _, err := tx.Backfill(p.InstanceActor); !errors.Is(err, store.ErrNotFound) {
			return "", false
		}
		return url, true
	}
	// Most minutes find nothing: look first without writing.
	now := s.Now()
	some := false
	if err := s.store.View(func(tx *store.Tx) error {
		ps, err := tx.Peers()
		for _, p := range ps {
			if _, ok := due(tx, p, now); ok {
				some = true
			}
		}
		return err
	}); err != nil || !some {
		return nil, err
	}
	var started []string
	err := s.store.Update(func(tx *store.Tx) error {
		started = started[:0]
		ps, err := tx.Peers()
		if err != nil {
			return err
		}
		recent := 0
		for _, p := range ps {
			if !p.Discovered.IsZero() && now.Sub(p.Discovered) < time.Hour {
				recent++
			}
		}
		// The servers never read first, then those read longest ago.
		slices.SortStableFunc(ps, func(a, b model.Peer) int { return a.Discovered.Compare(b.Discovered) })
		for _, p := range ps {
			if recent >= DiscoverPerHour {
				break
			}
			url, ok := due(tx, p, now)
			if !ok {
				continue
			}
			p.Discovered = now.UTC()
			if err := tx.PutPeer(p); err != nil {
				return err
			}
			if err := tx.PutBackfill(model.Backfill{Actor: p.InstanceActor, Relay: url}); err != nil {
				return err
			}
			recent++
			started = append(started, p.InstanceActor)
			if err := s.introduce(tx, p.Origin); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("discover: %w", err)
	}
	if len(started) > 0 {
		s.poke()
	}
	for _, a := range started {
		s.log.Info("reading a server discovered through a relay", "actor", a)
	}
	return started, nil
}

// keepBackfill reports whether the backfill b may go on: its actor is
// followed here, or it reads a server discovered through a relay whose
// discovery is still on; and it is not blocked.
func keepBackfill(tx *store.Tx, b model.Backfill) (bool, error) {
	if tx.IsBlocked(b.Actor) {
		return false, nil
	}
	if b.Relay != "" {
		_, ok := discoveryRelay(tx, b.Relay)
		return ok, nil
	}
	return tx.IsFollowedLocally(b.Actor)
}

// introduce queues, for the server at origin that we start reading, the
// Update of our first organisation, to the shared inbox (else the inbox)
// of the organisation of that server we hold through a relay.
func (s *Service) introduce(tx *store.Tx, origin string) error {
	_, iri, ok := tx.RelayedActorOn(origin)
	if !ok {
		return nil
	}
	a, err := tx.Actor(iri)
	if err != nil {
		return nil // forgotten meanwhile
	}
	inbox := cmp.Or(a.SharedInbox, a.Inbox)
	if !uris.SameOrigin(inbox, origin) {
		return nil
	}
	return tx.EachOrg("", func(_ store.Cursor, o model.Org) (bool, error) {
		if o.MovedTo != "" || o.Kind() == model.ActorInstance {
			return true, nil
		}
		return false, s.emit(tx, s.orgUpdate(o), []string{inbox}, false)
	})
}

// Introduced returns the relay under which to take a maillage server's
// introduction of its organisation actor (an Update of itself, sent to
// us): the first relay whose discovery is on, when actor is not held,
// local or blocked. The caller fetches the organisation from its origin
// as if the relay had announced it.
func (s *Service) Introduced(ctx context.Context, actor string) (model.Relay, bool) {
	var out model.Relay
	found := false
	_ = s.store.View(func(tx *store.Tx) error {
		if s.uris.IsLocal(actor) || tx.IsBlocked(actor) {
			return nil
		}
		if _, err := tx.Actor(actor); !errors.Is(err, store.ErrNotFound) {
			return nil // held: its Update is applied as any other
		}
		rs, err := tx.Relays()
		for _, r := range rs {
			if _, ok := discoveryRelay(tx, r.URL); ok && r.Actor != "" {
				out, found = r, true
				return nil
			}
		}
		return err
	})
	return out, found
}
