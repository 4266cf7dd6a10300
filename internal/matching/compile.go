package matching

import (
	"math"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// subscriber is Interests compiled for Index.Match.
type subscriber struct {
	id                   string
	sectors, roles       uint64 // bit i: model.Sectors[i], model.PartnerRoles[i]
	hasSectors, hasRoles bool   // stated, even if no slug is known
	countries            countrySet
	hasCountries         bool
	near                 *Place // a copy
	box                  box    // bounds near
	filed                []bucket
}

// callInfo is a call compiled for Index.Match.
type callInfo struct {
	sectors, roles uint64
	country        int // index, when hasCountry
	hasCountry     bool
	eligible       countrySet
	eligibleListed bool // the call lists eligible countries, valid or not
	lat, lon       float64
	hasPoint       bool
}

func compileInterests(id string, in Interests) *subscriber {
	s := &subscriber{
		id:           id,
		sectors:      mask(in.Sectors, sectorBit),
		roles:        mask(in.Roles, roleBit),
		hasSectors:   len(in.Sectors) > 0,
		hasRoles:     len(in.Roles) > 0,
		countries:    countriesOf(in.Countries),
		hasCountries: len(in.Countries) > 0,
	}
	if in.Near != nil {
		n := *in.Near
		s.near = &n
		s.box = box{dLat: math.Inf(1), dLon: 360} // anything, for a circle we cannot bound
		if boundable(n) {
			s.box = boxOf(n)
		}
	}
	return s
}

// boundable reports whether boxOf gives a sound box for p.
func boundable(p Place) bool {
	return validPos(p.Lat, p.Lon) && p.RadiusKm >= 0 && !math.IsInf(p.RadiusKm, 0)
}

// compileCall returns false for anything that is not an open call at now.
func compileCall(o model.Object, now time.Time) (callInfo, bool) {
	if !isOpenCall(o, now) {
		return callInfo{}, false
	}
	c := callInfo{
		sectors:        mask(o.Sectors, sectorBit),
		roles:          mask(o.PartnerRoles, roleBit),
		eligible:       countriesOf(o.EligibleCountries),
		eligibleListed: len(o.EligibleCountries) > 0,
	}
	if o.Location != nil {
		c.country, c.hasCountry = model.CountryIndex(o.Location.Country)
	}
	c.lat, c.lon, c.hasPoint = callPoint(o)
	return c, true
}

// matches is Interests.Matches on compiled values.
func (s *subscriber) matches(c *callInfo) bool {
	if s.hasSectors && s.sectors&c.sectors == 0 ||
		s.hasRoles && s.roles&c.roles == 0 ||
		s.hasCountries && c.eligibleListed && !s.countries.meets(&c.eligible) {
		return false
	}
	if !s.hasCountries && s.near == nil {
		return s.hasSectors || s.hasRoles
	}
	if c.hasCountry && s.countries.has(c.country) || !c.hasCountry && s.countries.meets(&c.eligible) {
		return true
	}
	return s.near != nil && c.hasPoint && s.box.contains(c.lat, c.lon) &&
		distanceKm(s.near.Lat, s.near.Lon, c.lat, c.lon) <= s.near.RadiusKm
}

// mask sets the bit of each known slug.
func mask(slugs []string, bit func(string) (int, bool)) uint64 {
	var m uint64
	for _, s := range slugs {
		if i, ok := bit(s); ok {
			m |= 1 << i
		}
	}
	return m
}

func sectorBit(slug string) (int, bool) {
	for i, s := range model.Sectors {
		if s.Slug == slug {
			return i, i < 64
		}
	}
	return 0, false
}

func roleBit(slug string) (int, bool) {
	for i, r := range model.PartnerRoles {
		if r == slug {
			return i, i < 64
		}
	}
	return 0, false
}
