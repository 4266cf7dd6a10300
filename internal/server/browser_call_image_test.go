package server_test

import (
	"fmt"
	"image/color"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"codeberg.org/maillage/maillage/internal/testenv"
)

// TestBrowserCallWithImage: a call published in the form with an image
// and its alt text reads well on a phone and on a desktop, in both
// languages: the image is loaded from this instance, described, no wider
// than the screen, and the page does not scroll sideways.
func TestBrowserCallWithImage(t *testing.T) {
	ctx := browser(t)
	a := testenv.Start(t, "127.0.0.37", testenv.Options{})
	file := pngFile(t, "workshop.png", 1800, 1000, func(x, y int) color.RGBA {
		return color.RGBA{uint8(200 - x/12), uint8(90 + y/12), uint8(60 + x/20), 255}
	})
	const title = "Partners wanted: a repair workshop for cargo bikes"
	const alt = "A cargo bike on a workshop stand, tools on the wall"
	deadline := time.Now().AddDate(0, 2, 0).Format("2006-01-02")
	signInAdmin(t, ctx, a, "en")
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(a.Base+"/admin/orgs/coop/calls/new"),
		chromedp.SendKeys(chromedp.ID("title"), title),
		chromedp.SendKeys(chromedp.ID("summary"), "Two cooperatives look for a third to run a shared repair workshop."),
		chromedp.Click(chromedp.ID("sector-mobility")),
		chromedp.Click(chromedp.ID("role-research-partner")),
		chromedp.SetValue(chromedp.ID("deadline"), deadline),
		chromedp.SetUploadFiles(chromedp.ID("image_file"), []string{file}),
		chromedp.SendKeys(chromedp.ID("image_alt"), alt),
		chromedp.Submit(chromedp.ID("title")),
		chromedp.WaitVisible(chromedp.CSS("img.object-image")),
	)
	if err != nil {
		t.Fatalf("publish a call with an image in the browser: %v", err)
	}
	page, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	for _, width := range []int64{1280, 390} {
		for _, lang := range []string{"en", "fr"} {
			err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(page+"?lang="+lang),
				chromedp.WaitVisible(chromedp.CSS("img.object-image")))
			if err != nil {
				t.Fatalf("%d px, %s: %v", width, lang, err)
			}
			var shown struct {
				Loaded, HasTitle   bool
				Src, Alt           string
				Width, ScrollWidth float64
			}
			testenv.WaitFor(t, 20*time.Second, "the call's image", func() bool {
				js := `(() => { const i = document.querySelector("img.object-image");
					return {loaded: i.complete && i.naturalWidth > 0, src: i.src, Alt: i.alt, width: i.getBoundingClientRect().width,
						scrollWidth: document.documentElement.scrollWidth, hasTitle: document.body.innerText.includes(` + "`" + title + "`" + `)} })()`
				v, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]any](js))
				if err != nil {
					return false
				}
				shown.Loaded, _ = v["loaded"].(bool)
				shown.Src, _ = v["src"].(string)
				shown.Alt, _ = v["Alt"].(string)
				shown.Width, _ = v["width"].(float64)
				shown.ScrollWidth, _ = v["scrollWidth"].(float64)
				shown.HasTitle, _ = v["hasTitle"].(bool)
				return shown.Loaded
			})
			if !strings.HasPrefix(shown.Src, a.Base+"/media/") || shown.Alt != alt || !shown.HasTitle {
				t.Errorf("%d px, %s: image %q alt %q, title shown %t", width, lang, shown.Src, shown.Alt, shown.HasTitle)
			}
			if shown.Width > float64(width) || shown.ScrollWidth > float64(width) {
				t.Errorf("%d px, %s: image %.0f px wide, page scrolls to %.0f px", width, lang, shown.Width, shown.ScrollWidth)
			}
			screenshot(t, ctx, fmt.Sprintf("call-image-%d-%s.jpg", width, lang))
		}
	}
}
