package federation

import (
	"net/http"

	"codeberg.org/maillage/maillage/internal/httperr"
	"codeberg.org/maillage/maillage/internal/model"
)

// The instance actor's organisations collection (mai:organisations) lists
// the IRIs of the organisations the instance hosts, paginated like the
// other collections. A server that follows the instance reads it, then
// each organisation's outbox (backfill.go); see FEDERATION.md.

// organisationsIRI is the id of the instance actor's organisations collection.
func (f *Federation) organisationsIRI() string {
	return f.uris.Actor(model.InstanceName) + "/organisations"
}

// ServeOrganisations serves the organisations collection.
func (f *Federation) ServeOrganisations(w http.ResponseWriter, r *http.Request) {
	orgs, err := f.svc.Orgs(r.Context())
	if err != nil {
		httperr.Write(w, err)
		return
	}
	ids := make([]string, len(orgs))
	for i, o := range orgs {
		ids[i] = f.uris.Actor(o.Name)
	}
	p := page(r)
	collection(w, f.organisationsIRI(), p, len(ids), pageOf(ids, p))
}
