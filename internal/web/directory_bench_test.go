package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/seeds"
)

// BenchmarkDirectoryPageWeight reports the size of the directory page
// with a full page of results (target: under 100 KB; the page has no
// images, scripts or web fonts), of its map (the inline SVG, in it) and
// of the stylesheet it links, for the whole of Europe and zoomed in.
func BenchmarkDirectoryPageWeight(b *testing.B) {
	in := testenv.Start(b, "127.0.0.47", testenv.Options{})
	setProfile(b, in, "coop", seeds.Profile("example-profile"))
	now := time.Now().UTC()
	for i := range 60 {
		publishObject(b, in, "coop", benchObject(i, now))
	}
	client := &http.Client{Timeout: 30 * time.Second}
	_, css := fetch(b, client, in.Base+"/static/style.css", nil)

	for _, query := range []string{"per_page=20", "per_page=100", "per_page=20&bbox=-2,42,8,49"} {
		b.Run(query, func(b *testing.B) {
			url := in.Base + "/directory?" + query
			var size, mapBytes int
			for b.Loop() {
				resp, body := fetch(b, client, url, acceptLanguage("en"))
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("GET %s: status %d", url, resp.StatusCode)
				}
				size, mapBytes = len(body), len(mapSVG(body))
				for _, heavy := range []string{"<img", "<script", "@font-face", "<iframe", "<video"} {
					if strings.Contains(body, heavy) {
						b.Errorf("directory page contains %q", heavy)
					}
				}
			}
			b.ReportMetric(float64(size)/1024, "page-KB")
			b.ReportMetric(float64(mapBytes)/1024, "map-KB")
			b.ReportMetric(float64(len(css))/1024, "css-KB")
		})
	}
}

// mapSVG is the directory page's map: its inline <svg class="map">.
func mapSVG(page string) string {
	i := strings.Index(page, `<svg xmlns="http://www.w3.org/2000/svg" class="map"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(page[i:], "</svg>")
	return page[i : i+j+len("</svg>")]
}

// TestDirectoryPageWeight asserts the weight of the directory page for
// the benchmark's fixed dataset: 60 projects and calls, 45 with a place,
// 20 listed: under 100 KB with its map, the map's path data under 60 KB,
// and nothing fetched from another host.
func TestDirectoryPageWeight(t *testing.T) {
	t.Parallel()
	in := testenv.NewHandler(t, "127.0.0.143", testenv.Options{})
	setProfile(t, in, "coop", seeds.Profile("example-profile"))
	now := time.Now().UTC()
	for i := range 60 {
		publishObject(t, in, "coop", benchObject(i, now))
	}
	for _, lang := range []string{"en", "fr"} {
		_, page := getOK(t, in, "/directory?per_page=20", acceptLanguage(lang))
		svg := mapSVG(page)
		paths := 0
		for _, m := range regexp.MustCompile(` d="([^"]*)"`).FindAllStringSubmatch(svg, -1) {
			paths += len(m[1])
		}
		t.Logf("%s: page %d bytes, map %d, path data %d", lang, len(page), len(svg), paths)
		if len(page) >= 100<<10 || svg == "" || paths >= 60<<10 {
			t.Errorf("%s: page %d bytes (want < 100 KB), map %d, path data %d (want < 60 KB)", lang, len(page), len(svg), paths)
		}
		if n := len(mapMarkers(page)); n == 0 {
			t.Errorf("%s: no marker on the map", lang)
		}
		for _, m := range regexp.MustCompile(`(?:src|href|action)="([^"]*)"`).FindAllStringSubmatch(page, -1) {
			if strings.Contains(m[0], "src=") || strings.HasPrefix(m[0], "action=") && !strings.HasPrefix(m[1], "/") {
				t.Errorf("%s: %s", lang, m[0])
			}
		}
		for _, heavy := range []string{"<img", "<script", "@import", "<iframe", `rel="stylesheet" href="http`} {
			if strings.Contains(page, heavy) {
				t.Errorf("%s: page contains %q", lang, heavy)
			}
		}
	}
}

// benchObject is the i-th of a varied set of projects and calls, three in
// four with coordinates somewhere in Europe.
func benchObject(i int, now time.Time) service.ObjectInput {
	places := []struct {
		name, country string
		lat, lon      float64
	}{
		{"Lyon", "FR", 45.764, 4.836}, {"Bruxelles", "BE", 50.85, 4.35}, {"Bologna", "IT", 44.494, 11.343},
		{"Freiburg", "DE", 47.999, 7.842}, {"Bilbao", "ES", 43.263, -2.935}, {"Porto", "PT", 41.158, -8.629},
		{"Gent", "BE", 51.054, 3.717}, {"Nantes", "FR", 47.218, -1.554},
	}
	sectors := [][]string{{"energy"}, {"mobility", "energy"}, {"food-agriculture"}, {"housing", "finance"},
		{"circular-economy", "employment-inclusion", "education-training"}, {"digital"}, {"health-care", "citizenship-local-development"}}
	roles := [][]string{{"pilot-territory", "co-investor"}, {"lender"}, {"distributor", "supplier"}, {"research-partner", "consortium-member"}}
	p := places[i%len(places)]
	in := service.ObjectInput{
		Kind:    model.KindProject,
		Title:   fmt.Sprintf("Cooperative %s network for %s, phase %d", []string{"repair", "energy", "housing", "food", "mobility"}[i%5], p.name, i),
		Summary: "Pooling equipment, skills and purchasing between member organisations of the social and solidarity economy, with shared governance and open accounts for every partner.",
		Sectors: sectors[i%len(sectors)],
	}
	if i%4 != 3 {
		in.Location = place(p.name, p.country, p.lat+float64(i%7)*0.01, p.lon)
	}
	if i%2 == 1 {
		in.Kind = model.KindCall
		in.PartnerRoles = roles[i%len(roles)]
		in.Deadline = service.Time(now.Add(time.Duration(10+i) * 24 * time.Hour))
	}
	return in
}
