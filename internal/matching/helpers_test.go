package matching

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

type city struct {
	country  string
	lat, lon float64
}

// cities are European places calls and circles are anchored at.
func cities() []city {
	return []city{
		{"FR", 48.8566, 2.3522}, {"FR", 45.7640, 4.8357}, {"FR", 43.2965, 5.3698},
		{"FR", 47.2184, -1.5536}, {"FR", 50.6292, 3.0573}, {"BE", 50.8503, 4.3517},
		{"BE", 51.2194, 4.4025}, {"NL", 52.3676, 4.9041}, {"DE", 52.5200, 13.4050},
		{"DE", 48.1351, 11.5820}, {"DE", 50.9375, 6.9603}, {"IT", 41.9028, 12.4964},
		{"IT", 45.4642, 9.1900}, {"IT", 40.8518, 14.2681}, {"ES", 40.4168, -3.7038},
		{"ES", 41.3874, 2.1686}, {"ES", 43.2630, -2.9350}, {"PT", 38.7223, -9.1393},
		{"PT", 41.1579, -8.6291}, {"LU", 49.6116, 6.1319}, {"CH", 46.2044, 6.1432},
		{"AT", 48.2082, 16.3738}, {"PL", 52.2297, 21.0122}, {"CZ", 50.0755, 14.4378},
		{"DK", 55.6761, 12.5683}, {"SE", 59.3293, 18.0686}, {"FI", 60.1699, 24.9384},
		{"IE", 53.3498, -6.2603}, {"GR", 37.9838, 23.7275}, {"HU", 47.4979, 19.0402},
		{"RO", 44.4268, 26.1025}, {"SI", 46.0569, 14.5058},
	}
}

func europe() []string {
	return []string{"AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR",
		"GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO",
		"SE", "SI", "SK", "XK"}
}

func ptr[T any](v T) *T { return &v }

func pick[T any](rng *rand.Rand, list []T, n int) []T {
	out := make([]T, 0, n)
	for _, i := range rng.Perm(len(list))[:min(n, len(list))] {
		out = append(out, list[i])
	}
	return out
}

func sectorSlugs() []string {
	s := make([]string, len(model.Sectors))
	for i, x := range model.Sectors {
		s[i] = x.Slug
	}
	return s
}

// openCall is a valid open call in Paris, for tables to modify.
func openCall() model.Object {
	return model.Object{
		ID: "https://a.example/calls/1", Kind: model.KindCall, Status: "open",
		Sectors:      []string{"energy", "housing"},
		PartnerRoles: []string{"funder", "pilot-territory"},
		Location:     &model.Place{Country: "FR", Latitude: ptr(48.8566), Longitude: ptr(2.3522)},
		Deadline:     ptr(now.Add(48 * time.Hour)),
	}
}

// realisticInterests follows the benchmark's mix: 1-3 sectors, half with
// 1-3 countries, 30% with a circle around a city, 40% with 1-4 roles.
func realisticInterests(rng *rand.Rand) Interests {
	in := Interests{Sectors: pick(rng, sectorSlugs(), 1+rng.IntN(3))}
	if rng.IntN(2) == 0 {
		in.Countries = pick(rng, europe(), 1+rng.IntN(3))
	}
	if rng.IntN(10) < 3 {
		c := cities()[rng.IntN(len(cities()))]
		radii := []float64{10, 25, 50, 100, 200, 500}
		in.Near = &Place{Lat: c.lat, Lon: c.lon, RadiusKm: radii[rng.IntN(len(radii))]}
	}
	if rng.IntN(10) < 4 {
		in.Roles = pick(rng, model.PartnerRoles, 1+rng.IntN(4))
	}
	return in
}

// realisticCall is an open call in a European city: 1-3 sectors, 1-4
// roles, and for 30% a list of 1-10 eligible countries.
func realisticCall(rng *rand.Rand, i int) model.Object {
	c := cities()[rng.IntN(len(cities()))]
	o := model.Object{
		ID: fmt.Sprintf("https://a.example/calls/%d", i), Kind: model.KindCall, Status: "open",
		Sectors:      pick(rng, sectorSlugs(), 1+rng.IntN(3)),
		PartnerRoles: pick(rng, model.PartnerRoles, 1+rng.IntN(4)),
		Location:     &model.Place{Country: c.country, Latitude: ptr(c.lat), Longitude: ptr(c.lon)},
		Deadline:     ptr(now.Add(time.Duration(1+rng.IntN(60)) * 24 * time.Hour)),
	}
	if rng.IntN(10) < 3 {
		o.EligibleCountries = append(pick(rng, europe(), rng.IntN(10)), c.country)
	}
	return o
}

// Odd values for the randomised equivalence test: unknown slugs, lower
// case and malformed codes, places near the poles and the antimeridian.
func oddSectors() []string {
	return append(sectorSlugs()[:5:5], "space", "")
}

func oddRoles() []string { return append(slices.Clone(model.PartnerRoles[:5]), "astronaut") }

func oddCountries() []string {
	return []string{"FR", "DE", "BE", "IT", "fr", "De", "XX", "FRA", "", "FJ", "NZ", "NO"}
}

func oddPoint(rng *rand.Rand) (float64, float64) {
	switch rng.IntN(5) {
	case 0: // antimeridian
		lon := 177 + rng.Float64()*6
		if lon > 180 {
			lon -= 360
		}
		return -18 + rng.Float64()*4, lon
	case 1: // near a pole
		return 84 + rng.Float64()*6, rng.Float64()*360 - 180
	case 2: // anywhere
		return rng.Float64()*180 - 90, rng.Float64()*360 - 180
	default: // around Paris, Brussels and Berlin
		c := cities()[[]int{0, 5, 8}[rng.IntN(3)]]
		return c.lat + rng.NormFloat64(), c.lon + rng.NormFloat64()
	}
}

func oddInterests(rng *rand.Rand) Interests {
	var in Interests
	if rng.IntN(2) == 0 {
		in.Sectors = pick(rng, oddSectors(), 1+rng.IntN(3))
	}
	if rng.IntN(2) == 0 {
		in.Countries = pick(rng, oddCountries(), 1+rng.IntN(3))
	}
	if rng.IntN(3) == 0 {
		lat, lon := oddPoint(rng)
		radii := []float64{1, 50, 150, 400, 2000, 2500, 0, -1, math.NaN(), math.Inf(1)}
		r := radii[rng.IntN(len(radii))]
		if rng.IntN(20) == 0 {
			lat = 95 // invalid point
		}
		in.Near = &Place{Lat: lat, Lon: lon, RadiusKm: r}
	}
	if rng.IntN(3) == 0 {
		in.Roles = pick(rng, oddRoles(), 1+rng.IntN(3))
	}
	return in
}

func oddCall(rng *rand.Rand, i int) model.Object {
	o := model.Object{
		ID: fmt.Sprintf("c%d", i), Kind: model.KindCall, Status: "open",
		Sectors:      pick(rng, oddSectors(), rng.IntN(4)),
		PartnerRoles: pick(rng, oddRoles(), rng.IntN(4)),
	}
	switch rng.IntN(20) {
	case 0:
		o.Kind = model.KindProject
	case 1:
		o.Status = "filled"
	case 2:
		o.Deadline = ptr(now.Add(-time.Hour))
	case 3:
		o.Deleted = now
	}
	if rng.IntN(2) == 0 {
		o.EligibleCountries = pick(rng, oddCountries(), 1+rng.IntN(4))
	}
	if rng.IntN(5) > 0 {
		o.Location = &model.Place{}
		if rng.IntN(4) > 0 {
			o.Location.Country = oddCountries()[rng.IntN(len(oddCountries()))]
		}
		if rng.IntN(4) > 0 {
			lat, lon := oddPoint(rng)
			o.Location.Latitude, o.Location.Longitude = ptr(lat), ptr(lon)
		}
	}
	return o
}

// bruteForce is Index.Match written as a loop over Interests.Matches.
func bruteForce(subs map[string]Interests, call model.Object) []string {
	var ids []string
	for id, in := range subs {
		if in.Matches(call, now) {
			ids = append(ids, id)
		}
	}
	return ids
}

// destination is the point km away from (lat, lon) on bearing deg.
func destination(lat, lon, bearing, km float64) (float64, float64) {
	p1, l1, th, d := radians(lat), radians(lon), radians(bearing), km/earthRadiusKm
	p2 := math.Asin(math.Sin(p1)*math.Cos(d) + math.Cos(p1)*math.Sin(d)*math.Cos(th))
	l2 := l1 + math.Atan2(math.Sin(th)*math.Sin(d)*math.Cos(p1), math.Cos(d)-math.Sin(p1)*math.Sin(p2))
	return degrees(p2), math.Remainder(degrees(l2), 360)
}
