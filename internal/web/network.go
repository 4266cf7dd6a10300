package web

import (
	"net/http"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// networkView is the network page: this instance, the maillage instances
// it knows and the other servers it federates with.
type networkView struct {
	Self     service.InstanceInfo
	Maillage []service.PeerView
	Others   []service.PeerView
	// CanFollow: the viewer may follow an instance as this instance
	// (an administrator), through the admin network form.
	CanFollow    bool
	InstanceName string
}

// showNetwork lists the servers this instance knows, with what their
// NodeInfo said when last read (service.Peers reads the store only: the
// reads are federation's job, never a page's).
func (h *Handler) showNetwork(w http.ResponseWriter, r *http.Request) {
	self, err := h.svc.Instance(r.Context())
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	if self.Name == "" {
		self.Name = h.uris.Host()
	}
	maillage, others, err := h.svc.Peers(r.Context())
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	acc, _ := h.kit.SessionAccount(r)
	v := networkView{Self: self, Maillage: maillage, Others: others, InstanceName: model.InstanceName,
		CanFollow: service.Can(acc, service.ActFollow, model.InstanceName)}
	lang := h.tr.Pick(r)
	h.kit.Render(w, r, http.StatusOK, "network", webkit.Page{Title: h.tr.T(lang, "network.title"),
		Description: h.tr.T(lang, "network.intro"), Data: v})
}
