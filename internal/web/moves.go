package web

import "codeberg.org/maillage/maillage/internal/model"

// movedToHandle names the actor a moved organisation went to, for its
// page: the handle when the actor is known here, else its IRI.
func (h *Handler) movedToHandle(o model.Org) string {
	if o.MovedTo == "" {
		return ""
	}
	return h.handleOf(o.MovedTo)
}
