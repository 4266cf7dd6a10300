package webkit

import (
	"context"
	"errors"
	"net/http"

	"codeberg.org/maillage/maillage/internal/service"
)

// SessionCookie holds an account's random session id; the server keeps
// only its SHA-256.
const SessionCookie = "maillage_session"

type sessionKey struct{}

// WithAccount is ctx carrying the account signed in for its request
// (requireAdmin, requireSession).
func WithAccount(ctx context.Context, acc service.Account) context.Context {
	return context.WithValue(ctx, sessionKey{}, acc)
}

// AccountOf is the account signed in for this request (the zero
// Account, which may do nothing, outside requireAdmin or requireSession).
func AccountOf(ctx context.Context) service.Account {
	a, _ := ctx.Value(sessionKey{}).(service.Account)
	return a
}

// UserOf is the name of the account signed in for this request.
func UserOf(ctx context.Context) string { return AccountOf(ctx).Username }

// PrincipalOf is who r acts for: the account of its session (requireAdmin,
// requireSession), else the zero Principal, which may do nothing.
func PrincipalOf(r *http.Request) service.Principal {
	if acc := AccountOf(r.Context()); acc.Username != "" {
		return service.AccountPrincipal(acc)
	}
	return service.Principal{}
}

// SessionAccount is the account whose session cookie r carries.
func (k *Kit) SessionAccount(r *http.Request) (service.Account, bool) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return service.Account{}, false
	}
	acc, err := k.svc.SessionAccount(r.Context(), c.Value)
	if err != nil {
		if !errors.Is(err, service.ErrNotFound) {
			k.log.Error("read session", "err", err)
		}
		return service.Account{}, false
	}
	return acc, true
}

// SessionIDOf is the session id in r's cookie, or "".
func SessionIDOf(r *http.Request) string {
	if c, err := r.Cookie(SessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// SecureCookies says whether the session cookie is marked Secure: the base
// URL is https.
func (k *Kit) SecureCookies() bool { return k.secure }

// ClearSessionCookie tells the browser to forget its session cookie.
func (k *Kit) ClearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: k.secure, SameSite: http.SameSiteLaxMode})
}
