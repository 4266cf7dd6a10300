package admin

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
)

// adminObjectForm is a project or call as typed in the form. Its kind
// comes from the address, never from the form.
type adminObjectForm struct {
	Kind                                               model.Kind
	Title, Summary, Text, Lang                         string
	Sectors                                            []string
	LocationName, LocationCountry, Latitude, Longitude string
	Status, StartTime, EndTime                         string
	// calls
	Deadline                                                                  string
	PartnerRoles                                                              []string
	EligibleCountries, RelatedProject, FundingProgramme, FundingCallID, HowTo string
	// projects
	Partners, FundingAmount, FundingCurrency string
}

// IsCall tells the template which fields to show.
func (f adminObjectForm) IsCall() bool { return f.Kind == model.KindCall }

func adminObjectFormOf(o model.Object) adminObjectForm {
	f := adminObjectForm{Kind: o.Kind, Title: o.Title, Summary: o.Summary, Text: o.Text, Lang: o.Lang,
		Sectors: o.Sectors, Status: o.Status, StartTime: formatDate(o.StartTime), EndTime: formatDate(o.EndTime),
		Deadline: formatDate(o.Deadline), PartnerRoles: o.PartnerRoles, EligibleCountries: strings.Join(o.EligibleCountries, ", "),
		RelatedProject: o.RelatedProject, FundingProgramme: o.FundingProgramme, FundingCallID: o.FundingCallID, HowTo: o.HowToRespond}
	if l := o.Location; l != nil {
		f.LocationName, f.LocationCountry, f.Latitude, f.Longitude = l.Name, l.Country, formatCoord(l.Latitude), formatCoord(l.Longitude)
	}
	var partners []string
	for _, p := range o.Partners {
		if p.URL != "" {
			partners = append(partners, p.Name+" | "+p.URL)
		} else {
			partners = append(partners, p.Name)
		}
	}
	f.Partners = strings.Join(partners, "\n")
	if m := o.FundingSought; m != nil {
		f.FundingAmount, f.FundingCurrency = strconv.FormatInt(m.Amount, 10), m.Currency
	}
	return f
}

func readObjectForm(r *http.Request, kind model.Kind) adminObjectForm {
	v := r.PostForm
	f := adminObjectForm{Kind: kind, Title: v.Get("title"), Summary: v.Get("summary"), Text: v.Get("text"),
		Lang: strings.TrimSpace(v.Get("lang")), Sectors: v["sectors"], LocationName: v.Get("location_name"),
		LocationCountry: v.Get("location_country"), Latitude: v.Get("latitude"), Longitude: v.Get("longitude"),
		Status: v.Get("status"), StartTime: v.Get("start_time"), EndTime: v.Get("end_time")}
	if kind == model.KindCall {
		f.Deadline, f.PartnerRoles, f.EligibleCountries = v.Get("deadline"), v["partner_roles"], v.Get("eligible_countries")
		f.RelatedProject, f.FundingProgramme = strings.TrimSpace(v.Get("related_project")), v.Get("funding_programme")
		f.FundingCallID, f.HowTo = v.Get("funding_call_id"), v.Get("how_to_respond")
	} else {
		f.Partners, f.FundingAmount, f.FundingCurrency = v.Get("partners"), v.Get("funding_amount"), v.Get("funding_currency")
	}
	return f
}

// input turns the form into what Publish and Edit take; old is the object
// being edited (nil for a new one), whose translations and times of day
// the form does not show and so keeps. Problems the form itself can see
// come back as i18n keys.
func (f adminObjectForm) input(old *model.Object) (service.ObjectInput, model.FieldErrors) {
	errs := model.FieldErrors{}
	if old == nil {
		old = &model.Object{}
	}
	in := service.ObjectInput{Kind: f.Kind, Title: f.Title, Summary: f.Summary, Text: f.Text, Lang: f.Lang,
		Sectors: f.Sectors, Status: f.Status, PartnerRoles: f.PartnerRoles, Translations: old.Translations,
		EligibleCountries: splitCodes(f.EligibleCountries, true), RelatedProject: f.RelatedProject,
		FundingProgramme: f.FundingProgramme, FundingCallID: f.FundingCallID, HowToRespond: f.HowTo}
	loc, ok := readPlace(f.LocationName, f.LocationCountry, f.Latitude, f.Longitude)
	if !ok {
		errs["location"] = model.Problem("admin.error.coordinates")
	}
	in.Location = loc
	for _, d := range []struct {
		field, typed string
		old          *time.Time
		dst          **service.TimeValue
	}{
		{"start_time", f.StartTime, old.StartTime, &in.StartTime},
		{"end_time", f.EndTime, old.EndTime, &in.EndTime},
		{"deadline", f.Deadline, old.Deadline, &in.Deadline},
	} {
		t, ok := readDate(d.typed, d.old)
		if !ok {
			errs[d.field] = model.Problem("admin.error.date")
		} else if t != nil {
			*d.dst = service.Time(*t)
		}
	}
	for _, l := range splitLines(f.Partners) {
		name, url, _ := strings.Cut(l, "|")
		in.Partners = append(in.Partners, model.Partner{Name: strings.TrimSpace(name), URL: strings.TrimSpace(url)})
	}
	amount, currency := strings.TrimSpace(f.FundingAmount), strings.ToUpper(strings.TrimSpace(f.FundingCurrency))
	if amount != "" || currency != "" {
		n, err := strconv.ParseInt(strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(amount), 10, 64)
		if err != nil {
			errs["funding_sought"] = model.Problem("admin.error.amount")
		}
		in.FundingSought = &model.Money{Amount: n, Currency: currency}
	}
	return in, errs
}

// inputOf is an object's every editable field, to edit one of them.
func inputOf(o model.Object) service.ObjectInput {
	in := service.ObjectInput{Kind: o.Kind, Title: o.Title, Summary: o.Summary, Text: o.Text, Sectors: o.Sectors,
		Location: o.Location, Status: o.Status, PartnerRoles: o.PartnerRoles, Lang: o.Lang, Translations: o.Translations,
		Partners: o.Partners, FundingSought: o.FundingSought, EligibleCountries: o.EligibleCountries,
		RelatedProject: o.RelatedProject, FundingProgramme: o.FundingProgramme, FundingCallID: o.FundingCallID,
		HowToRespond: o.HowToRespond}
	for _, d := range []struct {
		t   *time.Time
		dst **service.TimeValue
	}{{o.StartTime, &in.StartTime}, {o.EndTime, &in.EndTime}, {o.Deadline, &in.Deadline}} {
		if d.t != nil {
			*d.dst = service.Time(*d.t)
		}
	}
	return in
}
