package admin

import (
	"fmt"
	"maps"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/media"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
	"codeberg.org/maillage/maillage/internal/wire"
)

// adminObjectItem is a project or call in the organisation's list.
type adminObjectItem struct {
	model.Object
	Path   string // its admin pages: Path+"/edit", "/delete", "/replies"
	Status string // as shown: "expired" once an open call's deadline passed
	IsOpen bool   // a call that can be closed
}

type adminOrgView struct {
	adminPage
	Actor           wire.Org
	Projects, Calls []adminObjectItem
}

// adminPath is the admin address of a local object.
func (h *Handler) adminPath(o model.Object) string {
	return "/admin" + strings.TrimPrefix(o.ID, h.uris.Base)
}

// adminOrg lists an organisation's projects and calls with their actions.
func (h *Handler) adminOrg(w http.ResponseWriter, r *http.Request) {
	o, ok := h.adminOrgOf(w, r)
	if !ok {
		return
	}
	objs, err := h.svc.ObjectsBy(r.Context(), h.uris.Actor(o.Name))
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	v := adminOrgView{adminPage: adminPageOf(r), Actor: h.kit.OrgView(o)}
	now := h.now()
	for _, obj := range objs {
		it := adminObjectItem{Object: obj, Path: h.adminPath(obj), Status: obj.Status}
		if obj.Kind == model.KindCall {
			it.Status, it.IsOpen = string(obj.CallStatus(now)), model.CallStatus(obj.Status) == model.CallOpen
			v.Calls = append(v.Calls, it)
		} else {
			v.Projects = append(v.Projects, it)
		}
	}
	h.kit.Render(w, r, http.StatusOK, "admin_org", webkit.Page{Title: o.DisplayName, Data: v})
}

// adminObjectView is the form creating or editing a project or call.
type adminObjectView struct {
	adminPage
	Form                     adminObjectForm
	Errs                     webkit.FieldErrors
	Action                   string
	Editing                  bool
	Sectors, Statuses, Roles []webkit.Option
	Projects                 []model.Object // the organisation's, for the related project
	IsCall                   bool           // Form.IsCall: which fields to show
	ImageInputs              []imageInput
}

func kindOf(r *http.Request) model.Kind {
	return model.Kind(strings.TrimSuffix(chi.URLParam(r, "kinds"), "s"))
}

func (h *Handler) adminNewObject(w http.ResponseWriter, r *http.Request) {
	if _, ok := h.adminOrgOf(w, r); !ok {
		return
	}
	f := adminObjectForm{ObjectInput: service.ObjectInput{Kind: kindOf(r), Status: "active"}}
	if f.Kind == model.KindCall {
		f.Status = "open"
	}
	h.renderObjectForm(w, r, http.StatusOK, f, nil)
}

func (h *Handler) adminCreateObject(w http.ResponseWriter, r *http.Request) {
	org, ok := h.adminOrgOf(w, r)
	if !ok || !readUploadForm(w, r) {
		return
	}
	f := readObjectForm(r, kindOf(r))
	imgErrs := model.FieldErrors{}
	f.Image = h.imageField(r, "image", media.PurposeImage, imgErrs)
	in, errs := f.input(nil)
	maps.Copy(errs, imgErrs)
	h.kit.FillPlace(in.Location) // a place named without coordinates gets the gazetteer's
	if h.objectProblems(w, r, &f, in, errs, nil) {
		return
	}
	o, err := h.svc.Publish(r.Context(), webkit.PrincipalOf(r), org.Name, in)
	if errs, ok := h.kit.ValidationErrors(r, err); ok {
		h.renderObjectForm(w, r, http.StatusUnprocessableEntity, f, errs)
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.kit.Saved(w, "published")
	http.Redirect(w, r, o.URL, http.StatusSeeOther)
}

// adminObjectOf loads the live local object of the path's organisation,
// answering 404 itself otherwise.
func (h *Handler) adminObjectOf(w http.ResponseWriter, r *http.Request) (model.Object, bool) {
	o, err := h.svc.Object(r.Context(), h.kit.ObjectIRI(r))
	if err == nil && (!o.Local || o.IsDeleted() || o.AttributedTo != h.uris.Actor(chi.URLParam(r, "org"))) {
		err = fmt.Errorf("admin object %s: %w", o.ID, service.ErrNotFound)
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return o, false
	}
	return o, true
}

func (h *Handler) adminEditObject(w http.ResponseWriter, r *http.Request) {
	o, ok := h.adminObjectOf(w, r)
	if !ok {
		return
	}
	h.renderObjectForm(w, r, http.StatusOK, adminObjectFormOf(o), nil)
}

func (h *Handler) adminSaveObject(w http.ResponseWriter, r *http.Request) {
	o, ok := h.adminObjectOf(w, r)
	if !ok || !readUploadForm(w, r) {
		return
	}
	f := readObjectForm(r, o.Kind)
	imgErrs := model.FieldErrors{}
	f.Image = h.imageField(r, "image", media.PurposeImage, imgErrs)
	in, errs := f.input(&o)
	maps.Copy(errs, imgErrs)
	h.kit.FillPlace(in.Location)
	if h.objectProblems(w, r, &f, in, errs, &o) {
		return
	}
	saved, err := h.svc.Edit(r.Context(), webkit.PrincipalOf(r), chi.URLParam(r, "org"), o.ID, in)
	if errs, ok := h.kit.ValidationErrors(r, err); ok {
		h.renderObjectForm(w, r, http.StatusUnprocessableEntity, f, errs)
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.kit.Saved(w, "saved")
	http.Redirect(w, r, saved.URL, http.StatusSeeOther)
}

func (h *Handler) renderObjectForm(w http.ResponseWriter, r *http.Request, status int, f adminObjectForm, errs webkit.FieldErrors) {
	lang := h.tr.Pick(r)
	org := chi.URLParam(r, "org")
	v := adminObjectView{adminPage: adminPageOf(r), Form: f, Errs: errs, Action: r.URL.Path,
		Editing: chi.URLParam(r, "id") != "", Sectors: webkit.SectorOptions(lang, f.Sectors), IsCall: f.IsCall()}
	v.ImageInputs = v.imageInputs()
	statuses := model.ProjectStatuses
	if f.IsCall() {
		statuses = model.CallStatuses
		v.Roles = h.kit.Options(lang, "role.", model.PartnerRoles, f.PartnerRoles)
		all, err := h.svc.ObjectsBy(r.Context(), h.uris.Actor(org))
		if err != nil {
			webkit.WritePageError(w, h.log, err)
			return
		}
		for _, o := range all {
			if o.Kind == model.KindProject {
				v.Projects = append(v.Projects, o)
			}
		}
	}
	v.Statuses = h.kit.Options(lang, "status.", statuses, []string{f.Status})
	key := "admin.object.new." + string(f.Kind)
	if v.Editing {
		key = "admin.object.edit." + string(f.Kind)
	}
	h.kit.Render(w, r, status, "admin_object", webkit.Page{Title: h.tr.T(lang, key), Data: v})
}

// adminCloseCall sets a call's status to closed or filled, through Patch
// (the status alone, merged in the write transaction, so that an edit
// saved meanwhile is kept) so that followers get the Update.
func (h *Handler) adminCloseCall(w http.ResponseWriter, r *http.Request) {
	o, ok := h.adminObjectOf(w, r)
	if !ok || !webkit.ReadForm(w, r) {
		return
	}
	status := r.PostFormValue("status")
	if status != "closed" && status != "filled" {
		http.Error(w, http.StatusText(http.StatusBadRequest), http.StatusBadRequest)
		return
	}
	setStatus := func(in *service.ObjectInput) error { in.Status = status; return nil }
	if _, err := h.svc.Patch(r.Context(), webkit.PrincipalOf(r), chi.URLParam(r, "org"), o.ID, setStatus); err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.kit.Saved(w, "closed")
	http.Redirect(w, r, "/admin/orgs/"+chi.URLParam(r, "org"), http.StatusSeeOther)
}

type adminDeleteView struct {
	adminPage
	Object model.Object
	Path   string
}

func (h *Handler) adminConfirmDelete(w http.ResponseWriter, r *http.Request) {
	o, ok := h.adminObjectOf(w, r)
	if !ok {
		return
	}
	h.kit.Render(w, r, http.StatusOK, "admin_delete", webkit.Page{Title: o.Title,
		Data: adminDeleteView{adminPage: adminPageOf(r), Object: o, Path: h.adminPath(o)}})
}

func (h *Handler) adminDeleteObject(w http.ResponseWriter, r *http.Request) {
	o, ok := h.adminObjectOf(w, r)
	if !ok {
		return
	}
	if err := h.svc.Delete(r.Context(), webkit.PrincipalOf(r), chi.URLParam(r, "org"), o.ID); err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.kit.Saved(w, "deleted")
	http.Redirect(w, r, "/admin/orgs/"+chi.URLParam(r, "org"), http.StatusSeeOther)
}
