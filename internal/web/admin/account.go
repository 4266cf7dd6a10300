package admin

import (
	"math"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// adminAccountView is the signed-in administrator's own page: the form
// changing the password and the button signing out everywhere.
type adminAccountView struct {
	adminPage
	Errs    webkit.FieldErrors
	Changed bool // the password was just changed
}

func (h *Handler) adminAccount(w http.ResponseWriter, r *http.Request) {
	h.renderAccount(w, r, http.StatusOK, adminAccountView{Changed: r.URL.Query().Get("changed") == "1"})
}

func (h *Handler) renderAccount(w http.ResponseWriter, r *http.Request, status int, v adminAccountView) {
	v.adminPage = adminPageOf(r)
	h.kit.Render(w, r, status, "admin_account", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "admin.account.title"), Data: v})
}

// adminChangePassword checks the current password (under the login
// limits: a stolen session must not become a password oracle), sets the
// new one and ends every other session of the administrator.
func (h *Handler) adminChangePassword(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	user, f := webkit.UserOf(r.Context()), r.PostForm
	if f.Get("password") != f.Get("password_again") {
		errs := service.PasswordProblems(f.Get("password")) // the new password's own problem too
		errs["password_again"] = model.Problem("admin.account.error.again")
		h.renderAccount(w, r, http.StatusUnprocessableEntity, adminAccountView{Errs: h.kit.TranslateErrs(h.tr.Pick(r), errs)})
		return
	}
	client := h.kit.ClientIP(r)
	if ok, retry := h.kit.CountLogin(client, user); !ok {
		h.log.Warn("password change rate limited", "admin", user, "remote_host", client)
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(retry.Seconds()))))
		msg := h.tr.T(h.tr.Pick(r), "admin.login.limited", int(math.Ceil(retry.Minutes())))
		h.renderAccount(w, r, http.StatusTooManyRequests, adminAccountView{Errs: webkit.FieldErrors{"current": msg}})
		return
	}
	if !h.kit.AcquireHash(r.Context()) {
		return
	}
	err := h.svc.ChangePassword(r.Context(), user, f.Get("current"), f.Get("password"), webkit.SessionIDOf(r))
	h.kit.ReleaseHash()
	if errs, ok := h.kit.ValidationErrors(r, err); ok {
		if _, wrong := errs["current"]; !wrong {
			h.kit.LoginSucceeded(client, user)
		}
		h.renderAccount(w, r, http.StatusUnprocessableEntity, adminAccountView{Errs: errs})
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.kit.LoginSucceeded(client, user)
	http.Redirect(w, r, "/admin/account?changed=1", http.StatusSeeOther)
}

// adminEndSessions signs the administrator out everywhere, this browser
// included.
func (h *Handler) adminEndSessions(w http.ResponseWriter, r *http.Request) {
	if _, err := h.svc.EndSessions(r.Context(), webkit.PrincipalOf(r), webkit.UserOf(r.Context())); err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.kit.ClearSessionCookie(w)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// adminDeleteAdmin deletes another administrator (the dashboard offers no
// button for oneself) and ends its sessions.
func (h *Handler) adminDeleteAdmin(w http.ResponseWriter, r *http.Request) {
	err := h.svc.DeleteAccount(r.Context(), webkit.PrincipalOf(r), chi.URLParam(r, "username"))
	if errs, ok := h.kit.ValidationErrors(r, err); ok {
		h.renderDashboard(w, r, http.StatusUnprocessableEntity, adminDashboardView{AdminError: errs["username"]})
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.kit.Saved(w, "account")
	http.Redirect(w, r, "/admin#admins", http.StatusSeeOther)
}
