package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/wire"
)

// orgView is an organisation as the pages show it (the API's document).
type orgView = wire.Org

func (h *Handler) orgView(o model.Org) orgView {
	return wire.OrgOf(o, h.uris.Actor(o.Name), h.uris.Host())
}

// objectIRI rebuilds a local object's IRI from its page's path.
func (h *Handler) objectIRI(r *http.Request) string {
	return h.uris.ObjectOfPath(chi.URLParam(r, "org"), chi.URLParam(r, "kinds"), chi.URLParam(r, "id"))
}
