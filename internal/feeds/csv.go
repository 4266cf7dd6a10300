package feeds

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"codeberg.org/maillage/maillage/internal/directory"
)

// csvHeader names the columns CSV writes.
func csvHeader() []string {
	return []string{
		"kind", "title", "organisation", "country", "place", "lat", "lon", "sectors", "status",
		"deadline", "partner_roles", "website", "url", "source",
	}
}

// CSV writes a header and one row per entry (RFC 4180, CRLF line ends).
// Lists are joined with ";", the deadline is its date in UTC (YYYY-MM-DD).
// E-mail-looking text is replaced, URLs containing an address are emptied,
// and every cell a spreadsheet would read as a formula (starting with = + -
// @, tab or CR) gets a leading apostrophe. It writes no byte order mark:
// a handler serving Excel users may write "\uFEFF" first.
func CSV(w io.Writer, entries []directory.Entry) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(csvHeader()); err != nil {
		return fmt.Errorf("feeds: csv: write header: %w", err)
	}
	for _, e := range entries {
		if err := cw.Write(entryToCSV(e)); err != nil {
			return fmt.Errorf("feeds: csv: write %s: %w", e.ID, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("feeds: csv: %w", err)
	}
	return nil
}

func entryToCSV(e directory.Entry) []string {
	text := func(s string) string { return guardCell(scrubText(strings.ToValidUTF8(s, "\uFFFD"))) }
	link := func(s string) string { return guardCell(scrubURL(strings.ToValidUTF8(s, "\uFFFD"))) }
	var lat, lon, deadline string
	if la, lo, ok := coords(e); ok {
		lat, lon = strconv.FormatFloat(la, 'f', -1, 64), strconv.FormatFloat(lo, 'f', -1, 64)
	}
	if e.Deadline != nil {
		deadline = e.Deadline.UTC().Format(time.DateOnly)
	}
	return []string{
		text(string(e.Kind)),
		text(e.Title),
		text(e.OrgName),
		text(e.Country),
		text(e.PlaceName),
		lat, lon, // numbers we format: a minus sign here is not a formula
		text(strings.Join(e.Sectors, ";")),
		text(e.Status),
		deadline,
		text(strings.Join(e.PartnerRoles, ";")),
		link(e.Website),
		link(e.URL),
		link(e.Source),
	}
}
