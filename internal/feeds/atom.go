package feeds

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"time"

	"codeberg.org/maillage/maillage/internal/directory"
)

// Feed describes an Atom feed: an organisation's feed or a directory view.
type Feed struct {
	ID       string    // permanent IRI of the feed
	Title    string    // also the feed's author name
	Link     string    // HTML page the feed mirrors (rel="alternate")
	SelfLink string    // URL the feed is served at (rel="self")
	Updated  time.Time // zero: the newest entry's Published
	Lang     string    // BCP 47 tag for xml:lang, optional
}

// Atom writes an Atom 1.0 feed (RFC 4287) with one entry per directory
// entry, in the given order. Titles and summaries are plain text
// (type="text"), so markup in them is shown, never run. A call's summary
// starts with its deadline. Links that are not http(s) URLs are left out;
// an entry left with no link carries its summary as content instead, as
// RFC 4287 section 4.1.2 requires.
func Atom(w io.Writer, f Feed, entries []directory.Entry) error {
	feed := atomFeed{
		Lang:    f.Lang,
		ID:      f.ID,
		Title:   atomText{Type: "text", Text: f.Title},
		Updated: atomTime(feedUpdated(f, entries)),
		Author:  &atomPerson{Name: f.Title},
		Entries: make([]atomEntry, 0, len(entries)),
	}
	if httpURL(f.Link) {
		feed.Author.URI = f.Link
		feed.Links = append(feed.Links, atomLink{Rel: "alternate", Type: "text/html", Href: f.Link})
	}
	if httpURL(f.SelfLink) {
		feed.Links = append(feed.Links, atomLink{Rel: "self", Type: "application/atom+xml", Href: f.SelfLink})
	}
	for _, e := range entries {
		feed.Entries = append(feed.Entries, entryToAtom(e, f.Lang))
	}
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString(xml.Header); err != nil {
		return fmt.Errorf("feeds: atom: %w", err)
	}
	enc := xml.NewEncoder(bw)
	enc.Indent("", "  ")
	if err := enc.Encode(feed); err != nil {
		return fmt.Errorf("feeds: atom: encode feed %s: %w", f.ID, err)
	}
	if err := bw.WriteByte('\n'); err != nil {
		return fmt.Errorf("feeds: atom: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("feeds: atom: %w", err)
	}
	return nil
}

func feedUpdated(f Feed, entries []directory.Entry) time.Time {
	if !f.Updated.IsZero() {
		return f.Updated
	}
	var newest time.Time
	for _, e := range entries {
		if e.Published.After(newest) {
			newest = e.Published
		}
	}
	return newest
}

func entryToAtom(e directory.Entry, lang string) atomEntry {
	a := atomEntry{
		ID:        e.ID,
		Title:     atomText{Type: "text", Text: e.Title},
		Published: atomTime(e.Published),
		Updated:   atomTime(e.Published),
	}
	for _, href := range []string{e.URL, e.ID} {
		if httpURL(href) {
			a.Links = []atomLink{{Rel: "alternate", Type: "text/html", Href: href}}
			break
		}
	}
	if e.OrgName != "" {
		a.Author = &atomPerson{Name: e.OrgName}
		if httpURL(e.Org) {
			a.Author.URI = e.Org
		}
	}
	for _, s := range e.Sectors {
		a.Categories = append(a.Categories, atomCategory{Term: s, Label: sectorLabel(s, lang)})
	}
	summary := e.Summary
	if e.Kind == directory.KindCall && e.Deadline != nil {
		summary = "Deadline: " + deadlineText(*e.Deadline) + "\n\n" + summary
	}
	if summary != "" {
		a.Summary = &atomText{Type: "text", Text: summary}
	}
	if a.Links == nil {
		a.Content = &atomText{Type: "text", Text: summary}
	}
	return a
}

// atomTime formats t as an RFC 3339 date-time in UTC, to the second.
func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
