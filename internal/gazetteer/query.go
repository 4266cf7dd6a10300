package gazetteer

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Query is a place search as people type it: "Lyon", "Lyon, FR",
// "Lyon 50 km", "Lyon, FR, 50 km".
type Query struct {
	Name     string
	Country  string  // ISO 3166-1 alpha-2, upper case, or ""
	RadiusKm float64 // 0 when not given
}

// ErrQuery is wrapped by ParseQuery's errors.
var ErrQuery = errors.New("invalid place query")

// MaxRadiusKm is the largest radius ParseQuery accepts.
const MaxRadiusKm = 2000

var (
	radiusRE  = regexp.MustCompile(`(?i)(?:^|[\s,])(\d{1,5}(?:\.\d{1,3})?)\s*km\s*$`)
	countryRE = regexp.MustCompile(`,\s*([A-Za-z]{2})\s*$`)
)

// ParseQuery splits a place search into a name, an optional country code
// after a comma, and an optional radius in kilometres at the end.
func ParseQuery(s string) (Query, error) {
	if len(s) > 300 {
		return Query{}, fmt.Errorf("%w: too long", ErrQuery)
	}
	s = strings.TrimSpace(s)
	var q Query
	if m := radiusRE.FindStringSubmatchIndex(s); m != nil {
		r, err := strconv.ParseFloat(s[m[2]:m[3]], 64)
		if err != nil || r <= 0 || r > MaxRadiusKm {
			return Query{}, fmt.Errorf("%w: radius must be between 0 and %d km", ErrQuery, MaxRadiusKm)
		}
		q.RadiusKm = r
		s = strings.TrimRight(s[:m[0]], " ,\t")
	}
	if m := countryRE.FindStringSubmatchIndex(s); m != nil {
		q.Country = strings.ToUpper(s[m[2]:m[3]])
		s = strings.TrimRight(s[:m[0]], " ,\t")
	}
	q.Name = strings.TrimSpace(s)
	if nameKey(q.Name) == "" {
		return Query{}, fmt.Errorf("%w: no place name", ErrQuery)
	}
	return q, nil
}
