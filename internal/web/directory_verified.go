package web

import (
	"net/http"

	"codeberg.org/maillage/maillage/internal/directory"
)

// verifiedEntries asks, for the organisations of one page of results,
// whether this instance verified their website: a verification never
// comes from the server that sent the organisation.
func (h *Handler) verifiedEntries(r *http.Request, entries []directory.Entry) (map[string]bool, error) {
	var orgs []string
	for _, e := range entries {
		if e.Kind == directory.KindOrg && e.Website != "" {
			orgs = append(orgs, e.ID)
		}
	}
	if len(orgs) == 0 {
		return nil, nil
	}
	return h.svc.VerifiedWebsites(r.Context(), orgs...)
}
