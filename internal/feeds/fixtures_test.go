package feeds

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/i18n"
)

// words returns the interface's texts in lang, as the web handlers pass
// them.
func words(t testing.TB, lang string) Text {
	t.Helper()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return func(key string, args ...any) string { return b.T(lang, key, args...) }
}

// longWord is 200 characters mixing 1-, 2-, 3- and 4-octet UTF-8, so that
// folding meets every rune width.
func longWord() string { return strings.Repeat("aé€😀", 50) }

// hostileTitle has markup, CDATA end, quotes, line breaks, CSV and iCal
// separators, a formula, emoji, accents and a word longer than a line.
const hostileTitle = "<script>alert(\"x\")</script> ]]> \"dq\" 'sq' a,b;c\\d\nline two\r\nthree " +
	"=HYPERLINK(\"http://evil.example\",\"x\") 🌍 Économie sociale ñ "

func ptr[T any](v T) *T { return &v }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// fixtureEntries returns an organisation, a project without a position, a
// date-only call with a hostile title, a timed call whose text holds e-mail
// addresses, and a call without a deadline.
func fixtureEntries() []directory.Entry {
	return []directory.Entry{
		{
			ID: "https://a.example/orgs/coop", URL: "https://a.example/@coop", Kind: directory.KindOrg,
			Title: "Coop Énergie", Summary: "Citizen energy.", Org: "https://a.example/orgs/coop",
			OrgName: "Coop Énergie", Source: "a.example", Local: true, Sectors: []string{"energy"},
			Country: "FR", PlaceName: "Paris", Lat: ptr(48.85), Lon: ptr(2.35), Status: "active",
			Website: "https://coop.example", Published: day(2026, 1, 10),
		},
		{
			ID: "https://a.example/projects/p1", URL: "https://a.example/projects/p1", Kind: directory.KindProject,
			Title: "Repair café", Org: "https://a.example/orgs/coop", OrgName: "Coop Énergie",
			Source: "a.example", Sectors: []string{"circular-economy", "culture-media"}, Status: "active",
			Published: day(2026, 2, 1),
		},
		{
			ID: "https://b.example/calls/1", URL: "https://b.example/calls/1", Kind: directory.KindCall,
			Title: hostileTitle + longWord(), Summary: "Seeking; partners, now\nplease",
			Org: "https://b.example/orgs/ess", OrgName: "ESS; Cape, Town", Source: "b.example:8443",
			Sectors: []string{"finance", "digital"}, Country: "ZA", PlaceName: "Cape Town",
			Lat: ptr(-33.9), Lon: ptr(18.4), Status: "open", Deadline: ptr(day(2026, 3, 15)),
			PartnerRoles: []string{"funder", "pilot-user"}, Published: day(2026, 2, 20),
		},
		{
			ID: "https://b.example/calls/2", URL: "https://b.example/calls/2", Kind: directory.KindCall,
			Title:   "=HYPERLINK(\"http://evil.example\") write to jean.dupont@example.org",
			Summary: "Contact marie+ess@coop.example.fr. Or josé@exemple.fr", Org: "https://b.example/orgs/ess",
			OrgName: "-ESS+ <jean@ess.example>", Source: "b.example", Sectors: []string{"@sector"},
			Country: "BE", PlaceName: "+Liège", Lat: ptr(50.63), Lon: ptr(-5.57), Status: "cancelled",
			Deadline:     ptr(time.Date(2026, 4, 1, 17, 0, 0, 0, time.FixedZone("CEST", 2*3600))),
			PartnerRoles: []string{"=cmd", "supplier"}, Website: "mailto:info@ess.example",
			Published: day(2026, 3, 1),
		},
		{
			ID: "https://b.example/calls/3", URL: "https://b.example/calls/3", Kind: directory.KindCall,
			Title: "Open-ended call", OrgName: "ESS", Status: "open", Published: day(2026, 3, 2),
		},
	}
}

// emailPattern is an independent check that no address leaks.
func emailPattern() *regexp.Regexp {
	return regexp.MustCompile(`[\pL\pN._%+-]+[@＠][\pL\pN.-]+\.\pL{2,}`)
}

var errWrite = errors.New("disk full")

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errWrite }
