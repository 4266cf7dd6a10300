package admin_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/web/webtest"
)

// The network page shows a follower's logo from this instance's own cache
// of remote images, never from the follower's server: initials first,
// while the icon is fetched, then the cached copy.
func TestNetworkAvatarFromOwnCache(t *testing.T) {
	t.Parallel()
	a := testenv.Start(t, "127.0.0.246", testenv.Options{})
	b := testenv.Start(t, "127.0.0.247", testenv.Options{})
	img := image.NewRGBA(image.Rect(0, 0, 200, 200))
	for y := range 200 {
		for x := range 200 {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var logo bytes.Buffer
	if err := png.Encode(&logo, img); err != nil {
		t.Fatal(err)
	}
	resp, body := webtest.AdminOn(t, a).PostMultipart("/admin/orgs/coop/profile",
		url.Values{"display_name": {"Alpine Energy"}, "country": {"FR"}, "sectors": {"energy"}},
		map[string]webtest.File{"logo": {Name: "logo.png", Data: logo.Bytes()}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("A: save profile with a logo: %d\n%s", resp.StatusCode, body)
	}
	if s := a.API("POST", "/api/v1/orgs/coop/follow", map[string]string{"target": b.Actor("coop")}, nil); s != http.StatusAccepted {
		t.Fatalf("A follows B: status %d", s)
	}
	admin := webtest.AdminOn(t, b)
	avatar := regexp.MustCompile(`<img class="avatar" src="/media/remote/[0-9a-f]{32}-t\.(?:jpg|png)"`)
	var page string
	testenv.WaitFor(t, webtest.Wait, "B's network page to show A's logo from B's cache", func() bool {
		_, page = admin.Get("/admin/orgs/coop/network")
		return avatar.MatchString(page)
	})
	if !strings.Contains(page, "<strong>Alpine Energy</strong>") {
		t.Errorf("the follower's name is missing:\n%s", page)
	}
	if regexp.MustCompile(`<img[^>]+src="[^"]*` + regexp.QuoteMeta(a.Host)).MatchString(page) {
		t.Errorf("an image of B's page is loaded from A:\n%s", page)
	}
}
