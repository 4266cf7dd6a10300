package web_test

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/seeds"
)

// contactEmail is the address of seeds.Profile("example-profile"): it is
// shown on the organisation's page but must never reach a bulk export.
const contactEmail = "contact@valley-mobility.example"

// dirFixture is an instance whose organisation coop has the example
// profile and one object of each shape the directory filters on.
type dirFixture struct {
	in   *testenv.Instance
	now  time.Time
	objs map[string]model.Object // by fixture name
	org  string                  // coop's IRI: the org entry's ID and URL
}

func place(name, country string, lat, lon float64) *model.Place {
	return &model.Place{Name: name, Country: country, Latitude: &lat, Longitude: &lon}
}

// fixtureObjects are the fixture's objects by name; deadlines are relative
// to now so that "open" and "expired" do not depend on the day the test runs.
func fixtureObjects(now time.Time) map[string]service.ObjectInput {
	day := 24 * time.Hour
	pilot := seeds.Example("pilot-call") // mobility; pilot-territory, co-investor; FR, no coordinates
	pilot.Deadline = service.Time(now.Add(30 * day))
	return map[string]service.ObjectInput{
		"cheese": {Kind: model.KindProject, Title: "Fromagerie coopérative de Sainte-Hélène", Summary: "Affinage partagé entre producteurs.",
			Sectors: []string{"food-agriculture"}, Location: place("Chambéry", "FR", 45.566, 5.921)},
		"freiburg": {Kind: model.KindProject, Title: "Bürgerenergie Genossenschaft Freiburg", Summary: "Citizen-owned solar roofs.",
			Sectors: []string{"energy"}, Location: place("Freiburg", "DE", 47.999, 7.842)},
		"ebikes": seeds.Example("mobility-project"), // mobility, energy; Grenoble; French translation
		"pilot":  pilot,
		"lender": {Kind: model.KindCall, Title: "Seeking a lender for a solar roof", Summary: "A school roof in Lyon.",
			Sectors: []string{"energy"}, PartnerRoles: []string{"lender"}, Deadline: service.Time(now.Add(20 * day)),
			Location: place("Lyon", "FR", 45.764, 4.836)},
		"bread": {Kind: model.KindCall, Title: "Distributors wanted for organic bread", Summary: "Bakeries around Brussels.",
			Sectors: []string{"food-agriculture"}, PartnerRoles: []string{"distributor"}, Deadline: service.Time(now.Add(60 * day)),
			Location: place("Bruxelles", "BE", 50.85, 4.35)},
		"harvest": {Kind: model.KindCall, Title: "Volunteers for the grape harvest", Summary: "Past deadline.",
			Sectors: []string{"food-agriculture"}, PartnerRoles: []string{"volunteer-network"}, Deadline: service.Time(now.Add(-10 * day)),
			Location: place("Bordeaux", "FR", 44.84, -0.58)},
		"filled": {Kind: model.KindCall, Title: "Supplier of cargo bikes", Status: "filled",
			Sectors: []string{"mobility"}, PartnerRoles: []string{"supplier"}, Deadline: service.Time(now.Add(40 * day))},
		"mentors": {Kind: model.KindCall, Title: "Open-ended call for expert mentors",
			Sectors: []string{"digital"}, PartnerRoles: []string{"expert-mentor"}},
	}
}

// newDirFixture builds an instance named ip, served through its handler
// (testenv.NewHandler), gives coop the example profile and publishes
// fixtureObjects.
func newDirFixture(t testing.TB, ip string) *dirFixture {
	t.Helper()
	in := testenv.NewHandler(t, ip, testenv.Options{})
	f := &dirFixture{in: in, now: time.Now().UTC().Truncate(time.Second), objs: map[string]model.Object{}, org: in.Actor("coop")}
	setProfile(t, in, "coop", seeds.Profile("example-profile"))
	for name, input := range fixtureObjects(f.now) {
		f.objs[name] = publishObject(t, in, "coop", input)
	}
	return f
}

// ids maps fixture names to IRIs; "org" is coop itself.
func (f *dirFixture) ids(names ...string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		if n == "org" {
			out[i] = f.org
			continue
		}
		o, ok := f.objs[n]
		if !ok {
			panic("no fixture object " + n)
		}
		out[i] = o.ID
	}
	return out
}

// name is the fixture name of IRI id, for readable failures.
func (f *dirFixture) name(id string) string {
	if id == f.org {
		return "org"
	}
	for n, o := range f.objs {
		if o.ID == id {
			return n
		}
	}
	return id
}

func (f *dirFixture) names(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = f.name(id)
	}
	return out
}

func setProfile(t testing.TB, in *testenv.Instance, org string, p model.Profile) {
	t.Helper()
	var errBody map[string]any
	if s := in.API(http.MethodPut, "/api/v1/orgs/"+org, service.ProfileInput{Profile: p}, &errBody); s != http.StatusOK {
		t.Fatalf("%s: PUT profile of %s: status %d: %v", in.Host, org, s, errBody)
	}
}

func publishObject(t testing.TB, in *testenv.Instance, org string, input service.ObjectInput) model.Object {
	t.Helper()
	var o model.Object
	if s := in.API(http.MethodPost, "/api/v1/orgs/"+org+"/objects", input, &o); s != http.StatusCreated {
		t.Fatalf("%s: publish %q: status %d", in.Host, input.Title, s)
	}
	return o
}

// fetch GETs url with the given headers and returns the response (body
// already read and closed) and its body.
func fetch(t testing.TB, client *http.Client, url string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read: %v", url, err)
	}
	return resp, string(body)
}

// getOK fetches path from in and fails unless the answer is 200.
func getOK(t testing.TB, in *testenv.Instance, path string, header http.Header) (*http.Response, string) {
	t.Helper()
	resp, body := fetch(t, in.Client(), in.Base+path, header)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d\n%s", path, resp.StatusCode, body)
	}
	return resp, body
}

// queryDir reads /directory.json?query from in.
func queryDir(t testing.TB, in *testenv.Instance, query string) directory.Result {
	t.Helper()
	resp, body := getOK(t, in, "/directory.json?"+query, nil)
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("/directory.json content type %q, want application/json", ct)
	}
	var res directory.Result
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		t.Fatalf("/directory.json?%s: %v\n%s", query, err, body)
	}
	return res
}

func entryIDs(es []directory.Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func sorted(ids []string) []string {
	s := slices.Clone(ids)
	slices.Sort(s)
	return s
}

// entryByID finds id among es.
func entryByID(es []directory.Entry, id string) (directory.Entry, bool) {
	for _, e := range es {
		if e.ID == id {
			return e, true
		}
	}
	return directory.Entry{}, false
}

// resultLinks are the links of the result headings of a directory page,
// in order.
var resultLinkRE = regexp.MustCompile(`<h2><a href="([^"]*)">`)

func resultLinks(page string) []string {
	var out []string
	for _, m := range resultLinkRE.FindAllStringSubmatch(page, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// exportLinks maps each export path of a directory page to its query.
var exportLinkRE = regexp.MustCompile(`href="(/directory(?:\.json|\.csv|\.geojson|/calls\.atom|/deadlines\.ics))\?([^"]*)"`)

func exportLinks(page string) map[string]string {
	out := map[string]string{}
	for _, m := range exportLinkRE.FindAllStringSubmatch(page, -1) {
		out[m[1]] = html.UnescapeString(m[2])
	}
	return out
}

// sameQuery reports whether two query strings carry the same parameters.
func sameQuery(a, b string) bool {
	va, err1 := url.ParseQuery(a)
	vb, err2 := url.ParseQuery(b)
	if err1 != nil || err2 != nil || len(va) != len(vb) {
		return false
	}
	for k, v := range va {
		if !slices.Equal(v, vb[k]) {
			return false
		}
	}
	return true
}

// acceptLanguage is a header set asking for lang.
func acceptLanguage(lang string) http.Header {
	return http.Header{"Accept-Language": {lang}, "Accept": {"text/html"}}
}
