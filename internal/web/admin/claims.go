package admin

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// claimRoutes are the administrators' page of claims of imported
// organisations (issue #10, item 3), under /admin/claims.
func (h *Handler) claimRoutes(r chi.Router) {
	r.Get("/", h.adminClaims)
	r.Post("/{id}/confirm", h.adminConfirmClaim)
	r.Post("/{id}/refuse", h.adminRefuseClaim)
}

// adminClaimsView lists the claims; Link is the invitation a confirmation
// just made, for Org, shown once.
type adminClaimsView struct {
	adminPage
	Claims []model.Claim
	Link   string
	Org    string
	Error  string
	Auto   bool
}

func (h *Handler) adminClaims(w http.ResponseWriter, r *http.Request) {
	h.renderClaims(w, r, http.StatusOK, adminClaimsView{})
}

func (h *Handler) renderClaims(w http.ResponseWriter, r *http.Request, status int, v adminClaimsView) {
	var err error
	if v.Claims, err = h.svc.Claims(r.Context(), webkit.PrincipalOf(r)); err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	org := v.Org
	v.adminPage, v.Org, v.Auto = adminPageOf(r), org, h.svc.AutoConfirmsClaims()
	w.Header().Set("Cache-Control", "no-store")
	h.kit.Render(w, r, status, "admin_claims", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "claims.admin.title"), Data: v})
}

// adminConfirmClaim confirms a proven claim and shows the invitation it
// made, in this answer only (the code is never stored in clear).
func (h *Handler) adminConfirmClaim(w http.ResponseWriter, r *http.Request) {
	c, code, err := h.svc.ConfirmClaim(r.Context(), webkit.PrincipalOf(r), chi.URLParam(r, "id"), webkit.UserOf(r.Context()))
	if errors.Is(err, service.ErrClaimState) || errors.Is(err, service.ErrNotClaimable) {
		h.renderClaims(w, r, http.StatusConflict, adminClaimsView{Error: h.tr.T(h.tr.Pick(r), "claims.admin.state")})
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.renderClaims(w, r, http.StatusOK, adminClaimsView{Link: h.uris.Join(code), Org: c.Org})
}

func (h *Handler) adminRefuseClaim(w http.ResponseWriter, r *http.Request) {
	err := h.svc.RefuseClaim(r.Context(), webkit.PrincipalOf(r), chi.URLParam(r, "id"))
	if errors.Is(err, service.ErrClaimState) {
		h.renderClaims(w, r, http.StatusConflict, adminClaimsView{Error: h.tr.T(h.tr.Pick(r), "claims.admin.state")})
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	http.Redirect(w, r, "/admin/claims", http.StatusSeeOther)
}
