package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/errs"
	"codeberg.org/maillage/maillage/internal/httperr"
)

// apiSetAliases replaces an organisation's aliases (alsoKnownAs):
// {"also_known_as": ["https://old.example/users/coop"]}; [] clears them.
func (h *Handler) apiSetAliases(w http.ResponseWriter, r *http.Request) {
	var in struct {
		AlsoKnownAs []string `json:"also_known_as"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	o, err := h.svc.SetAliases(r.Context(), principalOf(r), chi.URLParam(r, "org"), in.AlsoKnownAs)
	if err != nil {
		h.writeAPIError(w, err)
		return
	}
	writeAPI(w, http.StatusOK, h.orgView(o))
}

// apiMove moves an organisation to {"target": "name@host" or an actor IRI}.
func (h *Handler) apiMove(w http.ResponseWriter, r *http.Request) {
	var in targetInput
	if !decodeBody(w, r, &in) {
		return
	}
	o, err := h.svc.MoveOrg(r.Context(), principalOf(r), chi.URLParam(r, "org"), in.Target)
	if err != nil {
		h.log.Info("move failed", "target", in.Target, "err", err)
		if errs.Remote(err) {
			writeAPI(w, httperr.Status(err), apiError{Error: "could not resolve " + in.Target})
			return
		}
		h.writeAPIError(w, err)
		return
	}
	writeAPI(w, http.StatusOK, h.orgView(o))
}
