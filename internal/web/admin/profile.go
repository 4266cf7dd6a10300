package admin

import (
	"net/http"
	"strconv"
	"strings"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// adminProfileForm is an organisation's profile as typed in the form.
type adminProfileForm struct {
	DisplayName, LegalName, Summary, Website  string
	LegalForm, LegalFormText, Status, Country string
	LocationName, Latitude, Longitude         string
	Sectors                                   []string
	Languages, FoundingYear, Networks         string
	ContactEmail, ContactURL, IconURL         string
	ManualApprove                             bool
}

func adminProfileFormOf(o model.Org) adminProfileForm {
	p := o.Profile
	f := adminProfileForm{DisplayName: p.DisplayName, LegalName: p.LegalName, Summary: p.Summary, Website: p.Website,
		LegalForm: p.LegalForm, LegalFormText: p.LegalFormText, Status: p.Status, Country: p.Country,
		Sectors: p.Sectors, Languages: strings.Join(p.Languages, ", "), Networks: strings.Join(p.Networks, "\n"),
		ContactEmail: p.ContactEmail, ContactURL: p.ContactURL, IconURL: p.IconURL, ManualApprove: o.ManualApprove}
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
	return adminProfileForm{DisplayName: v.Get("display_name"), LegalName: v.Get("legal_name"), Summary: v.Get("summary"),
		Website: strings.TrimSpace(v.Get("website")), LegalForm: v.Get("legal_form"), LegalFormText: v.Get("legal_form_text"),
		Status: v.Get("status"), Country: v.Get("country"), LocationName: v.Get("location_name"),
		Latitude: v.Get("latitude"), Longitude: v.Get("longitude"), Sectors: v["sectors"], Languages: v.Get("languages"),
		FoundingYear: v.Get("founding_year"), Networks: v.Get("networks"), ContactEmail: strings.TrimSpace(v.Get("contact_email")),
		ContactURL: strings.TrimSpace(v.Get("contact_url")), IconURL: strings.TrimSpace(v.Get("icon_url")),
		ManualApprove: v.Get("manual_approve") != ""}
}

// input turns the form into what UpdateProfile takes. Problems the form
// itself can see (a year that is not a number) come back as i18n keys.
func (f adminProfileForm) input(old model.Org) (service.ProfileInput, model.FieldErrors) {
	errs := model.FieldErrors{}
	p := model.Profile{DisplayName: f.DisplayName, LegalName: f.LegalName, Summary: f.Summary, Website: f.Website,
		LegalForm: f.LegalForm, LegalFormText: f.LegalFormText, Status: f.Status, Country: strings.TrimSpace(f.Country),
		Sectors: f.Sectors, Languages: splitCodes(f.Languages, false), Networks: splitLines(f.Networks),
		ContactEmail: f.ContactEmail, ContactURL: f.ContactURL, IconURL: f.IconURL}
	if y := strings.TrimSpace(f.FoundingYear); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			errs["founding_year"] = model.Problem("admin.error.year")
		}
		p.FoundingYear = n
	}
	// The location's country is the organisation's, unless it was set
	// apart (through the API).
	if strings.TrimSpace(f.LocationName+f.Latitude+f.Longitude) != "" {
		country := p.Country
		if old.Location != nil && old.Location.Country != "" {
			country = old.Location.Country
		}
		loc, ok := readPlace(f.LocationName, country, f.Latitude, f.Longitude)
		if !ok {
			errs["location"] = model.Problem("admin.error.coordinates")
		}
		p.Location = loc
	}
	return service.ProfileInput{Profile: p, ManualApprove: f.ManualApprove}, errs
}

// adminProfileView is the profile form page.
type adminProfileView struct {
	adminPage
	Form       adminProfileForm
	Errs       webkit.FieldErrors
	LegalForms []webkit.Option
	Statuses   []webkit.Option
	Sectors    []webkit.Option
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
	if !ok || !webkit.ReadForm(w, r) {
		return
	}
	f := readProfileForm(r)
	in, errs := f.input(o)
	if len(errs) > 0 {
		h.renderProfile(w, r, http.StatusUnprocessableEntity, o, f, h.kit.TranslateErrs(h.tr.Pick(r), errs))
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
	http.Redirect(w, r, "/admin/orgs/"+o.Name, http.StatusSeeOther)
}

func (h *Handler) renderProfile(w http.ResponseWriter, r *http.Request, status int, o model.Org, f adminProfileForm, errs webkit.FieldErrors) {
	lang := h.tr.Pick(r)
	v := adminProfileView{adminPage: adminPageOf(r), Form: f, Errs: errs,
		LegalForms: []webkit.Option{{Value: "", Label: h.tr.T(lang, "admin.none"), Selected: f.LegalForm == ""}},
		Statuses:   []webkit.Option{{Value: "", Label: h.tr.T(lang, "admin.none"), Selected: f.Status == ""}},
		Sectors:    webkit.SectorOptions(lang, f.Sectors)}
	for _, lf := range model.LegalForms {
		v.LegalForms = append(v.LegalForms, webkit.Option{Value: lf.Code, Label: lf.Label, Selected: lf.Code == f.LegalForm})
	}
	v.Statuses = append(v.Statuses, h.kit.Options(lang, "status.", model.OrgStatuses, []string{f.Status})...)
	h.kit.Render(w, r, status, "admin_profile", webkit.Page{Title: h.tr.T(lang, "admin.profile.title", o.DisplayName), Data: v})
}
