package feeds

import (
	"bytes"
	"encoding/xml"
	"errors"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/directory"
)

// Atom as a reader sees it; the namespace in the tags checks the output's.
type testFeed struct {
	XMLName xml.Name      `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string        `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID      string        `xml:"http://www.w3.org/2005/Atom id"`
	Title   testText      `xml:"http://www.w3.org/2005/Atom title"`
	Updated string        `xml:"http://www.w3.org/2005/Atom updated"`
	Links   []atomLink    `xml:"http://www.w3.org/2005/Atom link"`
	Authors []atomPerson  `xml:"http://www.w3.org/2005/Atom author"`
	Entries []testEntryAT `xml:"http://www.w3.org/2005/Atom entry"`
}

type testEntryAT struct {
	ID         string         `xml:"http://www.w3.org/2005/Atom id"`
	Title      testText       `xml:"http://www.w3.org/2005/Atom title"`
	Published  string         `xml:"http://www.w3.org/2005/Atom published"`
	Updated    string         `xml:"http://www.w3.org/2005/Atom updated"`
	Links      []atomLink     `xml:"http://www.w3.org/2005/Atom link"`
	Authors    []atomPerson   `xml:"http://www.w3.org/2005/Atom author"`
	Categories []atomCategory `xml:"http://www.w3.org/2005/Atom category"`
	Summary    *testText      `xml:"http://www.w3.org/2005/Atom summary"`
	Content    *testText      `xml:"http://www.w3.org/2005/Atom content"`
}

type testText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

func parseAtom(t *testing.T, raw []byte) testFeed {
	t.Helper()
	if !bytes.HasPrefix(raw, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
		t.Errorf("no XML declaration: %.60q", raw)
	}
	var f testFeed
	if err := xml.Unmarshal(raw, &f); err != nil {
		t.Fatalf("output is not XML: %v\n%s", err, raw)
	}
	if f.ID == "" || f.Title.Type != "text" || f.Updated == "" || len(f.Authors) == 0 {
		t.Errorf("feed lacks id, text title, updated or author: %+v", f)
	}
	if _, err := time.Parse(time.RFC3339, f.Updated); err != nil {
		t.Errorf("feed updated: %v", err)
	}
	return f
}

func testFeedMeta() Feed {
	return Feed{
		ID: "https://a.example/orgs/coop/feed", Title: "Coop <Énergie> & co", Link: "https://a.example/@coop",
		SelfLink: "https://a.example/@coop/feed.atom", Lang: "fr", Updated: day(2026, 3, 5),
	}
}

func TestAtomFeed(t *testing.T) {
	var buf bytes.Buffer
	if err := Atom(&buf, testFeedMeta(), fixtureEntries()); err != nil {
		t.Fatal(err)
	}
	f := parseAtom(t, buf.Bytes())
	want := testFeedMeta()
	if f.ID != want.ID || f.Title.Text != want.Title || f.Lang != "fr" || f.Updated != "2026-03-05T00:00:00Z" {
		t.Errorf("feed = %q %q %q %q, want %q %q fr 2026-03-05T00:00:00Z", f.ID, f.Title.Text, f.Lang, f.Updated, want.ID, want.Title)
	}
	gotLinks := map[string]atomLink{}
	for _, l := range f.Links {
		gotLinks[l.Rel] = l
	}
	if l := gotLinks["self"]; l.Href != want.SelfLink || l.Type != "application/atom+xml" {
		t.Errorf("self link = %+v, want %s", l, want.SelfLink)
	}
	if l := gotLinks["alternate"]; l.Href != want.Link || l.Type != "text/html" {
		t.Errorf("alternate link = %+v, want %s", l, want.Link)
	}
	if got, want := len(f.Entries), len(fixtureEntries()); got != want {
		t.Fatalf("%d entries, want %d", got, want)
	}
	for i, e := range fixtureEntries() {
		a := f.Entries[i]
		if a.ID != e.ID || a.Title.Text != e.Title || a.Title.Type != "text" {
			t.Errorf("entry %d: id, title = %q, %q; want %q, %q", i, a.ID, a.Title.Text, e.ID, e.Title)
		}
		if len(a.Links) != 1 || a.Links[0].Href != e.URL || a.Links[0].Rel != "alternate" {
			t.Errorf("entry %d: links = %+v, want alternate %s", i, a.Links, e.URL)
		}
		pub := e.Published.UTC().Format(time.RFC3339)
		if a.Published != pub || a.Updated != pub {
			t.Errorf("entry %d: published, updated = %s, %s; want %s", i, a.Published, a.Updated, pub)
		}
		if len(a.Authors) != 1 || a.Authors[0].Name != e.OrgName {
			t.Errorf("entry %d: authors = %+v, want %s", i, a.Authors, e.OrgName)
		}
		var terms []string
		for _, c := range a.Categories {
			terms = append(terms, c.Term)
		}
		if got, want := strings.Join(terms, "|"), strings.Join(e.Sectors, "|"); got != want {
			t.Errorf("entry %d: categories = %s, want %s", i, got, want)
		}
	}
}

func TestAtomSummary(t *testing.T) {
	entries := fixtureEntries()
	tests := []struct {
		name string
		e    directory.Entry
		want string
	}{
		{"organisation", entries[0], "Citizen energy."},
		{"project without summary", entries[1], ""},
		{"call with a date", entries[2], "Deadline: 2026-03-15\n\nSeeking; partners, now\nplease"},
		{"call with a time", entries[3], "Deadline: 2026-04-01 15:00 UTC\n\n" + entries[3].Summary},
		{"call without deadline", entries[4], ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Atom(&buf, testFeedMeta(), []directory.Entry{tt.e}); err != nil {
				t.Fatal(err)
			}
			f := parseAtom(t, buf.Bytes())
			var got string
			if s := f.Entries[0].Summary; s != nil {
				got = s.Text
			}
			if got != tt.want {
				t.Errorf("summary = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAtomEscaping(t *testing.T) {
	var buf bytes.Buffer
	e := fixtureEntries()[2]
	e.Summary = "<b>bold</b> ]]> & \x00\x1b control"
	if err := Atom(&buf, testFeedMeta(), []directory.Entry{e}); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	for _, bad := range []string{"<script>", "<b>", "]]>", "\x00", "\x1b"} {
		if strings.Contains(raw, bad) {
			t.Errorf("output contains %q unescaped", bad)
		}
	}
	f := parseAtom(t, buf.Bytes())
	if got := f.Entries[0].Title.Text; got != e.Title {
		t.Errorf("title = %q, want %q", got, e.Title)
	}
	if got, want := f.Entries[0].Summary.Text, "Deadline: 2026-03-15\n\n<b>bold</b> ]]> & \uFFFD\uFFFD control"; got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
	if got, want := f.Entries[0].Categories[0].Label, "Finance solidaire et assurance"; got != want {
		t.Errorf("category label = %q, want %q", got, want)
	}
}

func TestAtomUnsafeLinks(t *testing.T) {
	e := fixtureEntries()[0]
	e.URL, e.ID, e.Org = "javascript:alert(1)", "urn:uuid:1", "javascript:alert(2)"
	f := Feed{ID: "urn:feed", Title: "t", Link: "data:text/html,x", SelfLink: "https://a.example/f\n.atom"}
	var buf bytes.Buffer
	if err := Atom(&buf, f, []directory.Entry{e}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "javascript:") || strings.Contains(buf.String(), "data:") {
		t.Errorf("unsafe URL in output:\n%s", buf.String())
	}
	got := parseAtom(t, buf.Bytes())
	if len(got.Links) != 0 || len(got.Entries[0].Links) != 0 {
		t.Errorf("links = %+v, %+v; want none", got.Links, got.Entries[0].Links)
	}
	// RFC 4287 4.1.2: an entry with no alternate link must have content.
	if c := got.Entries[0].Content; c == nil || c.Text != e.Summary {
		t.Errorf("content = %+v, want %q", c, e.Summary)
	}
}

func TestAtomEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := Atom(&buf, Feed{ID: "urn:x", Title: "Open calls"}, nil); err != nil {
		t.Fatal(err)
	}
	f := parseAtom(t, buf.Bytes())
	if len(f.Entries) != 0 || f.Authors[0].Name != "Open calls" || f.Lang != "" {
		t.Errorf("empty feed = %+v", f)
	}
}

func TestAtomUpdatedDefault(t *testing.T) {
	var buf bytes.Buffer
	if err := Atom(&buf, Feed{ID: "urn:x", Title: "x"}, fixtureEntries()); err != nil {
		t.Fatal(err)
	}
	if got, want := parseAtom(t, buf.Bytes()).Updated, "2026-03-02T00:00:00Z"; got != want {
		t.Errorf("updated = %s, want the newest entry's %s", got, want)
	}
}

func TestWriteErrors(t *testing.T) {
	entries := fixtureEntries()
	tests := []struct {
		name  string
		write func() error
	}{
		{"atom", func() error { return Atom(failWriter{}, testFeedMeta(), entries) }},
		{"ical", func() error { return ICal(failWriter{}, "x", entries, words(t, "en")) }},
		{"csv", func() error { return CSV(failWriter{}, entries, words(t, "en")) }},
		{"geojson", func() error { return GeoJSON(failWriter{}, entries) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.write(); !errors.Is(err, errWrite) {
				t.Errorf("err = %v, want %v wrapped", err, errWrite)
			}
		})
	}
}
