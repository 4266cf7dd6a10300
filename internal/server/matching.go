package server

import (
	"context"
	"time"

	"codeberg.org/maillage/maillage/internal/config"
	"codeberg.org/maillage/maillage/internal/mail"
	"codeberg.org/maillage/maillage/internal/service"
)

// mailer is the SMTP sender of the configuration, nil without -smtp-addr.
func mailer(cfg config.Config) service.Mailer {
	if cfg.SMTPAddr == "" {
		return nil
	}
	return mail.SMTP{Addr: cfg.SMTPAddr, From: cfg.SMTPFrom, User: cfg.SMTPUser, Password: cfg.SMTPPassword}
}

// digests sends the due e-mail digests at start and then hourly (each
// account's own daily or weekly period decides whether it gets one).
func (s *Server) digests(ctx context.Context) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		if n, err := s.Service.SendDigests(ctx); err != nil {
			s.log.Error("digests failed", "err", err)
		} else if n > 0 {
			s.log.Info("digests sent", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
