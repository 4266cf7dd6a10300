package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/federation"
	"codeberg.org/maillage/maillage/internal/errs"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// Interactor finds where a visitor follows a remote uri from their own
// server (federation.Client implements it).
type Interactor interface {
	InteractionURL(ctx context.Context, account, uri string) (string, error)
}

// Remote follow lookups allowed per client address: each one makes this
// instance ask another server, so a visitor cannot use the form to make it
// fetch without bound.
const (
	remoteFollowMax     = 10
	remoteFollowWindow  = 10 * time.Minute
	remoteFollowClients = 10000
)

// remoteFollowForm is "Follow from your server" on an organisation's page
// and its own page.
type remoteFollowForm struct {
	URI     string // the local actor to follow
	Name    string // its display name, on the form's own page
	Account string // what the visitor typed
	Error   string
}

// memberPathRoutes are the member's path of issue #12: the instance's
// page of any object it holds, remote follow, and the interaction page
// other servers send their users to.
func (h *Handler) memberPathRoutes(r chi.Router) {
	r.Get("/object", h.showHeld)
	r.Get("/remote-follow", h.showRemoteFollow)
	r.Post("/remote-follow", h.remoteFollow)
	r.Get("/authorize_interaction", h.authorizeInteraction)
}

func (h *Handler) showRemoteFollow(w http.ResponseWriter, r *http.Request) {
	h.renderRemoteFollow(w, r, http.StatusOK, remoteFollowForm{URI: r.URL.Query().Get("uri")})
}

func (h *Handler) renderRemoteFollow(w http.ResponseWriter, r *http.Request, status int, f remoteFollowForm) {
	name, ok := h.uris.LocalActorName(f.URI)
	if !ok {
		http.NotFound(w, r)
		return
	}
	o, err := h.svc.Org(r.Context(), name)
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	f.Name = o.DisplayName
	h.allowFormRedirect(w)
	h.kit.Render(w, r, status, "remote_follow", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "member.remote.title", o.DisplayName), Data: f})
}

// remoteFollow sends the visitor to their server's page to follow one of
// our actors: a form POST that redirects, so it works without script.
func (h *Handler) remoteFollow(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	lang := h.tr.Pick(r)
	f := remoteFollowForm{URI: r.PostForm.Get("uri"), Account: strings.TrimSpace(r.PostForm.Get("account"))}
	if _, ok := h.uris.LocalActorName(f.URI); !ok {
		http.Error(w, "not an actor of this instance", http.StatusBadRequest)
		return
	}
	if f.Account == "" || len(f.Account) > 300 {
		f.Error = h.tr.T(lang, "member.remote.required")
		h.renderRemoteFollow(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if h.interact == nil {
		f.Error = h.tr.T(lang, "member.remote.failed", f.Account)
		h.renderRemoteFollow(w, r, http.StatusServiceUnavailable, f)
		return
	}
	client := h.kit.ClientIP(r)
	if !h.lookups.allow(client) {
		w.Header().Set("Retry-After", "600")
		f.Error = h.tr.T(lang, "member.remote.limited")
		h.renderRemoteFollow(w, r, http.StatusTooManyRequests, f)
		return
	}
	to, err := h.interact.InteractionURL(r.Context(), f.Account, f.URI)
	if errors.Is(err, federation.ErrNoInteractionPage) {
		f.Error = h.tr.T(lang, "member.remote.no_page", h.handleOf(f.URI))
		h.renderRemoteFollow(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		h.log.Info("remote follow failed", "err", err)
		f.Error = h.tr.T(lang, "member.remote.failed", f.Account)
		status := http.StatusBadGateway
		if errs.KindOf(err) == errs.Invalid {
			status = http.StatusUnprocessableEntity
			h.lookups.refund(client) // refused before asking anyone
		}
		h.renderRemoteFollow(w, r, status, f)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// allowFormRedirect lets the forms of the page being answered lead to
// other servers: the remote follow form posts here, and the answer
// redirects to the visitor's server, which "form-action 'self'" would stop,
// since browsers apply form-action to the redirects a submission follows
// (CSP Level 3, form-action). Plain http is allowed only to an instance
// that is itself on http (development and tests).
func (h *Handler) allowFormRedirect(w http.ResponseWriter) {
	hd := w.Header()
	allow := "form-action 'self' https:"
	if strings.HasPrefix(h.uris.Base, "http://") {
		allow += " http:"
	}
	if csp := hd.Get("Content-Security-Policy"); csp != "" {
		hd.Set("Content-Security-Policy", strings.Replace(csp, "form-action 'self'", allow, 1))
	}
}

// authorizeInteraction is where our WebFinger's subscribe template sends
// the users of this instance from another server's "follow from your
// server" form (Mastodon's path, app/controllers/authorize_interactions_controller.rb):
// an object this instance holds and shows to the visitor opens its page
// here; anything else is taken for an actor and prefilled in the member's
// follow form. An object the visitor may not see goes the same way as an
// unknown one, so the redirect does not tell whether it is held.
func (h *Handler) authorizeInteraction(w http.ResponseWriter, r *http.Request) {
	uri := strings.TrimSpace(r.URL.Query().Get("uri"))
	if uri == "" {
		http.Error(w, "uri parameter required", http.StatusBadRequest)
		return
	}
	uri = strings.TrimPrefix(uri, "acct:")
	p := h.heldViewer(w, r, h.memberOf(r) != nil)
	if _, err := h.svc.HeldObject(r.Context(), p, uri); err == nil {
		http.Redirect(w, r, "/object?id="+url.QueryEscape(uri), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/me/following?target="+url.QueryEscape(uri), http.StatusSeeOther)
}

// clientLimit counts events per client address in fixed windows, keeping
// at most size clients: while that many windows are live, new clients are
// refused.
type clientLimit struct {
	now    func() time.Time
	max    int
	window time.Duration
	size   int

	// mu guards seen: each client's count and the start of its window.
	mu        sync.Mutex
	seen      map[string]clientCount
	nextSweep time.Time // when a full table may have windows to forget
}

type clientCount struct {
	n     int
	since time.Time
}

func newClientLimit(now func() time.Time, max int, window time.Duration, size int) *clientLimit {
	return &clientLimit{now: now, max: max, window: window, size: size, seen: map[string]clientCount{}}
}

// sweep forgets the windows that are over and reports whether a new
// client fits. Live windows are never dropped, or new addresses could
// reset a client's count; a full table is scanned again only once its
// oldest window has ended. l.mu is held.
func (l *clientLimit) sweep(now time.Time) bool {
	if now.Before(l.nextSweep) {
		return false
	}
	oldest := now
	for k, v := range l.seen {
		if now.Sub(v.since) >= l.window {
			delete(l.seen, k)
		} else if v.since.Before(oldest) {
			oldest = v.since
		}
	}
	l.nextSweep = oldest.Add(l.window)
	return len(l.seen) < l.size
}

// refund takes back one event of client.
func (l *clientLimit) refund(client string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if c, ok := l.seen[client]; ok && c.n > 0 {
		c.n--
		l.seen[client] = c
	}
}

// allow counts one event of client and reports whether it is within the
// limit.
func (l *clientLimit) allow(client string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	c, ok := l.seen[client]
	if !ok && len(l.seen) >= l.size && !l.sweep(now) {
		return false // full of live windows: refused rather than forgetting one
	}
	if !ok || now.Sub(c.since) >= l.window {
		c = clientCount{since: now}
	}
	c.n++
	l.seen[client] = c
	return c.n <= l.max
}
