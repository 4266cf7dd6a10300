package web_test

import (
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
)

// mapMarker is one marker of the directory's map, as the page draws it.
type mapMarker struct {
	Href, Kind, Title string
	Count             int
}

var markerRE = regexp.MustCompile(`<a href="([^"]*)"><g class="marker kind-([a-z]*)" fill="#[0-9a-f]{6}"><title>([^<]*)</title>.*?(?:<text [^>]*>([0-9]+)</text>)?</g></a>`)

func mapMarkers(page string) []mapMarker {
	var out []mapMarker
	for _, m := range markerRE.FindAllStringSubmatch(page, -1) {
		n := 1
		if m[4] != "" {
			n, _ = strconv.Atoi(m[4])
		}
		out = append(out, mapMarker{Href: html.UnescapeString(m[1]), Kind: m[2], Title: html.UnescapeString(m[3]), Count: n})
	}
	return out
}

func placedCount(ms []mapMarker) int {
	n := 0
	for _, m := range ms {
		n += m.Count
	}
	return n
}

// linkHref is the unescaped href of the first <a> whose attributes after
// href contain attr (such as `hreflang="fr"`), or "".
func linkHref(page, attr string) string {
	m := regexp.MustCompile(`<a href="([^"]*)"[^>]*` + regexp.QuoteMeta(attr)).FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

func queryOf(t *testing.T, href string) url.Values {
	t.Helper()
	u, err := url.Parse(href)
	if err != nil {
		t.Fatalf("parse %q: %v", href, err)
	}
	return u.Query()
}

// TestDirectoryMap checks that the map places every result of the query,
// not only the page's, clusters the close ones, and that a cluster or a
// country zooms in through bbox, kept by the filters' form, the pages, the
// exports and the language switch.
func TestDirectoryMap(t *testing.T) {
	t.Parallel()
	f := newDirFixture(t, "127.0.0.140")
	all := queryDir(t, f.in, "per_page=100")
	located := 0
	for _, e := range all.Entries {
		if e.Lat != nil {
			located++
		}
	}

	_, page := getOK(t, f.in, "/directory?per_page=1", acceptLanguage("en"))
	ms := mapMarkers(page)
	if got := placedCount(ms); got != located || located < 5 {
		t.Fatalf("map places %d results, want all %d with a location (the page lists 1)", got, located)
	}
	var cluster *mapMarker
	for i := range ms {
		if ms[i].Count > 1 {
			cluster = &ms[i]
		}
	}
	if cluster == nil {
		t.Fatalf("no cluster on the map of Europe, though Lyon, Grenoble and Chambéry are close: %+v", ms)
	}
	if !strings.Contains(page, "Natural Earth") || !strings.Contains(page, "GeoNames") {
		t.Error("page does not credit Natural Earth and GeoNames")
	}

	// The cluster zooms in: its results split into several markers, and
	// the list shows just them.
	if q := queryOf(t, cluster.Href); q.Get("bbox") == "" || q.Get("per_page") != "1" {
		t.Fatalf("cluster links to %q, want a bbox and the page's filters", cluster.Href)
	}
	_, zoomed := getOK(t, f.in, cluster.Href, acceptLanguage("en"))
	zms := mapMarkers(zoomed)
	if placedCount(zms) != cluster.Count || len(zms) < 2 {
		t.Errorf("zoomed into a cluster of %d: %d markers holding %d", cluster.Count, len(zms), placedCount(zms))
	}
	if want := `<p role="status">` + strconv.Itoa(cluster.Count) + ` results</p>`; !strings.Contains(zoomed, want) {
		t.Errorf("zoomed page lacks %q", want)
	}
	bbox := queryOf(t, cluster.Href).Get("bbox")
	for what, href := range map[string]string{
		"language switch": linkHref(zoomed, `hreflang="fr"`),
		"page 2":          linkHref(zoomed, `>2</a>`),
		"JSON export":     linkHref(zoomed, `>JSON</a>`),
		"CSV export":      linkHref(zoomed, `>CSV</a>`),
	} {
		if q := queryOf(t, href); q.Get("bbox") != bbox {
			t.Errorf("%s links to %q, want bbox=%s kept", what, href, bbox)
		}
	}
	if !strings.Contains(zoomed, `<input type="hidden" name="bbox" value="`+html.EscapeString(bbox)+`">`) {
		t.Error("the filters' form does not keep the bbox")
	}
	if href := linkHref(zoomed, `>Show all of Europe</a>`); href == "" || queryOf(t, href).Has("bbox") {
		t.Errorf("zoom-out link %q", href)
	}
	if res := queryDir(t, f.in, "bbox="+url.QueryEscape(bbox)); res.Total != cluster.Count {
		t.Errorf("directory.json with the bbox: %d results, want %d", res.Total, cluster.Count)
	}

	// A country zooms in too, with the filters kept: French calls only.
	_, calls := getOK(t, f.in, "/directory?kind=call", acceptLanguage("en"))
	france := linkHref(calls, `><path class="land c-FR"`)
	if q := queryOf(t, france); q.Get("kind") != "call" || q.Get("bbox") == "" {
		t.Fatalf("France links to %q, want kind=call and a bbox", france)
	}
	_, fr := getOK(t, f.in, france, acceptLanguage("en"))
	res := queryDir(t, f.in, queryOf(t, france).Encode())
	got := f.names(resultLinks(fr))
	if len(got) != res.Total || placedCount(mapMarkers(fr)) != res.Total || res.Total >= located {
		t.Errorf("France, calls: list %v, map holds %d, JSON %d", got, placedCount(mapMarkers(fr)), res.Total)
	}
	for _, id := range f.ids("lender", "harvest") {
		if _, ok := entryByID(res.Entries, id); !ok {
			t.Errorf("France, calls: %s missing from %v", f.name(id), got)
		}
	}
	for _, e := range res.Entries {
		if e.Kind != "call" {
			t.Errorf("France, calls: %s is a %s", e.Title, e.Kind)
		}
	}
}

// TestDirectoryPlaceSearch checks "near Lyon, 50 km" and that filter input
// the page cannot use is reported beside its field, in the reader's
// language, instead of being dropped silently.
func TestDirectoryPlaceSearch(t *testing.T) {
	t.Parallel()
	f := newDirFixture(t, "127.0.0.141")
	total := queryDir(t, f.in, "").Total

	res := queryDir(t, f.in, "near="+url.QueryEscape("Lyon, 50 km")+"&sort=distance")
	if got, want := f.names(entryIDs(res.Entries)), f.names(f.ids("lender")); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("near Lyon, 50 km: %v, want %v", got, want)
	}
	res = queryDir(t, f.in, "near=Lyon&radius=100&sort=distance")
	if res.Total != 4 { // Lyon; Chambéry, 88 km away; the organisation and a project in Grenoble, 95 km
		t.Errorf("near Lyon with radius 100: %d results, want 4", res.Total)
	}
	_, page := getOK(t, f.in, "/directory?near="+url.QueryEscape("Lyon, 50 km"), acceptLanguage("en"))
	if strings.Contains(page, `class="error"`) || !strings.Contains(page, "Found: Lyon, FR.") {
		t.Error("near Lyon, 50 km: an error, or the place found is not said")
	}

	tests := []struct {
		query, field, en, fr string
		total                int // results: the bad filter is left out
	}{
		{"lat=abc", "lat", "The latitude must be a number between -90 and 90.", "La latitude doit être un nombre entre -90 et 90.", total},
		{"lat=45&lon=200", "lon", "The longitude must be", "La longitude doit être", total},
		{"country=Belgium", "country", "“Belgium” is not a country code", "«\u00a0Belgium\u00a0» n&#39;est pas un code pays", total},
		{"sort=distance", "sort", "Sorting by distance needs a place or coordinates", "Le tri par distance demande un lieu", total},
		{"near=Atlantis", "near", "No place called “Atlantis” is known", "Aucun lieu nommé «\u00a0Atlantis\u00a0» n&#39;est connu", total},
		{"near=" + url.QueryEscape("Lyon, 9000 km"), "near", "Type a place name", "Saisissez un nom de lieu", total},
		{"near=Lyon&radius=-3", "radius", "The radius must be a number of kilometres", "Le rayon doit être un nombre", total},
		{"bbox=1,2", "bbox", "The map area in the address is not valid", "La zone de carte indiquée", total},
		{"bbox=" + strings.Repeat("1,", 5000) + "1", "bbox", "The map area in the address is not valid", "La zone de carte indiquée", total},
		{"near=" + strings.Repeat("Lyon ", 2000), "near", "Type a place name", "Saisissez un nom de lieu", total},
	}
	for _, tt := range tests {
		for lang, msg := range map[string]string{"en": tt.en, "fr": tt.fr} {
			_, page := getOK(t, f.in, "/directory?"+tt.query, acceptLanguage(lang))
			span := regexp.MustCompile(`<span id="err-` + tt.field + `" class="error">([^<]*)</span>`).FindStringSubmatch(page)
			if tt.field == "bbox" { // no field of its own: in the summary only
				span = regexp.MustCompile(`<li><a href="#bbox">([^<]*)</a>`).FindStringSubmatch(page)
			}
			if span == nil || !strings.Contains(span[1], msg) {
				t.Errorf("%.40s (%s): error of %s is %q, want %q", tt.query, lang, tt.field, span, msg)
			}
			if !strings.Contains(page, `<div role="alert" class="error-summary">`) {
				t.Errorf("%.40s (%s): no error summary", tt.query, lang)
			}
		}
		if res := queryDir(t, f.in, tt.query); res.Total != tt.total {
			t.Errorf("%.40s: %d results, want %d", tt.query, res.Total, tt.total)
		}
	}
	for _, ok := range []string{"country=fr", "lat=45.7&lon=4.8&sort=distance", "near=Lyon&sort=distance", "bbox=-5,42,8,51"} {
		if _, page := getOK(t, f.in, "/directory?"+ok, acceptLanguage("en")); strings.Contains(page, `class="error"`) {
			t.Errorf("%s: page reports an error", ok)
		}
	}
}

// TestDirectoryLanguageSwitchKeepsFilters follows the language switch of
// a filtered directory.
func TestDirectoryLanguageSwitchKeepsFilters(t *testing.T) {
	t.Parallel()
	f := newDirFixture(t, "127.0.0.142")
	query := "kind=call&near=" + url.QueryEscape("Lyon, 200 km") + "&sort=distance&page=1"
	_, en := getOK(t, f.in, "/directory?"+query, acceptLanguage("en"))
	href := linkHref(en, `hreflang="fr"`)
	want, _ := url.ParseQuery(query)
	got := queryOf(t, href)
	if got.Get("lang") != "fr" {
		t.Fatalf("language switch %q does not pick French", href)
	}
	got.Del("lang")
	if got.Encode() != want.Encode() || !strings.HasPrefix(href, "/directory?") {
		t.Fatalf("language switch %q, want /directory with %s", href, want.Encode())
	}
	_, fr := getOK(t, f.in, href, nil)
	if !strings.Contains(fr, `<html lang="fr">`) || !slicesEqual(resultLinks(fr), resultLinks(en)) {
		t.Errorf("French page lists %v, English %v", f.names(resultLinks(fr)), f.names(resultLinks(en)))
	}
}

func slicesEqual(a, b []string) bool { return strings.Join(a, "\n") == strings.Join(b, "\n") }

// The sectors fold away until one is chosen, and a link above the filters
// jumps to the results: on a phone the filters took two screens before
// the first result.
func TestDirectorySectorsFold(t *testing.T) {
	t.Parallel()
	f := newDirFixture(t, "127.0.0.48")
	_, page := getOK(t, f.in, "/directory", acceptLanguage("en"))
	if !strings.Contains(page, "<details><summary>All sectors: choose some</summary>") {
		t.Error("the sectors are not folded on a directory without a sector chosen")
	}
	if !regexp.MustCompile(`<p class="to-results"><a href="#map">\d+ results ↓</a></p>`).MatchString(page) {
		t.Error("no link to the results above the filters")
	}
	_, page = getOK(t, f.in, "/directory?sector=energy&sector=housing", acceptLanguage("fr"))
	if !strings.Contains(page, "<details open><summary>Secteurs choisis : 2</summary>") {
		t.Error("the sectors chosen are folded away")
	}
}

// The map's legend names each kind on the map with its shape and each
// sector with its colour, in the reader's language.
func TestDirectoryMapLegend(t *testing.T) {
	t.Parallel()
	f := newDirFixture(t, "127.0.0.52")
	_, page := getOK(t, f.in, "/directory?lang=fr", acceptLanguage("fr"))
	m := regexp.MustCompile(`(?s)<ul class="legend" aria-label="Légende">(.*?)</ul>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no legend:\n%s", page)
	}
	legend := m[1]
	for _, want := range []string{
		`<circle cx="8" cy="8" r="6.5" fill="#30363d" stroke="#1f2937"/></svg> Organisation</li>`,
		`<rect x="2" y="2" width="12" height="12" fill="#30363d" stroke="#1f2937"/></svg> Projet</li>`,
		`<path d="M8 1L15 8L8 15L1 8z" fill="#30363d" stroke="#1f2937"/></svg> Appel à partenariat</li>`,
		"Plusieurs types ou secteurs</li>",
	} {
		if !strings.Contains(legend, want) {
			t.Errorf("legend lacks %q:\n%s", want, legend)
		}
	}
	if !regexp.MustCompile(`<circle cx="8" cy="8" r="6.5" fill="#[0-9a-f]{6}" stroke="#1f2937"/></svg> Énergie</li>`).MatchString(legend) {
		t.Errorf("legend lacks the energy sector with its colour:\n%s", legend)
	}
}

// A call's card in the directory gives its deadline as a date of the
// reader's language, not an ISO string.
func TestDirectoryDates(t *testing.T) {
	t.Parallel()
	f := newDirFixture(t, "127.0.0.55")
	deadline := time.Date(2031, 5, 3, 0, 0, 0, 0, time.UTC)
	publishObject(t, f.in, "coop", service.ObjectInput{Kind: model.KindCall, Title: "Dated call", Sectors: []string{"energy"},
		PartnerRoles: []string{"funder"}, Deadline: service.Time(deadline)})
	for lang, want := range map[string]string{"fr": "3 mai 2031", "en": "3 May 2031"} {
		_, page := getOK(t, f.in, "/directory?q=Dated&lang="+lang, acceptLanguage(lang))
		if !strings.Contains(page, want) || strings.Contains(page, "2031-05-03") {
			t.Errorf("%s: the call's card does not read %q:\n%s", lang, want, page)
		}
	}
}

// A card without sectors has no empty place between its separators.
func TestDirectoryCardWithoutSectors(t *testing.T) {
	t.Parallel()
	in := testenv.NewHandler(t, "127.0.0.56", testenv.Options{})
	lat, lon := 40.42, -3.7
	// As an import leaves an organisation of a map without categories.
	if _, err := in.Server.Service.CreateOrg(t.Context(), service.System("test"), model.Org{Name: "madrid", Profile: model.Profile{
		DisplayName: "Cooperativa en Madrid", Country: "ES", Location: &model.Place{Country: "ES", Latitude: &lat, Longitude: &lon}},
		Provenance: &model.Provenance{Source: "Carteco", Licence: "ODbL-1.0"}}); err != nil {
		t.Fatal(err)
	}
	_, page := getOK(t, in, "/directory?lang=en", acceptLanguage("en"))
	if !strings.Contains(page, "Cooperativa en Madrid") {
		t.Fatalf("the organisation is not listed:\n%s", page)
	}
	if strings.Contains(page, "·  ·") || strings.Contains(page, "· · ") {
		t.Errorf("a card has an empty place between separators:\n%s", page)
	}
}
