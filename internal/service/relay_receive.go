package service

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// RelayOutcome is what became of one object a relay sent.
type RelayOutcome string

const (
	RelayStored    RelayOutcome = "stored"    // a project, call or organisation stored or updated
	RelayUnchanged RelayOutcome = "unchanged" // already held as it is (or deleted)
	RelayDropped   RelayOutcome = "dropped"   // not a project, call or organisation: counted only
	RelayRefused   RelayOutcome = "refused"   // failed a check: origin, author, audience, block, fetch
	RelayLimited   RelayOutcome = "limited"   // the relay is paused, over its rate or its total
)

// One origin (a registrable domain, uris.Domain) may take at most a
// share of a relay's rate and of its total, so that one subscriber of a
// public relay, hostile or just busy, cannot use the relay up for the
// others: a quarter of the rate, a tenth of the total (at least one).
const (
	relayOriginRateDiv  = 4
	relayOriginTotalDiv = 10
	// relayWindowsMax bounds the minutes tracked at once (a relay's, and
	// each origin's in it); past it, an origin not tracked yet waits for
	// a minute to end.
	relayWindowsMax = 4096
)

func originShare(n, div int) int { return max(1, n/div) }

// relayRates counts, per relay and per origin in each relay, the objects
// admitted in the current minute; and, per relay, what it sent that was
// not stored, to be written in one transaction a minute (FlushRelayCounts)
// rather than one write an object. In memory: a restart starts a new
// minute, and loses at most a minute of those counts.
type relayRates struct {
	mu sync.Mutex
	// windows holds, per relay URL and per relay URL \0 origin, the start
	// of its minute and the objects admitted in it (guarded by mu).
	windows map[string]rateWindow
	// pending holds the counts not written yet, per relay URL (guarded
	// by mu); only relays held have counts, so it stays small.
	pending map[string]model.Relay
}

type rateWindow struct {
	start time.Time
	n     int
}

func (w rateWindow) over(now time.Time) bool {
	return now.Sub(w.start) >= time.Minute || now.Before(w.start)
}

// allow admits one more object from origin through the relay at url when
// neither the relay's rate nor the origin's share of it is used up.
func (rr *relayRates) allow(url, origin string, rate int, now time.Time) bool {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	if rr.windows == nil {
		rr.windows = map[string]rateWindow{}
	}
	okey := url + "\x00" + origin
	all, allHeld := rr.windows[url]
	one, oneHeld := rr.windows[okey]
	if !allHeld || all.over(now) {
		all = rateWindow{start: now}
	}
	if !oneHeld || one.over(now) {
		one = rateWindow{start: now}
	}
	if all.n >= rate || one.n >= originShare(rate, relayOriginRateDiv) {
		return false
	}
	if need := 2 - btoi(allHeld) - btoi(oneHeld); len(rr.windows)+need > relayWindowsMax {
		for k, w := range rr.windows {
			if w.over(now) {
				delete(rr.windows, k)
			}
		}
		if len(rr.windows)+need > relayWindowsMax {
			return false
		}
	}
	all.n++
	one.n++
	rr.windows[url], rr.windows[okey] = all, one
	return true
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// count adds one object the relay at url sent, with what became of it, to
// the counts not written yet.
func (rr *relayRates) count(url string, out RelayOutcome) {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	if rr.pending == nil {
		rr.pending = map[string]model.Relay{}
	}
	c := rr.pending[url]
	addOutcome(&c, out)
	rr.pending[url] = c
}

func addOutcome(r *model.Relay, out RelayOutcome) {
	r.Received++
	switch out {
	case RelayDropped:
		r.Dropped++
	case RelayRefused:
		r.Refused++
	case RelayLimited:
		r.Limited++
	}
}

// addPending adds the counts not written yet to r.
func addPending(r *model.Relay, c model.Relay) {
	r.Received += c.Received
	r.Dropped += c.Dropped
	r.Refused += c.Refused
	r.Limited += c.Limited
}

// takePending returns the counts not written yet and forgets them.
func (rr *relayRates) takePending() map[string]model.Relay {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	p := rr.pending
	rr.pending = nil
	return p
}

// peekPending returns the counts of the relay at url not written yet.
func (rr *relayRates) peekPending(url string) model.Relay {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	return rr.pending[url]
}

// FlushRelayCounts writes the counts of what relays sent that was not
// stored, kept in memory since the last flush, in one transaction;
// package federation calls it every minute and when it stops.
func (s *Service) FlushRelayCounts(ctx context.Context) error {
	p := s.relayRates.takePending()
	if len(p) == 0 {
		return nil
	}
	err := s.store.Batch(func(tx *store.Tx) error {
		for url, c := range p {
			r, err := tx.Relay(url)
			if errors.Is(err, store.ErrNotFound) {
				continue // left meanwhile
			} else if err != nil {
				return err
			}
			addPending(&r, c)
			if err := tx.PutRelay(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("flush relay counts: %w", err)
	}
	return nil
}

// AdmitRelayed decides, before anything is fetched, whether the relay
// actor relayActor may have the object id looked at: it must be a relay
// we joined, accepted, not paused, not blocked, within its rate and the
// share of it id's origin may take. An object not admitted is counted
// here, in memory (received, and limited or refused); one admitted is
// counted by what handles it next (ReceiveRelayedObject,
// ReceiveRelayedOrg, CountRelayed). The origin is id's: package federation
// keeps only what that origin serves under id.
func (s *Service) AdmitRelayed(ctx context.Context, relayActor, id string) (model.Relay, RelayOutcome, error) {
	var r model.Relay
	out := RelayRefused
	err := s.store.View(func(tx *store.Tx) error {
		var err error
		if r, err = relayByActor(tx, relayActor); err != nil {
			return err
		}
		switch {
		case tx.IsBlocked(r.Actor):
		case !r.IsAccepting() || !s.relayRates.allow(r.URL, uris.Domain(id), r.Rate, s.Now()):
			out = RelayLimited
		default:
			out = RelayStored // admitted: the object is fetched next
		}
		return nil
	})
	if err != nil {
		return r, out, err
	}
	if out != RelayStored {
		err = s.CountRelayed(ctx, r.URL, out)
	}
	return r, out, err
}

func relayByActor(tx *store.Tx, actor string) (model.Relay, error) {
	rs, err := tx.Relays()
	if err != nil {
		return model.Relay{}, err
	}
	for _, r := range rs {
		if actor != "" && r.Actor == actor {
			return r, nil
		}
	}
	return model.Relay{}, fmt.Errorf("relay actor %s: %w", actor, ErrNotFound)
}

// CountRelayed counts an object the relay at url sent that did not reach
// the store: received, and dropped (a plain post), refused (a failed fetch,
// an origin that does not match), limited, or unchanged (ours, or a
// Delete its origin denies). The count is kept in memory until the next
// FlushRelayCounts: what a relay sends before its rate applies (plain
// posts, a full queue) costs no write.
func (s *Service) CountRelayed(ctx context.Context, url string, out RelayOutcome) error {
	s.relayRates.count(url, out)
	return nil
}

// ReceiveRelayedObject stores a project or call that the relay at url
// sent, as package federation fetched it from its origin, with its author
// fetched from the author's own origin. Nothing of what the relay sent is
// in it but the object's id. It is refused (and counted) when the object is
// not on its author's server, not public, or blocked, or when its id is
// held for another author or a local object; limited when the relay was
// paused meanwhile or its total is reached. An object held is replaced only
// by a newer version, as ReceiveObject does.
func (s *Service) ReceiveRelayedObject(ctx context.Context, url string, author model.Actor, o model.Object) (out RelayOutcome, err error) {
	out = RelayRefused
	valid := o.AttributedTo == author.ID && uris.SameOrigin(o.ID, author.ID) && !s.uris.IsLocal(author.ID) &&
		o.Kind.Valid() && o.Audience == model.AudiencePublic && o.Validate() == nil
	o.Local = false
	err = s.store.Batch(func(tx *store.Tx) error {
		out = RelayRefused
		r, err := tx.Relay(url)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		} else if err != nil {
			return err
		}
		r.Received++
		out, err = s.putRelayed(tx, &r, author, o, valid)
		if err != nil {
			return err
		}
		switch out {
		case RelayRefused:
			r.Refused++
		case RelayLimited:
			r.Limited++
		}
		return tx.PutRelay(r)
	})
	if err == nil && out == RelayStored {
		s.changed(o.ID, author.ID)
	}
	return out, err
}

func (s *Service) putRelayed(tx *store.Tx, r *model.Relay, author model.Actor, o model.Object, valid bool) (RelayOutcome, error) {
	switch {
	case !r.IsAccepting():
		return RelayLimited, nil
	case !valid || tx.IsBlocked(o.ID) || tx.IsBlocked(author.ID) || tx.IsBlocked(r.Actor):
		return RelayRefused, nil
	case tx.IsTombstoned(o.ID, author.ID):
		return RelayUnchanged, nil
	}
	old, err := tx.Object(o.ID)
	isNew := errors.Is(err, store.ErrNotFound)
	switch {
	case err != nil && !isNew:
		return "", err
	case !isNew && (old.Local || old.AttributedTo != author.ID):
		return RelayRefused, nil
	case !isNew && (old.IsDeleted() || !o.Updated.After(old.Updated)):
		return RelayUnchanged, nil
	case isNew && relayFull(tx, r, o.ID):
		return RelayLimited, nil
	}
	_, aerr := tx.Actor(author.ID)
	if err := tx.PutActor(author); err != nil { // as fetched from its origin, or held
		return "", err
	}
	if errors.Is(aerr, store.ErrNotFound) {
		// Kept as a relayed organisation is, and what makes its
		// server known to discovery (discover.go).
		if err := tx.PutRelayedActor(author.ID, r.URL); err != nil {
			return "", err
		}
	}
	if err := tx.PutObject(o); err != nil {
		return "", err
	}
	if isNew {
		r.Stored++
		if err := tx.HoldRelayed(r.URL, o.ID, false); err != nil {
			return "", err
		}
	}
	return RelayStored, s.matchCalls(tx, o.ID)
}

// relayFull reports whether the relay r holds its total, or iri's origin
// its share of it. Stored counts what the relay brought that is still
// held: the store lowers it when such an object is deleted or an
// organisation deletes itself (store.HoldRelayed).
func relayFull(tx *store.Tx, r *model.Relay, iri string) bool {
	share := originShare(r.MaxStored, relayOriginTotalDiv)
	return r.Stored >= int64(r.MaxStored) || tx.RelayHeld(r.URL, uris.Domain(iri), share) >= share
}

// ReceiveRelayedOrg stores an organisation that the relay at url sent, as
// fetched from its own origin. An organisation already held is refreshed;
// a new one counts towards the relay's total, and is kept while nothing
// else keeps it (store.HoldRelayed).
func (s *Service) ReceiveRelayedOrg(ctx context.Context, url string, a model.Actor) (out RelayOutcome, err error) {
	err = s.store.Batch(func(tx *store.Tx) error {
		out = RelayRefused
		r, err := tx.Relay(url)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		} else if err != nil {
			return err
		}
		r.Received++
		_, err = tx.Actor(a.ID)
		isNew := errors.Is(err, store.ErrNotFound)
		switch {
		case err != nil && !isNew:
			return err
		case !r.IsAccepting():
			out, r.Limited = RelayLimited, r.Limited+1
		case a.Type != "Organization" || s.uris.IsLocal(a.ID) || tx.IsBlocked(a.ID) || tx.IsBlocked(r.Actor):
			r.Refused++
		case isNew && relayFull(tx, &r, a.ID):
			out, r.Limited = RelayLimited, r.Limited+1
		default:
			out = RelayStored
			if err := tx.PutActor(a); err != nil {
				return err
			}
			if isNew {
				r.Stored++
				if err := tx.HoldRelayed(r.URL, a.ID, true); err != nil {
					return err
				}
			}
		}
		return tx.PutRelay(r)
	})
	if err == nil && out == RelayStored {
		s.changed(a.ID)
	}
	return out, err
}

// ReceiveRelayedGone removes a remote object held here after a relay sent
// its Delete and its origin answered that it is gone: the origin, not the
// relay, is believed.
func (s *Service) ReceiveRelayedGone(ctx context.Context, url, id string) (err error) {
	changed := false
	err = s.store.Update(func(tx *store.Tx) error {
		changed = false
		o, err := tx.Object(id)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		} else if err != nil {
			return err
		}
		if o.Local || o.IsDeleted() || !uris.SameOrigin(o.ID, o.AttributedTo) {
			return nil
		}
		changed = true
		return tx.PutObject(model.Object{ID: o.ID, Kind: o.Kind, AttributedTo: o.AttributedTo, Published: o.Published,
			Updated: o.Updated, Deleted: s.Now().UTC()})
	})
	if err == nil && changed {
		s.changed(id)
	}
	return err
}
