package service

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// MaxSignUpMessage bounds the applicant's message, in characters.
const MaxSignUpMessage = 500

// SignUpInput is what the open sign-up form asks.
type SignUpInput struct {
	Username, Password, Email, Org, Message string
}

// SignUp creates a pending account: a member of the chosen local
// organisation, disabled until an administrator approves it
// (ApproveAccount) or refuses it (RefuseAccount). The address goes to the
// account's settings, for password resets and digests.
func (s *Service) SignUp(ctx context.Context, in SignUpInput) (Account, error) {
	in.Username, in.Email, in.Message = strings.TrimSpace(in.Username), strings.TrimSpace(in.Email), strings.TrimSpace(in.Message)
	a := Account{Username: in.Username, Role: RoleMember, Orgs: []string{in.Org}, Disabled: true, Pending: true,
		Message: in.Message, Created: s.Now().UTC()}
	p := accountProblems(in.Username, in.Password)
	if addr, err := mail.ParseAddress(in.Email); err != nil || addr.Address != in.Email {
		p["email"] = model.Problem("validation.email")
	}
	if utf8.RuneCountInString(in.Message) > MaxSignUpMessage {
		p["message"] = model.Problem("validation.max_use", MaxSignUpMessage)
	}
	if in.Org == "" {
		p["org"] = model.Problem("validation.org.choose")
	}
	if len(p) > 0 {
		return a, &model.ValidationError{Fields: p}
	}
	hash, err := hashPassword(in.Password)
	if err != nil {
		return a, err
	}
	err = s.store.Update(func(tx *store.Tx) error {
		if err := checkRole(tx, RoleMember, a.Orgs); err != nil {
			var ve *model.ValidationError
			if errors.As(err, &ve) {
				return model.Invalid("org", "validation.org.choose")
			}
			return err
		}
		if n, err := pendingCount(tx); err != nil {
			return err
		} else if n >= MaxPendingSignups {
			return model.Invalid("username", "validation.signup.busy")
		}
		if err := s.addAccount(tx, store.Account{Username: a.Username, Hash: hash, Created: a.Created, Role: string(RoleMember),
			Orgs: a.Orgs, Disabled: true, Pending: true, Email: in.Email, Message: in.Message}); err != nil {
			return err
		}
		prefs, err := tx.Prefs(a.Username)
		if err != nil {
			return err
		}
		prefs.Email = in.Email
		return tx.PutPrefs(a.Username, prefs)
	})
	if errors.Is(err, store.ErrExists) {
		return a, model.Invalid("username", "validation.name.taken")
	}
	if err != nil {
		return a, fmt.Errorf("sign up %s: %w", a.Username, err)
	}
	s.log.Info("account signed up", "account", a.Username, "org", in.Org)
	return a, nil
}

// ApproveAccount enables a pending account; ErrNotFound if there is no
// pending account of that name.
func (s *Service) ApproveAccount(ctx context.Context, p Principal, username string) error {
	if err := authorize(p, ActManageAccounts, ""); err != nil {
		return fmt.Errorf("approve account: %w", err)
	}
	err := s.changeAccount(username, func(tx *store.Tx, a *store.Account) error {
		if !a.Pending {
			return store.ErrNotFound
		}
		a.Pending, a.Disabled = false, false
		return s.putPerson(tx, a.Username)
	})
	if err != nil {
		return fmt.Errorf("approve account %s: %w", username, err)
	}
	s.log.Info("account approved", "account", username)
	return nil
}

// RefuseAccount deletes a pending account; ErrNotFound if there is no
// pending account of that name.
func (s *Service) RefuseAccount(ctx context.Context, p Principal, username string) error {
	if err := authorize(p, ActManageAccounts, ""); err != nil {
		return fmt.Errorf("refuse account: %w", err)
	}
	err := s.store.View(func(tx *store.Tx) error {
		a, err := tx.Account(username)
		if err == nil && !a.Pending {
			err = store.ErrNotFound
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("refuse account %s: %w", username, err)
	}
	return s.DeleteAccount(ctx, p, username)
}

// MaxPendingSignups bounds the sign-up requests waiting for approval, so
// that open sign-up cannot be used to fill the store.
const MaxPendingSignups = 200

func pendingCount(tx *store.Tx) (int, error) {
	all, err := tx.Accounts()
	n := 0
	for _, a := range all {
		if a.Pending {
			n++
		}
	}
	return n, err
}
