package webkit

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// loginLimiter counts attempts per key (a client address, or a username)
// in a fixed window. It is in memory (a restart forgets it) and bounded:
// when full, expired entries go first, then the oldest.
type loginLimiter struct {
	now    func() time.Time
	max    int
	window time.Duration
	size   int

	mu      sync.Mutex // guards clients
	clients map[string]*loginAttempts
}

type loginAttempts struct {
	n     int
	since time.Time // start of the window
}

func newLoginLimiter(now func() time.Time, max int, window time.Duration, size int) *loginLimiter {
	return &loginLimiter{now: now, max: max, window: window, size: size, clients: map[string]*loginAttempts{}}
}

// attempt counts one attempt by key and reports whether it may go ahead;
// if not, retry is how long until it may. Counting before the password is
// checked means parallel attempts cannot slip past the limit.
func (l *loginLimiter) attempt(key string) (ok bool, retry time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	a := l.clients[key]
	if a != nil && now.Sub(a.since) >= l.window {
		delete(l.clients, key)
		a = nil
	}
	if a == nil {
		l.makeRoom(now)
		a = &loginAttempts{since: now}
		l.clients[key] = a
	}
	if a.n >= l.max {
		return false, l.window - now.Sub(a.since)
	}
	a.n++
	return true, 0
}

// refund takes back the one attempt a request counted against key, when
// it turned out not to be a failure (a right password). It never takes
// back more: the failures the same client made against other accounts
// stay counted, so signing in to one's own account cannot buy guesses at
// someone else's.
func (l *loginLimiter) refund(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if a := l.clients[key]; a != nil && a.n > 0 {
		a.n--
	}
}

// reset forgets key's attempts. Only for a username, after its right
// password: a client's count is shared by every account it tries.
func (l *loginLimiter) reset(key string) {
	l.mu.Lock()
	delete(l.clients, key)
	l.mu.Unlock()
}

// makeRoom keeps the map under size entries. l.mu is held.
func (l *loginLimiter) makeRoom(now time.Time) {
	if len(l.clients) < l.size {
		return
	}
	var oldest string
	for c, a := range l.clients {
		if now.Sub(a.since) >= l.window {
			delete(l.clients, c)
		} else if oldest == "" || a.since.Before(l.clients[oldest].since) {
			oldest = c
		}
	}
	if len(l.clients) >= l.size {
		delete(l.clients, oldest)
	}
}

// clientIP is the client a login attempt is counted against: the peer's
// address, or, when the peer is a reverse proxy (on loopback, or in one of
// the trusted networks), the last address it appended to X-Forwarded-For
// (the only entry it vouches for). An IPv6 client is its /64: one host
// is usually given a whole /64, and counting each of its addresses apart
// would give it 2^64 budgets.
func clientIP(r *http.Request, trusted ...netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	if ip.IsLoopback() || inAny(ip.Unmap(), trusted) {
		values := r.Header.Values("X-Forwarded-For")
		if len(values) > 0 {
			parts := strings.Split(values[len(values)-1], ",")
			if fwd, err := netip.ParseAddr(strings.TrimSpace(parts[len(parts)-1])); err == nil {
				ip = fwd
			}
		}
	}
	return clientKey(ip)
}

// clientKey is ip itself for IPv4, its /64 for IPv6.
func clientKey(ip netip.Addr) string {
	if ip = ip.Unmap(); ip.Is6() {
		return netip.PrefixFrom(ip, 64).Masked().String()
	}
	return ip.String()
}

func inAny(ip netip.Addr, nets []netip.Prefix) bool {
	for _, n := range nets {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// CountLogin counts an attempt at username's password by client against
// both login limits, before any password is hashed; when refused, retry
// is how long until it may. A username no account can have (model.ValidName)
// is left to the client limit alone, so the per-username map holds short
// names only.
func (k *Kit) CountLogin(client, username string) (ok bool, retry time.Duration) {
	if ok, retry = k.limiter.attempt(client); !ok {
		return false, retry
	}
	if model.ValidName(username) != nil {
		return true, 0
	}
	if ok, retry = k.users.attempt(username); !ok {
		k.limiter.refund(client) // no password was checked
	}
	return ok, retry
}

// CountClient counts an attempt by client against its login limit alone
// (a reset request, which checks no password); false: over the limit.
func (k *Kit) CountClient(client string) bool {
	ok, _ := k.limiter.attempt(client)
	return ok
}

// RefundLogin takes back client's one attempt (a form that succeeded),
// leaving its earlier failures counted.
func (k *Kit) RefundLogin(client string) { k.limiter.refund(client) }

// LoginSucceeded records a right password for username from client: it
// clears that username's count and takes back the client's one attempt,
// leaving its failures against other accounts counted.
func (k *Kit) LoginSucceeded(client, username string) {
	k.users.reset(username)
	k.limiter.refund(client)
}

// ClientIP is the address r's login attempts are counted against
// (clientIP with the trusted proxies).
func (k *Kit) ClientIP(r *http.Request) string { return clientIP(r, k.proxies...) }

// AcquireHash waits for one of the few password-hashing slots; false: the
// request ended first. Call ReleaseHash after hashing.
func (k *Kit) AcquireHash(ctx context.Context) bool {
	select {
	case k.hashing <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

// ReleaseHash frees the slot taken by AcquireHash.
func (k *Kit) ReleaseHash() { <-k.hashing }

// HashSlot admits a form that hashes a password (join, reset, sign-up): it
// counts the attempt against the client's login limit (429 when over it)
// and waits for one of the few password-hashing slots. When ok is false
// the answer is already written; otherwise call release after hashing.
func (k *Kit) HashSlot(w http.ResponseWriter, r *http.Request, what string) (release func(), client string, ok bool) {
	client = k.ClientIP(r)
	if allowed, _ := k.limiter.attempt(client); !allowed {
		k.log.Warn(what+" rate limited", "remote_host", client)
		http.Error(w, http.StatusText(http.StatusTooManyRequests), http.StatusTooManyRequests)
		return nil, client, false
	}
	if !k.AcquireHash(r.Context()) {
		return nil, client, false
	}
	return k.ReleaseHash, client, true
}
