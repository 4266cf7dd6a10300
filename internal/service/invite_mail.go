package service

import (
	"context"
	"fmt"
	"net/mail"
	"strings"

	"codeberg.org/maillage/maillage/internal/model"
)

// InviteByMail makes an invitation as Invite does and e-mails its link to
// the address to, saying who invites, for which role and organisations.
// The address must be a plain one, the instance needs a mail server, and
// a mailbox gets at most mailboxMaxLinks links an hour whoever asks
// (ErrTooManyMails), so an administrator's account cannot be used to mail
// strangers without bound. The code comes back even when sending fails
// (the error then says so), for the page to show the link instead.
func (s *Service) InviteByMail(ctx context.Context, p Principal, role Role, orgs []string, invitedBy, to string) (string, error) {
	if err := authorize(p, ActManageAccounts, ""); err != nil {
		return "", fmt.Errorf("invite by mail: %w", err)
	}
	if a, err := mail.ParseAddress(to); err != nil || a.Address != to || len(to) > 254 {
		return "", model.Invalid("email", "validation.email")
	}
	if s.mail == nil {
		return "", model.Invalid("email", "validation.invite.no_mail")
	}
	if !s.confirmMails.allow(to, s.Now()) {
		return "", fmt.Errorf("invite %s: %w", to, ErrTooManyMails)
	}
	code, err := s.Invite(ctx, p, role, orgs, invitedBy)
	if err != nil {
		return "", err
	}
	if err := s.mail.Send(ctx, to, s.uris.Host()+": invitation", invitationBody(s.uris.Host(), invitedBy, role, normOrgs(role, orgs), s.uris.Join(code))); err != nil {
		return code, fmt.Errorf("invite by mail: send: %w", err)
	}
	s.log.Info("invitation sent by e-mail", "account", invitedBy, "role", string(role))
	return code, nil
}

// invitationBody is the invitation e-mail, in English then French, as the
// other e-mails of the instance.
func invitationBody(host, invitedBy string, role Role, orgs []string, link string) string {
	for_, pour := "", ""
	if len(orgs) > 0 {
		list := strings.Join(orgs, ", ")
		for_, pour = " for "+list, " pour "+list
	}
	days := int(InvitationTTL.Hours() / 24)
	return fmt.Sprintf("%[1]s invites you to open an account on %[2]s, the maillage instance of the social and solidarity economy, as %[3]s%[4]s.\n\n"+
		"Choose your username and password here within %[5]d days (the link works once):\n%[6]s\n\n"+
		"If you did not expect this, ignore this message.\n\n"+
		"--\n\n"+
		"%[1]s vous invite à ouvrir un compte sur %[2]s, l'instance maillage de l'économie sociale et solidaire, comme %[3]s%[7]s.\n\n"+
		"Choisissez votre nom d'utilisateur et votre mot de passe ici dans les %[5]d jours (le lien ne sert qu'une fois) :\n%[6]s\n\n"+
		"Si vous ne vous y attendiez pas, ignorez ce message.\n",
		invitedBy, host, role, for_, days, link, pour)
}
