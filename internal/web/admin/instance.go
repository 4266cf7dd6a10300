package admin

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// instanceRoutes mount the form describing the instance: what NodeInfo,
// the instance actor and the network pages of other instances show.
func (h *Handler) instanceRoutes(r chi.Router) {
	r.Get("/instance", h.adminInstance)
	r.Post("/instance", h.adminSaveInstance)
}

// adminInstanceForm is the instance's description as typed.
type adminInstanceForm struct {
	Name, Summary, Region, Country, Languages string
}

type adminInstanceView struct {
	adminPage
	Form  adminInstanceForm
	Errs  webkit.FieldErrors
	Saved bool
}

func (h *Handler) adminInstance(w http.ResponseWriter, r *http.Request) {
	if !service.Can(webkit.AccountOf(r.Context()), service.ActSettings, "") {
		webkit.WritePageError(w, h.log, service.ErrForbidden)
		return
	}
	o, err := h.svc.Org(r.Context(), model.InstanceName)
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	f := adminInstanceForm{Name: o.DisplayName, Summary: o.Summary, Region: o.Region, Country: o.Country,
		Languages: strings.Join(o.Languages, ", ")}
	h.renderInstance(w, r, http.StatusOK, adminInstanceView{Form: f, Saved: r.URL.Query().Has("saved")})
}

func (h *Handler) adminSaveInstance(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	v := r.PostForm
	f := adminInstanceForm{Name: v.Get("name"), Summary: v.Get("summary"), Region: v.Get("region"),
		Country: v.Get("country"), Languages: v.Get("languages")}
	_, err := h.svc.UpdateInstance(r.Context(), webkit.PrincipalOf(r), service.InstanceInput{Name: f.Name,
		Summary: f.Summary, Region: f.Region, Country: f.Country, Languages: splitCodes(f.Languages, false)})
	if errs, ok := h.kit.ValidationErrors(r, err); ok {
		// The service names the actor's field display_name.
		if p, ok := errs["display_name"]; ok {
			errs["name"] = p
			delete(errs, "display_name")
		}
		h.renderInstance(w, r, http.StatusUnprocessableEntity, adminInstanceView{Form: f, Errs: errs})
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	http.Redirect(w, r, "/admin/instance?saved=1", http.StatusSeeOther)
}

func (h *Handler) renderInstance(w http.ResponseWriter, r *http.Request, status int, v adminInstanceView) {
	v.adminPage = adminPageOf(r)
	h.kit.Render(w, r, status, "admin_instance", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "instance.title"), Data: v})
}
