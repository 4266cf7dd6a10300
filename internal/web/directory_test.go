package web_test

import (
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestDirectoryJSONFilters checks that each filter of /directory.json
// selects exactly the expected entries of a real instance.
func TestDirectoryJSONFilters(t *testing.T) {
	t.Parallel()
	f := newDirFixture(t, "127.0.0.40")
	all := []string{"org", "cheese", "freiburg", "ebikes", "pilot", "lender", "bread", "harvest", "filled", "mentors"}
	calls := []string{"pilot", "lender", "bread", "harvest", "filled", "mentors"}

	// Unordered filters: the set of entries matters.
	sets := []struct {
		name, query string
		want        []string
	}{
		{"everything", "", all},
		{"text with accents and case", "q=" + url.QueryEscape("fromagerie HÉLÈNE"), []string{"cheese"}},
		{"text without the accents", "q=BURGERENERGIE", []string{"freiburg"}},
		{"text in a place name", "q=bruxelles", []string{"bread"}},
		{"text matching nothing", "q=zzyzx", nil},
		{"kind call", "kind=call", calls},
		{"kind org", "kind=org", []string{"org"}},
		{"kind org and project", "kind=org&kind=project", []string{"org", "cheese", "freiburg", "ebikes"}},
		{"unknown kind ignored", "kind=person", all},
		{"sector", "sector=energy", []string{"org", "freiburg", "ebikes", "lender"}},
		{"two sectors", "sector=energy&sector=digital", []string{"org", "freiburg", "ebikes", "lender", "mentors"}},
		{"unknown sector ignored", "sector=astrology", all},
		{"country", "country=BE", []string{"bread"}},
		{"country lower case", "country=de", []string{"freiburg"}},
		{"country FR", "country=FR", []string{"org", "cheese", "ebikes", "pilot", "lender", "harvest"}},
		{"role", "role=lender", []string{"lender"}},
		{"role of the seed call", "role=pilot-territory", []string{"pilot"}},
		{"open only: no past deadline, no filled call, no projects", "open=1", []string{"pilot", "lender", "bread", "mentors"}},
		{"open only and projects", "open=1&kind=project", nil},
		{"kind, sector and country", "kind=call&sector=food-agriculture&country=FR", []string{"harvest"}},
		{"near with radius", "lat=45.764&lon=4.836&radius=90", []string{"lender", "cheese"}},
		{"near with a wider radius", "lat=45.764&lon=4.836&radius=120", []string{"lender", "cheese", "ebikes", "org"}},
	}
	for _, tt := range sets {
		t.Run(tt.name, func(t *testing.T) {
			res := queryDir(t, f.in, tt.query)
			got, want := sorted(entryIDs(res.Entries)), sorted(f.ids(tt.want...))
			if !slices.Equal(got, want) {
				t.Errorf("?%s = %v, want %v", tt.query, f.names(got), f.names(want))
			}
			if res.Total != len(tt.want) {
				t.Errorf("?%s: total %d, want %d", tt.query, res.Total, len(tt.want))
			}
		})
	}

	// Ordered results: the order matters.
	orders := []struct {
		name, query string
		want        []string
	}{
		{"deadline order, past first, none last", "kind=call&sort=deadline", []string{"harvest", "lender", "pilot", "filled", "bread", "mentors"}},
		{"deadline order of open calls", "open=1&sort=deadline", []string{"lender", "pilot", "bread", "mentors"}},
		{"distance order within a radius", "lat=45.764&lon=4.836&radius=90&sort=distance", []string{"lender", "cheese"}},
		{"distance order without radius", "kind=project&lat=45.764&lon=4.836&sort=distance", []string{"cheese", "ebikes", "freiburg"}},
		{"title order ignores accents", "kind=project&sort=title", []string{"freiburg", "ebikes", "cheese"}},
	}
	for _, tt := range orders {
		t.Run(tt.name, func(t *testing.T) {
			got, want := entryIDs(queryDir(t, f.in, tt.query).Entries), f.ids(tt.want...)
			if !slices.Equal(got, want) {
				t.Errorf("?%s = %v, want %v", tt.query, f.names(got), f.names(want))
			}
		})
	}

	t.Run("distances", func(t *testing.T) {
		res := queryDir(t, f.in, "lat=45.764&lon=4.836&radius=120&sort=distance")
		want := map[string]float64{"lender": 0, "cheese": 87.14, "ebikes": 93.94, "org": 93.94} // haversine, R = 6371.0088 km
		for _, e := range res.Entries {
			w, ok := want[f.name(e.ID)]
			switch {
			case !ok:
				t.Errorf("unexpected entry %s", f.name(e.ID))
			case e.DistanceKm == nil:
				t.Errorf("%s: no distance", f.name(e.ID))
			case math.Abs(*e.DistanceKm-w) > 0.5:
				t.Errorf("%s: distance %.2f km, want %.2f", f.name(e.ID), *e.DistanceKm, w)
			}
		}
		if e := queryDir(t, f.in, "kind=call&role=lender").Entries; len(e) != 1 || e[0].DistanceKm != nil {
			t.Errorf("a query without a point gave distances: %+v", e)
		}
	})

	t.Run("statuses", func(t *testing.T) {
		res := queryDir(t, f.in, "kind=call")
		want := map[string]string{"harvest": "expired", "filled": "filled", "lender": "open", "mentors": "open"}
		for name, status := range want {
			e, ok := entryByID(res.Entries, f.ids(name)[0])
			if !ok || e.Status != status {
				t.Errorf("%s: status %q (found %v), want %q", name, e.Status, ok, status)
			}
		}
	})

	t.Run("entries carry their fields", func(t *testing.T) {
		res := queryDir(t, f.in, "")
		for _, e := range res.Entries {
			if !e.Local || e.Source != f.in.Host || e.URL == "" || e.Org != f.org || e.OrgName != "EXAMPLE: Valley Mobility Coop" {
				t.Errorf("%s: local %v source %q url %q org %q org_name %q, want local from %s by coop",
					f.name(e.ID), e.Local, e.Source, e.URL, e.Org, e.OrgName, f.in.Host)
			}
		}
		org, _ := entryByID(res.Entries, f.org)
		if org.Kind != "org" || org.Country != "FR" || org.LegalForm != "fr-scic" || org.Website != "https://valley-mobility.example" ||
			org.Lat == nil || *org.Lat != 45.19 || !slices.Equal(org.Sectors, []string{"mobility", "energy"}) {
			t.Errorf("org entry = %+v, want the example profile", org)
		}
		lender, _ := entryByID(res.Entries, f.ids("lender")[0])
		if lender.Deadline == nil || !lender.Deadline.Equal(f.objs["lender"].Deadline.UTC()) ||
			!slices.Equal(lender.PartnerRoles, []string{"lender"}) || lender.PlaceName != "Lyon" || lender.Country != "FR" {
			t.Errorf("lender entry = %+v", lender)
		}
	})

	t.Run("pagination", func(t *testing.T) {
		tests := []struct {
			query                string
			total, page, perPage int
			want                 []string
		}{
			{"kind=call&sort=deadline&per_page=2&page=1", 6, 1, 2, []string{"harvest", "lender"}},
			{"kind=call&sort=deadline&per_page=2&page=2", 6, 2, 2, []string{"pilot", "filled"}},
			{"kind=call&sort=deadline&per_page=2&page=3", 6, 3, 2, []string{"bread", "mentors"}},
			{"kind=call&sort=deadline&per_page=2&page=4", 6, 4, 2, nil},
			{"kind=call&sort=deadline&per_page=4&page=2", 6, 2, 4, []string{"bread", "mentors"}},
			{"kind=call&sort=deadline", 6, 1, 20, []string{"harvest", "lender", "pilot", "filled", "bread", "mentors"}},
			{"kind=call&sort=deadline&per_page=500&page=0", 6, 1, 100, []string{"harvest", "lender", "pilot", "filled", "bread", "mentors"}},
			{"kind=call&sort=deadline&per_page=-3&page=x", 6, 1, 20, []string{"harvest", "lender", "pilot", "filled", "bread", "mentors"}},
		}
		for _, tt := range tests {
			res := queryDir(t, f.in, tt.query)
			if res.Total != tt.total || res.Page != tt.page || res.PerPage != tt.perPage {
				t.Errorf("?%s: total %d page %d per_page %d, want %d %d %d", tt.query, res.Total, res.Page, res.PerPage, tt.total, tt.page, tt.perPage)
			}
			if got := entryIDs(res.Entries); !slices.Equal(got, f.ids(tt.want...)) {
				t.Errorf("?%s = %v, want %v", tt.query, f.names(got), tt.want)
			}
			if res.Entries == nil {
				t.Errorf("?%s: entries is null, want a list", tt.query)
			}
		}
	})
}

// TestDirectoryPage checks that /directory shows what /directory.json
// returns for the same query, marks the filters in use and links exports
// that carry them.
func TestDirectoryPage(t *testing.T) {
	t.Parallel()
	f := newDirFixture(t, "127.0.0.40")
	tests := []struct {
		name, query string
		checked     []string // fragments of the form that must be there
		unchecked   []string // and must not
	}{
		{
			name:  "kind, sectors, open and sort",
			query: "kind=call&sector=energy&sector=food-agriculture&open=1&sort=deadline",
			checked: []string{`name="kind" value="call" checked>`, `name="sector" value="energy" checked>`,
				`name="sector" value="food-agriculture" checked>`, `name="open" value="1" checked>`, `<option value="deadline" selected>`},
			unchecked: []string{`name="kind" value="project" checked`, `name="kind" value="org" checked`, `name="sector" value="mobility" checked`},
		},
		{
			name:      "country, role and text",
			query:     "country=fr&role=lender&q=solar",
			checked:   []string{`id="country" name="country" size="3" maxlength="2" value="FR"`, `<option value="lender" selected>`, `type="search" value="solar"`},
			unchecked: []string{`name="open" value="1" checked`, `<option value="distributor" selected>`},
		},
		{
			name:    "point and radius",
			query:   "lat=45.764&lon=4.836&radius=90&sort=distance",
			checked: []string{`name="lat" size="8" value="45.764"`, `name="lon" size="8" value="4.836"`, `name="radius" size="5" value="90"`, `<option value="distance" selected>`},
		},
		{name: "page 2", query: "kind=call&sort=deadline&per_page=2&page=2", checked: []string{`<strong aria-current="page">2</strong>`}},
		{name: "nothing", query: "q=zzyzx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := queryDir(t, f.in, tt.query)
			resp, page := getOK(t, f.in, "/directory?"+tt.query, acceptLanguage("en"))
			if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("content type %q", ct)
			}
			var wantLinks []string
			for _, e := range res.Entries {
				wantLinks = append(wantLinks, e.URL)
			}
			if got := resultLinks(page); !slices.Equal(got, wantLinks) {
				t.Errorf("page lists %v, JSON %v", f.names(got), f.names(wantLinks))
			}
			want := `<p role="status">` + strconv.Itoa(res.Total) + ` results</p>`
			if res.Total == 1 {
				want = `<p role="status">1 result</p>`
			}
			if !strings.Contains(page, want) {
				t.Errorf("page lacks %q", want)
			}
			if n := strings.Count(page, "from this instance</p>"); n != len(res.Entries) {
				t.Errorf("%d entries say they come from this instance, want %d", n, len(res.Entries))
			}
			if len(res.Entries) == 0 && !strings.Contains(page, "Nothing matches these filters.") {
				t.Errorf("empty result without its message")
			}
			for _, s := range tt.checked {
				if !strings.Contains(page, s) {
					t.Errorf("page lacks %q", s)
				}
			}
			for _, s := range tt.unchecked {
				if strings.Contains(page, s) {
					t.Errorf("page has %q", s)
				}
			}
		})
	}

	// Every export link carries the filters but not the paging.
	t.Run("export links", func(t *testing.T) {
		for _, tt := range tests {
			_, page := getOK(t, f.in, "/directory?"+tt.query, acceptLanguage("en"))
			v, _ := url.ParseQuery(tt.query)
			v.Del("page")
			v.Del("per_page")
			links := exportLinks(page)
			for _, path := range []string{"/directory.json", "/directory.csv", "/directory.geojson", "/directory/calls.atom", "/directory/deadlines.ics"} {
				q, ok := links[path]
				switch {
				case !ok:
					t.Errorf("?%s: no export link to %s", tt.query, path)
				case !sameQuery(q, v.Encode()):
					t.Errorf("export link %s?%s, want the query %s", path, q, v.Encode())
				}
			}
		}
	})

	t.Run("distances shown", func(t *testing.T) {
		_, page := getOK(t, f.in, "/directory?lat=45.764&lon=4.836&radius=90&sort=distance", acceptLanguage("en"))
		if want := " · 87 km</p>"; !strings.Contains(page, want) {
			t.Errorf("page lacks the distance %q", want)
		}
	})

	t.Run("query reflected as text", func(t *testing.T) {
		hostile := url.Values{"q": {`"><script>alert(1)</script>`}, "lat": {`1" onfocus="alert(1)`}, "country": {`"x`}}
		_, page := getOK(t, f.in, "/directory?"+hostile.Encode(), acceptLanguage("en"))
		for _, bad := range []string{"<script", `" onfocus="`} {
			if strings.Contains(page, bad) {
				t.Errorf("page reflects %q unescaped", bad)
			}
		}
	})

	t.Run("map", func(t *testing.T) {
		_, page := getOK(t, f.in, "/directory?kind=call", acceptLanguage("en"))
		// lender (Lyon), bread (Brussels), harvest (Bordeaux) have coordinates.
		if n := placedCount(mapMarkers(page)); n != 3 {
			t.Errorf("map has %d points, want 3", n)
		}
		for _, bad := range []string{"<script", "<img", "@font-face", "<iframe"} {
			if strings.Contains(page, bad) {
				t.Errorf("directory page contains %q", bad)
			}
		}
	})
}
