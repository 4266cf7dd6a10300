package admin

import (
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// requireAdmin lets through requests with a live session of an account
// that may read the admin interface (administrators and editors: members
// get 403), and sends those without a session to the login page, coming
// back to the page asked for. It puts the account in the context, where
// webkit.PrincipalOf finds it for the service, which authorises each use case.
func (h *Handler) requireAdmin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		acc, ok := h.kit.SessionAccount(r)
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
		next.ServeHTTP(w, r.WithContext(webkit.WithAccount(r.Context(), acc)))
	})
}

// allow lets through the requests whose account may do act, about the
// organisation named in the path if any; the others get 403. It runs
// after requireAdmin, on the server, whatever the page shows.
func (h *Handler) allow(act service.Action) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			acc := webkit.AccountOf(r.Context())
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
	webkit.WritePageError(w, h.log, service.ErrForbidden)
}
