package service

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// ReceiveCreate stores the object a Create brings, under the rules of
// ReceiveObject, except that a Create of an object already stored has no
// effect: an edit comes as an Update, and Mastodon ignores such a Create
// too (app/lib/activitypub/activity/create.rb, find_existing_status). So
// the object's own record makes a Create idempotent, and no seen record is
// written for it: two bbolt buckets fewer to write per received Create.
//
// needAuthor is NeedsAuthor's answer, read in the same transaction: the
// caller fetches the author's profile when it is set.
func (s *Service) ReceiveCreate(ctx context.Context, activityID, actor, via string, o model.Object) (needAuthor bool, err error) {
	if o.AttributedTo != actor || !uris.SameOrigin(o.ID, actor) {
		return false, fmt.Errorf("object %s by %s: %w", o.ID, actor, ErrForbidden)
	}
	if err := o.Validate(); err != nil {
		return false, err
	}
	o.Local = false
	stored := false
	defer func() {
		if stored && err == nil {
			s.changed(o.ID)
		}
	}()
	err = s.receiveOnce(func(tx *store.Tx) error {
		err := s.createObject(tx, actor, via, o, &stored)
		if stored {
			// What keepsContentOf finds, knowing an object of actor is held.
			needAuthor = !s.uris.IsLocal(actor) && !tx.HasActor(actor)
		} else {
			needAuthor = s.keepsContentOf(tx, actor)
		}
		return err
	})
	return needAuthor && err == nil, err
}

// createObject is ReceiveCreate's transaction; *stored tells whether it
// stored o.
func (s *Service) createObject(tx *store.Tx, actor, via string, o model.Object, stored *bool) error {
	*stored = false
	ok, err := s.relevant(tx, actor, via)
	if err != nil || !ok {
		return cmp.Or(err, errNoEffect)
	}
	if tx.IsTombstoned(o.ID, actor) {
		return errNoEffect
	}
	if tx.HasObject(o.ID) {
		old, err := tx.Object(o.ID)
		if err != nil {
			return err
		}
		if old.Local || old.AttributedTo != actor {
			return fmt.Errorf("object %s belongs to %s: %w", o.ID, old.AttributedTo, ErrForbidden)
		}
		return errNoEffect // a repeated Create, or a Create of what an Update brought first
	}
	if err := tx.AddObject(o); err != nil {
		return err
	}
	*stored = true
	if o.Kind != model.KindCall {
		return nil // matchCalls would read the object back to skip it
	}
	return s.matchCalls(tx, o.ID)
}

// receiveOnce is receive for an effect that is idempotent by itself: it
// records no seen activity id.
func (s *Service) receiveOnce(fn func(tx *store.Tx) error) error {
	poke := false
	err := s.store.Batch(func(tx *store.Tx) error {
		poke = false
		err := fn(tx)
		if errors.Is(err, errNoEffect) {
			return nil
		}
		poke = err == nil
		return err
	})
	if poke && err == nil {
		s.poke()
	}
	return err
}
