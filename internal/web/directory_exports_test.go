package web_test

import (
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestDirectoryExports reads each export over HTTP with filters: its
// content type, exactly the filtered entries, and never the contact
// address of an organisation.
func TestDirectoryExports(t *testing.T) {
	t.Parallel()
	f := newDirFixture(t, "127.0.0.45")

	t.Run("csv", func(t *testing.T) {
		tests := []struct {
			query string
			want  []string
		}{
			{"sector=food-agriculture", []string{"cheese", "bread", "harvest"}},
			{"kind=call&open=1&country=FR", []string{"pilot", "lender"}},
			{"kind=org", []string{"org"}},
			{"", []string{"org", "cheese", "freiburg", "ebikes", "pilot", "lender", "bread", "harvest", "filled", "mentors"}},
		}
		for _, tt := range tests {
			resp, body := getOK(t, f.in, "/directory.csv?"+tt.query, nil)
			wantType(t, resp, "text/csv; charset=utf-8")
			if got := resp.Header.Get("Content-Disposition"); got != `attachment; filename="directory.csv"` {
				t.Errorf("Content-Disposition %q", got)
			}
			rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
			if err != nil || len(rows) == 0 {
				t.Fatalf("?%s: CSV %v:\n%s", tt.query, err, body)
			}
			header := []string{"kind", "title", "summary", "organisation", "country", "place", "lat", "lon", "sectors", "sector_labels",
				"status", "deadline", "partner_roles", "partner_role_labels", "website", "url", "source",
				"listed_by", "listed_by_url", "listed_by_id", "licence"}
			if !slices.Equal(rows[0], header) {
				t.Errorf("header %v, want %v", rows[0], header)
			}
			var got []string
			for _, r := range rows[1:] {
				got = append(got, r[slices.Index(header, "url")])
			}
			if want := sorted(f.ids(tt.want...)); !slices.Equal(sorted(got), want) {
				t.Errorf("?%s: CSV rows %v, want %v", tt.query, f.names(got), tt.want)
			}
			noContact(t, "CSV ?"+tt.query, body)
		}
		_, body := getOK(t, f.in, "/directory.csv?kind=call&role=lender", nil)
		rows, _ := csv.NewReader(strings.NewReader(body)).ReadAll()
		want := []string{"call", "Seeking a lender for a solar roof", f.objs["lender"].Summary, "EXAMPLE: Valley Mobility Coop", "FR", "Lyon", "45.764", "4.836",
			"energy", "Energy", "open", f.objs["lender"].Deadline.UTC().Format("2006-01-02"), "lender", "Lender", "", f.objs["lender"].ID, f.in.Host,
			"", "", "", ""}
		if len(rows) != 2 || !slices.Equal(rows[1], want) {
			t.Errorf("lender row = %q, want %q", rows[1:], want)
		}
	})

	t.Run("geojson", func(t *testing.T) {
		tests := []struct {
			query string
			want  []string // entries with coordinates only
		}{
			{"kind=call", []string{"lender", "bread", "harvest"}},
			{"sector=energy", []string{"org", "freiburg", "ebikes", "lender"}},
			{"open=1", []string{"lender", "bread"}},
			{"", []string{"org", "cheese", "freiburg", "ebikes", "lender", "bread", "harvest"}},
		}
		for _, tt := range tests {
			resp, body := getOK(t, f.in, "/directory.geojson?"+tt.query, nil)
			wantType(t, resp, "application/geo+json")
			fc := decodeGeoJSON(t, body)
			var got []string
			for _, ft := range fc.Features {
				got = append(got, ft.ID)
			}
			if want := sorted(f.ids(tt.want...)); !slices.Equal(sorted(got), want) {
				t.Errorf("?%s: features %v, want %v", tt.query, f.names(got), tt.want)
			}
			noContact(t, "GeoJSON ?"+tt.query, body)
		}
		fc := decodeGeoJSON(t, func() string { _, b := getOK(t, f.in, "/directory.geojson?country=BE", nil); return b }())
		if len(fc.Features) != 1 || fc.Features[0].Geometry.Type != "Point" || fc.Features[0].Geometry.Coordinates != [2]float64{4.35, 50.85} {
			t.Errorf("Brussels feature = %+v, want a Point at [4.35, 50.85] (longitude first)", fc.Features)
		}
	})

	t.Run("json", func(t *testing.T) {
		_, body := getOK(t, f.in, "/directory.json?per_page=100", nil)
		noContact(t, "directory.json", body)
		_, body = getOK(t, f.in, "/directory.json?kind=org", nil)
		noContact(t, "directory.json?kind=org", body)
	})

	t.Run("calls atom", func(t *testing.T) {
		tests := []struct {
			query string
			want  []string // open calls only, whatever the query says
		}{
			{"", []string{"pilot", "lender", "bread", "mentors"}},
			{"sector=food-agriculture", []string{"bread"}},
			{"kind=project", []string{"pilot", "lender", "bread", "mentors"}},
			{"country=FR&role=lender", []string{"lender"}},
		}
		for _, tt := range tests {
			resp, body := getOK(t, f.in, "/directory/calls.atom?"+tt.query, nil)
			wantType(t, resp, "application/atom+xml; charset=utf-8")
			feed := decodeAtom(t, body)
			if want := sorted(f.ids(tt.want...)); !slices.Equal(sorted(feed.ids()), want) {
				t.Errorf("?%s: entries %v, want %v", tt.query, f.names(feed.ids()), tt.want)
			}
			noContact(t, "calls.atom ?"+tt.query, body)
		}
	})

	t.Run("org atom", func(t *testing.T) {
		resp, body := getOK(t, f.in, "/orgs/coop/feed.atom", nil)
		wantType(t, resp, "application/atom+xml; charset=utf-8")
		feed := decodeAtom(t, body)
		want := f.ids("cheese", "freiburg", "ebikes", "pilot", "lender", "bread", "harvest", "filled", "mentors")
		if !slices.Equal(sorted(feed.ids()), sorted(want)) {
			t.Errorf("coop's feed lists %v, want every object of coop", f.names(feed.ids()))
		}
		if feed.Title != "EXAMPLE: Valley Mobility Coop" {
			t.Errorf("feed title %q", feed.Title)
		}
		noContact(t, "coop's feed", body)
		for _, name := range []string{"nobody", "instance"} {
			resp, _ := fetch(t, f.in.Client(), f.in.Base+"/orgs/"+name+"/feed.atom", nil)
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("GET /orgs/%s/feed.atom: status %d, want 404", name, resp.StatusCode)
			}
		}
	})

	t.Run("ics", func(t *testing.T) {
		tests := []struct {
			query string
			want  []string // open calls with a deadline
		}{
			{"", []string{"pilot", "lender", "bread"}},
			{"sector=energy", []string{"lender"}},
			{"country=BE", []string{"bread"}},
			{"sector=digital", nil}, // mentors has no deadline
		}
		for _, tt := range tests {
			resp, body := getOK(t, f.in, "/directory/deadlines.ics?"+tt.query, nil)
			wantType(t, resp, "text/calendar; charset=utf-8")
			if !strings.HasPrefix(body, "BEGIN:VCALENDAR\r\n") || !strings.HasSuffix(body, "END:VCALENDAR\r\n") {
				t.Errorf("?%s: not a calendar:\n%s", tt.query, body)
			}
			if n := strings.Count(body, "BEGIN:VEVENT"); n != len(tt.want) {
				t.Errorf("?%s: %d events, want %d", tt.query, n, len(tt.want))
			}
			unfolded := strings.ReplaceAll(body, "\r\n ", "")
			for _, name := range []string{"pilot", "lender", "bread", "harvest", "filled", "mentors", "cheese"} {
				has := strings.Contains(unfolded, "\r\nURL:"+f.objs[name].ID+"\r\n")
				if want := slices.Contains(tt.want, name); has != want {
					t.Errorf("?%s: event for %s present %v, want %v", tt.query, name, has, want)
				}
			}
			noContact(t, "deadlines.ics ?"+tt.query, body)
		}
	})
}

func wantType(t *testing.T, resp *http.Response, want string) {
	t.Helper()
	if got := resp.Header.Get("Content-Type"); got != want {
		t.Errorf("%s: Content-Type %q, want %q", resp.Request.URL.Path, got, want)
	}
}

// noContact fails when an export carries the organisation's contact
// address.
func noContact(t *testing.T, what, body string) {
	t.Helper()
	if strings.Contains(body, contactEmail) || strings.Contains(body, "mailto:") {
		t.Errorf("%s carries the contact address", what)
	}
}

type geoCollection struct {
	Type     string `json:"type"`
	Features []struct {
		ID       string `json:"id"`
		Geometry struct {
			Type        string     `json:"type"`
			Coordinates [2]float64 `json:"coordinates"`
		} `json:"geometry"`
	} `json:"features"`
}

func decodeGeoJSON(t *testing.T, body string) geoCollection {
	t.Helper()
	var fc geoCollection
	if err := json.Unmarshal([]byte(body), &fc); err != nil || fc.Type != "FeatureCollection" {
		t.Fatalf("GeoJSON: %v, type %q:\n%s", err, fc.Type, body)
	}
	return fc
}

type atomFeed struct {
	Title   string `xml:"title"`
	Entries []struct {
		ID    string `xml:"id"`
		Title string `xml:"title"`
	} `xml:"entry"`
}

func (f atomFeed) ids() []string {
	var out []string
	for _, e := range f.Entries {
		out = append(out, e.ID)
	}
	return out
}

func decodeAtom(t *testing.T, body string) atomFeed {
	t.Helper()
	var f atomFeed
	if err := xml.Unmarshal([]byte(body), &f); err != nil {
		t.Fatalf("Atom: %v:\n%s", err, body)
	}
	return f
}
