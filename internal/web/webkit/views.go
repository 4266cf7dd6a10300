package webkit

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/wire"
)

// OrgView is an organisation as the pages show it (the API's document).
func (k *Kit) OrgView(o model.Org) wire.Org {
	return wire.OrgOf(o, k.uris.Actor(o.Name), k.uris.Host())
}

// ObjectIRI rebuilds a local object's IRI from its page's path.
func (k *Kit) ObjectIRI(r *http.Request) string {
	return k.uris.ObjectOfPath(chi.URLParam(r, "org"), chi.URLParam(r, "kinds"), chi.URLParam(r, "id"))
}
