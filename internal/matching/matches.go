package matching

import (
	"slices"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// Matches reports whether call is for a subscriber with these interests at
// now. It is the plain statement of the rules in the package documentation;
// Index.Match gives the same answers for many subscribers at once.
func (in Interests) Matches(call model.Object, now time.Time) bool {
	if in.IsEmpty() || !isOpenCall(call, now) {
		return false
	}
	if len(in.Sectors) > 0 && !overlap(in.Sectors, call.Sectors, model.IsSector) {
		return false
	}
	if len(in.Roles) > 0 && !overlap(in.Roles, call.PartnerRoles, isRole) {
		return false
	}
	if len(in.Countries) > 0 && len(call.EligibleCountries) > 0 &&
		!overlap(in.Countries, call.EligibleCountries, isCountry) {
		return false
	}
	if len(in.Countries) == 0 && in.Near == nil {
		return true
	}
	country, hasCountry := callCountry(call)
	switch {
	case hasCountry && overlap(in.Countries, []string{country}, isCountry):
		return true
	case !hasCountry && overlap(in.Countries, call.EligibleCountries, isCountry):
		return true
	}
	lat, lon, hasPoint := callPoint(call)
	return in.Near != nil && hasPoint && distanceKm(in.Near.Lat, in.Near.Lon, lat, lon) <= in.Near.RadiusKm
}

// isOpenCall reports whether o is a live call open at now.
func isOpenCall(o model.Object, now time.Time) bool {
	return o.Kind == model.KindCall && !o.IsDeleted() && o.CallState().IsOpen(now)
}

// overlap reports whether a and b share a valid item; country codes are
// compared without regard to case.
func overlap(a, b []string, valid func(string) bool) bool {
	for _, x := range a {
		if !valid(x) {
			continue
		}
		if slices.ContainsFunc(b, func(y string) bool { return sameItem(x, y) }) {
			return true
		}
	}
	return false
}

func sameItem(x, y string) bool {
	if x == y {
		return true
	}
	i, ok := model.CountryIndex(x)
	j, ok2 := model.CountryIndex(y)
	return ok && ok2 && i == j
}

// callCountry is the call's country if it is a valid code.
func callCountry(o model.Object) (string, bool) {
	if o.Location == nil || !isCountry(o.Location.Country) {
		return "", false
	}
	return o.Location.Country, true
}

// callPoint is the call's position if it has a valid one.
func callPoint(o model.Object) (lat, lon float64, ok bool) {
	l := o.Location
	if l == nil || l.Latitude == nil || l.Longitude == nil || !validPos(*l.Latitude, *l.Longitude) {
		return 0, 0, false
	}
	return *l.Latitude, *l.Longitude, true
}
