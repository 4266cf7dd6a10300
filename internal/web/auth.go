package web

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/service"
)

// sessionCookie holds an administrator's random session id; the server
// keeps only its SHA-256.
const sessionCookie = "maillage_session"

// requireAdmin lets through requests with a live session of an account
// that may read the admin interface (administrators and editors: members
// get 403), and sends those without a session to the login page, coming
// back to the page asked for. It puts the account in the context, where
// principalOf finds it for the service, which authorises each use case.
func (h *Handler) requireAdmin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		acc, ok := h.sessionAccount(r)
		if !ok {
			back := "/admin"
			if r.Method == http.MethodGet {
				back = r.URL.RequestURI()
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(back), http.StatusSeeOther)
			return
		}
		if !service.Can(acc, service.ActReadAdmin, "") {
			h.forbid(w, r, acc, service.ActReadAdmin)
			return
		}
		next.ServeHTTP(w, r.WithContext(withSessionAccount(r.Context(), acc)))
	})
}

// allow lets through the requests whose account may do act, about the
// organisation named in the path if any; the others get 403. It runs
// after requireAdmin, on the server, whatever the page shows.
func (h *Handler) allow(act service.Action) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			acc := sessionAccountOf(r.Context())
			if !service.Can(acc, act, chi.URLParam(r, "org")) {
				h.forbid(w, r, acc, act)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

func (h *Handler) forbid(w http.ResponseWriter, r *http.Request, acc service.Account, act service.Action) {
	h.log.Info("forbidden", "account", acc.Username, "role", string(acc.Role), "action", string(act), "path", r.URL.Path)
	writePageError(w, h.log, service.ErrForbidden)
}

// principalOf is who r acts for: the account of its session (requireAdmin,
// requireSession), else the zero Principal, which may do nothing.
func principalOf(r *http.Request) service.Principal {
	if acc := sessionAccountOf(r.Context()); acc.Username != "" {
		return service.AccountPrincipal(acc)
	}
	return service.Principal{}
}

// sessionAccount is the account whose session cookie r carries.
func (h *Handler) sessionAccount(r *http.Request) (service.Account, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return service.Account{}, false
	}
	acc, err := h.svc.SessionAccount(r.Context(), c.Value)
	if err != nil {
		if !errors.Is(err, service.ErrNotFound) {
			h.log.Error("read session", "err", err)
		}
		return service.Account{}, false
	}
	return acc, true
}

// loginView is the login form.
type loginView struct {
	Next, Username string
	Error          string // i18n key
	RetryMinutes   int
	NoAdmins       bool
}

func (h *Handler) showLogin(w http.ResponseWriter, r *http.Request) {
	h.renderLogin(w, r, http.StatusOK, loginView{Next: safeNext(r.URL.Query().Get("next"))})
}

func (h *Handler) renderLogin(w http.ResponseWriter, r *http.Request, status int, v loginView) {
	hasAdmins, err := h.svc.HasAdmins(r.Context())
	if err != nil {
		writePageError(w, h.log, err)
		return
	}
	v.NoAdmins = !hasAdmins
	w.Header().Set("Cache-Control", "no-store")
	h.render(w, r, status, "login", pageData{Title: h.tr.T(h.tr.Pick(r), "admin.login.title"), Data: v})
}

// login checks a username and password and opens a session. Attempts are
// limited per client address and per username (countLogin), before any
// password is hashed.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	if !readForm(w, r) {
		return
	}
	v := loginView{Next: safeNext(r.PostFormValue("next")), Username: strings.TrimSpace(r.PostFormValue("username"))}
	client := clientIP(r, h.proxies...)
	if ok, retry := h.countLogin(client, v.Username); !ok {
		h.log.Warn("login rate limited", "admin", v.Username, "remote_host", client)
		v.Error, v.RetryMinutes = "admin.login.limited", int(math.Ceil(retry.Minutes()))
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(retry.Seconds()))))
		h.renderLogin(w, r, http.StatusTooManyRequests, v)
		return
	}
	select {
	case h.admin.hashing <- struct{}{}:
	case <-r.Context().Done():
		return
	}
	err := h.svc.CheckLogin(r.Context(), v.Username, r.PostFormValue("password"))
	<-h.admin.hashing
	if errors.Is(err, service.ErrBadLogin) {
		h.log.Info("login failed", "admin", v.Username, "remote_host", client)
		v.Error = "admin.login.failed"
		h.renderLogin(w, r, http.StatusUnauthorized, v)
		return
	}
	if err != nil {
		writePageError(w, h.log, err)
		return
	}
	h.loginSucceeded(client, v.Username)
	// One browser, one session: the one it held (perhaps another
	// administrator's) ends rather than lingering beside the new one.
	if old := sessionIDOf(r); old != "" {
		if err := h.svc.EndSession(r.Context(), old); err != nil {
			writePageError(w, h.log, err)
			return
		}
	}
	id, expires, err := h.svc.NewSession(r.Context(), v.Username)
	if err != nil {
		writePageError(w, h.log, err)
		return
	}
	h.log.Info("login", "admin", v.Username, "remote_host", client)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", Expires: expires,
		MaxAge: int(service.SessionTTL.Seconds()), HttpOnly: true, Secure: h.admin.secure, SameSite: http.SameSiteLaxMode})
	// Members have no admin pages: their home is /me.
	if acc, err := h.svc.SessionAccount(r.Context(), id); err == nil && !service.Can(acc, service.ActReadAdmin, "") &&
		!strings.HasPrefix(v.Next, "/me") {
		v.Next = "/me"
	}
	http.Redirect(w, r, v.Next, http.StatusSeeOther)
}

// logout ends the session and clears the cookie.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if id := sessionIDOf(r); id != "" {
		if err := h.svc.EndSession(r.Context(), id); err != nil {
			writePageError(w, h.log, err)
			return
		}
	}
	h.clearSessionCookie(w)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// clearSessionCookie tells the browser to forget its session cookie.
func (h *Handler) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: h.admin.secure, SameSite: http.SameSiteLaxMode})
}

// sessionIDOf is the session id in r's cookie, or "".
func sessionIDOf(r *http.Request) string {
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// safeNext keeps a post-login destination only if it is a page of the
// admin interface on this host, so the login form cannot be used to
// redirect elsewhere.
func safeNext(next string) string {
	if (next == "/me" || strings.HasPrefix(next, "/me/")) && !strings.ContainsAny(next, "\\\r\n\t") {
		return next
	}
	if next != "/admin" && !strings.HasPrefix(next, "/admin/") && !strings.HasPrefix(next, "/admin?") {
		return "/admin"
	}
	if strings.ContainsAny(next, "\\\r\n\t") {
		return "/admin"
	}
	return next
}
