package api

import (
	"net/http"

	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/wire"
)

// apiRelays lists the relays joined: GET /api/v1/relays.
func (h *Handler) apiRelays(w http.ResponseWriter, r *http.Request) {
	rs, err := h.svc.Relays(r.Context(), principalOf(r))
	if err != nil {
		h.writeAPIError(w, err)
		return
	}
	out := wire.Relays{Relays: make([]wire.Relay, 0, len(rs))}
	for _, rel := range rs {
		out.Relays = append(out.Relays, wire.RelayOf(rel))
	}
	writeAPI(w, http.StatusOK, out)
}

// apiAddRelay joins a relay: POST /api/v1/relays {"url"}, a Mastodon
// relay's inbox or a LitePub relay's actor.
func (h *Handler) apiAddRelay(w http.ResponseWriter, r *http.Request) {
	var in wire.RelayInput
	if !decodeBody(w, r, &in) {
		return
	}
	rel, err := h.svc.AddRelay(r.Context(), principalOf(r), in.URL)
	if err != nil {
		h.writeAPIError(w, err)
		return
	}
	writeAPI(w, http.StatusCreated, wire.RelayOf(rel))
}

// apiUpdateRelay changes a relay's switch and limits:
// PATCH /api/v1/relays {"url", "paused", "discovery", "rate", "max_stored"}.
func (h *Handler) apiUpdateRelay(w http.ResponseWriter, r *http.Request) {
	var in wire.RelayInput
	if !decodeBody(w, r, &in) {
		return
	}
	rel, err := h.svc.UpdateRelay(r.Context(), principalOf(r), in.URL,
		service.RelaySettings{Paused: in.Paused, Discovery: in.Discovery, Rate: in.Rate, MaxStored: in.MaxStored})
	if err != nil {
		h.writeAPIError(w, err)
		return
	}
	writeAPI(w, http.StatusOK, wire.RelayOf(rel))
}

// apiRemoveRelay leaves a relay: DELETE /api/v1/relays {"url"}.
func (h *Handler) apiRemoveRelay(w http.ResponseWriter, r *http.Request) {
	var in wire.RelayInput
	if !decodeBody(w, r, &in) {
		return
	}
	if err := h.svc.RemoveRelay(r.Context(), principalOf(r), in.URL); err != nil {
		h.writeAPIError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
