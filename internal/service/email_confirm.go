package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"codeberg.org/maillage/maillage/internal/errs"
	"codeberg.org/maillage/maillage/internal/secret"
	"codeberg.org/maillage/maillage/store"
)

// ConfirmTTL is how long an e-mail confirmation link works.
const ConfirmTTL = 48 * time.Hour

// ErrBadConfirm is an unknown, used or expired confirmation link, or one
// for an address the account no longer has; it never says which.
var ErrBadConfirm = fmt.Errorf("service: invalid or expired confirmation link: %w", ErrNotFound)

// ErrTooManyMails is a link e-mail refused because its mailbox had its
// share this hour (mailbox_limit.go).
var ErrTooManyMails = errs.New(errs.RateLimited, "service: too many e-mails to this address")

// EmailStatus is where an account's address stands.
type EmailStatus struct {
	Email     string
	Confirmed bool // its owner opened the confirmation link
	Sent      bool // a live confirmation link was sent to it
}

// EmailStatusOf is where username's address stands.
func (s *Service) EmailStatusOf(ctx context.Context, pr Principal, username string) (EmailStatus, error) {
	if err := authorizeSelf(pr, username, "read the address"); err != nil {
		return EmailStatus{}, err
	}
	p, _, err := s.prefs(username)
	if err != nil {
		return EmailStatus{}, err
	}
	return EmailStatus{Email: p.Email, Confirmed: p.EmailConfirmed(),
		Sent: p.ConfirmHash != "" && p.ConfirmFor == p.Email && s.Now().Before(p.ConfirmExpires)}, nil
}

// HasMailer reports whether the instance can send e-mail (a mail server
// is configured): without one there are no digests, reminders,
// confirmation or reset links, and the pages say so.
func (s *Service) HasMailer() bool { return s.mail != nil }

// SendEmailConfirmation e-mails username's address a new single-use link
// confirming it (the previous link stops working); only the token's
// SHA-256 is kept. Nothing happens for an account without an address, one
// already confirmed, or without a Mailer. A mailbox gets at most
// mailboxMaxLinks links an hour, whoever asks, and an account causes at
// most accountMaxConfirmations, whatever addresses it gives: beyond,
// ErrTooManyMails.
func (s *Service) SendEmailConfirmation(ctx context.Context, p Principal, username string) error {
	if err := authorizeSelf(p, username, "confirm the address"); err != nil {
		return err
	}
	return s.sendEmailConfirmation(ctx, username)
}

func (s *Service) sendEmailConfirmation(ctx context.Context, username string) error {
	if s.mail == nil {
		return nil
	}
	token, hash := secret.New()
	now := s.Now()
	var to string
	err := s.changePrefs(username, func(p *store.Prefs) error {
		if p.Email == "" || p.EmailConfirmed() {
			return nil
		}
		if !s.confirmAccounts.allow(username, now) || !s.confirmMails.allow(p.Email, now) {
			return ErrTooManyMails
		}
		to = p.Email
		p.ConfirmHash, p.ConfirmFor, p.ConfirmExpires = hash.String(), p.Email, now.UTC().Add(ConfirmTTL)
		return nil
	})
	if err != nil || to == "" {
		if err != nil {
			err = fmt.Errorf("e-mail confirmation of %s: %w", username, err)
		}
		return err
	}
	body := fmt.Sprintf("Someone (you, we hope) gave this address to the account %[1]s on %[2]s.\n\n"+
		"Confirm it here within 48 hours (the link works once); digests and reminders are sent only to a confirmed address:\n%[3]s\n\n"+
		"If it was not you, ignore this message: nothing will be sent to you.\n\n"+
		"--\n\n"+
		"Quelqu'un (vous, espérons-le) a donné cette adresse au compte %[1]s sur %[2]s.\n\n"+
		"Confirmez-la ici dans les 48 heures (le lien ne sert qu'une fois) ; résumés et rappels ne partent que vers une adresse confirmée :\n%[3]s\n\n"+
		"Si ce n'était pas vous, ignorez ce message : rien ne vous sera envoyé.\n",
		username, s.uris.Host(), s.ConfirmURL(username, token))
	if err := s.mail.Send(ctx, to, s.uris.Host()+": confirm your e-mail address / confirmez votre adresse", body); err != nil {
		return fmt.Errorf("e-mail confirmation of %s: %w", username, err)
	}
	s.log.Info("confirmation e-mail sent", "account", username)
	return nil
}

// ConfirmURL is the address of the page confirming username's address
// with token.
func (s *Service) ConfirmURL(username, token string) string {
	return s.uris.Confirm(username, token)
}

// CheckEmailConfirmation reports whether token would confirm username's
// address now (nil) or not (ErrBadConfirm), without using it.
func (s *Service) CheckEmailConfirmation(ctx context.Context, username, token string) error {
	p, _, err := s.prefs(username)
	if err != nil {
		return err
	}
	return s.liveConfirm(p, token)
}

// ConfirmEmail marks username's address confirmed if token is its live
// confirmation token, and uses the token up.
func (s *Service) ConfirmEmail(ctx context.Context, username, token string) error {
	err := s.changePrefs(username, func(p *store.Prefs) error {
		if err := s.liveConfirm(*p, token); err != nil {
			return err
		}
		p.ConfirmedEmail = p.Email
		p.ConfirmHash, p.ConfirmFor, p.ConfirmExpires = "", "", time.Time{}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return ErrBadConfirm
	}
	if err != nil {
		return fmt.Errorf("confirm e-mail of %s: %w", username, err)
	}
	s.log.Info("e-mail address confirmed", "account", username)
	return nil
}

// liveConfirm checks token against p's live confirmation, in constant
// time: it must be unexpired and for the address p has now.
func (s *Service) liveConfirm(p store.Prefs, token string) error {
	if token == "" || p.ConfirmHash == "" || p.Email == "" || p.ConfirmFor != p.Email || !s.Now().Before(p.ConfirmExpires) ||
		!secret.Equal(secret.Hash(token).String(), p.ConfirmHash) {
		return ErrBadConfirm
	}
	return nil
}
