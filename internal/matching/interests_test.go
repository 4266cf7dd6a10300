package matching

import (
	"errors"
	"maps"
	"math"
	"slices"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
)

func TestValidate(t *testing.T) {
	all := func(n int, f func(int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = f(i)
		}
		return out
	}
	near := func(lat, lon, r float64) *Place { return &Place{Lat: lat, Lon: lon, RadiusKm: r} }
	tests := []struct {
		name string
		in   Interests
		want []string // fields in error
	}{
		{"empty", Interests{}, nil},
		{"full", Interests{Sectors: []string{"energy"}, Countries: []string{"FR", "XK"},
			Near: near(48.85, 2.35, 50), Roles: []string{"funder"}}, nil},
		{"every sector", Interests{Sectors: sectorSlugs()}, nil},
		{"every role", Interests{Roles: model.PartnerRoles}, nil},
		{"30 countries", Interests{Countries: europe()}, nil},
		{"radius limits", Interests{Near: near(-90, 180, 1)}, nil},
		{"radius 2000", Interests{Near: near(90, -180, 2000)}, nil},
		{"unknown sector", Interests{Sectors: []string{"energy", "space"}}, []string{"sectors"}},
		{"repeated sector", Interests{Sectors: []string{"energy", "energy"}}, []string{"sectors"}},
		{"15 sectors", Interests{Sectors: append(sectorSlugs(), "energy")}, []string{"sectors"}},
		{"unknown role", Interests{Roles: []string{"astronaut"}}, []string{"roles"}},
		{"17 roles", Interests{Roles: append(slices.Clone(model.PartnerRoles), "funder")}, []string{"roles"}},
		{"lower-case country", Interests{Countries: []string{"fr"}}, []string{"countries"}},
		{"three letters", Interests{Countries: []string{"FRA"}}, []string{"countries"}},
		{"not a country", Interests{Countries: []string{"XX"}}, []string{"countries"}},
		{"reserved code", Interests{Countries: []string{"UK"}}, []string{"countries"}},
		{"repeated country", Interests{Countries: []string{"FR", "FR"}}, []string{"countries"}},
		{"31 countries", Interests{Countries: append(europe(), "IS")}, []string{"countries"}},
		{"latitude", Interests{Near: near(91, 0, 10)}, []string{"near"}},
		{"longitude", Interests{Near: near(0, -181, 10)}, []string{"near"}},
		{"NaN", Interests{Near: near(math.NaN(), 0, 10)}, []string{"near"}},
		{"radius too small", Interests{Near: near(0, 0, 0.5)}, []string{"radius_km"}},
		{"radius too large", Interests{Near: near(0, 0, 2000.5)}, []string{"radius_km"}},
		{"radius NaN", Interests{Near: near(0, 0, math.NaN())}, []string{"radius_km"}},
		{"everything wrong", Interests{Sectors: []string{"x"}, Countries: []string{"x"},
			Near: near(100, 0, 0), Roles: all(17, func(int) string { return "funder" })},
			[]string{"countries", "near", "radius_km", "roles", "sectors"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.in.Validate()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var ve *model.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate() = %v, want a *model.ValidationError", err)
			}
			if got := slices.Sorted(maps.Keys(ve.Fields)); !slices.Equal(got, tt.want) {
				t.Errorf("fields = %q, want %q (%v)", got, tt.want, err)
			}
		})
	}
}

func TestTaxonomyFitsMasks(t *testing.T) {
	if len(model.Sectors) > 64 || len(model.PartnerRoles) > 64 {
		t.Fatalf("%d sectors and %d roles: masks hold 64", len(model.Sectors), len(model.PartnerRoles))
	}
}
