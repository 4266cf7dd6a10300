package federation

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/sanitize"
	"codeberg.org/maillage/maillage/internal/uris"
)

// TestImagesRoundTrip renders a local organisation's logo and banner and a
// call's image as Mastodon reads them, then reads them back as a remote
// maillage instance does: the URLs are the sender's /media/ paths, and
// the alt text, type and size travel.
func TestImagesRoundTrip(t *testing.T) {
	san := sanitize.New()
	r := &Renderer{URIs: uris.URIs{Base: "https://a.example"}, San: san}
	img := func(c byte, alt string) *model.Image {
		return &model.Image{File: strings.Repeat(string(c), 64) + ".png", Thumb: strings.Repeat("f", 64) + ".png",
			MediaType: "image/png", Width: 400, Height: 300, Alt: alt}
	}
	call := fullObjects()[1]
	call.ID, call.AttributedTo, call.URL = "https://a.example/orgs/coop/calls/c1", "https://a.example/orgs/coop", "https://a.example/orgs/coop/calls/c1"
	call.Image = img('c', "Un atelier de réparation")
	m, err := r.ObjectMap(call)
	if err != nil {
		t.Fatal(err)
	}
	att, _ := m["attachment"].([]any)
	if len(att) != 1 {
		t.Fatalf("attachment = %#v, want one image", m["attachment"])
	}
	want := map[string]any{"type": "Image", "mediaType": "image/png", "url": "https://a.example/media/" + call.Image.File,
		"name": "Un atelier de réparation", "width": 400, "height": 300}
	if !reflect.DeepEqual(att[0], want) {
		t.Errorf("attachment = %#v, want %#v", att[0], want)
	}
	got, err := ASToObject(roundTrip(t, m), san)
	if err != nil {
		t.Fatal(err)
	}
	wantImg := &model.Image{URL: "https://a.example/media/" + call.Image.File, MediaType: "image/png", Width: 400, Height: 300,
		Alt: "Un atelier de réparation"}
	if !reflect.DeepEqual(got.Image, wantImg) {
		t.Errorf("received image = %+v, want %+v", got.Image, wantImg)
	}

	org := model.Org{Name: "coop", Profile: model.Profile{DisplayName: "Coop A", Sectors: []string{"energy"},
		Logo: img('1', ""), Banner: img('2', "Les toits solaires")}, PublicKeyPEM: "KEY", Created: time.Now()}
	am, err := r.ActorMap(org)
	if err != nil {
		t.Fatal(err)
	}
	icon, _ := am["icon"].(map[string]any)
	if icon["url"] != "https://a.example/media/"+org.Logo.File || icon["name"] != "Coop A" {
		t.Errorf("icon = %#v: want the logo, its alt text the organisation's name", am["icon"])
	}
	a, err := ASToActor(roundTrip(t, am), san, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if a.Profile == nil || a.Profile.Logo == nil || a.Profile.Logo.URL != "https://a.example/media/"+org.Logo.File ||
		a.Profile.Banner == nil || a.Profile.Banner.Alt != "Les toits solaires" || a.Profile.Logo.File != "" {
		t.Errorf("received profile images = %+v", a.Profile)
	}
}

func roundTrip(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestASToImage reads the shapes other servers send, and drops what is
// not an image one could fetch.
func TestASToImage(t *testing.T) {
	raw, err := os.ReadFile("testdata/gotosocial/actor.json")
	if err != nil {
		t.Fatal(err)
	}
	var gts map[string]any
	if err := json.Unmarshal([]byte(strings.ReplaceAll(string(raw), "{{REMOTE}}", "https://gts.example")), &gts); err != nil {
		t.Fatal(err)
	}
	if im := asToImage(gts["icon"]); im == nil || im.Alt != "a green goblin looking nasty" || im.MediaType != "image/jpeg" ||
		!strings.HasPrefix(im.URL, "https://gts.example/fileserver/") {
		t.Errorf("GoToSocial icon = %+v", im)
	}
	for _, tc := range []struct {
		name string
		v    any
		want string // URL, "" for none
	}{
		{"iri", "https://x.example/a.png", "https://x.example/a.png"},
		{"javascript", "javascript:alert(1)", ""},
		{"data", map[string]any{"type": "Image", "url": "data:image/png;base64,AAAA"}, ""},
		{"video", map[string]any{"type": "Document", "mediaType": "video/mp4", "url": "https://x.example/v.mp4"}, ""},
		{"url as link", map[string]any{"type": "Image", "url": map[string]any{"type": "Link", "href": "https://x.example/l.jpg"}}, "https://x.example/l.jpg"},
		{"array", []any{"ftp://x.example/a", map[string]any{"type": "Image", "url": "https://x.example/2.jpg"}}, "https://x.example/2.jpg"},
		{"too long", "https://x.example/" + strings.Repeat("a", maxActorIRI), ""},
	} {
		im := asToImage(tc.v)
		got := ""
		if im != nil {
			got = im.URL
		}
		if got != tc.want {
			t.Errorf("%s: url = %q, want %q", tc.name, got, tc.want)
		}
	}
	// Attachments: the first image among at most four; a bare IRI is not one.
	atts := []any{"https://x.example/unknown", map[string]any{"type": "Document", "mediaType": "audio/ogg", "url": "https://x.example/a.ogg"},
		map[string]any{"type": "Document", "mediaType": "image/webp", "url": "https://x.example/p.webp", "summary": "<b>alt</b> text"}}
	if im := asToAttachedImage(atts); im == nil || im.URL != "https://x.example/p.webp" || im.Alt != "alt text" {
		t.Errorf("attached image = %+v", im)
	}
}
