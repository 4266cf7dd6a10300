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

// ResetTTL is how long a password reset link works.
const ResetTTL = time.Hour

// resetQueueLen bounds the reset requests waiting for RunResets; beyond
// it, requests are dropped (and logged) rather than piling up.
const resetQueueLen = 32

// ErrBadReset is an unknown, used or expired reset token; it never says
// which.
var ErrBadReset = fmt.Errorf("service: invalid or expired reset link: %w", ErrNotFound)

// RequestReset queues a password reset for the account named who (a
// username or an e-mail address) and returns at once: the lookup, the
// token and the e-mail happen in RunResets, so the answer takes the same
// time whether an account matches or not. A full queue drops the request.
func (s *Service) RequestReset(who string) {
	who = strings.TrimSpace(who)
	if who == "" || len(who) > 320 {
		return
	}
	select {
	case s.resets <- who:
	default:
		s.log.Warn("reset queue full, request dropped")
	}
}

// RunResets handles the queued reset requests, one at a time, until ctx
// ends.
func (s *Service) RunResets(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case who := <-s.resets:
			if err := s.sendReset(ctx, who); err != nil {
				s.log.Error("reset e-mail failed", "err", err)
			}
		}
	}
}

// sendReset e-mails a reset link to the account who names (a username),
// or to every account whose address is who: addresses are not verified,
// so several accounts may share one, and each gets its own link (one
// account copying another's address cannot divert that account's reset).
// Only enabled accounts with an address are served, only with a Mailer
// configured, and at most mailboxMaxLinks requests per mailbox and hour.
func (s *Service) sendReset(ctx context.Context, who string) error {
	type target struct{ name, email string }
	var targets []target
	err := s.store.View(func(tx *store.Tx) error {
		if a, err := tx.Account(who); err == nil {
			p, err := tx.Prefs(a.Username)
			if err != nil {
				return err
			}
			if !a.Disabled && p.Email != "" {
				targets = append(targets, target{a.Username, p.Email})
			}
			return nil
		}
		return tx.EachPrefs(func(n string, p store.Prefs) error {
			if p.Email != "" && strings.EqualFold(p.Email, who) && len(targets) < maxResetTargets {
				if a, err := tx.Account(n); err == nil && !a.Disabled {
					targets = append(targets, target{n, p.Email})
				}
			}
			return nil
		})
	})
	if err != nil || s.mail == nil {
		return err
	}
	// Each mailbox is charged once per request (accounts sharing an
	// address get their links together) and refused beyond its limit.
	now, allowed := s.Now(), map[string]bool{}
	for _, tg := range targets {
		box := strings.ToLower(tg.email)
		ok, seen := allowed[box]
		if !seen {
			ok = s.resetMails.allow(box, now)
			allowed[box] = ok
			if !ok {
				s.log.Warn("reset e-mail rate limited", "account", tg.name)
			}
		}
		if !ok {
			continue
		}
		token, err := s.makeResetLink(tg.name, tg.email)
		if err != nil {
			return err
		}
		body := fmt.Sprintf("Someone (you, we hope) asked to reset the password of the account %s on %s.\n\n"+
			"Set a new password here within the hour (the link works once):\n%s\n\n"+
			"If you did not ask, ignore this message: your password stays as it is.\n",
			tg.name, s.uris.Host(), s.ResetURL(token))
		if err := s.mail.Send(ctx, tg.email, s.uris.Host()+": password reset", body); err != nil {
			return fmt.Errorf("reset of %s: %w", tg.name, err)
		}
		s.log.Info("reset e-mail sent", "account", tg.name)
	}
	return nil
}

// maxResetTargets bounds the accounts one reset request by address serves.
const maxResetTargets = 10

// ResetURL is the address of the reset form of token.
func (s *Service) ResetURL(token string) string { return s.uris.Reset(token) }

// MakeResetLink makes a single-use reset token for username, valid for
// ResetTTL, and returns it: only its SHA-256 is stored. Administrators use
// it for accounts without an e-mail address.
func (s *Service) MakeResetLink(ctx context.Context, p Principal, username string) (string, error) {
	if err := authorize(p, ActManageAccounts, ""); err != nil {
		return "", fmt.Errorf("make reset link: %w", err)
	}
	return s.makeResetLink(username, "")
}

// makeResetLink makes a reset token for username to be e-mailed to email
// ("": shown to an administrator).
func (s *Service) makeResetLink(username, email string) (string, error) {
	token, _ := secret.New()
	now := s.Now().UTC()
	err := s.store.Update(func(tx *store.Tx) error {
		if _, err := tx.Account(username); err != nil {
			return err
		}
		return tx.PutReset(token, store.Reset{Username: username, Expires: now.Add(ResetTTL), Email: email}, now)
	})
	if err != nil {
		return "", fmt.Errorf("reset link for %s: %w", username, err)
	}
	return token, nil
}

// CheckReset reports whether token can be used now (nil) or not
// (ErrBadReset), without using it.
func (s *Service) CheckReset(ctx context.Context, token string) error {
	return s.store.View(func(tx *store.Tx) error {
		_, err := s.liveReset(tx, token)
		return err
	})
}

// ResetPassword sets the password of token's account, uses every reset
// of that account up, confirms the address the link was e-mailed to if
// the account still has it, and ends all its sessions, in one transaction. A bad
// token is ErrBadReset; a weak password a ValidationError (the token
// stays usable).
func (s *Service) ResetPassword(ctx context.Context, token, password string) error {
	if err := s.CheckReset(ctx, token); err != nil {
		return err
	}
	if pe, ok := accountProblems("x", password)["password"]; ok {
		return &model.ValidationError{Fields: model.FieldErrors{"password": pe}}
	}
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	var name string
	err = s.store.Update(func(tx *store.Tx) error {
		r, err := s.liveReset(tx, token)
		if err != nil {
			return err
		}
		name = r.Username
		a, err := tx.Account(name)
		if err != nil {
			return ErrBadReset
		}
		a.Hash = hash
		if err := tx.PutAccount(a); err != nil {
			return err
		}
		if err := tx.DeleteResetsOf(name); err != nil {
			return err
		}
		if err := confirmByReset(tx, r); err != nil {
			return err
		}
		_, err = tx.DeleteSessionsOf(name, "")
		return err
	})
	if err != nil {
		return fmt.Errorf("reset password: %w", err)
	}
	s.log.Info("password reset", "account", name)
	return nil
}

// confirmByReset confirms the account's address when r was e-mailed to it
// (reset links may go to an unconfirmed address): using the link proved
// its owner reads that mailbox, as a confirmation link would.
func confirmByReset(tx *store.Tx, r store.Reset) error {
	if r.Email == "" {
		return nil
	}
	p, err := tx.Prefs(r.Username)
	if err != nil || p.Email != r.Email || p.EmailConfirmed() {
		return err
	}
	p.ConfirmedEmail = p.Email
	p.ConfirmHash, p.ConfirmFor, p.ConfirmExpires = "", "", time.Time{}
	return tx.PutPrefs(r.Username, p)
}

func (s *Service) liveReset(tx *store.Tx, token string) (store.Reset, error) {
	if token == "" {
		return store.Reset{}, ErrBadReset
	}
	r, err := tx.Reset(token)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !s.Now().Before(r.Expires)) {
		return r, ErrBadReset
	}
	return r, err
}
