package service

import (
	"context"
	"io"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// The reads below serve the HTTP surface (federation's documents and
// collections, the pages' handles, the backup): they add no rule of their
// own, so that no package but the service reads the store.

// Actor is a remote actor as stored (store.ErrNotFound when it is not).
func (s *Service) Actor(ctx context.Context, iri string) (model.Actor, error) {
	var a model.Actor
	err := s.store.View(func(tx *store.Tx) error {
		var err error
		a, err = tx.Actor(iri)
		return err
	})
	return a, err
}

// ActorByKeyID is the stored remote actor owning the public key keyID
// (ErrNotFound when there is none).
func (s *Service) ActorByKeyID(ctx context.Context, keyID string) (model.Actor, error) {
	var a model.Actor
	err := s.store.View(func(tx *store.Tx) error {
		var err error
		a, err = tx.ActorByKeyID(keyID)
		return err
	})
	return a, err
}

// KnownActors are the stored actors among iris, by IRI, read in one
// transaction; the others are left out.
func (s *Service) KnownActors(ctx context.Context, iris []string) map[string]model.Actor {
	out := make(map[string]model.Actor, len(iris))
	_ = s.store.View(func(tx *store.Tx) error {
		for _, iri := range iris {
			if a, err := tx.Actor(iri); err == nil {
				out[iri] = a
			}
		}
		return nil
	})
	return out
}

// IsFollowedApplication reports whether actor is a stored instance actor
// (Application) that a local actor follows.
func (s *Service) IsFollowedApplication(ctx context.Context, actor string) bool {
	ok := false
	_ = s.store.View(func(tx *store.Tx) error {
		a, err := tx.Actor(actor)
		if err != nil || a.Type != "Application" {
			return nil
		}
		ok, err = tx.IsFollowedLocally(actor)
		return err
	})
	return ok
}

// Activity is one of our outgoing activities as it was sent.
func (s *Service) Activity(ctx context.Context, iri string) ([]byte, error) {
	var body []byte
	err := s.store.View(func(tx *store.Tx) error {
		var err error
		_, body, err = tx.Activity(iri)
		return err
	})
	return body, err
}

// Outbox is a page of a local actor's public activities, newest first
// (limit 0: none, only the total), and their total.
func (s *Service) Outbox(ctx context.Context, name string, offset, limit int) ([][]byte, int, error) {
	var bodies [][]byte
	var total int
	err := s.store.View(func(tx *store.Tx) error {
		if _, err := tx.Org(name); err != nil {
			return err
		}
		var err error
		bodies, total, err = tx.Outbox(name, offset, limit)
		return err
	})
	return bodies, total, err
}

// FollowIDs lists the IRIs of a local actor's accepted followers
// (following false), or of the actors it follows with an accepted follow.
func (s *Service) FollowIDs(ctx context.Context, name string, following bool) ([]string, error) {
	var ids []string
	err := s.store.View(func(tx *store.Tx) error {
		if _, err := tx.Org(name); err != nil {
			return err
		}
		if following {
			list, err := tx.FollowingList(name)
			for _, x := range list {
				if x.State == model.FollowAccepted {
					ids = append(ids, x.Target)
				}
			}
			return err
		}
		list, err := tx.Followers(name)
		for _, x := range list {
			if !x.Pending {
				ids = append(ids, x.Actor)
			}
		}
		return err
	})
	return ids, err
}

// LocalReplyIDs lists the ids of the visible replies of a local object
// (ErrNotFound for an object that is not ours).
func (s *Service) LocalReplyIDs(ctx context.Context, objectIRI string) ([]string, error) {
	var ids []string
	err := s.store.View(func(tx *store.Tx) error {
		o, err := tx.Object(objectIRI)
		if err != nil || !o.Local {
			return store.ErrNotFound
		}
		rs, err := tx.Replies(objectIRI)
		for _, x := range rs {
			if !x.HiddenBy(tx) {
				ids = append(ids, x.ID)
			}
		}
		return err
	})
	return ids, err
}

// Backup writes a consistent copy of the database to w, telling size its
// length before the copy starts (store.Store.BackupSized).
func (s *Service) Backup(w io.Writer, size func(int64)) (int64, error) {
	return s.store.BackupSized(w, size)
}
