package feeds

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/model"
)

// ICal writes an iCalendar object (RFC 5545) named calName with one event
// per call that has a deadline; other entries are skipped. Each is an
// all-day event on the deadline's date in UTC (DTSTART;VALUE=DATE, and
// DTEND the next day, since DTEND is exclusive: RFC 5545 section 3.6.1),
// so calendars show it on the day rather than as a point at midnight or at
// an hour shifted into the reader's zone; a time of day, if any, is in the
// description. Its summary, description and categories are in tr's
// language. Events are marked transparent so they never show the reader as
// busy.
//
// UID is a name-based UUID (RFC 9562, version 5, URL namespace) of the
// entry's ID, so it is stable across exports and reveals nothing more than
// the ID. DTSTAMP is the entry's Published time: without a METHOD property
// it means the last change of the information (RFC 5545 section 3.8.7.2),
// and using it keeps the output a pure function of the input.
func ICal(w io.Writer, calName string, entries []directory.Entry, tr Text) error {
	bw := bufio.NewWriter(w)
	cw := &contentWriter{w: bw}
	cw.prop("BEGIN", "VCALENDAR")
	cw.prop("VERSION", "2.0")
	cw.prop("PRODID", "-//maillage//directory//EN")
	cw.prop("CALSCALE", "GREGORIAN")
	if calName != "" {
		cw.prop("NAME", escapeText(calName))         // RFC 7986
		cw.prop("X-WR-CALNAME", escapeText(calName)) // what most clients read
	}
	for _, e := range entries {
		if e.Kind != directory.KindCall || e.Deadline == nil {
			continue
		}
		writeEvent(cw, e, tr)
		if cw.err != nil {
			return fmt.Errorf("feeds: ical: write event %s: %w", e.ID, cw.err)
		}
	}
	cw.prop("END", "VCALENDAR")
	if cw.err != nil {
		return fmt.Errorf("feeds: ical: %w", cw.err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("feeds: ical: %w", err)
	}
	return nil
}

func writeEvent(cw *contentWriter, e directory.Entry, tr Text) {
	d := e.Deadline.UTC()
	cw.prop("BEGIN", "VEVENT")
	cw.prop("UID", uuidV5URL(e.ID))
	cw.prop("DTSTAMP", icalTime(e.Published))
	cw.prop("DTSTART;VALUE=DATE", d.Format("20060102"))
	cw.prop("DTEND;VALUE=DATE", d.AddDate(0, 0, 1).Format("20060102"))
	cw.prop("SUMMARY", escapeText(tr("ical.summary", e.Title)))
	cw.prop("DESCRIPTION", escapeText(eventDescription(e, tr)))
	if httpURL(e.URL) {
		cw.prop("URL", e.URL)
	}
	if len(e.Sectors) > 0 {
		parts := make([]string, len(e.Sectors))
		for i, s := range e.Sectors {
			parts[i] = escapeText(tr.label("sector.", s))
		}
		cw.prop("CATEGORIES", strings.Join(parts, ","))
	}
	if model.CallStatus(e.Status) == model.CallCancelled {
		cw.prop("STATUS", "CANCELLED")
	}
	cw.prop("TRANSP", "TRANSPARENT")
	cw.prop("END", "VEVENT")
}

// eventDescription tells who issued the call and whom it seeks, then its
// summary and page, since many calendar clients do not show URL.
func eventDescription(e directory.Entry, tr Text) string {
	var lines []string
	if e.OrgName != "" {
		lines = append(lines, tr("ical.organisation", e.OrgName))
	}
	if len(e.PartnerRoles) > 0 {
		lines = append(lines, tr("ical.roles", strings.Join(tr.labels("role.", e.PartnerRoles), ", ")))
	}
	lines = append(lines, tr("ical.deadline", tr.deadline(*e.Deadline)))
	if e.Summary != "" {
		lines = append(lines, "", e.Summary)
	}
	if httpURL(e.URL) {
		lines = append(lines, "", e.URL)
	}
	return strings.Join(lines, "\n")
}

// icalTime is a DATE-TIME in UTC form (RFC 5545 section 3.3.5, form #2).
func icalTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }
