package web_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/config"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/seeds"
)

const (
	tileOrigin = "https://127.0.0.249:8443"
	tileURL    = tileOrigin + "/osm/{z}/{x}/{y}.png"
)

// withTiles sets the tile URL, with an attribution that would be markup if
// it were not escaped.
func withTiles(c *config.Config) {
	c.TileURL, c.TileAttribution = tileURL, `© <b onclick="x()">OpenStreetMap</b> contributors`
}

// csp splits a Content-Security-Policy into its directives.
func csp(h http.Header) map[string]string {
	out := map[string]string{}
	for _, d := range strings.Split(h.Get("Content-Security-Policy"), ";") {
		name, val, _ := strings.Cut(strings.TrimSpace(d), " ")
		out[name] = val
	}
	return out
}

var assetRE = regexp.MustCompile(`<(?:script|link)\b[^>]*(?:src|href)="([^"]*)"`)

// TestDirectoryTilesOff: by default the directory page has no script, no
// Leaflet, nothing of a tile server, and its policy allows no script.
func TestDirectoryTilesOff(t *testing.T) {
	t.Parallel()
	f := newDirFixture(t, "127.0.0.246")
	resp, page := getOK(t, f.in, "/directory", acceptLanguage("en"))
	for _, s := range []string{"<script", "leaflet", "slippy", "{z}"} {
		if strings.Contains(page, s) {
			t.Errorf("page without a tile URL contains %q", s)
		}
	}
	if p := csp(resp.Header); p["script-src"] != "" || p["default-src"] != "'none'" {
		t.Errorf("policy %q lets scripts in", resp.Header.Get("Content-Security-Policy"))
	}
	// Images come from this instance only: remote ones through its cache.
	if p := csp(resp.Header); p["img-src"] != "'self'" {
		t.Errorf("policy %q lets images come from elsewhere", resp.Header.Get("Content-Security-Policy"))
	}
	if mapSVG(page) == "" || len(mapMarkers(page)) == 0 {
		t.Error("no SVG map")
	}
}

// TestDirectoryTilesOn: with a tile URL, the page loads Leaflet, its
// stylesheet and slippy.js from this instance only, deferred and after the
// SVG map, which stays the same; the policy lets the tile host in for
// images and nothing else; the points come from this instance's GeoJSON
// export with the page's filters.
func TestDirectoryTilesOn(t *testing.T) {
	t.Parallel()
	on := newTilesFixture(t, "127.0.0.247", withTiles)
	off := newTilesFixture(t, "127.0.0.248", nil)
	const query = "/directory?sector=energy&per_page=1"
	resp, page := getOK(t, on.in, query, acceptLanguage("fr"))
	_, plain := getOK(t, off.in, query, acceptLanguage("fr"))

	var assets []string
	for _, m := range assetRE.FindAllStringSubmatch(page, -1) {
		assets = append(assets, m[1])
	}
	want := []string{"/static/style.css", "/static/leaflet/leaflet.css", "/static/slippy.css", "/static/leaflet/leaflet.js", "/static/slippy.js"}
	if strings.Join(assets, " ") != strings.Join(want, " ") {
		t.Errorf("scripts and stylesheets %q, want %q", assets, want)
	}
	for _, s := range []string{`<script src="/static/leaflet/leaflet.js" defer></script>`, `<script src="/static/slippy.js" defer></script>`} {
		if i := strings.Index(page, s); i < 0 || i < strings.Index(page, "</svg>") {
			t.Errorf("page lacks %s after the SVG map", s)
		}
	}
	if n := strings.Count(page, "<script"); n != 2 {
		t.Errorf("%d scripts, want Leaflet and slippy.js only", n)
	}
	// The tile URL is only data for the script: no element loads it.
	if n := strings.Count(page, "127.0.0.249"); n != 1 || !strings.Contains(page, `data-tiles="`+tileURL+`"`) {
		t.Errorf("the tile host appears %d times, want once, in data-tiles", n)
	}
	if strings.Contains(page, "<b onclick") || !strings.Contains(page, `data-attribution="© &lt;b onclick=&#34;x()&#34;&gt;OpenStreetMap&lt;/b&gt; contributors"`) {
		t.Error("the attribution is not escaped in its attribute")
	}
	if !strings.Contains(page, `data-points="/directory.geojson?sector=energy"`) || !strings.Contains(page, `id="slippy-area" href="/directory?per_page=1&amp;sector=energy"`) {
		t.Error("the points or the area link do not keep the filters (without paging)")
	}

	p := csp(resp.Header)
	if p["img-src"] != "'self' "+tileOrigin || p["script-src"] != "'self'" || p["connect-src"] != "'self'" || p["default-src"] != "'none'" {
		t.Errorf("policy %q: want scripts and fetches from this instance, images from it and %s", resp.Header.Get("Content-Security-Policy"), tileOrigin)
	}
	for name, v := range p {
		if name != "img-src" && strings.Contains(v, "127.0.0.249") {
			t.Errorf("policy lets the tile host in for %s", name)
		}
	}
	// Other pages keep the strict policy.
	if r, _ := getOK(t, on.in, "/", acceptLanguage("en")); csp(r.Header)["script-src"] != "" {
		t.Errorf("home page policy %q lets scripts in", r.Header.Get("Content-Security-Policy"))
	}

	// The SVG map is the same as without tiles (links aside: ids differ).
	hrefs := regexp.MustCompile(`href="[^"]*"`)
	if a, b := hrefs.ReplaceAllString(mapSVG(page), ""), hrefs.ReplaceAllString(mapSVG(plain), ""); a == "" || a != b {
		t.Errorf("the SVG map differs with tiles:\n%s\nwithout:\n%s", a, b)
	}

	// The points: the energy results with a place, as many as on the SVG map.
	_, body := getOK(t, on.in, "/directory.geojson?sector=energy", nil)
	var fc struct {
		Features []struct {
			Properties struct{ URL, Title string } `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal([]byte(body), &fc); err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, f := range fc.Features {
		titles = append(titles, f.Properties.Title)
	}
	if placed := placedCount(mapMarkers(page)); len(titles) != placed || placed != 4 || !strings.Contains(strings.Join(titles, "|"), "Freiburg") {
		t.Errorf("points %q, want the %d energy results with a place of the SVG map (4)", titles, placed)
	}
}

// TestStaticLeaflet: the vendored files are served with their types and a
// day's caching, with the licence next to them.
func TestStaticLeaflet(t *testing.T) {
	t.Parallel()
	in := testenv.NewHandler(t, "127.0.0.248", testenv.Options{})
	for path, want := range map[string]string{
		"/static/leaflet/leaflet.js":               "text/javascript; charset=utf-8",
		"/static/leaflet/leaflet.css":              "text/css; charset=utf-8",
		"/static/leaflet/images/marker-icon.png":   "image/png",
		"/static/leaflet/images/marker-shadow.png": "image/png",
		"/static/slippy.js":                        "text/javascript; charset=utf-8",
		"/static/slippy.css":                       "text/css; charset=utf-8",
		"/static/leaflet/LICENSE":                  "",
	} {
		resp, body := getOK(t, in, path, nil)
		if ct := resp.Header.Get("Content-Type"); want != "" && ct != want {
			t.Errorf("%s: Content-Type %q, want %q", path, ct, want)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=86400" {
			t.Errorf("%s: Cache-Control %q", path, cc)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || len(body) == 0 {
			t.Errorf("%s: no nosniff or empty", path)
		}
		if path == "/static/leaflet/leaflet.js" && !strings.Contains(body[:200], "Leaflet 1.9.4") {
			t.Errorf("leaflet.js is not Leaflet 1.9.4: %q", body[:80])
		}
		if path == "/static/leaflet/LICENSE" && !strings.Contains(body, "BSD 2-Clause") {
			t.Errorf("LICENSE: %q", body[:80])
		}
	}
}

// newTilesFixture is newDirFixture with a configuration.
func newTilesFixture(t *testing.T, ip string, configure func(*config.Config)) *dirFixture {
	t.Helper()
	in := testenv.NewHandler(t, ip, testenv.Options{Configure: configure})
	f := &dirFixture{in: in, now: time.Now().UTC().Truncate(time.Second), objs: map[string]model.Object{}, org: in.Actor("coop")}
	setProfile(t, in, "coop", seeds.Profile("example-profile"))
	for name, input := range fixtureObjects(f.now) {
		f.objs[name] = publishObject(t, in, "coop", input)
	}
	return f
}
