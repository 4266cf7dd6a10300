package web_test

import (
	"fmt"
	"net/http"
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
// images, scripts or web fonts) and of the stylesheet it links.
func BenchmarkDirectoryPageWeight(b *testing.B) {
	in := testenv.Start(b, "127.0.0.47", testenv.Options{})
	setProfile(b, in, "coop", seeds.Profile("example-profile"))
	now := time.Now().UTC()
	for i := range 60 {
		publishObject(b, in, "coop", benchObject(i, now))
	}
	client := &http.Client{Timeout: 30 * time.Second}
	_, css := fetch(b, client, in.Base+"/static/style.css", nil)

	for _, perPage := range []int{20, 100} {
		b.Run(fmt.Sprintf("per_page=%d", perPage), func(b *testing.B) {
			url := fmt.Sprintf("%s/directory?per_page=%d", in.Base, perPage)
			var size int
			for b.Loop() {
				resp, body := fetch(b, client, url, acceptLanguage("en"))
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("GET %s: status %d", url, resp.StatusCode)
				}
				size = len(body)
				for _, heavy := range []string{"<img", "<script", "@font-face", "<iframe", "<video"} {
					if strings.Contains(body, heavy) {
						b.Errorf("directory page contains %q", heavy)
					}
				}
			}
			b.ReportMetric(float64(size)/1024, "page-KB")
			b.ReportMetric(float64(len(css))/1024, "css-KB")
		})
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
