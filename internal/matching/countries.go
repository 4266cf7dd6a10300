package matching

import "codeberg.org/maillage/maillage/internal/model"

// isCountry reports whether code is a country code, in either case.
func isCountry(code string) bool { return model.IsCountryCode(code) }

// countrySet is a set of country indexes (676 bits).
type countrySet [11]uint64

func (s *countrySet) add(i int)      { s[i>>6] |= 1 << (i & 63) }
func (s *countrySet) has(i int) bool { return s[i>>6]&(1<<(i&63)) != 0 }
func (s *countrySet) isEmpty() bool  { return *s == countrySet{} }
func (s *countrySet) meets(t *countrySet) bool {
	for i := range s {
		if s[i]&t[i] != 0 {
			return true
		}
	}
	return false
}

// countriesOf is the set of valid codes in list.
func countriesOf(list []string) countrySet {
	var s countrySet
	for _, c := range list {
		if i, ok := model.CountryIndex(c); ok {
			s.add(i)
		}
	}
	return s
}
