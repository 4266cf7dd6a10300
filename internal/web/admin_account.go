package web

import (
	"math"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/model"
)

// adminAccountView is the signed-in administrator's own page: the form
// changing the password and the button signing out everywhere.
type adminAccountView struct {
	adminPage
	Errs    adminFieldErrors
	Changed bool // the password was just changed
}

func (h *Handler) adminAccount(w http.ResponseWriter, r *http.Request) {
	h.renderAccount(w, r, http.StatusOK, adminAccountView{Changed: r.URL.Query().Get("changed") == "1"})
}

func (h *Handler) renderAccount(w http.ResponseWriter, r *http.Request, status int, v adminAccountView) {
	v.adminPage = adminPageOf(r)
	h.render(w, r, status, "admin_account", pageData{Title: h.tr.T(h.tr.Pick(r), "admin.account.title"), Data: v})
}

// adminChangePassword checks the current password (under the login
// limits: a stolen session must not become a password oracle), sets the
// new one and ends every other session of the administrator.
func (h *Handler) adminChangePassword(w http.ResponseWriter, r *http.Request) {
	if !readForm(w, r) {
		return
	}
	user, f := sessionUserOf(r.Context()), r.PostForm
	if f.Get("password") != f.Get("password_again") {
		h.renderAccount(w, r, http.StatusUnprocessableEntity,
			adminAccountView{Errs: h.translateErrs(h.tr.Pick(r), model.FieldErrors{"password_again": model.Problem("admin.account.error.again")})})
		return
	}
	client := clientIP(r, h.proxies...)
	if ok, retry := h.countLogin(client, user); !ok {
		h.log.Warn("password change rate limited", "admin", user, "remote_host", client)
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(retry.Seconds()))))
		msg := h.tr.T(h.tr.Pick(r), "admin.login.limited", int(math.Ceil(retry.Minutes())))
		h.renderAccount(w, r, http.StatusTooManyRequests, adminAccountView{Errs: adminFieldErrors{"current": msg}})
		return
	}
	select {
	case h.admin.hashing <- struct{}{}:
	case <-r.Context().Done():
		return
	}
	err := h.svc.ChangePassword(r.Context(), user, f.Get("current"), f.Get("password"), sessionIDOf(r))
	<-h.admin.hashing
	if errs, ok := h.validationErrors(r, err); ok {
		if _, wrong := errs["current"]; !wrong {
			h.loginSucceeded(client, user)
		}
		h.renderAccount(w, r, http.StatusUnprocessableEntity, adminAccountView{Errs: errs})
		return
	}
	if err != nil {
		writePageError(w, h.log, err)
		return
	}
	h.loginSucceeded(client, user)
	http.Redirect(w, r, "/admin/account?changed=1", http.StatusSeeOther)
}

// adminEndSessions signs the administrator out everywhere, this browser
// included.
func (h *Handler) adminEndSessions(w http.ResponseWriter, r *http.Request) {
	if _, err := h.svc.EndSessions(r.Context(), principalOf(r), sessionUserOf(r.Context())); err != nil {
		writePageError(w, h.log, err)
		return
	}
	h.clearSessionCookie(w)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// adminDeleteAdmin deletes another administrator (the dashboard offers no
// button for oneself) and ends its sessions.
func (h *Handler) adminDeleteAdmin(w http.ResponseWriter, r *http.Request) {
	err := h.svc.DeleteAccount(r.Context(), principalOf(r), chi.URLParam(r, "username"))
	if errs, ok := h.validationErrors(r, err); ok {
		h.renderDashboard(w, r, http.StatusUnprocessableEntity, adminDashboardView{AdminError: errs["username"]})
		return
	}
	if err != nil {
		writePageError(w, h.log, err)
		return
	}
	http.Redirect(w, r, "/admin#admins", http.StatusSeeOther)
}
