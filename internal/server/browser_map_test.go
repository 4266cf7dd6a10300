package server_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
)

// mapPlaces are where TestBrowserDirectoryMap publishes: a dense Lyon
// region that clusters on the map of Europe, and towns far apart.
var mapPlaces = []struct {
	name, country string
	lat, lon      float64
}{
	{"Lyon", "FR", 45.764, 4.836}, {"Villeurbanne", "FR", 45.771, 4.89}, {"Vénissieux", "FR", 45.697, 4.886},
	{"Grenoble", "FR", 45.188, 5.724}, {"Lyon", "FR", 45.764, 4.836}, {"Bruxelles", "BE", 50.85, 4.35},
	{"Bologna", "IT", 44.494, 11.343}, {"Porto", "PT", 41.158, -8.629}, {"Tartu", "EE", 58.378, 26.729},
}

// Scripts run in the page to read what it draws (the page itself has none).
const (
	placedJS  = `[...document.querySelectorAll('svg.map g.marker')].reduce((n, g) => n + Number((g.querySelector('text') || {textContent: '1'}).textContent), 0)`
	markersJS = `document.querySelectorAll('svg.map g.marker').length`
	// The smallest marker on screen, in CSS pixels.
	smallestJS = `Math.min(...[...document.querySelectorAll('svg.map g.marker > circle, svg.map g.marker > rect, svg.map g.marker > path')].map(e => Math.min(e.getBoundingClientRect().width, e.getBoundingClientRect().height)))`
	// Requests the page made to another host.
	foreignJS = `performance.getEntriesByType('resource').map(e => e.name).filter(u => !u.startsWith(location.origin)).length`
)

// TestBrowserDirectoryMap: the directory's map places every result, not
// only the first page, with the Lyon region as a cluster whose markers
// are at least 24 px on a wide screen and on a phone; clicking the
// cluster zooms into it and lists just its results; the language switch
// keeps the zoom.
func TestBrowserDirectoryMap(t *testing.T) {
	ctx := browser(t)
	in := testenv.Start(t, "127.0.0.34", testenv.Options{})
	sectors := []string{"energy", "food-agriculture", "housing", "mobility"}
	for i, p := range mapPlaces {
		lat, lon := p.lat, p.lon
		o := service.ObjectInput{Kind: model.KindProject, Title: fmt.Sprintf("Shared workshop in %s, %d", p.name, i),
			Summary: "A cooperative workshop open to partners.", Sectors: []string{sectors[i%len(sectors)]},
			Location: &model.Place{Name: p.name, Country: p.country, Latitude: &lat, Longitude: &lon}}
		if i%3 == 1 {
			o.Kind, o.PartnerRoles = model.KindCall, []string{"supplier"}
			o.Deadline = service.Time(time.Now().Add(40 * 24 * time.Hour))
		}
		publish(t, in, "coop", o)
	}
	total := len(mapPlaces) // the organisation has no coordinates

	for _, width := range []int64{1280, 390} {
		err := chromedp.Do(ctx,
			chromedp.EmulateViewport(width, 900),
			chromedp.Navigate(in.Base+"/directory?per_page=2&lang=en"),
			chromedp.WaitVisible(chromedp.CSS("svg.map")),
		)
		if err != nil {
			t.Fatalf("open the directory at %d px: %v", width, err)
		}
		placed, err := chromedp.Run(ctx, chromedp.Evaluate[int](placedJS))
		if err != nil {
			t.Fatal(err)
		}
		if placed != total {
			t.Errorf("%d px: the map places %d results, want all %d (the page lists 2)", width, placed, total)
		}
		smallest, err := chromedp.Run(ctx, chromedp.Evaluate[float64](smallestJS))
		if err != nil {
			t.Fatal(err)
		}
		if smallest < 24 {
			t.Errorf("%d px: smallest marker is %.1f px across, want at least 24", width, smallest)
		}
		if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](foreignJS)); err != nil || n != 0 {
			t.Errorf("%d px: %d requests to another host (%v)", width, n, err)
		}
	}

	// The Lyon cluster (five results around Lyon, with Grenoble) zooms in.
	cluster := `svg.map a:has(g.marker text)`
	count, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(cluster+" text")))
	if err != nil {
		t.Fatalf("no cluster on the map: %v", err)
	}
	err = chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Click(chromedp.CSS(cluster)))
	if err != nil {
		t.Fatalf("click the cluster: %v", err)
	}
	testenv.WaitFor(t, 30*time.Second, "the zoomed directory", func() bool {
		loc, err := chromedp.Run(ctx, chromedp.Location())
		return err == nil && strings.Contains(loc, "bbox=")
	})
	// The URL changes before the new page is ready: wait for its zoom-out link.
	if err := chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS(`figure.map figcaption a`))); err != nil {
		t.Fatalf("the zoomed page: %v", err)
	}
	placed, err := chromedp.Run(ctx, chromedp.Evaluate[int](placedJS))
	if err != nil {
		t.Fatal(err)
	}
	markers, err := chromedp.Run(ctx, chromedp.Evaluate[int](markersJS))
	if err != nil {
		t.Fatal(err)
	}
	status, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`p[role="status"]`)))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(placed) != count || markers < 2 || status != count+" results" {
		t.Errorf("zoomed into a cluster of %s: %d markers holding %d, status %q", count, markers, placed, status)
	}

	// The language switch keeps the zoom.
	err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`header a[hreflang="fr"]`)),
		chromedp.WaitReady(chromedp.CSS(`html[lang="fr"]`)))
	if err != nil {
		t.Fatalf("switch to French: %v", err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	status, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`p[role="status"]`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(loc, "bbox=") || status != count+" résultats" {
		t.Errorf("in French: at %s, status %q; want the zoom kept and %s résultats", loc, status, count)
	}
}
