package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// apiCreateAdmin creates an administrator of the web interface:
// POST /api/v1/admins {"username", "password"}.
func (h *Handler) apiCreateAdmin(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	a, err := h.svc.CreateAdmin(r.Context(), principalOf(r), in.Username, in.Password)
	if err != nil {
		h.writeAPIError(w, err)
		return
	}
	writeAPI(w, http.StatusCreated, a)
}

// apiDeleteAdmin deletes an administrator and ends its sessions:
// DELETE /api/v1/admins/{username}. The last one cannot be deleted (422).
func (h *Handler) apiDeleteAdmin(w http.ResponseWriter, r *http.Request) {
	if err := h.svc.DeleteAccount(r.Context(), principalOf(r), chi.URLParam(r, "username")); err != nil {
		h.writeAPIError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// apiEndSessions signs an administrator out everywhere:
// POST /api/v1/admins/{username}/sessions/end answers {"ended": n}.
func (h *Handler) apiEndSessions(w http.ResponseWriter, r *http.Request) {
	n, err := h.svc.EndSessions(r.Context(), principalOf(r), chi.URLParam(r, "username"))
	if err != nil {
		h.writeAPIError(w, err)
		return
	}
	writeAPI(w, http.StatusOK, map[string]int{"ended": n})
}
