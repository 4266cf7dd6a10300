package admin

import (
	"strconv"
	"strings"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// splitCodes splits a list typed as "fr, en" or "FR BE".
func splitCodes(s string, upper bool) []string {
	var out []string
	for _, c := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		if upper {
			c = strings.ToUpper(c)
		}
		out = append(out, c)
	}
	return out
}

// splitLines returns the non-blank lines of s, trimmed.
func splitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// readPlace builds a place from its typed parts: nil when all are empty,
// ok false when a coordinate is not a number.
func readPlace(name, country, lat, lon string) (*model.Place, bool) {
	name, lat, lon = strings.TrimSpace(name), strings.TrimSpace(lat), strings.TrimSpace(lon)
	if name == "" && lat == "" && lon == "" && strings.TrimSpace(country) == "" {
		return nil, true
	}
	p := &model.Place{Name: name, Country: strings.ToUpper(strings.TrimSpace(country))}
	ok := true
	for _, c := range []struct {
		s   string
		dst **float64
	}{{lat, &p.Latitude}, {lon, &p.Longitude}} {
		if c.s == "" {
			continue
		}
		v, err := strconv.ParseFloat(strings.Replace(c.s, ",", ".", 1), 64)
		if err != nil {
			ok = false
			continue
		}
		*c.dst = &v
	}
	return p, ok
}

func formatCoord(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// dateLayout is what <input type="date"> sends and shows.
const dateLayout = "2006-01-02"

func formatDate(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(dateLayout)
}

// readDate parses a date typed in the form. When it is the date of old,
// old itself is kept, so that saving a form does not drop the time of day
// that the API may have set.
func readDate(s string, old *time.Time) (*time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, true
	}
	if old != nil && formatDate(old) == s {
		return old, true
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return nil, false
	}
	return &t, true
}
