package service

import (
	"context"
	"errors"
	"fmt"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// InstanceInfo is what the instance says about itself in NodeInfo and on
// the network page: its description (the instance actor's profile) and
// what it publishes.
type InstanceInfo struct {
	Name      string   // the instance actor's display name
	Summary   string   // plain text
	Languages []string // BCP 47
	Region    string
	Country   string
	// Counts of what is published here and listed: organisations, public
	// projects, and public calls open now.
	Orgs, Projects, OpenCalls int
	// Posts counts every live local object (NodeInfo's localPosts).
	Posts int
}

// Instance describes this instance. It reads the instance actor, the
// number of organisations kept by the store and the local objects, never
// every organisation: an importing instance holds thousands that publish
// nothing.
func (s *Service) Instance(ctx context.Context) (InstanceInfo, error) {
	var in InstanceInfo
	now := s.Now()
	err := s.store.View(func(tx *store.Tx) error {
		in = InstanceInfo{Orgs: tx.OrgCount()}
		if o, err := tx.Org(model.InstanceName); err == nil {
			in.Name, in.Summary, in.Languages, in.Region, in.Country = o.DisplayName, o.Summary, o.Languages, o.Region, o.Country
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return tx.EachObjectUnder(s.uris.Base+"/orgs/", func(ob model.Object) error {
			if ob.IsDeleted() || !s.uris.IsLocal(ob.AttributedTo) {
				return nil
			}
			in.Posts++
			switch {
			case !ob.IsPublic():
			case ob.Kind == model.KindProject:
				in.Projects++
			case ob.Kind == model.KindCall && ob.CallState().IsOpen(now):
				in.OpenCalls++
			}
			return nil
		})
	})
	if err != nil {
		return in, fmt.Errorf("instance: %w", err)
	}
	return in, nil
}

// InstanceInput is what an administrator sets about the instance.
type InstanceInput struct {
	Name, Summary, Region, Country string
	Languages                      []string
}

// UpdateInstance sets the instance's description: the instance actor's
// name, summary, languages, region and country, leaving the rest of its
// profile. Followers of the instance actor get an Update.
func (s *Service) UpdateInstance(ctx context.Context, p Principal, in InstanceInput) (model.Org, error) {
	if err := authorize(p, ActSettings, ""); err != nil {
		return model.Org{}, fmt.Errorf("update instance: %w", err)
	}
	o, err := s.Org(ctx, model.InstanceName)
	if err != nil {
		return o, fmt.Errorf("update instance: %w", err)
	}
	prof := o.Profile
	prof.DisplayName, prof.Summary, prof.Region, prof.Country, prof.Languages = in.Name, in.Summary, in.Region, in.Country, in.Languages
	return s.UpdateProfile(ctx, p, model.InstanceName, ProfileInput{Profile: prof, ManualApprove: o.ManualApprove})
}

// OrganisationNames is one page of the local organisations' names, in
// name order (offset and limit as counted from the first), and their
// number: read from the store's index, no organisation decoded.
func (s *Service) OrganisationNames(ctx context.Context, offset, limit int) (names []string, total int, err error) {
	err = s.store.View(func(tx *store.Tx) error {
		total = tx.OrgCount()
		if limit > 0 && offset < total {
			names = tx.OrgNames(offset, limit)
		}
		return nil
	})
	return names, total, err
}
