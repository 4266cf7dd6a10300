package service

import (
	"context"
	"errors"
	"fmt"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// A backfill reads what a followed actor already holds (federation's
// backfill.go does the reading). Its progress is kept here, in the store:
// it is created in the transaction that accepts the follow, saved after
// every page applied, and ended when done, so that a restart resumes it
// where it was and what was applied is not applied twice (activities are
// idempotent by id besides).

// startBackfill records a backfill of actor, unless one is in progress.
// A reading of a server discovered through a relay (discover.go) goes on
// as the follow's.
func startBackfill(tx *store.Tx, actor string) error {
	b, err := tx.Backfill(actor)
	if err == nil && b.Relay != "" {
		b.Relay = ""
		return tx.PutBackfill(b)
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return tx.PutBackfill(model.Backfill{Actor: actor})
}

// Backfills lists the backfills in progress (to resume them at start).
func (s *Service) Backfills(ctx context.Context) ([]model.Backfill, error) {
	var out []model.Backfill
	err := s.store.View(func(tx *store.Tx) error {
		var err error
		out, err = tx.Backfills()
		return err
	})
	return out, err
}

// Backfill returns the progress of the backfill of actor (ErrNotFound when
// none is in progress).
func (s *Service) Backfill(ctx context.Context, actor string) (model.Backfill, error) {
	var b model.Backfill
	err := s.store.View(func(tx *store.Tx) error {
		var err error
		b, err = tx.Backfill(actor)
		return err
	})
	return b, err
}

// BackfillMaxOrgs bounds the organisations a backfill reads from an
// instance actor's collection (FEDERATION.md): enough for a regional map's
// instance to be followed whole (Transiscope lists 15,000 entries). An
// operator may lower it (federation.Config.BackfillMaxOrgs).
const BackfillMaxOrgs = 20_000

// SaveBackfill stores the progress of a backfill, after appending the
// organisations its last step found (b.Found) to those it lists, once
// each and BackfillMaxOrgs at most; it returns the progress as stored. It
// reports false, and forgets the backfill, when its actor is no longer
// followed by a local actor (the follow was withdrawn meanwhile; for a
// server discovered through a relay, the relay left or its discovery
// switched off), or when the backfill was ended: the caller stops.
func (s *Service) SaveBackfill(ctx context.Context, b model.Backfill) (model.Backfill, bool, error) {
	keep := false
	found, before := b.Found, b.OrgsFound
	b.Found = nil
	err := s.store.Update(func(tx *store.Tx) error {
		keep = false
		b.OrgsFound = before
		stored, err := tx.Backfill(b.Actor)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		} else if err != nil {
			return err
		}
		b.Relay = stored.Relay // a follow may have made a discovery its own meanwhile
		ok, err := keepBackfill(tx, b)
		if err != nil {
			return err
		}
		if !ok {
			return tx.DeleteBackfill(b.Actor)
		}
		keep = true
		if len(found) > 0 {
			if b.OrgsFound, err = tx.AddBackfillOrgs(b.Actor, before, BackfillMaxOrgs, found); err != nil {
				return err
			}
		}
		return tx.PutBackfill(b)
	})
	if err != nil {
		return b, false, fmt.Errorf("save backfill %s: %w", b.Actor, err)
	}
	return b, keep, nil
}

// BackfillOrg returns the i-th organisation (from 0) the backfill of
// actor found in its instance actor's collection.
func (s *Service) BackfillOrg(ctx context.Context, actor string, i int) (string, error) {
	var iri string
	err := s.store.View(func(tx *store.Tx) error {
		var err error
		iri, err = tx.BackfillOrg(actor, i)
		return err
	})
	return iri, err
}

// EndBackfill forgets the backfill of actor.
func (s *Service) EndBackfill(ctx context.Context, actor string) error {
	if err := s.store.Update(func(tx *store.Tx) error { return tx.DeleteBackfill(actor) }); err != nil {
		return fmt.Errorf("end backfill %s: %w", actor, err)
	}
	return nil
}

// ReceiveHostedOrg stores an organisation listed by the instance actor
// of its server, which a local actor follows: then it enters the directory
// even before it publishes anything. Anything else is ignored.
func (s *Service) ReceiveHostedOrg(ctx context.Context, instance string, a model.Actor) (err error) {
	if a.Type != "Organization" || s.uris.IsLocal(a.ID) || !uris.SameOrigin(a.ID, instance) {
		return fmt.Errorf("hosted organisation %s of %s: %w", a.ID, instance, ErrForbidden)
	}
	stored := false
	defer func() {
		if err == nil && stored {
			s.changed(a.ID)
		}
	}()
	return s.store.Batch(func(tx *store.Tx) error {
		stored = false
		if ok, err := s.relevant(tx, a.ID, instance); err != nil || !ok {
			return err
		}
		stored = true
		return tx.PutActor(a)
	})
}
