package web

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"

	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

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
		webkit.WritePageError(w, h.log, err)
		return
	}
	v.NoAdmins = !hasAdmins
	w.Header().Set("Cache-Control", "no-store")
	h.kit.Render(w, r, status, "login", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "admin.login.title"), Data: v})
}

// login checks a username and password and opens a session. Attempts are
// limited per client address and per username (CountLogin), before any
// password is hashed.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	v := loginView{Next: safeNext(r.PostFormValue("next")), Username: strings.TrimSpace(r.PostFormValue("username"))}
	client := h.kit.ClientIP(r)
	if ok, retry := h.kit.CountLogin(client, v.Username); !ok {
		h.log.Warn("login rate limited", "admin", v.Username, "remote_host", client)
		v.Error, v.RetryMinutes = "admin.login.limited", int(math.Ceil(retry.Minutes()))
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(retry.Seconds()))))
		h.renderLogin(w, r, http.StatusTooManyRequests, v)
		return
	}
	if !h.kit.AcquireHash(r.Context()) {
		return
	}
	err := h.svc.CheckLogin(r.Context(), v.Username, r.PostFormValue("password"))
	h.kit.ReleaseHash()
	if errors.Is(err, service.ErrBadLogin) {
		h.log.Info("login failed", "admin", v.Username, "remote_host", client)
		v.Error = "admin.login.failed"
		h.renderLogin(w, r, http.StatusUnauthorized, v)
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.kit.LoginSucceeded(client, v.Username)
	// One browser, one session: the one it held (perhaps another
	// administrator's) ends rather than lingering beside the new one.
	if old := webkit.SessionIDOf(r); old != "" {
		if err := h.svc.EndSession(r.Context(), old); err != nil {
			webkit.WritePageError(w, h.log, err)
			return
		}
	}
	id, expires, err := h.svc.NewSession(r.Context(), v.Username)
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.log.Info("login", "admin", v.Username, "remote_host", client)
	http.SetCookie(w, &http.Cookie{Name: webkit.SessionCookie, Value: id, Path: "/", Expires: expires,
		MaxAge: int(service.SessionTTL.Seconds()), HttpOnly: true, Secure: h.kit.SecureCookies(), SameSite: http.SameSiteLaxMode})
	// Members have no admin pages: their home is /me.
	if acc, err := h.svc.SessionAccount(r.Context(), id); err == nil && !service.Can(acc, service.ActReadAdmin, "") &&
		!strings.HasPrefix(v.Next, "/me") {
		v.Next = "/me"
	}
	http.Redirect(w, r, v.Next, http.StatusSeeOther)
}

// logout ends the session and clears the cookie.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if id := webkit.SessionIDOf(r); id != "" {
		if err := h.svc.EndSession(r.Context(), id); err != nil {
			webkit.WritePageError(w, h.log, err)
			return
		}
	}
	h.kit.ClearSessionCookie(w)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
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
