package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/secret"
	"codeberg.org/maillage/maillage/store"
)

// InvitationTTL is how long an invitation code can be redeemed.
const InvitationTTL = 7 * 24 * time.Hour

// ErrBadInvitation is an unknown, used or expired invitation code; it
// never says which.
var ErrBadInvitation = fmt.Errorf("service: invalid or expired invitation: %w", ErrNotFound)

// Invite makes a single-use invitation to create an account with role and
// orgs, valid for InvitationTTL, and returns its random code, which is
// shown once: only its SHA-256 is stored. Expired invitations are dropped
// on the way.
func (s *Service) Invite(ctx context.Context, p Principal, role Role, orgs []string, invitedBy string) (string, error) {
	if err := authorize(p, ActManageAccounts, ""); err != nil {
		return "", fmt.Errorf("invite: %w", err)
	}
	code, _ := secret.New()
	now := s.Now().UTC()
	inv := store.Invitation{Role: string(role), Orgs: normOrgs(role, orgs), InvitedBy: invitedBy,
		Created: now, Expires: now.Add(InvitationTTL)}
	err := s.store.Update(func(tx *store.Tx) error {
		if err := checkRole(tx, role, inv.Orgs); err != nil {
			return err
		}
		if err := tx.DeleteExpiredInvitations(now); err != nil {
			return err
		}
		return tx.PutInvitation(code, inv)
	})
	if err != nil {
		return "", fmt.Errorf("invite: %w", err)
	}
	s.log.Info("invitation created", "account", invitedBy, "role", string(role))
	return code, nil
}

// CheckInvitation reports whether code can be redeemed now (nil) or not
// (ErrBadInvitation), without using it.
func (s *Service) CheckInvitation(ctx context.Context, code string) error {
	return s.store.View(func(tx *store.Tx) error {
		_, err := s.liveInvitation(tx, code)
		return err
	})
}

// RedeemInvitation creates the account an invitation was made for, with
// its role and organisations, and uses the invitation up, in one
// transaction: a code works once. An unknown, used or expired code is
// ErrBadInvitation; a bad username or password is a ValidationError and
// leaves the invitation usable.
func (s *Service) RedeemInvitation(ctx context.Context, code, username, password string) (Account, error) {
	a := Account{Username: strings.TrimSpace(username), Created: s.Now().UTC()}
	if err := s.CheckInvitation(ctx, code); err != nil {
		return a, err
	}
	if p := accountProblems(a.Username, password); len(p) > 0 {
		return a, &model.ValidationError{Fields: p}
	}
	hash, err := hashPassword(password)
	if err != nil {
		return a, err
	}
	err = s.store.Update(func(tx *store.Tx) error {
		inv, err := s.liveInvitation(tx, code)
		if err != nil {
			return err
		}
		a.Role = Role(inv.Role)
		a.Orgs = dropMissingOrgs(tx, inv.Orgs)
		if err := checkRole(tx, a.Role, a.Orgs); err != nil {
			return err
		}
		if err := s.addAccount(tx, store.Account{Username: a.Username, Hash: hash, Created: a.Created,
			Role: inv.Role, Orgs: a.Orgs}); err != nil {
			return err
		}
		return tx.DeleteInvitation(code)
	})
	if errors.Is(err, store.ErrExists) {
		return a, model.Invalid("username", "validation.name.taken")
	}
	if err != nil {
		return a, fmt.Errorf("redeem invitation: %w", err)
	}
	s.log.Info("invitation redeemed", "account", a.Username, "role", string(a.Role))
	return a, nil
}

func (s *Service) liveInvitation(tx *store.Tx, code string) (store.Invitation, error) {
	if code == "" {
		return store.Invitation{}, ErrBadInvitation
	}
	inv, err := tx.Invitation(code)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !s.Now().Before(inv.Expires)) {
		return inv, ErrBadInvitation
	}
	return inv, err
}

// dropMissingOrgs keeps the organisations that still exist: one may have
// been removed since the invitation was made.
func dropMissingOrgs(tx *store.Tx, orgs []string) []string {
	var out []string
	for _, o := range orgs {
		if _, err := tx.Org(o); err == nil {
			out = append(out, o)
		}
	}
	return out
}
