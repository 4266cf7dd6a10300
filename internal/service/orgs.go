package service

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/secret"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// Bootstrap prepares an empty store: the instance actor, a first
// organisation and an admin API token. It returns the token when it created
// one (it is shown once and only its hash is kept), else "". Running it on
// an initialised store changes nothing.
func (s *Service) Bootstrap(ctx context.Context, firstOrg, displayName string) (string, error) {
	var token string
	var created []string // the first organisation (observers list it)
	err := s.store.Update(func(tx *store.Tx) error {
		created = created[:0]
		if _, err := tx.Org(model.InstanceName); errors.Is(err, store.ErrNotFound) {
			inst := model.Org{Name: model.InstanceName, Instance: true, Profile: model.Profile{
				DisplayName: s.uris.Host(), Summary: "maillage instance at " + s.uris.Host()}}
			if err := s.createOrg(tx, inst); err != nil {
				return err
			}
			if firstOrg != "" {
				if err := s.createOrg(tx, model.Org{Name: firstOrg, Profile: model.Profile{DisplayName: displayName}}); err != nil {
					return err
				}
				created = append(created, s.uris.Actor(firstOrg))
			}
		}
		if tx.HasTokens() {
			return nil
		}
		token, _ = secret.New()
		return tx.PutToken(token, "admin", s.Now())
	})
	if err != nil {
		return "", fmt.Errorf("bootstrap: %w", err)
	}
	s.changed(created...)
	return token, nil
}

// CheckToken reports whether token is a valid admin API token.
func (s *Service) CheckToken(token string) bool {
	ok := false
	_ = s.store.View(func(tx *store.Tx) error { _, ok = tx.CheckToken(token); return nil })
	return ok
}

// CreateOrg creates a new organisation actor with its own key pair.
func (s *Service) CreateOrg(ctx context.Context, p Principal, o model.Org) (model.Org, error) {
	if err := authorize(p, ActSettings, ""); err != nil {
		return o, fmt.Errorf("create org: %w", err)
	}
	o.Instance = false
	o.Profile = normalProfile(o.Profile)
	if err := o.Validate(); err != nil {
		return o, err
	}
	err := s.store.Update(func(tx *store.Tx) error { return s.createOrg(tx, o) })
	if errors.Is(err, store.ErrExists) {
		return o, model.Invalid("name", "validation.name.taken")
	}
	if err != nil {
		return o, fmt.Errorf("create org %s: %w", o.Name, err)
	}
	s.changed(s.uris.Actor(o.Name))
	s.log.Info("organisation created", "org", o.Name)
	return s.Org(ctx, o.Name)
}

func (s *Service) createOrg(tx *store.Tx, o model.Org) error {
	if err := o.Validate(); err != nil {
		return err
	}
	if taken, err := accountNamed(tx, o.Name); err != nil || taken {
		if err == nil {
			err = fmt.Errorf("org %q: an account has this name: %w", o.Name, store.ErrExists)
		}
		return err
	}
	priv, pub, err := s.keyPair()
	if err != nil {
		return fmt.Errorf("key pair: %w", err)
	}
	o.PrivateKeyPEM, o.PublicKeyPEM = priv, pub
	o.Created = s.Now().UTC()
	o.Updated = o.Created
	return tx.CreateOrg(o)
}

// ProfileInput is what an organisation edits on its profile.
type ProfileInput struct {
	model.Profile
	ManualApprove bool `json:"manual_approve"`
}

// UpdateProfile changes an organisation's profile and federates an Update of
// the actor to its followers.
func (s *Service) UpdateProfile(ctx context.Context, p Principal, name string, in ProfileInput) (model.Org, error) {
	var o model.Org
	if err := authorize(p, ActEditProfile, name); err != nil {
		return o, fmt.Errorf("update profile: %w", err)
	}
	err := s.store.Update(func(tx *store.Tx) error {
		var err error
		if o, err = s.localOrg(tx, name); err != nil {
			return err
		}
		o.Profile, o.ManualApprove = normalProfile(in.Profile), in.ManualApprove
		if err := o.Validate(); err != nil {
			return err
		}
		o.Updated = s.Now().UTC()
		if err := tx.PutOrg(o); err != nil {
			return err
		}
		org := o
		a := model.Activity{ID: s.uris.Activity(uris.NewID(s.Now())), Type: "Update", Actor: name,
			ObjectID: s.uris.Actor(name), Org: &org, Published: o.Updated,
			To: []string{PublicIRI}, CC: []string{s.uris.Followers(name)}}
		inboxes, err := followerInboxes(tx, name)
		if err != nil {
			return err
		}
		return s.emit(tx, a, inboxes, false)
	})
	if err != nil {
		return o, fmt.Errorf("update profile %s: %w", name, err)
	}
	s.poke()
	s.changed(s.uris.Actor(name))
	return o, nil
}

// Org returns a local actor.
func (s *Service) Org(ctx context.Context, name string) (model.Org, error) {
	var o model.Org
	err := s.store.View(func(tx *store.Tx) error {
		var err error
		o, err = s.localOrg(tx, name)
		return err
	})
	return o, err
}

// Orgs lists the local organisations (not the instance actor nor the
// members' Person actors).
func (s *Service) Orgs(ctx context.Context) ([]model.Org, error) {
	var out []model.Org
	err := s.store.View(func(tx *store.Tx) error {
		all, err := tx.Orgs()
		for _, o := range all {
			if o.IsOrganisation() {
				out = append(out, o)
			}
		}
		return err
	})
	return out, err
}

// normalProfile trims text and upper-cases country codes.
func normalProfile(p model.Profile) model.Profile {
	p.DisplayName, p.LegalName = strings.TrimSpace(p.DisplayName), strings.TrimSpace(p.LegalName)
	p.Summary, p.LegalFormText = strings.TrimSpace(p.Summary), strings.TrimSpace(p.LegalFormText)
	p.Region = strings.TrimSpace(p.Region)
	p.Country = strings.ToUpper(strings.TrimSpace(p.Country))
	if p.Location != nil {
		loc := *p.Location
		loc.Country = strings.ToUpper(loc.Country)
		p.Location = &loc
	}
	return p
}
