package admin

import (
	"codeberg.org/maillage/maillage/internal/web/webkit"
	"github.com/go-chi/chi/v5"
	"net/http"
)

// adminOrgInterests is the form of an organisation's interests: its
// members and editors get the calls that fit, at /me.
func (h *Handler) adminOrgInterests(w http.ResponseWriter, r *http.Request) {
	org := chi.URLParam(r, "org")
	in, err := h.svc.OrgInterests(r.Context(), webkit.PrincipalOf(r), org)
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.renderOrgInterests(w, r, http.StatusOK, webkit.InterestsViewOf(in, r.URL.Query().Has("saved")))
}

// orgInterestsView is an organisation's interests form in the admin pages.
type orgInterestsView struct {
	adminPage
	webkit.InterestsView
}

func (h *Handler) renderOrgInterests(w http.ResponseWriter, r *http.Request, status int, v webkit.InterestsView) {
	data := orgInterestsView{adminPage: adminPageOf(r), InterestsView: v.WithOptions()}
	h.kit.Render(w, r, status, "admin_org_interests", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "me.interests.title"), Data: data})
}

func (h *Handler) adminSaveOrgInterests(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	in, v := h.kit.InterestsForm(r)
	if len(v.Errors) > 0 {
		h.renderOrgInterests(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	org := chi.URLParam(r, "org")
	if err := h.svc.SetOrgInterests(r.Context(), webkit.PrincipalOf(r), org, in); err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	http.Redirect(w, r, "/admin/orgs/"+org+"/interests?saved", http.StatusSeeOther)
}
