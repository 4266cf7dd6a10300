package service

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"unicode/utf8"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// adminProblems checks an administrator's username and password.
func adminProblems(username, password string) map[string]string {
	p := map[string]string{}
	if err := model.ValidName(username); err != nil {
		p["username"] = "use 1 to 30 lower-case letters, digits, _ . or -"
	}
	if n := utf8.RuneCountInString(password); n < MinPassword || len(password) > MaxPassword {
		p["password"] = fmt.Sprintf("use at least %d characters", MinPassword)
	}
	return p
}

// SetupInput is what the first-run setup page asks: the first
// administrator, and how the first organisation presents itself.
type SetupInput struct {
	Username, Password, PasswordAgain string
	DisplayName, Country              string
	Sectors                           []string
}

// HasAdmins reports whether the instance has an administrator.
func (s *Service) HasAdmins(ctx context.Context) (bool, error) {
	admins, err := s.ListAdmins(ctx)
	return len(admins) > 0, err
}

// Setup creates the first administrator and, when org names an existing
// organisation, sets its display name, country and sectors (the rest of
// its profile is kept, and its followers get the Update). It fails with
// ErrConflict once an administrator exists, checked in the transaction
// that creates this one, so two concurrent setups cannot both succeed.
// Every problem of the input is reported at once, before anything is
// written.
func (s *Service) Setup(ctx context.Context, org string, in SetupInput) (Admin, error) {
	in.Username = strings.TrimSpace(in.Username)
	a := Admin{Username: in.Username, Created: s.Now().UTC()}
	p := adminProblems(in.Username, in.Password)
	if in.Password != in.PasswordAgain {
		p["password_again"] = "the two passwords differ"
	}
	var profile ProfileInput
	if org != "" {
		o, err := s.Org(ctx, org)
		switch {
		case errors.Is(err, ErrNotFound):
			org = "" // renamed in the configuration since: only the administrator
		case err != nil:
			return a, err
		default:
			o.DisplayName, o.Country, o.Sectors = in.DisplayName, in.Country, in.Sectors
			o.Profile = normalProfile(o.Profile)
			if err := o.Validate(); err != nil {
				var ve *model.ValidationError
				if !errors.As(err, &ve) {
					return a, err
				}
				maps.Copy(p, ve.Fields)
			}
			profile = ProfileInput{Profile: o.Profile, ManualApprove: o.ManualApprove}
		}
	}
	if len(p) > 0 {
		return a, &model.ValidationError{Fields: p}
	}
	hash, err := hashPassword(in.Password)
	if err != nil {
		return a, err
	}
	err = s.store.Update(func(tx *store.Tx) error {
		admins, err := tx.Admins()
		if err != nil {
			return err
		}
		if len(admins) > 0 {
			return fmt.Errorf("an administrator exists: %w", ErrConflict)
		}
		return s.addAccount(tx, store.Admin{Username: a.Username, Hash: hash, Created: a.Created})
	})
	if err != nil {
		return a, fmt.Errorf("setup: %w", err)
	}
	s.log.Info("first administrator created", "admin", a.Username)
	if org != "" {
		if _, err := s.UpdateProfile(ctx, org, profile); err != nil {
			return a, fmt.Errorf("setup: %w", err)
		}
	}
	return a, nil
}
