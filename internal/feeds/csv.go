package feeds

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/model"
)

// csvHeader names the columns CSV writes.
func csvHeader() []string {
	return []string{
		"kind", "title", "summary", "organisation", "country", "place", "lat", "lon", "sectors", "sector_labels",
		"status", "deadline", "partner_roles", "partner_role_labels", "website", "url", "source",
		"listed_by", "listed_by_url", "listed_by_id", "licence",
	}
}

// CSV writes a header and one row per entry (RFC 4180, CRLF line ends).
// Lists of slugs are joined with ";" for machines; beside each, a labels
// column names them in tr's language for people, joined with "; ". The
// deadline is its date in UTC (YYYY-MM-DD). E-mail-looking text is
// replaced, URLs containing an address are emptied, and every cell a
// spreadsheet would read as a formula (starting with = + - @, tab or CR)
// gets a leading apostrophe. It writes no byte order mark: a handler
// serving spreadsheet users may write "\uFEFF" first.
func CSV(w io.Writer, entries []directory.Entry, tr Text) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(csvHeader()); err != nil {
		return fmt.Errorf("feeds: csv: write header: %w", err)
	}
	for _, e := range entries {
		if err := cw.Write(entryToCSV(e, tr)); err != nil {
			return fmt.Errorf("feeds: csv: write %s: %w", e.ID, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("feeds: csv: %w", err)
	}
	return nil
}

func entryToCSV(e directory.Entry, tr Text) []string {
	text := func(s string) string { return guardCell(scrubText(strings.ToValidUTF8(s, "\uFFFD"))) }
	link := func(s string) string { return guardCell(scrubURL(strings.ToValidUTF8(s, "\uFFFD"))) }
	var lat, lon, deadline string
	if la, lo, ok := coords(e); ok {
		lat, lon = strconv.FormatFloat(la, 'f', -1, 64), strconv.FormatFloat(lo, 'f', -1, 64)
	}
	if e.Deadline != nil {
		deadline = e.Deadline.UTC().Format(time.DateOnly)
	}
	var pv model.Provenance // an organisation listed from an imported map
	if e.Provenance != nil {
		pv = *e.Provenance
	}
	return []string{
		text(string(e.Kind)),
		text(e.Title),
		text(e.Summary),
		text(e.OrgName),
		text(e.Country),
		text(e.PlaceName),
		lat, lon, // numbers we format: a minus sign here is not a formula
		text(strings.Join(e.Sectors, ";")),
		text(strings.Join(tr.labels("sector.", e.Sectors), "; ")),
		text(e.Status),
		deadline,
		text(strings.Join(e.PartnerRoles, ";")),
		text(strings.Join(tr.labels("role.", e.PartnerRoles), "; ")),
		link(e.Website),
		link(e.URL),
		link(e.Source),
		text(pv.Source),
		link(pv.SourceURL),
		text(pv.SourceID),
		text(pv.Licence),
	}
}
