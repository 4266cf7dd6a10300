package server_test

import (
	"image/color"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"codeberg.org/maillage/maillage/internal/testenv"
)

// TestBrowserImages: an administrator uploads a project's image in the
// form; the browser shows it on the project's page and in the directory,
// and a second instance that follows the first shows it in its directory
// from its own cache: every resource the browser loads there comes from
// the second instance.
func TestBrowserImages(t *testing.T) {
	ctx := browser(t)
	a := testenv.Start(t, "127.0.0.35", testenv.Options{})
	b := testenv.Start(t, "127.0.0.36", testenv.Options{})
	follow(t, b, "coop", a.Handle("coop"))
	waitAccepted(t, b, "coop", a.Actor("coop"))

	file := pngFile(t, "orchard.png", 1600, 1000, func(x, y int) color.RGBA {
		return color.RGBA{uint8(40 + x/16), uint8(120 + y/20), 90, 255}
	})

	const title = "A shared orchard for three villages"
	const alt = "Young apple trees in rows, with the hills behind"
	signInAdmin(t, ctx, a, "en")
	err := chromedp.Do(ctx,
		chromedp.Navigate(a.Base+"/admin/orgs/coop/projects/new"),
		chromedp.SendKeys(chromedp.ID("title"), title),
		chromedp.SendKeys(chromedp.ID("summary"), "Planting and sharing the harvest."),
		chromedp.Click(chromedp.ID("sector-food-agriculture")),
		chromedp.SetUploadFiles(chromedp.ID("image_file"), []string{file}),
		chromedp.SendKeys(chromedp.ID("image_alt"), alt),
		chromedp.Submit(chromedp.ID("title")),
		chromedp.WaitVisible(chromedp.CSS("img.object-image")),
	)
	if err != nil {
		t.Fatalf("publish with an image in the browser: %v", err)
	}
	// loaded is the natural width of the first image matching sel once
	// the browser has decoded it (0: not loaded).
	loaded := func(sel string) int {
		w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(() => { const i = document.querySelector(`+"`"+sel+"`"+
			`); return i && i.complete ? i.naturalWidth : 0 })()`))
		if err != nil {
			return 0
		}
		return w
	}
	testenv.WaitFor(t, 20*time.Second, "the project page's image", func() bool { return loaded("img.object-image") == 1200 })
	gotAlt, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("img.object-image"), "alt"))
	if err != nil || gotAlt.Value != alt {
		t.Errorf("alt = %+v, %v", gotAlt, err)
	}
	screenshot(t, ctx, "project-image.jpg")

	if err := chromedp.Do(ctx, chromedp.Navigate(a.Base+"/directory?kind=project")); err != nil {
		t.Fatal(err)
	}
	testenv.WaitFor(t, 20*time.Second, "A's directory thumbnail", func() bool { return loaded("img.thumb") == 320 })

	// B: the directory card shows the image once B has cached it.
	testenv.WaitFor(t, 30*time.Second, "B's directory to show the image from its cache", func() bool {
		if err := chromedp.Do(ctx, chromedp.Navigate(b.Base+"/directory?kind=project")); err != nil {
			return false
		}
		return loaded(`img.thumb[src^="/media/remote/"]`) > 0
	})
	resources, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`performance.getEntriesByType("resource").map(e => e.name).concat([location.href])`))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range resources {
		if !strings.HasPrefix(r, b.Base+"/") {
			t.Errorf("B's directory made the browser load %s", r)
		}
	}
	if len(resources) < 2 {
		t.Errorf("resources loaded: %v", resources)
	}
	screenshot(t, ctx, "directory-remote-image.jpg")
}
