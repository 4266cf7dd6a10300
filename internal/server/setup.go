package server

import (
	"context"

	"codeberg.org/maillage/maillage/internal/secret"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/uris"
)

// newSetupToken returns a random one-time token for the first-run setup
// page when the store has no administrator yet, else "". The token is
// kept in memory only (a restart makes a new one) and is never stored.
func newSetupToken(svc *service.Service) (string, error) {
	has, err := svc.HasAdmins(context.Background())
	if err != nil || has {
		return "", err
	}
	token, _ := secret.New()
	return token, nil
}

// setupURL is the setup page's address with its token, "" without one.
func setupURL(base, token string) string {
	if token == "" {
		return ""
	}
	return uris.URIs{Base: base}.Setup(token)
}
