package importer

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
)

// Report is a Plan for people: counts, one line per entry that is added,
// updated, withdrawn, refused or held back as a possible duplicate
// (unchanged entries are only counted), the categories left without a
// sector and the personal data left out.
type Report struct {
	Source, SourceURL, Licence string
	Imported                   time.Time
	Counts                     Counts
	Lines                      []Line
	Unmapped                   []CategoryCount
	Dropped                    Dropped
	IgnoredFields              []string
}

// Counts are the sizes of a Plan's parts.
type Counts struct {
	Added, Updated, Unchanged, Withdrawn, Refused, Duplicates int
}

// Line is one entry of the report.
type Line struct {
	Action   string // added, updated, withdrawn, refused, duplicate
	Ref      Ref    // zero for withdrawn entries, which are not in the file
	SourceID string
	Name     string
	Details  []string
}

// Report summarises p.
func (p *Plan) Report() Report {
	b := p.batch
	r := Report{
		Source: b.Source, SourceURL: b.SourceURL, Licence: b.Licence, Imported: b.Imported,
		Counts: Counts{
			Added: len(p.Added), Updated: len(p.Updated), Unchanged: len(p.Unchanged),
			Withdrawn: len(p.Withdrawn), Refused: len(p.Refused), Duplicates: len(p.Duplicates),
		},
		Unmapped: b.Unmapped, Dropped: b.Dropped, IgnoredFields: b.IgnoredFields,
	}
	for _, a := range p.Added {
		r.Lines = append(r.Lines, Line{Action: "added", Ref: a.Ref, SourceID: a.Entry.SourceID, Name: a.Entry.Name, Details: a.Entry.Notes})
	}
	for _, u := range p.Updated {
		l := Line{Action: "updated", Ref: u.Ref, SourceID: u.Entry.SourceID, Name: u.Entry.Name}
		for _, c := range u.Changes {
			l.Details = append(l.Details, fmt.Sprintf("%s: %q → %q", c.Field, clip(c.Old, 60), clip(c.New, 60)))
		}
		r.Lines = append(r.Lines, l)
	}
	for _, w := range p.Withdrawn {
		r.Lines = append(r.Lines, Line{Action: "withdrawn", SourceID: w.SourceID, Name: w.Name, Details: []string{"no longer in the source"}})
	}
	for _, f := range p.Refused {
		r.Lines = append(r.Lines, Line{Action: "refused", Ref: f.Ref, SourceID: f.SourceID, Name: f.Name, Details: f.Reasons})
	}
	for _, d := range p.Duplicates {
		l := Line{Action: "duplicate", Ref: d.Ref, SourceID: d.Entry.SourceID, Name: d.Entry.Name}
		for _, m := range d.Matches {
			where := m.Key
			if where == "" {
				where = "this file, " + strings.TrimSuffix(refText(m.Ref), ":")
			}
			l.Details = append(l.Details, fmt.Sprintf("may be %q (%s), score %.2f: %s", m.Name, where, m.Score, strings.Join(m.Reasons, ", ")))
		}
		r.Lines = append(r.Lines, l)
	}
	return r
}

// WriteText writes the report for a terminal.
func (r Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "import from %s", r.Source)
	if r.SourceURL != "" {
		fmt.Fprintf(bw, " (%s)", r.SourceURL)
	}
	if r.Licence != "" {
		fmt.Fprintf(bw, ", licence %s", r.Licence)
	}
	fmt.Fprintf(bw, ", %s\n", r.Imported.UTC().Format(time.RFC3339))
	c := r.Counts
	fmt.Fprintf(bw, "added %d, updated %d, unchanged %d, withdrawn %d, refused %d, possible duplicates %d\n",
		c.Added, c.Updated, c.Unchanged, c.Withdrawn, c.Refused, c.Duplicates)
	d := r.Dropped
	fmt.Fprintf(bw, "personal data left out: %d e-mail addresses, %d hidden values, %d phone numbers; text replaced in %d entries\n",
		d.Emails, d.Hidden, d.Phones, d.TextReplaced)
	if len(r.Unmapped) > 0 {
		fmt.Fprintf(bw, "categories without a sector (add them to a mapping file):\n")
		for _, u := range r.Unmapped {
			fmt.Fprintf(bw, "  %s (%d)\n", u.Category, u.Entries)
		}
	}
	if len(r.IgnoredFields) > 0 {
		fmt.Fprintf(bw, "fields not read: %s\n", strings.Join(r.IgnoredFields, ", "))
	}
	for _, l := range r.Lines {
		fmt.Fprintf(bw, "%-9s %s", l.Action, refText(l.Ref))
		if l.SourceID != "" {
			fmt.Fprintf(bw, " id %s", l.SourceID)
		}
		if l.Name != "" {
			fmt.Fprintf(bw, " %q", l.Name)
		}
		bw.WriteByte('\n')
		for _, d := range l.Details {
			fmt.Fprintf(bw, "          %s\n", d)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("importer: write report: %w", err)
	}
	return nil
}

func refText(r Ref) string {
	switch {
	case r.Line > 0:
		return fmt.Sprintf("line %d:", r.Line)
	case r.Index > 0:
		return fmt.Sprintf("entry %d:", r.Index)
	}
	return "-"
}
