package admin

import (
	"net/http"

	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// adminRelayDiscovery turns a relay's discovery on (discovery=1) or off
// (discovery=0): whether the maillage servers it makes known are read once
// (service/discover.go).
func (h *Handler) adminRelayDiscovery(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	on := r.PostFormValue("discovery") == "1"
	_, err := h.svc.UpdateRelay(r.Context(), webkit.PrincipalOf(r), r.PostFormValue("url"), service.RelaySettings{Discovery: &on})
	h.relayDone(w, r, adminRelaysView{}, err)
}
