package matching

import (
	"math"
	"strings"

	"codeberg.org/maillage/maillage/internal/model"
)

// Limits on Interests.
const (
	MaxCountries = 30
	MinRadiusKm  = 1
	MaxRadiusKm  = 2000
)

// Interests are what a member, or an organisation as a whole, wants to be
// told about. See the package documentation for how they match a call.
type Interests struct {
	Sectors   []string `json:"sectors,omitempty"`   // sector slugs (model.Sectors)
	Countries []string `json:"countries,omitempty"` // ISO 3166-1 alpha-2, upper case
	Near      *Place   `json:"near,omitempty"`
	Roles     []string `json:"roles,omitempty"` // roles the organisation can take (model.PartnerRoles)
}

// Place is a circle: calls anchored within RadiusKm of the point match.
type Place struct {
	Lat      float64 `json:"lat"`
	Lon      float64 `json:"lon"`
	RadiusKm float64 `json:"radius_km"`
}

// IsEmpty reports whether in states nothing, and so matches no call.
func (in Interests) IsEmpty() bool {
	return len(in.Sectors) == 0 && len(in.Countries) == 0 && in.Near == nil && len(in.Roles) == 0
}

// Validate checks in as entered in a form. It returns a
// *model.ValidationError keyed by "sectors", "countries", "near" (the
// point), "radius_km" and "roles". Empty Interests are valid.
func (in Interests) Validate() error {
	p := model.FieldErrors{}
	add := func(field, key string, args ...any) {
		if _, ok := p[field]; !ok {
			p[field] = model.Problem(key, args...)
		}
	}
	checkList(add, "sectors", "validation.sector.unknown", in.Sectors, len(model.Sectors), model.IsSector)
	checkList(add, "roles", "validation.role.unknown", in.Roles, len(model.PartnerRoles), isRole)
	checkList(add, "countries", "validation.country.unknown", in.Countries, MaxCountries, func(c string) bool {
		return isCountry(c) && c == strings.ToUpper(c)
	})
	if n := in.Near; n != nil {
		if !validPos(n.Lat, n.Lon) {
			add("near", "validation.place.position")
		}
		if !(n.RadiusKm >= MinRadiusKm && n.RadiusKm <= MaxRadiusKm) {
			add("radius_km", "validation.radius", MinRadiusKm, MaxRadiusKm)
		}
	}
	if len(p) == 0 {
		return nil
	}
	return &model.ValidationError{Fields: p}
}

// checkList reports unknown, repeated and too many items.
func checkList(add func(string, string, ...any), field, unknownKey string, list []string, max int, known func(string) bool) {
	if len(list) > max {
		add(field, "validation.max_items", max)
	}
	seen := make(map[string]bool, len(list))
	for _, v := range list {
		switch {
		case !known(v):
			add(field, unknownKey, v)
		case seen[v]:
			add(field, "validation.twice", v)
		}
		seen[v] = true
	}
}

func isRole(slug string) bool {
	for _, r := range model.PartnerRoles {
		if r == slug {
			return true
		}
	}
	return false
}

// validPos reports whether lat and lon are a point on Earth (NaN is not).
func validPos(lat, lon float64) bool {
	return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 &&
		!math.IsInf(lat, 0) && !math.IsInf(lon, 0)
}
