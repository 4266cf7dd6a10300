package feeds

import (
	"math"
	"strconv"
	"strings"
	"time"

	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/model"
)

// coords returns e's position if it has a usable one: both coordinates set,
// finite and within range.
func coords(e directory.Entry) (lat, lon float64, ok bool) {
	if e.Lat == nil || e.Lon == nil {
		return 0, 0, false
	}
	lat, lon = *e.Lat, *e.Lon
	if math.IsNaN(lat) || math.IsNaN(lon) || math.Abs(lat) > 90 || math.Abs(lon) > 180 {
		return 0, 0, false
	}
	return lat, lon, true
}

// isDateOnly reports whether t is midnight UTC, which is how a deadline
// given as a plain date (2026-03-15) is stored (service.ParseTime).
func isDateOnly(t time.Time) bool {
	u := t.UTC()
	return u.Hour() == 0 && u.Minute() == 0 && u.Second() == 0 && u.Nanosecond() == 0
}

// deadlineText is a deadline for people: "2026-03-15", or
// "2026-03-15 17:00 UTC" when it has a time of day.
func deadlineText(t time.Time) string {
	if isDateOnly(t) {
		return t.UTC().Format(time.DateOnly)
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// Text gives an export's words in the reader's language: key is an i18n
// key (internal/i18n/locales: feeds, taxonomy and dates), formatted with
// args, as i18n.Bundle.T bound to one language; it returns key itself for
// a key it does not know.
type Text func(key string, args ...any) string

// label is the name of slug in the taxonomy under prefix ("sector.",
// "role."), or slug itself when it has none (a remote instance's own).
func (tr Text) label(prefix, slug string) string {
	if l := tr(prefix + slug); l != prefix+slug {
		return l
	}
	return slug
}

func (tr Text) labels(prefix string, slugs []string) []string {
	out := make([]string, len(slugs))
	for i, s := range slugs {
		out[i] = tr.label(prefix, s)
	}
	return out
}

// deadline is a deadline for people, in UTC: "15 March 2026", or
// "1 avril 2026, 15:00 UTC" when it has a time of day.
func (tr Text) deadline(t time.Time) string {
	u := t.UTC()
	s := tr("date.day", u.Day(), tr("date.month."+strconv.Itoa(int(u.Month()))), u.Year())
	if !isDateOnly(u) {
		s = tr("ical.time", s, u.Format("15:04"))
	}
	return s
}

// sectorLabel is the taxonomy's name for a sector slug in lang (French for
// "fr" and its regions, English otherwise), or "" for an unknown slug.
func sectorLabel(slug, lang string) string {
	for _, s := range model.Sectors {
		if s.Slug != slug {
			continue
		}
		if lang == "fr" || strings.HasPrefix(lang, "fr-") {
			return s.FR
		}
		return s.EN
	}
	return ""
}
