package service

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"codeberg.org/maillage/maillage/internal/matching"
	"codeberg.org/maillage/maillage/store"
)

// orgSubscriber is the key of an organisation's interests in the matching
// index; usernames never contain a "/", so it cannot name an account.
func orgSubscriber(org string) string { return "org/" + org }

// OrgInterests returns the interests an organisation states as a whole.
func (s *Service) OrgInterests(ctx context.Context, p Principal, org string) (matching.Interests, error) {
	if err := authorize(p, ActEditProfile, org); err != nil {
		return matching.Interests{}, fmt.Errorf("interests of org: %w", err)
	}
	var raw json.RawMessage
	err := s.store.View(func(tx *store.Tx) (err error) {
		if _, err := tx.Org(org); err != nil {
			return err
		}
		raw, err = tx.OrgInterests(org)
		return err
	})
	if err != nil {
		return matching.Interests{}, fmt.Errorf("interests of org %s: %w", org, err)
	}
	return decodeInterests(raw)
}

// SetOrgInterests validates and stores org's interests, updates the index
// and notifies the organisation's members and editors of the open calls
// it now matches.
func (s *Service) SetOrgInterests(ctx context.Context, p Principal, org string, in matching.Interests) error {
	if err := authorize(p, ActEditProfile, org); err != nil {
		return fmt.Errorf("set org interests: %w", err)
	}
	if err := in.Validate(); err != nil {
		return err
	}
	var raw json.RawMessage
	if !in.IsEmpty() {
		var err error
		if raw, err = json.Marshal(in); err != nil {
			return fmt.Errorf("set org interests: %w", err)
		}
	}
	now := s.Now()
	err := s.store.Update(func(tx *store.Tx) error {
		if _, err := tx.Org(org); err != nil {
			return err
		}
		if err := tx.PutOrgInterests(org, raw); err != nil {
			return err
		}
		if in.IsEmpty() {
			return nil
		}
		names, err := expandSubscribers(tx, []string{orgSubscriber(org)})
		if err != nil {
			return err
		}
		objs, err := projectsAndCalls(tx)
		if err != nil {
			return err
		}
		for _, o := range objs {
			if in.Matches(o, now) {
				if err := s.notify(tx, names, NoticeMatch, o.ID, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("set interests of org %s: %w", org, err)
	}
	if in.IsEmpty() {
		s.match.ix.Remove(orgSubscriber(org))
	} else {
		s.match.ix.Set(orgSubscriber(org), in)
	}
	return nil
}

// loadOrgInterests adds every organisation's interests to the index.
func (s *Service) loadOrgInterests(tx *store.Tx) error {
	return tx.EachOrgInterests(func(org string, raw json.RawMessage) error {
		in, err := decodeInterests(raw)
		if err != nil {
			return fmt.Errorf("interests of org %s: %w", org, err)
		}
		if !in.IsEmpty() {
			s.match.ix.Set(orgSubscriber(org), in)
		}
		return nil
	})
}

// expandSubscribers replaces each organisation among names (as
// orgSubscriber) by the accounts of that organisation (its members and
// editors), without duplicates.
func expandSubscribers(tx *store.Tx, names []string) ([]string, error) {
	var orgs []string
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		if org, ok := strings.CutPrefix(n, "org/"); ok {
			orgs = append(orgs, org)
		} else if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	if len(orgs) == 0 {
		return out, nil
	}
	all, err := tx.Accounts()
	if err != nil {
		return nil, err
	}
	for _, a := range all {
		acc := accountOf(a)
		for _, org := range orgs {
			if acc.HasOrg(org) && !seen[a.Username] {
				seen[a.Username] = true
				out = append(out, a.Username)
			}
		}
	}
	return out, nil
}
