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

// accountProblems checks the username and password of an account, whatever its role.
func accountProblems(username, password string) model.FieldErrors {
	p := model.FieldErrors{}
	if err := model.ValidName(username); err != nil {
		p["username"] = model.Problem("validation.name.syntax")
	}
	if n := utf8.RuneCountInString(password); n < MinPassword || len(password) > MaxPassword {
		p["password"] = model.Problem("validation.password.short", MinPassword)
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
	admins, err := s.ListAdmins(ctx, System("setup"))
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
	p := accountProblems(in.Username, in.Password)
	if in.Password != in.PasswordAgain {
		p["password_again"] = model.Problem("validation.password.again")
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
		admins, err := tx.Accounts()
		if err != nil {
			return err
		}
		if len(admins) > 0 {
			return fmt.Errorf("an administrator exists: %w", ErrConflict)
		}
		return s.addAccount(tx, store.Account{Username: a.Username, Hash: hash, Created: a.Created})
	})
	if err != nil {
		return a, fmt.Errorf("setup: %w", err)
	}
	s.log.Info("first administrator created", "admin", a.Username)
	if org != "" {
		if _, err := s.UpdateProfile(ctx, System("setup"), org, profile); err != nil {
			return a, fmt.Errorf("setup: %w", err)
		}
	}
	return a, nil
}
