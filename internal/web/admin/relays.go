package admin

import (
	"net/http"
	"strconv"
	"strings"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// adminRelaysView is the relays page: the relays joined, their counters,
// and the forms to join, pause, limit and leave.
type adminRelaysView struct {
	adminPage
	Relays []model.Relay
	Errs   webkit.FieldErrors
	URL    string // join form
	// Editing is the relay whose limits form was refused, with the
	// values typed.
	Editing, Rate, MaxStored string
}

const relaysPath = "/admin/relays"

func (h *Handler) adminRelays(w http.ResponseWriter, r *http.Request) {
	h.renderRelays(w, r, http.StatusOK, adminRelaysView{})
}

func (h *Handler) renderRelays(w http.ResponseWriter, r *http.Request, status int, v adminRelaysView) {
	rs, err := h.svc.Relays(r.Context(), webkit.PrincipalOf(r))
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	v.Relays, v.adminPage = rs, adminPageOf(r)
	h.kit.Render(w, r, status, "admin_relays", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "relays.title"), Data: v})
}

// relayDone redirects back to the page after a change, or shows the
// page again with the form's problems.
func (h *Handler) relayDone(w http.ResponseWriter, r *http.Request, v adminRelaysView, err error) {
	if errs, ok := h.kit.ValidationErrors(r, err); ok {
		v.Errs = errs
		h.renderRelays(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	http.Redirect(w, r, relaysPath, http.StatusSeeOther)
}

// adminAddRelay joins the relay at the form's URL.
func (h *Handler) adminAddRelay(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	v := adminRelaysView{URL: strings.TrimSpace(r.PostFormValue("url"))}
	_, err := h.svc.AddRelay(r.Context(), webkit.PrincipalOf(r), v.URL)
	h.relayDone(w, r, v, err)
}

// adminRemoveRelay leaves a relay listed on the page.
func (h *Handler) adminRemoveRelay(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	h.relayDone(w, r, adminRelaysView{}, h.svc.RemoveRelay(r.Context(), webkit.PrincipalOf(r), r.PostFormValue("url")))
}

// adminPauseRelay turns a relay's switch (paused=1 stops accepting what
// it sends, paused=0 accepts again).
func (h *Handler) adminPauseRelay(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	paused := r.PostFormValue("paused") == "1"
	_, err := h.svc.UpdateRelay(r.Context(), webkit.PrincipalOf(r), r.PostFormValue("url"), service.RelaySettings{Paused: &paused})
	h.relayDone(w, r, adminRelaysView{}, err)
}

// adminRelayLimits sets a relay's rate and total.
func (h *Handler) adminRelayLimits(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	f := r.PostForm
	v := adminRelaysView{Editing: f.Get("url"), Rate: strings.TrimSpace(f.Get("rate")), MaxStored: strings.TrimSpace(f.Get("max_stored"))}
	rate, err1 := strconv.Atoi(v.Rate)
	total, err2 := strconv.Atoi(v.MaxStored)
	var err error
	switch {
	case err1 != nil:
		err = model.Invalid("rate", "validation.relay.rate")
	case err2 != nil:
		err = model.Invalid("max_stored", "validation.relay.max_stored")
	default:
		_, err = h.svc.UpdateRelay(r.Context(), webkit.PrincipalOf(r), v.Editing, service.RelaySettings{Rate: &rate, MaxStored: &total})
	}
	h.relayDone(w, r, v, err)
}
