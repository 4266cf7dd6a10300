package web_test

import (
	"encoding/csv"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestExportsForPeople: the CSV carries a byte order mark on request
// (?bom=1) and its label columns, and the iCalendar its summaries and
// descriptions, in the reader's language; deadlines are all-day events on
// their date.
func TestExportsForPeople(t *testing.T) {
	t.Parallel()
	f := newDirFixture(t, "127.0.0.47")
	lender := f.objs["lender"]
	french := http.Header{"Accept-Language": {"fr-FR,fr;q=0.9"}}

	t.Run("csv", func(t *testing.T) {
		for _, tt := range []struct {
			query         string
			header        http.Header
			bom           bool
			sector, roles string
		}{
			{"kind=call&role=lender", nil, false, "Energy", "Lender"},
			{"kind=call&role=lender&bom=1", nil, true, "Energy", "Lender"},
			{"kind=call&role=lender&bom=1", french, true, "Énergie", "Prêteur"},
			{"kind=call&role=lender&lang=fr", nil, false, "Énergie", "Prêteur"},
		} {
			_, body := getOK(t, f.in, "/directory.csv?"+tt.query, tt.header)
			rest, hasBOM := strings.CutPrefix(body, "\uFEFF")
			if hasBOM != tt.bom {
				t.Errorf("?%s: byte order mark %v, want %v", tt.query, hasBOM, tt.bom)
			}
			rows, err := csv.NewReader(strings.NewReader(rest)).ReadAll()
			if err != nil || len(rows) != 2 {
				t.Fatalf("?%s: %d rows, %v\n%s", tt.query, len(rows), err, body)
			}
			col := func(name string) string {
				i := slices.Index(rows[0], name)
				if i < 0 {
					t.Fatalf("?%s: no %s column in %q", tt.query, name, rows[0])
				}
				return rows[1][i]
			}
			for name, want := range map[string]string{
				"summary": lender.Summary, "sectors": "energy", "sector_labels": tt.sector,
				"partner_roles": "lender", "partner_role_labels": tt.roles,
			} {
				if got := col(name); got != want {
					t.Errorf("?%s: %s = %q, want %q", tt.query, name, got, want)
				}
			}
		}
	})

	t.Run("ics", func(t *testing.T) {
		d := lender.Deadline.UTC()
		for _, tt := range []struct {
			header              http.Header
			summary, deadline   string
			roles, organisation string
		}{
			{nil, "Deadline: ", "Deadline: ", "Partner roles sought: Lender", "Organisation: "},
			{french, "Date limite : ", "Date limite : ", "Rôles de partenaires recherchés : Prêteur", "Organisation : "},
		} {
			_, body := getOK(t, f.in, "/directory/deadlines.ics?role=lender", tt.header)
			ev := oneEvent(t, body)
			if got := ev["DTSTART;VALUE=DATE"]; got != d.Format("20060102") {
				t.Errorf("DTSTART;VALUE=DATE = %q, want the deadline's date %s", got, d.Format("20060102"))
			}
			if got := ev["DTEND;VALUE=DATE"]; got != d.AddDate(0, 0, 1).Format("20060102") {
				t.Errorf("DTEND;VALUE=DATE = %q, want the next day", got)
			}
			if got := ev["SUMMARY"]; got != tt.summary+lender.Title {
				t.Errorf("SUMMARY = %q, want %q", got, tt.summary+lender.Title)
			}
			desc := strings.ReplaceAll(ev["DESCRIPTION"], `\n`, "\n")
			for _, want := range []string{tt.organisation, tt.roles, tt.deadline, lender.Summary} {
				if !strings.Contains(desc, want) {
					t.Errorf("DESCRIPTION %q lacks %q", desc, want)
				}
			}
		}
	})
}

// oneEvent unfolds a calendar's content lines (RFC 5545 section 3.1: a
// CRLF followed by one space or tab continues the line) and returns its
// only VEVENT's properties by name with parameters ("DTSTART;VALUE=DATE").
func oneEvent(t *testing.T, body string) map[string]string {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("content line of %d octets", len(l))
		}
		if len(lines) > 0 && (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")) {
			lines[len(lines)-1] += l[1:]
			continue
		}
		lines = append(lines, l)
	}
	var ev map[string]string
	events := 0
	for _, l := range lines {
		name, value, ok := strings.Cut(l, ":")
		switch {
		case !ok:
			t.Fatalf("content line without a colon: %q", l)
		case l == "BEGIN:VEVENT":
			ev, events = map[string]string{}, events+1
		case l == "END:VEVENT":
		case ev != nil:
			ev[name] = value
		}
	}
	if events != 1 {
		t.Fatalf("%d events, want 1:\n%s", events, body)
	}
	return ev
}
