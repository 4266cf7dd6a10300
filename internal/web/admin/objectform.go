package admin

import (
	"maps"
	"net/http"
	"strconv"
	"strings"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
)

// adminObjectForm is a project or call as typed in the form. Decoding
// fills the service's input directly (readObjectForm) for the fields typed
// as they are stored; the others are kept as typed, for the form to show
// them again, and parsed by input. Its kind comes from the address, never
// from the form.
type adminObjectForm struct {
	service.ObjectInput
	// The typed text of the fields input parses; the dates, eligible
	// countries and partners shadow the input's parsed fields.
	LocationName, LocationCountry, Latitude, Longitude string
	StartTime, EndTime, Deadline                       string
	EligibleCountries, Partners                        string
	FundingAmount, FundingCurrency                     string
	// ConfirmPastDeadline is the box publishing a call whose deadline has
	// passed, shown once the form refused it (AskPastDeadline).
	ConfirmPastDeadline, AskPastDeadline bool
}

// IsCall tells the template which fields to show.
func (f adminObjectForm) IsCall() bool { return f.Kind == model.KindCall }

func adminObjectFormOf(o model.Object) adminObjectForm {
	f := adminObjectForm{ObjectInput: service.InputOf(o), StartTime: formatDate(o.StartTime), EndTime: formatDate(o.EndTime),
		Deadline: formatDate(o.Deadline), EligibleCountries: strings.Join(o.EligibleCountries, ", ")}
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
	f := adminObjectForm{ObjectInput: service.ObjectInput{Kind: kind, Title: v.Get("title"), Summary: v.Get("summary"),
		Text: v.Get("text"), Lang: strings.TrimSpace(v.Get("lang")), Sectors: v["sectors"], Status: v.Get("status")},
		LocationName: v.Get("location_name"), LocationCountry: v.Get("location_country"), Latitude: v.Get("latitude"),
		Longitude: v.Get("longitude"), StartTime: v.Get("start_time"), EndTime: v.Get("end_time")}
	if kind == model.KindCall {
		f.Deadline, f.PartnerRoles, f.EligibleCountries = v.Get("deadline"), v["partner_roles"], v.Get("eligible_countries")
		f.RelatedProject, f.FundingProgramme = strings.TrimSpace(v.Get("related_project")), v.Get("funding_programme")
		f.FundingCallID, f.HowToRespond = v.Get("funding_call_id"), v.Get("how_to_respond")
		f.ConfirmPastDeadline = v.Get("confirm_past_deadline") != ""
		f.AskPastDeadline = f.ConfirmPastDeadline
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
	in := f.ObjectInput
	in.Translations, in.EligibleCountries = old.Translations, splitCodes(f.EligibleCountries, true)
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

// objectProblems answers the form again with every problem it has, the
// form's own (a date that is not one) and what the service would refuse
// (service.CheckObject), and reports whether it did.
func (h *Handler) objectProblems(w http.ResponseWriter, r *http.Request, f *adminObjectForm, in service.ObjectInput, formErrs model.FieldErrors, old *model.Object) bool {
	all := h.svc.CheckObject(in, old, f.ConfirmPastDeadline)
	maps.Copy(all, formErrs) // the form's reading of a field says more
	if len(all) == 0 {
		return false
	}
	if p, ok := all["deadline"]; ok && p.Key == "validation.deadline.past" {
		f.AskPastDeadline = true
	}
	h.renderObjectForm(w, r, http.StatusUnprocessableEntity, *f, h.kit.TranslateErrs(h.tr.Pick(r), all))
	return true
}
