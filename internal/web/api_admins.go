package web

import "net/http"

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
	a, err := h.svc.CreateAdmin(r.Context(), in.Username, in.Password)
	if err != nil {
		writeAPIError(w, h.log, err)
		return
	}
	writeAPI(w, http.StatusCreated, a)
}
