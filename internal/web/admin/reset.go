package admin

import (
	"codeberg.org/maillage/maillage/internal/web/webkit"
	"github.com/go-chi/chi/v5"
	"net/http"
)

// adminResetLink makes a reset link for an account (one without an
// e-mail address, say) and shows it once, in this answer only.
func (h *Handler) adminResetLink(w http.ResponseWriter, r *http.Request) {
	token, err := h.svc.MakeResetLink(r.Context(), webkit.PrincipalOf(r), chi.URLParam(r, "username"))
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.renderAccounts(w, r, http.StatusOK, adminAccountsView{ResetLink: h.svc.ResetURL(token)})
}

func (h *Handler) adminApproveAccount(w http.ResponseWriter, r *http.Request) {
	h.accountChanged(w, r, h.svc.ApproveAccount(r.Context(), webkit.PrincipalOf(r), chi.URLParam(r, "username")))
}

func (h *Handler) adminRefuseAccount(w http.ResponseWriter, r *http.Request) {
	h.accountChanged(w, r, h.svc.RefuseAccount(r.Context(), webkit.PrincipalOf(r), chi.URLParam(r, "username")))
}
