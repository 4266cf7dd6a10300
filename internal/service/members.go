package service

import (
	"context"
	"errors"
	"fmt"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// Members are fediverse accounts (issue #5): every account has a Person
// actor, a model.Org with Person set, stored under model.PersonName.

// addAccount stores a new account and its Person actor: the one place
// where accounts are created. A username that names a local organisation
// is taken (ErrExists), so that alice@host names one actor only.
func (s *Service) addAccount(tx *store.Tx, a store.Admin) error {
	if _, err := tx.Org(a.Username); err == nil {
		return fmt.Errorf("account %q: an organisation has this name: %w", a.Username, store.ErrExists)
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err := tx.CreateAdmin(a); err != nil {
		return err
	}
	if a.Pending {
		return nil // its Person actor comes with approval: nothing public before
	}
	return s.putPerson(tx, a.Username)
}

// putPerson creates username's Person actor unless it exists.
func (s *Service) putPerson(tx *store.Tx, username string) error {
	name := model.PersonName(username)
	if _, err := tx.Org(name); err == nil {
		return nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	priv, pub, err := s.keyPair()
	if err != nil {
		return fmt.Errorf("key pair: %w", err)
	}
	now := s.Now().UTC()
	return tx.CreateOrg(model.Org{Name: name, Person: true, Profile: model.Profile{DisplayName: username},
		PrivateKeyPEM: priv, PublicKeyPEM: pub, Created: now, Updated: now})
}

// MemberActor returns the local actor name of username's Person actor,
// creating it first for an account made before members had one.
func (s *Service) MemberActor(ctx context.Context, username string) (string, error) {
	name := model.PersonName(username)
	var missing bool
	err := s.store.View(func(tx *store.Tx) error {
		if _, err := tx.Admin(username); err != nil {
			return err
		}
		_, err := tx.Org(name)
		missing = errors.Is(err, store.ErrNotFound)
		if missing {
			return nil
		}
		return err
	})
	if err == nil && missing {
		err = s.store.Update(func(tx *store.Tx) error {
			if _, err := tx.Admin(username); err != nil {
				return err
			}
			return s.putPerson(tx, username)
		})
	}
	if errors.Is(err, store.ErrNotFound) {
		return "", fmt.Errorf("account %s: %w", username, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("member actor of %s: %w", username, err)
	}
	return name, nil
}

// EnsureMemberActors gives every account without one its Person actor
// (accounts made before issue #5); run at start.
func (s *Service) EnsureMemberActors(ctx context.Context) error {
	err := s.store.Update(func(tx *store.Tx) error {
		all, err := tx.Admins()
		if err != nil {
			return err
		}
		for _, a := range all {
			if a.Pending {
				continue
			}
			if err := s.putPerson(tx, a.Username); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("member actors: %w", err)
	}
	return nil
}

// deletePerson removes username's Person actor and its follow records;
// nothing is sent.
func deletePerson(tx *store.Tx, username string) error {
	name := model.PersonName(username)
	fs, err := tx.FollowingList(name)
	if err != nil {
		return err
	}
	for _, f := range fs {
		if err := tx.DeleteFollowing(name, f.Target); err != nil {
			return err
		}
	}
	followers, err := tx.Followers(name)
	if err != nil {
		return err
	}
	for _, f := range followers {
		if err := tx.DeleteFollower(name, f.Actor); err != nil {
			return err
		}
	}
	return tx.DeleteOrg(name)
}

// accountNamed reports whether an account is called name (an organisation
// may not take it).
func accountNamed(tx *store.Tx, name string) (bool, error) {
	_, err := tx.Admin(name)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}
