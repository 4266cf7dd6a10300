package feeds

import (
	"math"
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
