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

// ServeOrganisations serves the organisations collection: its count and
// one page of names from the store's index, whatever the number of
// organisations (an importing instance holds thousands).
func (f *Federation) ServeOrganisations(w http.ResponseWriter, r *http.Request) {
	p := page(r)
	var names []string
	var total int
	var err error
	if p == 0 {
		_, total, err = f.svc.OrganisationNames(r.Context(), 0, 0)
	} else {
		names, total, err = f.svc.OrganisationNames(r.Context(), (p-1)*collectionPage, collectionPage)
	}
	if err != nil {
		httperr.Write(w, err)
		return
	}
	items := make([]any, 0, len(names))
	for _, n := range names {
		items = append(items, f.uris.Actor(n))
	}
	if p == 0 {
		items = nil
	}
	collection(w, f.organisationsIRI(), p, total, items)
}
