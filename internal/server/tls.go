package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"golang.org/x/crypto/acme/autocert"

	"codeberg.org/maillage/maillage/internal/config"
)

// tlsListener wraps ln in TLS when the configuration asks for it: a
// certificate and key from files, or certificates obtained and renewed
// through ACME. It returns ln unchanged for plain HTTP, and a function
// starting the ACME challenge listener (nil when none is needed).
func tlsListener(cfg config.Config, ln net.Listener) (net.Listener, *autocert.Manager, error) {
	base := &tls.Config{MinVersion: tls.VersionTLS12, NextProtos: []string{"h2", "http/1.1"}}
	switch {
	case cfg.TLSCert != "":
		cert, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
		if err != nil {
			return nil, nil, fmt.Errorf("server: tls: %w", err)
		}
		base.Certificates = []tls.Certificate{cert}
		return tls.NewListener(ln, base), nil, nil
	case cfg.ACMEDomain != "":
		m := &autocert.Manager{
			Prompt:     autocert.AcceptTOS,
			HostPolicy: autocert.HostWhitelist(cfg.ACMEDomain),
			Cache:      autocert.DirCache(filepath.Join(cfg.DataDir, "acme")),
			Email:      cfg.ACMEEmail,
		}
		tc := m.TLSConfig()
		tc.MinVersion = tls.VersionTLS12
		return tls.NewListener(ln, tc), m, nil
	}
	return ln, nil, nil
}

// serveACMEChallenges answers HTTP-01 challenges on cfg.ACMEHTTPListen and
// redirects everything else to HTTPS, until ctx ends.
func serveACMEChallenges(ctx context.Context, cfg config.Config, m *autocert.Manager, log *slog.Logger) error {
	ln, err := net.Listen("tcp", cfg.ACMEHTTPListen)
	if err != nil {
		return fmt.Errorf("server: acme listener: %w", err)
	}
	hs := &http.Server{Handler: m.HTTPHandler(nil), ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelDebug)}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
	}()
	if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
