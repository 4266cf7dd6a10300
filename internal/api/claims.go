package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/wire"
)

// claimRoutes are the claims of imported organisations (issue #10, item
// 3), for operators without the web interface.
func (h *Handler) claimRoutes(r chi.Router) {
	r.Get("/claims", h.apiClaims)
	r.Post("/claims/{id}/confirm", h.apiConfirmClaim)
	r.Post("/claims/{id}/refuse", h.apiRefuseClaim)
}

// apiClaims lists the claims kept, newest first (at most a thousand, so
// one page): GET /api/v1/claims.
func (h *Handler) apiClaims(w http.ResponseWriter, r *http.Request) {
	claims, err := h.svc.Claims(r.Context(), principalOf(r))
	if err != nil {
		h.writeAPIError(w, err)
		return
	}
	out := make([]wire.Claim, len(claims))
	for i, c := range claims {
		out[i] = wire.ClaimOf(c)
	}
	writePage(w, r, service.Page[wire.Claim]{Items: out})
}

// apiConfirmClaim confirms a proven claim and answers the editor
// invitation it made: POST /api/v1/claims/{id}/confirm.
func (h *Handler) apiConfirmClaim(w http.ResponseWriter, r *http.Request) {
	c, code, err := h.svc.ConfirmClaim(r.Context(), principalOf(r), chi.URLParam(r, "id"), service.ClaimedByAPI)
	if err != nil {
		h.writeAPIError(w, err)
		return
	}
	writeAPI(w, http.StatusOK, wire.ClaimConfirmation{Claim: wire.ClaimOf(c), Invitation: h.uris.Join(code)})
}

// apiRefuseClaim refuses a claim not yet confirmed: POST
// /api/v1/claims/{id}/refuse.
func (h *Handler) apiRefuseClaim(w http.ResponseWriter, r *http.Request) {
	if err := h.svc.RefuseClaim(r.Context(), principalOf(r), chi.URLParam(r, "id")); err != nil {
		h.writeAPIError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
