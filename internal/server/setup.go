package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/url"

	"codeberg.org/maillage/maillage/internal/service"
)

// newSetupToken returns a random one-time token for the first-run setup
// page when the store has no administrator yet, else "". The token is
// kept in memory only (a restart makes a new one) and is never stored.
func newSetupToken(svc *service.Service) (string, error) {
	has, err := svc.HasAdmins(context.Background())
	if err != nil || has {
		return "", err
	}
	var b [32]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// setupURL is the setup page's address with its token, "" without one.
func setupURL(base, token string) string {
	if token == "" {
		return ""
	}
	return base + "/setup?token=" + url.QueryEscape(token)
}
