package server_test

import (
	"fmt"
	"image/color"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"codeberg.org/maillage/maillage/internal/config"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
)

// tileServer serves the same small PNG for every tile, on a loopback
// address, and counts the requests.
func tileServer(t *testing.T, ip string) (string, *atomic.Int64) {
	t.Helper()
	tile := pngOf(t, 256, 256, func(x, y int) color.RGBA {
		if x == 0 || y == 0 {
			return color.RGBA{0xb8, 0xc4, 0xb0, 0xff}
		}
		return color.RGBA{0xe8, 0xef, 0xe4, 0xff}
	})
	var n atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "image/png")
		w.Write(tile)
	}))
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Fatal(err)
	}
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL + "/tiles/{z}/{x}/{y}.png", &n
}

const (
	// The results on the slippy map: the sum of its markers' counts.
	slippyPlacedJS = `[...document.querySelectorAll('#slippy .slippy-marker')].reduce((n, a) => n + Number(a.dataset.count), 0)`
	// Tiles on screen, loaded.
	tilesJS = `[...document.querySelectorAll('#slippy img.leaflet-tile-loaded')].length`
	// The width the SVG map takes on screen.
	svgWidthJS = `document.querySelector('svg.map').getBoundingClientRect().width`
	// Requests to another host than this instance and the tile server.
	otherJS = `performance.getEntriesByType('resource').map(e => e.name).filter(u => !u.startsWith(location.origin) && !u.startsWith(%q)).length`
)

// TestBrowserSlippyMap: with a tile URL, the directory shows Leaflet over
// the tiles with every result (clustered), a marker links to its entry,
// and "list this area" follows the map; the SVG map is out of sight but
// still there. With JavaScript disabled, the SVG map is shown as before.
func TestBrowserSlippyMap(t *testing.T) {
	ctx := browser(t)
	tiles, served := tileServer(t, "127.0.0.250")
	tileOrigin := tiles[:strings.Index(tiles, "/tiles/")]
	in := testenv.Start(t, "127.0.0.251", testenv.Options{Configure: func(c *config.Config) {
		c.TileURL, c.TileAttribution = tiles, "Test tiles"
	}})
	var porto model.Object
	for i, p := range mapPlaces {
		lat, lon := p.lat, p.lon
		o := publish(t, in, "coop", service.ObjectInput{Kind: model.KindProject, Title: fmt.Sprintf("Workshop in %s, %d", p.name, i),
			Summary: "A cooperative workshop.", Sectors: []string{"energy"},
			Location: &model.Place{Name: p.name, Country: p.country, Latitude: &lat, Longitude: &lon}})
		if p.name == "Porto" {
			porto = o
		}
	}
	total := len(mapPlaces)

	for _, width := range []int64{1280, 390} {
		err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900),
			chromedp.Navigate(in.Base+"/directory?lang=en"),
			chromedp.WaitVisible(chromedp.CSS(`#slippy .slippy-marker`)))
		if err != nil {
			t.Fatalf("%d px: no slippy map: %v", width, err)
		}
		testenv.WaitFor(t, 30*time.Second, "tiles on the map", func() bool {
			n, err := chromedp.Run(ctx, chromedp.Evaluate[int](tilesJS))
			return err == nil && n > 0
		})
		placed, err := chromedp.Run(ctx, chromedp.Evaluate[int](slippyPlacedJS))
		if err != nil || placed != total {
			t.Errorf("%d px: the slippy map holds %d results (%v), want %d", width, placed, err, total)
		}
		if w, err := chromedp.Run(ctx, chromedp.Evaluate[float64](svgWidthJS)); err != nil || w > 1 {
			t.Errorf("%d px: the SVG map is %.0f px wide (%v), want it out of sight", width, w, err)
		}
		if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(otherJS, tileOrigin))); err != nil || n != 0 {
			t.Errorf("%d px: %d requests to a third host (%v)", width, n, err)
		}
		area, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`#slippy-area`), "href"))
		if err != nil || !strings.Contains(area.Value, "bbox=") {
			t.Errorf("%d px: the area link is %q (%v), want a bbox", width, area.Value, err)
		}
		screenshot(t, ctx, fmt.Sprintf("directory-tiles-%d.jpg", width))
	}
	if served.Load() == 0 {
		t.Error("the tile server had no request")
	}

	// A cluster zooms the map in, into more markers.
	const markersJS = `document.querySelectorAll('#slippy .slippy-marker').length`
	before, err := chromedp.Run(ctx, chromedp.Evaluate[int](markersJS))
	if err != nil {
		t.Fatal(err)
	}
	areaBefore, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`#slippy-area`), "href"))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#slippy a.slippy-marker.kind-cluster`))); err != nil {
		t.Fatalf("click a cluster: %v", err)
	}
	testenv.WaitFor(t, 30*time.Second, "the cluster split by zooming in", func() bool {
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](markersJS))
		return err == nil && n > before
	})
	if loc, err := chromedp.Run(ctx, chromedp.Location()); err != nil || strings.Contains(loc, "bbox=") {
		t.Errorf("clicking a cluster left the page for %s (%v)", loc, err)
	}
	// The area link follows the map: a smaller box.
	if area, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`#slippy-area`), "href")); err != nil || area.Value == areaBefore.Value || !strings.Contains(area.Value, "bbox=") {
		t.Errorf("after zooming, the area link is %q (%v), was %q", area.Value, err, areaBefore.Value)
	}
	// A marker of one result links to its entry. The viewport is set
	// before the page loads: resizing it after makes the map regroup its
	// markers, replacing the one about to be clicked (the click then
	// missed, now and then).
	marker := `#slippy a.slippy-marker[data-count="1"][title*="Porto"]`
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(in.Base+"/directory?lang=en"),
		chromedp.WaitVisible(chromedp.CSS(marker))); err != nil {
		t.Fatal(err)
	}
	href, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(marker), "href"))
	if err != nil || href.Value != porto.ID {
		t.Fatalf("Porto's marker links to %q (%v), want %s", href.Value, err, porto.ID)
	}
	err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(marker)))
	if err != nil {
		t.Fatalf("click Porto's marker: %v", err)
	}
	testenv.WaitFor(t, 30*time.Second, "Porto's page", func() bool {
		loc, err := chromedp.Run(ctx, chromedp.Location())
		return err == nil && loc == porto.ID
	})

	// Without JavaScript: the SVG map, no slippy map.
	tilesBefore := served.Load()
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx, chromedp.Navigate(in.Base+"/directory?lang=fr"), chromedp.WaitVisible(chromedp.CSS(`svg.map`)))
	if err != nil {
		t.Fatalf("directory without JavaScript: %v", err)
	}
	if w, err := chromedp.Run(ctx, chromedp.Evaluate[float64](svgWidthJS)); err != nil || w < 300 {
		t.Errorf("without JavaScript the SVG map is %.0f px wide (%v)", w, err)
	}
	if vis, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`getComputedStyle(document.getElementById('slippy')).display !== 'none'`)); err != nil || vis {
		t.Errorf("without JavaScript the slippy map's box shows (%v)", err)
	}
	if served.Load() != tilesBefore {
		t.Error("without JavaScript the page still asked the tile server")
	}
}
