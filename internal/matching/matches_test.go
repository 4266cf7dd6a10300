package matching

import (
	"slices"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

type matchCase struct {
	name string
	in   Interests
	call func(o *model.Object) // changes openCall; nil keeps it
	want bool
}

// checkCases asserts each case with Interests.Matches and with an Index
// holding that one subscriber.
func checkCases(t *testing.T, cases []matchCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			call := openCall()
			if tc.call != nil {
				tc.call(&call)
			}
			if got := tc.in.Matches(call, now); got != tc.want {
				t.Errorf("Matches = %v, want %v", got, tc.want)
			}
			ix := New()
			ix.Set("m", tc.in)
			var want []string
			if tc.want {
				want = []string{"m"}
			}
			if got := ix.Match(call, now); !slices.Equal(got, want) {
				t.Errorf("Index.Match = %q, want %q", got, want)
			}
		})
	}
}

func TestMatchesStatus(t *testing.T) {
	in := Interests{Sectors: []string{"energy"}}
	checkCases(t, []matchCase{
		{"open", in, nil, true},
		{"no deadline", in, func(o *model.Object) { o.Deadline = nil }, true},
		{"deadline is now", in, func(o *model.Object) { o.Deadline = &now }, true},
		{"expired", in, func(o *model.Object) { o.Deadline = ptr(now.Add(-time.Second)) }, false},
		{"filled", in, func(o *model.Object) { o.Status = "filled" }, false},
		{"closed", in, func(o *model.Object) { o.Status = "closed" }, false},
		{"cancelled", in, func(o *model.Object) { o.Status = "cancelled" }, false},
		{"no status", in, func(o *model.Object) { o.Status = "" }, false},
		{"deleted", in, func(o *model.Object) { o.Deleted = now }, false},
		{"project", in, func(o *model.Object) { o.Kind = model.KindProject; o.Status = "open" }, false},
		{"note", in, func(o *model.Object) { o.Kind = model.KindNote }, false},
		{"empty interests", Interests{}, nil, false},
		{"empty lists", Interests{Sectors: []string{}, Countries: []string{}}, nil, false},
	})
}

func TestMatchesSectorsAndRoles(t *testing.T) {
	checkCases(t, []matchCase{
		{"one sector in common", Interests{Sectors: []string{"digital", "housing"}}, nil, true},
		{"no sector in common", Interests{Sectors: []string{"digital", "finance"}}, nil, false},
		{"call without sectors", Interests{Sectors: []string{"energy"}},
			func(o *model.Object) { o.Sectors = nil }, false},
		{"unknown sector never matches", Interests{Sectors: []string{"space"}},
			func(o *model.Object) { o.Sectors = []string{"space"} }, false},
		{"one role in common", Interests{Roles: []string{"lender", "funder"}}, nil, true},
		{"no role in common", Interests{Roles: []string{"lender", "supplier"}}, nil, false},
		{"call seeks no roles", Interests{Roles: []string{"funder"}},
			func(o *model.Object) { o.PartnerRoles = nil }, false},
		{"sector and role", Interests{Sectors: []string{"energy"}, Roles: []string{"funder"}}, nil, true},
		{"sector but not role", Interests{Sectors: []string{"energy"}, Roles: []string{"lender"}}, nil, false},
		{"role but not sector", Interests{Sectors: []string{"digital"}, Roles: []string{"funder"}}, nil, false},
	})
}

func TestMatchesCountries(t *testing.T) {
	fr := Interests{Countries: []string{"FR"}}
	de := Interests{Countries: []string{"DE", "BE"}}
	checkCases(t, []matchCase{
		{"call's country", fr, nil, true},
		{"another country", de, nil, false},
		{"lower-case country on the call", fr, func(o *model.Object) { o.Location.Country = "fr" }, true},
		{"with sectors", Interests{Sectors: []string{"energy"}, Countries: []string{"FR"}}, nil, true},
		{"country but not sector", Interests{Sectors: []string{"digital"}, Countries: []string{"FR"}}, nil, false},
		{"eligible includes ours", fr, func(o *model.Object) { o.EligibleCountries = []string{"DE", "FR"} }, true},
		{"eligible excludes ours", fr, func(o *model.Object) { o.EligibleCountries = []string{"DE", "IT"} }, false},
		{"eligible alone does not make a place", de,
			func(o *model.Object) { o.EligibleCountries = []string{"FR", "DE"} }, false},
		{"no location: eligible countries decide", de,
			func(o *model.Object) { o.Location = nil; o.EligibleCountries = []string{"IT", "BE"} }, true},
		{"no location: eligible elsewhere", de,
			func(o *model.Object) { o.Location = nil; o.EligibleCountries = []string{"IT"} }, false},
		{"no location, no eligible countries", fr, func(o *model.Object) { o.Location = nil }, false},
		{"point without country: eligible countries decide", de,
			func(o *model.Object) { o.Location.Country = ""; o.EligibleCountries = []string{"BE"} }, true},
		{"malformed country on the call", fr,
			func(o *model.Object) { o.Location.Country = "FRA"; o.EligibleCountries = []string{"FR"} }, true},
		{"eligibility ignored without countries", Interests{Sectors: []string{"energy"}},
			func(o *model.Object) { o.EligibleCountries = []string{"DE"} }, true},
	})
}

func TestMatchesRadius(t *testing.T) {
	paris, lyon := openCall(), openCall()
	lyon.Location = &model.Place{Country: "FR", Latitude: ptr(45.7640), Longitude: ptr(4.8357)}
	d := distanceKm(*paris.Location.Latitude, *paris.Location.Longitude, *lyon.Location.Latitude, *lyon.Location.Longitude)
	if d < 390 || d > 394 {
		t.Fatalf("Paris-Lyon = %.1f km, want about 392", d)
	}
	inLyon := func(o *model.Object) { o.Location = lyon.Location }
	aroundParis := func(r float64) Interests { return Interests{Near: &Place{Lat: 48.8566, Lon: 2.3522, RadiusKm: r}} }
	cases := []matchCase{
		{"centre", aroundParis(1), nil, true},
		{"on the circle", aroundParis(d), inLyon, true},
		{"just inside", aroundParis(d + 0.01), inLyon, true},
		{"just outside", aroundParis(d - 0.01), inLyon, false},
		{"call without point", aroundParis(2000), func(o *model.Object) { o.Location.Latitude, o.Location.Longitude = nil, nil }, false},
		{"call without location", aroundParis(2000), func(o *model.Object) { o.Location = nil }, false},
		{"country or circle: circle", Interests{Countries: []string{"BE"}, Near: &Place{Lat: 48.8566, Lon: 2.3522, RadiusKm: 400}}, inLyon, true},
		{"country or circle: country", Interests{Countries: []string{"FR"}, Near: &Place{Lat: 50.85, Lon: 4.35, RadiusKm: 10}}, inLyon, true},
		{"circle but not eligible", Interests{Countries: []string{"BE"}, Near: &Place{Lat: 48.8566, Lon: 2.3522, RadiusKm: 400}},
			func(o *model.Object) { inLyon(o); o.EligibleCountries = []string{"FR"} }, false},
		{"antimeridian", Interests{Near: &Place{Lat: -17.7, Lon: 179.5, RadiusKm: 200}},
			func(o *model.Object) { o.Location = &model.Place{Latitude: ptr(-17.7), Longitude: ptr(-179.5)} }, true},
		{"across the pole", Interests{Near: &Place{Lat: 89, Lon: 10, RadiusKm: 200}},
			func(o *model.Object) { o.Location = &model.Place{Latitude: ptr(89.5), Longitude: ptr(-170.0)} }, true},
	}
	// Just inside and outside 100 km on every bearing, at three latitudes:
	// the bounding box and the grid must not lose a point the haversine keeps.
	for _, lat := range []float64{0, 48.8566, 70} {
		for bearing := 0.0; bearing < 360; bearing += 22.5 {
			for _, km := range []float64{99.99, 100.01} {
				plat, plon := destination(lat, 2.35, bearing, km)
				if got := distanceKm(lat, 2.35, plat, plon); got < km-1e-6 || got > km+1e-6 {
					t.Fatalf("destination is %.9f km away, want %v", got, km)
				}
				cases = append(cases, matchCase{
					name: "edge",
					in:   Interests{Near: &Place{Lat: lat, Lon: 2.35, RadiusKm: 100}},
					call: func(o *model.Object) { o.Location = &model.Place{Latitude: ptr(plat), Longitude: ptr(plon)} },
					want: km < 100,
				})
			}
		}
	}
	checkCases(t, cases)
}
