package webkit

import (
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"codeberg.org/maillage/maillage/internal/gazetteer"
	"codeberg.org/maillage/maillage/internal/i18n"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/uris"
)

// Deps are what the shared plumbing needs.
type Deps struct {
	Service *service.Service
	URIs    uris.URIs
	Log     *slog.Logger
	// Messages are the interface texts (i18n.Load).
	Messages *i18n.Bundle
	// TrustedProxies are reverse proxies (besides loopback) whose
	// X-Forwarded-For names the client, for login rate limiting.
	TrustedProxies []netip.Prefix
	// Now is the instance's clock (the login limiter); nil: time.Now.
	Now func() time.Time
}

// Kit is built once per instance and shared by web and admin, so that
// both count logins against the same limiter and render with the same
// templates. Its pages are registered at start (Parse) and parsed on
// first use.
type Kit struct {
	svc     *service.Service
	uris    uris.URIs
	log     *slog.Logger
	tr      *i18n.Bundle
	proxies []netip.Prefix
	pages   map[string]*page // parsed on first Render, with their fields' order
	places  func() (*gazetteer.Gazetteer, error)

	limiter *loginLimiter // per client address
	users   *loginLimiter // per username, whatever the client
	hashing chan struct{} // bounds concurrent password hashing (argon2id takes 19 MiB)
	csrf    *http.CrossOriginProtection
	secure  bool // session cookie marked Secure: the base URL is https
}

// Login limits, each over loginWindow and at most loginMaxClients entries
// remembered: per client address, loginMaxFailures attempts (a right
// password takes back only its own attempt); per username,
// loginMaxUserFailures attempts from any clients (a right password clears
// that username's count), so spreading guesses over many addresses does
// not help, and one client alone cannot lock an account out.
const (
	loginMaxFailures     = 5
	loginMaxUserFailures = 10
	loginWindow          = 10 * time.Minute
	loginMaxClients      = 10000
	loginMaxHashing      = 4
	maxFormBody          = 1 << 20
)

// New builds the shared plumbing; the packages using it parse their
// pages with Parse.
func New(d Deps) (*Kit, error) {
	if d.Messages == nil {
		return nil, errors.New("webkit: New needs the interface texts")
	}
	now := d.Now
	if now == nil {
		now = time.Now
	}
	csrf := http.NewCrossOriginProtection()
	// The bearer-token API carries no cookie; inboxes are let through by
	// CrossOrigin.
	csrf.AddInsecureBypassPattern("/api/")
	k := &Kit{svc: d.Service, uris: d.URIs, log: d.Log, tr: d.Messages, proxies: d.TrustedProxies,
		pages:   map[string]*page{},
		places:  sync.OnceValues(gazetteer.LoadEurope),
		limiter: newLoginLimiter(now, loginMaxFailures, loginWindow, loginMaxClients),
		users:   newLoginLimiter(now, loginMaxUserFailures, loginWindow, loginMaxClients),
		hashing: make(chan struct{}, loginMaxHashing),
		csrf:    csrf,
		secure:  strings.HasPrefix(d.URIs.Base, "https://"),
	}
	// The error page (ErrorPages) is the kit's own: every area renders it.
	if err := k.Parse(nil, "error"); err != nil {
		return nil, err
	}
	return k, nil
}

// CrossOrigin refuses cross-origin form posts (403), except to inboxes:
// servers post signed activities there with no cookie, and some send
// Origin or Sec-Fetch-Site. Every inbox, whatever its actor, is recognised
// by the one predicate uris.IsInboxPath rather than a list of routes.
func (k *Kit) CrossOrigin(next http.Handler) http.Handler {
	protected := k.csrf.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && k.uris.IsInboxPath(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		protected.ServeHTTP(w, r)
	})
}
