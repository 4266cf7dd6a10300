package webkit

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"codeberg.org/maillage/maillage/internal/matching"
	"codeberg.org/maillage/maillage/internal/model"
)

// InterestsView is the interests form of an account (/me/interests) or of
// an organisation (its admin page): the same fields, in each its page.
type InterestsView struct {
	Sectors   []model.Sector
	Roles     []string
	In        map[string]bool // chosen sector and role slugs
	Countries string
	Lat, Lon  string
	Radius    string
	Errors    map[string]string
	Saved     bool
}

// InterestsViewOf is the form showing in; saved says they were just saved.
func InterestsViewOf(in matching.Interests, saved bool) InterestsView {
	v := InterestsView{Countries: strings.Join(in.Countries, " "), Saved: saved, In: map[string]bool{}}
	if in.Near != nil {
		v.Lat, v.Lon, v.Radius = ftoa(in.Near.Lat), ftoa(in.Near.Lon), ftoa(in.Near.RadiusKm)
	}
	for _, s := range append(in.Sectors, in.Roles...) {
		v.In[s] = true
	}
	return v
}

// WithOptions is v with the sectors and roles it offers, for rendering.
func (v InterestsView) WithOptions() InterestsView {
	v.Sectors, v.Roles = model.Sectors, model.PartnerRoles
	return v
}

// InterestsForm reads the interests form (of an account or of an
// organisation) and the problems it has.
func (k *Kit) InterestsForm(r *http.Request) (matching.Interests, InterestsView) {
	f := r.PostForm
	in := matching.Interests{Sectors: f["sectors"], Roles: f["roles"]}
	v := InterestsView{In: map[string]bool{}, Countries: f.Get("countries"), Lat: f.Get("lat"), Lon: f.Get("lon"),
		Radius: f.Get("radius_km")}
	p := model.FieldErrors{}
	for _, s := range append(in.Sectors, in.Roles...) {
		v.In[s] = true
	}
	for _, c := range strings.FieldsFunc(v.Countries, func(r rune) bool { return r == ',' || r == ' ' }) {
		in.Countries = append(in.Countries, strings.ToUpper(c))
	}
	if v.Lat != "" || v.Lon != "" || v.Radius != "" {
		lat, e1 := strconv.ParseFloat(strings.TrimSpace(v.Lat), 64)
		lon, e2 := strconv.ParseFloat(strings.TrimSpace(v.Lon), 64)
		rad, e3 := strconv.ParseFloat(strings.TrimSpace(v.Radius), 64)
		if e1 != nil || e2 != nil {
			p["near"] = model.Problem("validation.place.numbers")
		}
		if e3 != nil {
			p["radius_km"] = model.Problem("validation.radius.number")
		}
		in.Near = &matching.Place{Lat: lat, Lon: lon, RadiusKm: rad}
	}
	err := in.Validate()
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		for k, m := range ve.Fields {
			if _, ok := p[k]; !ok {
				p[k] = m
			}
		}
	}
	v.Errors = k.TranslateErrs(k.tr.Pick(r), p)
	return in, v
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
