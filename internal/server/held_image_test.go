package server_test

import (
	"image/color"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/store"
)

// This instance's page of a remote project shows its image from this
// instance's cache and gives that copy, never the other server's URL, to
// link previews (og:image).
func TestHeldObjectImagePreview(t *testing.T) {
	pic := pngOf(t, 640, 360, func(x, y int) color.RGBA { return color.RGBA{R: uint8(x / 3), G: uint8(y / 2), B: 120, A: 255} })
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(pic)
	}))
	ln, err := net.Listen("tcp", "127.0.0.50:0")
	if err != nil {
		t.Fatal(err)
	}
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)

	b := testenv.Start(t, "127.0.0.51", testenv.Options{})
	author := srv.URL + "/actors/coop"
	o := model.Object{ID: srv.URL + "/objects/1", AttributedTo: author, Kind: model.KindProject, Title: "Shared cars",
		Sectors: []string{"mobility"}, Published: time.Now().UTC(), Audience: model.AudiencePublic,
		Image: &model.Image{URL: srv.URL + "/media/cars.png", Alt: "Three shared cars"}}
	if err := b.Server.Store.Update(func(tx *store.Tx) error {
		if err := tx.PutActor(model.Actor{ID: author, Type: "Organization", Name: "Coop", Inbox: author + "/inbox"}); err != nil {
			return err
		}
		return tx.PutObject(o)
	}); err != nil {
		t.Fatal(err)
	}
	og := regexp.MustCompile(`<meta property="og:image" content="([^"]+)">`)
	var page string
	testenv.WaitFor(t, wait, "the page of the remote project to preview its cached image", func() bool {
		_, body := b.Get(b.Base+"/object?id="+url.QueryEscape(o.ID), "text/html")
		page = string(body)
		return og.MatchString(page)
	})
	m := og.FindStringSubmatch(page)
	if u, err := url.Parse(m[1]); err != nil || u.Host != b.Host || !regexp.MustCompile(`^/media/remote/`).MatchString(u.Path) {
		t.Errorf("og:image is %q, want this instance's cached copy", m[1])
	}
	if !regexp.MustCompile(`<meta property="og:image:alt" content="Three shared cars">`).MatchString(page) {
		t.Errorf("no og:image:alt:\n%s", page)
	}
	if !strings.Contains(page, `<meta property="og:url" content="`+b.Base+`/object?id=`+url.QueryEscape(o.ID)+`">`) {
		t.Errorf("no og:url of this page:\n%s", page)
	}
	if regexp.MustCompile(regexp.QuoteMeta(srv.URL + "/media/")).MatchString(page) {
		t.Error("the page names the other server's image URL")
	}
}
