package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// CreateAccount adds an account with a role and, for an editor or a
// member, its local organisations (an administrator has none). The
// username follows the syntax of organisation names; the password has at
// least MinPassword characters and is stored as an argon2id hash.
func (s *Service) CreateAccount(ctx context.Context, p Principal, username, password string, role Role, orgs []string) (Account, error) {
	if err := authorize(p, ActManageAccounts, ""); err != nil {
		return Account{}, fmt.Errorf("create account: %w", err)
	}
	a := Account{Username: strings.TrimSpace(username), Role: role, Orgs: normOrgs(role, orgs), Created: s.Now().UTC()}
	problems := accountProblems(a.Username, password)
	if len(problems) > 0 {
		return a, &model.ValidationError{Fields: problems}
	}
	hash, err := hashPassword(password)
	if err != nil {
		return a, err
	}
	err = s.store.Update(func(tx *store.Tx) error {
		if err := checkRole(tx, a.Role, a.Orgs); err != nil {
			return err
		}
		return s.addAccount(tx, store.Account{Username: a.Username, Hash: hash, Created: a.Created, Role: string(a.Role), Orgs: a.Orgs})
	})
	if errors.Is(err, store.ErrExists) {
		return a, model.Invalid("username", "validation.name.taken")
	}
	if err != nil {
		return a, fmt.Errorf("create account %s: %w", a.Username, err)
	}
	s.log.Info("account created", "account", a.Username, "role", string(a.Role))
	return a, nil
}

// ListAccounts lists every account by name.
func (s *Service) ListAccounts(ctx context.Context, p Principal) ([]Account, error) {
	if err := authorize(p, ActManageAccounts, ""); err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	var out []Account
	err := s.store.View(func(tx *store.Tx) error {
		all, err := tx.Accounts()
		for _, a := range all {
			out = append(out, accountOf(a))
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	return out, nil
}

// SetRole changes an account's role and organisations. The last enabled
// administrator cannot be demoted (a ValidationError).
func (s *Service) SetRole(ctx context.Context, p Principal, username string, role Role, orgs []string) error {
	if err := authorize(p, ActManageAccounts, ""); err != nil {
		return fmt.Errorf("set role: %w", err)
	}
	orgs = normOrgs(role, orgs)
	err := s.changeAccount(username, func(tx *store.Tx, a *store.Account) error {
		if err := checkRole(tx, role, orgs); err != nil {
			return err
		}
		if role != RoleAdmin {
			if err := keepAnAdmin(tx, *a, "validation.last_admin.demote"); err != nil {
				return err
			}
			if err := tx.DeleteInvitationsBy(username); err != nil { // what it invited goes with its rights
				return err
			}
		}
		a.Role, a.Orgs = string(role), orgs
		return nil
	})
	if err != nil {
		return fmt.Errorf("set role of %s: %w", username, err)
	}
	s.log.Info("account role changed", "account", username, "role", string(role))
	return nil
}

// DisableAccount stops an account from signing in and ends its sessions;
// the last enabled administrator cannot be disabled.
func (s *Service) DisableAccount(ctx context.Context, p Principal, username string) error {
	if err := authorize(p, ActManageAccounts, ""); err != nil {
		return fmt.Errorf("disable account: %w", err)
	}
	err := s.changeAccount(username, func(tx *store.Tx, a *store.Account) error {
		if err := keepAnAdmin(tx, *a, "validation.last_admin.disable"); err != nil {
			return err
		}
		a.Disabled = true
		if err := tx.DeleteInvitationsBy(username); err != nil {
			return err
		}
		_, err := tx.DeleteSessionsOf(username, "")
		return err
	})
	if err != nil {
		return fmt.Errorf("disable account %s: %w", username, err)
	}
	s.log.Info("account disabled", "account", username)
	return nil
}

// EnableAccount lets a disabled account sign in again.
func (s *Service) EnableAccount(ctx context.Context, p Principal, username string) error {
	if err := authorize(p, ActManageAccounts, ""); err != nil {
		return fmt.Errorf("enable account: %w", err)
	}
	err := s.changeAccount(username, func(tx *store.Tx, a *store.Account) error {
		if a.Pending {
			return model.Invalid("username", "validation.account.waiting")
		}
		a.Disabled = false
		return nil
	})
	if err != nil {
		return fmt.Errorf("enable account %s: %w", username, err)
	}
	s.log.Info("account enabled", "account", username)
	return nil
}

// DeleteAccount removes an account and its data (today its sessions).
// The last enabled administrator cannot be deleted (a ValidationError):
// the web interface would be left without anyone to run it.
func (s *Service) DeleteAccount(ctx context.Context, p Principal, username string) error {
	if err := authorize(p, ActManageAccounts, ""); err != nil {
		return fmt.Errorf("delete account: %w", err)
	}
	err := s.store.Update(func(tx *store.Tx) error {
		a, err := tx.Account(username)
		if err != nil {
			return err
		}
		if err := keepAnAdmin(tx, a, "validation.last_admin.delete"); err != nil {
			return err
		}
		if err := tx.DeleteAccount(username); err != nil {
			return err
		}
		if err := tx.DeleteInvitationsBy(username); err != nil {
			return err
		}
		if err := tx.DeletePrefs(username); err != nil {
			return err
		}
		if err := deletePerson(tx, username); err != nil {
			return err
		}
		if err := tx.DeleteResetsOf(username); err != nil {
			return err
		}
		_, err = tx.DeleteSessionsOf(username, "")
		return err
	})
	if err != nil {
		return fmt.Errorf("delete account %s: %w", username, err)
	}
	s.match.ix.Remove(username)
	s.changed(s.uris.Actor(model.PersonName(username))) // its Person actor is gone
	s.log.Info("account deleted", "account", username)
	return nil
}

// changeAccount applies change to username's record in one transaction.
func (s *Service) changeAccount(username string, change func(tx *store.Tx, a *store.Account) error) error {
	return s.store.Update(func(tx *store.Tx) error {
		a, err := tx.Account(username)
		if err != nil {
			return err
		}
		if err := change(tx, &a); err != nil {
			return err
		}
		return tx.PutAccount(a)
	})
}

// keepAnAdmin refuses (with message) to take a away from the
// administrators when it is the last enabled one.
func keepAnAdmin(tx *store.Tx, a store.Account, key string) error {
	if acc := accountOf(a); acc.Role != RoleAdmin || acc.Disabled {
		return nil
	}
	all, err := tx.Accounts()
	if err != nil {
		return err
	}
	for _, o := range all {
		if acc := accountOf(o); o.Username != a.Username && acc.Role == RoleAdmin && !acc.Disabled {
			return nil
		}
	}
	return model.Invalid("username", key)
}

// checkRole validates a role and that its organisations exist locally.
// An editor needs at least one.
func checkRole(tx *store.Tx, role Role, orgs []string) error {
	if !role.IsValid() {
		return model.Invalid("role", "validation.role.choose")
	}
	if role == RoleEditor && len(orgs) == 0 {
		return model.Invalid("orgs", "validation.editor.orgs")
	}
	for _, o := range orgs {
		if o == model.InstanceName {
			return model.Invalid("orgs", "validation.org.unknown", o)
		}
		org, err := tx.Org(o)
		if errors.Is(err, store.ErrNotFound) || (err == nil && !org.IsOrganisation()) {
			return model.Invalid("orgs", "validation.org.unknown", o)
		} else if err != nil {
			return err
		}
	}
	return nil
}

// normOrgs trims, sorts and deduplicates orgs; an administrator has none.
func normOrgs(role Role, orgs []string) []string {
	if role == RoleAdmin {
		return nil
	}
	var out []string
	for _, o := range orgs {
		if o = strings.TrimSpace(o); o != "" {
			out = append(out, o)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
