package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// maillageCSVHeaders are the headers of maillage's /directory.csv
// (internal/feeds csv.go), now and before it had provenance, summary and
// label columns, whose cells are guarded against formula injection with a
// leading apostrophe that a re-import removes.
var maillageCSVHeaders = [][]string{
	{"kind", "title", "summary", "organisation", "country", "place", "lat", "lon", "sectors", "sector_labels",
		"status", "deadline", "partner_roles", "partner_role_labels", "website", "url", "source",
		"listed_by", "listed_by_url", "listed_by_id", "licence"},
	{"kind", "title", "summary", "organisation", "country", "place", "lat", "lon", "sectors", "sector_labels",
		"status", "deadline", "partner_roles", "partner_role_labels", "website", "url", "source"},
	{"kind", "title", "organisation", "country", "place", "lat", "lon", "sectors", "status",
		"deadline", "partner_roles", "website", "url", "source"},
}

// parseCSV reads a header row and data rows (RFC 4180), separated by
// commas or, as French spreadsheets write them, semicolons: whichever the
// header line has more of outside quotes. A UTF-8 byte order mark is
// skipped.
func parseCSV(r io.Reader, b *builder) error {
	const what = "csv"
	br := bufio.NewReaderSize(r, 64<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\uFEFF")) {
		br.Discard(3)
	}
	head, err := br.Peek(64 << 10)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return fmt.Errorf("importer: %s: %w", what, err)
	}
	cr := csv.NewReader(br)
	cr.Comma = delimiter(head)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return csvError(what, err)
	}
	header = slices.Clone(header)
	fields, ignored := columns(header)
	b.batch.IgnoredFields = ignored
	if !slices.Contains(fields, fName) {
		return fmt.Errorf("importer: %s: %w: no name column (name, nom, title or titre) in the header", what, ErrFormat)
	}
	unguard := slices.ContainsFunc(maillageCSVHeaders, func(h []string) bool { return slices.Equal(header, h) })
	n := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return csvError(what, err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		n++
		if n > b.opts.Limits.MaxEntries {
			return fmt.Errorf("importer: %s: %w: more than %d rows", what, ErrTooManyEntries, b.opts.Limits.MaxEntries)
		}
		line, _ := cr.FieldPos(0)
		r := raw{ref: Ref{Index: n, Line: line}}
		if len(rec) != len(header) {
			r.decodeErr = fmt.Sprintf("%d fields where the header has %d", len(rec), len(header))
			b.add(r)
			continue
		}
		for i, v := range rec {
			if fields[i] == fNone {
				continue
			}
			if unguard {
				v = unguardCell(v)
			}
			r.set(fields[i], v, nil)
		}
		if unguard && r.id == "" {
			r.id = r.url // maillage's CSV has no id column: the page URL is stable
		}
		b.add(r)
	}
	return nil
}

func csvError(what string, err error) error {
	if errors.Is(err, ErrTooLarge) {
		return fmt.Errorf("importer: %s: %w", what, err)
	}
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("importer: %s: %w: empty file", what, ErrFormat)
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("importer: %s: %w: invalid CSV at line %d: %w", what, ErrFormat, pe.Line, pe.Err)
	}
	return fmt.Errorf("importer: %s: %w: %w", what, ErrFormat, err)
}

// delimiter is ';' when the first line has more semicolons than commas
// outside quotes, else ','.
func delimiter(head []byte) rune {
	commas, semis, quoted := 0, 0, false
	for _, c := range head {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\n':
			if semis > commas {
				return ';'
			}
			return ','
		case c == ',':
			commas++
		case c == ';':
			semis++
		}
	}
	if semis > commas {
		return ';'
	}
	return ','
}

// unguardCell removes the apostrophe maillage's CSV export puts before a
// cell that a spreadsheet would read as a formula.
func unguardCell(s string) string {
	if len(s) >= 2 && s[0] == '\'' && strings.IndexByte("=+-@\t\r", s[1]) >= 0 {
		return s[1:]
	}
	return s
}
