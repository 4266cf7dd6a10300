package admin

import (
	"maps"
	"net/http"
	"strconv"
	"strings"

	"codeberg.org/maillage/maillage/internal/media"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// adminProfileForm is an organisation's profile as typed in the form.
// Decoding fills the service's input directly (readProfileForm) for the
// fields typed as they are stored; the others are kept as typed, for the
// form to show them again, and parsed by input.
type adminProfileForm struct {
	service.ProfileInput
	// The typed text of the fields input parses; languages, founding year
	// and networks shadow the profile's parsed fields.
	LocationName, Latitude, Longitude string
	Languages, FoundingYear, Networks string
}

func adminProfileFormOf(o model.Org) adminProfileForm {
	p := o.Profile
	f := adminProfileForm{ProfileInput: service.ProfileInput{Profile: p, ManualApprove: o.ManualApprove},
		Languages: strings.Join(p.Languages, ", "), Networks: strings.Join(p.Networks, "\n")}
	if p.FoundingYear != 0 {
		f.FoundingYear = strconv.Itoa(p.FoundingYear)
	}
	if l := p.Location; l != nil {
		f.LocationName, f.Latitude, f.Longitude = l.Name, formatCoord(l.Latitude), formatCoord(l.Longitude)
	}
	return f
}

func readProfileForm(r *http.Request) adminProfileForm {
	v := r.PostForm
	p := model.Profile{DisplayName: v.Get("display_name"), LegalName: v.Get("legal_name"), Summary: v.Get("summary"),
		Website: strings.TrimSpace(v.Get("website")), LegalForm: v.Get("legal_form"), LegalFormText: v.Get("legal_form_text"),
		Status: v.Get("status"), Country: v.Get("country"), Sectors: v["sectors"],
		ContactEmail: strings.TrimSpace(v.Get("contact_email")), ContactURL: strings.TrimSpace(v.Get("contact_url")),
		IconURL: strings.TrimSpace(v.Get("icon_url"))}
	return adminProfileForm{ProfileInput: service.ProfileInput{Profile: p, ManualApprove: v.Get("manual_approve") != ""},
		LocationName: v.Get("location_name"), Latitude: v.Get("latitude"), Longitude: v.Get("longitude"),
		Languages: v.Get("languages"), FoundingYear: v.Get("founding_year"), Networks: v.Get("networks")}
}

// input turns the form into what UpdateProfile takes. Problems the form
// itself can see (a year that is not a number) come back as i18n keys.
func (f adminProfileForm) input(old model.Org) (service.ProfileInput, model.FieldErrors) {
	errs := model.FieldErrors{}
	in := f.ProfileInput
	in.Country, in.Languages, in.Networks = strings.TrimSpace(f.Country), splitCodes(f.Languages, false), splitLines(f.Networks)
	if y := strings.TrimSpace(f.FoundingYear); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			errs["founding_year"] = model.Problem("admin.error.year")
		}
		in.FoundingYear = n
	}
	// The location's country is the organisation's, unless it was set
	// apart (through the API).
	if strings.TrimSpace(f.LocationName+f.Latitude+f.Longitude) != "" {
		country := in.Country
		if old.Location != nil && old.Location.Country != "" {
			country = old.Location.Country
		}
		loc, ok := readPlace(f.LocationName, country, f.Latitude, f.Longitude)
		if !ok {
			errs["location"] = model.Problem("admin.error.coordinates")
		}
		in.Location = loc
	}
	return in, errs
}

// adminProfileView is the profile form page.
type adminProfileView struct {
	adminPage
	Form        adminProfileForm
	Errs        webkit.FieldErrors
	LegalForms  []webkit.Option
	Statuses    []webkit.Option
	Sectors     []webkit.Option
	ImageInputs []imageInput
}

func (h *Handler) adminEditProfile(w http.ResponseWriter, r *http.Request) {
	o, ok := h.adminOrgOf(w, r)
	if !ok {
		return
	}
	h.renderProfile(w, r, http.StatusOK, o, adminProfileFormOf(o), nil)
}

func (h *Handler) adminSaveProfile(w http.ResponseWriter, r *http.Request) {
	o, ok := h.adminOrgOf(w, r)
	if !ok || !readUploadForm(w, r) {
		return
	}
	f := readProfileForm(r)
	imgErrs := model.FieldErrors{}
	f.Logo = h.imageField(r, "logo", media.PurposeLogo, imgErrs)
	f.Banner = h.imageField(r, "banner", media.PurposeBanner, imgErrs)
	in, errs := f.input(o)
	maps.Copy(errs, imgErrs)
	h.kit.FillPlace(in.Location) // a place named without coordinates gets the gazetteer's
	// Every problem at once: the service's, then the form's own reading of
	// a field, which says more.
	all := service.CheckProfile(o, in)
	maps.Copy(all, errs)
	if len(all) > 0 {
		h.renderProfile(w, r, http.StatusUnprocessableEntity, o, f, h.kit.TranslateErrs(h.tr.Pick(r), all))
		return
	}
	_, err := h.svc.UpdateProfile(r.Context(), webkit.PrincipalOf(r), o.Name, in)
	if errs, ok := h.kit.ValidationErrors(r, err); ok {
		h.renderProfile(w, r, http.StatusUnprocessableEntity, o, f, errs)
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.kit.Saved(w, "profile")
	http.Redirect(w, r, "/admin/orgs/"+o.Name, http.StatusSeeOther)
}

func (h *Handler) renderProfile(w http.ResponseWriter, r *http.Request, status int, o model.Org, f adminProfileForm, errs webkit.FieldErrors) {
	lang := h.tr.Pick(r)
	v := adminProfileView{adminPage: adminPageOf(r), Form: f, Errs: errs,
		LegalForms: []webkit.Option{{Value: "", Label: h.tr.T(lang, "admin.none"), Selected: f.LegalForm == ""}},
		Statuses:   []webkit.Option{{Value: "", Label: h.tr.T(lang, "admin.none"), Selected: f.Status == ""}},
		Sectors:    webkit.SectorOptions(lang, f.Sectors)}
	v.ImageInputs = v.imageInputs()
	for _, lf := range model.LegalForms {
		v.LegalForms = append(v.LegalForms, webkit.Option{Value: lf.Code, Label: lf.Label, Selected: lf.Code == f.LegalForm})
	}
	v.Statuses = append(v.Statuses, h.kit.Options(lang, "status.", model.OrgStatuses, []string{f.Status})...)
	h.kit.Render(w, r, status, "admin_profile", webkit.Page{Title: h.tr.T(lang, "admin.profile.title", o.DisplayName), Data: v})
}
