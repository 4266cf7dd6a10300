package api

import (
	"net/http"

	"codeberg.org/maillage/maillage/internal/errs"
	"codeberg.org/maillage/maillage/internal/httperr"
	"codeberg.org/maillage/maillage/internal/service"
)

// apiBlocks lists the blocked actors and servers, a page at a time:
// GET /api/v1/blocks.
func (h *Handler) apiBlocks(w http.ResponseWriter, r *http.Request) {
	req, ok := pageRequest(w, r)
	if !ok {
		return
	}
	p, err := h.svc.BlocksPage(r.Context(), principalOf(r), req)
	if err != nil {
		h.writeAPIError(w, err)
		return
	}
	writePage(w, r, p)
}

// apiBlock blocks an actor or a server: POST /api/v1/blocks {"target"}.
func (h *Handler) apiBlock(w http.ResponseWriter, r *http.Request) {
	var in targetInput
	if !decodeBody(w, r, &in) {
		return
	}
	b, err := h.svc.Block(r.Context(), principalOf(r), in.Target)
	if err != nil {
		h.writeAPIError(w, err)
		return
	}
	writeAPI(w, http.StatusCreated, b)
}

// apiUnblock lifts a block: DELETE /api/v1/blocks {"target"}.
func (h *Handler) apiUnblock(w http.ResponseWriter, r *http.Request) {
	var in targetInput
	if !decodeBody(w, r, &in) {
		return
	}
	if err := h.svc.Unblock(r.Context(), principalOf(r), in.Target); err != nil {
		h.writeAPIError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// apiReports lists the reports received and made, newest first, a page
// at a time: GET /api/v1/reports.
func (h *Handler) apiReports(w http.ResponseWriter, r *http.Request) {
	req, ok := pageRequest(w, r)
	if !ok {
		return
	}
	p, err := h.svc.ReportsPage(r.Context(), principalOf(r), req)
	if err != nil {
		h.writeAPIError(w, err)
		return
	}
	writePage(w, r, p)
}

// apiReport reports a remote actor, and with "forward" sends the report
// to its server: POST /api/v1/reports {"actor", "objects", "comment", "forward"}.
func (h *Handler) apiReport(w http.ResponseWriter, r *http.Request) {
	var in service.ReportInput
	if !decodeBody(w, r, &in) {
		return
	}
	rep, err := h.svc.Report(r.Context(), principalOf(r), in)
	if err != nil {
		if errs.Remote(err) {
			// Resolving the remote actor failed: the remote's fault, said as such.
			h.log.Info("report failed", "actor", in.Actor, "err", err)
			writeAPI(w, httperr.Status(err), apiError{Error: "could not resolve " + in.Actor})
			return
		}
		h.writeAPIError(w, err)
		return
	}
	writeAPI(w, http.StatusCreated, rep)
}
