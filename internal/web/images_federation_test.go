package web_test

import (
	"bytes"
	"image"
	"image/color"
	_ "image/jpeg" // image.DecodeConfig reads the JPEGs B serves
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/web/webtest"
)

func testPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 3), uint8(y * 2), 150, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestRemoteImagesFromOwnCache: images uploaded on A reach B as the
// actor's icon and the project's attachment, and B's pages show them from
// B's own cache: no page of B names A's host in an image, so a visitor of
// B never asks A for anything.
func TestRemoteImagesFromOwnCache(t *testing.T) {
	a := testenv.Start(t, "127.0.0.45", testenv.Options{})
	b := testenv.Start(t, "127.0.0.46", testenv.Options{})
	followAndWait(t, b, "coop", a.Handle("coop"), a.Actor("coop"))
	admin := webtest.AdminOn(t, a)
	resp, body := admin.PostMultipart("/admin/orgs/coop/profile",
		url.Values{"display_name": {"Coop Image"}, "country": {"FR"}, "sectors": {"energy"}},
		map[string]webtest.File{"logo": {Name: "logo.png", Data: testPNG(t, 500, 500)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("A: save profile: %d\n%s", resp.StatusCode, body)
	}
	form := url.Values{"title": {"Solar co-op roofs"}, "summary": {"Roofs for everyone."}, "sectors": {"energy"},
		"status": {"active"}, "image_alt": {"A roof covered with solar panels"}}
	resp, body = admin.PostMultipart("/admin/orgs/coop/projects/new", form,
		map[string]webtest.File{"image": {Name: "roof.png", Data: testPNG(t, 900, 600)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("A: publish: %d\n%s", resp.StatusCode, body)
	}

	remote := regexp.MustCompile(`<img class="thumb" src="(/media/remote/[0-9a-f]{32}-t\.(?:jpg|png))" alt="([^"]*)"`)
	var page string
	testenv.WaitFor(t, webtest.Wait, "B's directory to show A's logo and image from its cache", func() bool {
		_, page = getOK(t, b, "/directory?source="+url.QueryEscape(a.Host), acceptLanguage("en"))
		return len(remote.FindAllStringSubmatch(page, -1)) == 2
	})
	alts := map[string]bool{}
	for _, m := range remote.FindAllStringSubmatch(page, -1) {
		alts[m[2]] = true
		r, data := fetch(t, b.Client(), b.Base+m[1], nil)
		if r.StatusCode != http.StatusOK || r.Header.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.HasPrefix(r.Header.Get("Content-Type"), "image/") {
			t.Errorf("B's %s: %d %v", m[1], r.StatusCode, r.Header)
		}
		cfg, _, err := image.DecodeConfig(strings.NewReader(data))
		if err != nil || cfg.Width > 320 || cfg.Height > 320 {
			t.Errorf("B's %s: %v %dx%d, want a small size", m[1], err, cfg.Width, cfg.Height)
		}
	}
	if !alts["A roof covered with solar panels"] || !alts["Coop Image"] {
		t.Errorf("alt texts on B: %v", alts)
	}
	for _, m := range regexp.MustCompile(`<img[^>]*>`).FindAllString(page, -1) {
		if strings.Contains(m, a.Host) || !strings.Contains(m, `src="/media/remote/`) {
			t.Errorf("B's page shows an image from elsewhere: %s", m)
		}
	}
	if strings.Contains(page, a.Host+"/media/") {
		t.Errorf("B's page names A's media")
	}
	// B's own page of the project shows its image from the cache too.
	held := regexp.MustCompile(`href="(/object\?id=[^"]*projects[^"]*)"`).FindStringSubmatch(page)
	if held == nil {
		t.Fatalf("no page here for A's project in B's directory\n%s", page)
	}
	testenv.WaitFor(t, webtest.Wait, "B's page of A's project to show its image", func() bool {
		_, page = getOK(t, b, strings.ReplaceAll(held[1], "&amp;", "&"), acceptLanguage("en"))
		return regexp.MustCompile(`<img class="object-image" src="/media/remote/[0-9a-f]{32}\.(?:jpg|png)" alt="A roof covered with solar panels"`).MatchString(page)
	})
	if strings.Contains(page, a.Host+"/media/") {
		t.Errorf("B's page of the project names A's media")
	}
}
