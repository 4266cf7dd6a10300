package admin_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/media"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/web/webtest"
)

func picture(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	return img
}

func pngOf(t *testing.T, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// jpegWithGPS is a photo as a phone writes it: an EXIF block with a GPS
// position (the decoder skips APP1 segments whatever they hold).
func jpegWithGPS(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, picture(800, 600), nil); err != nil {
		t.Fatal(err)
	}
	exif := []byte("Exif\x00\x00II*\x00GPSLatitude 45.7640 N GPSLongitude 4.8357 E")
	seg := append([]byte{0xFF, 0xE1, byte((len(exif) + 2) >> 8), byte(len(exif) + 2)}, exif...)
	return append(append([]byte{0xFF, 0xD8}, seg...), b.Bytes()[2:]...)
}

// bombPNG declares 50,000 × 50,000 pixels (10 GB decoded) in a few bytes.
func bombPNG(t *testing.T) []byte {
	data := pngOf(t, picture(1, 1))
	binary.BigEndian.PutUint32(data[16:], 50_000)
	binary.BigEndian.PutUint32(data[20:], 50_000)
	binary.BigEndian.PutUint32(data[29:], crc32.ChecksumIEEE(data[12:29]))
	return data
}

var mediaSrc = regexp.MustCompile(`/media/([0-9a-f]{64}\.(?:jpg|png))`)

func TestObjectImageUpload(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.31")
	form := validProject()
	form.Set("image_alt", "Three shared cars in front of the town hall")
	resp, body := b.PostMultipart("/admin/orgs/coop/projects/new", form,
		map[string]webtest.File{"image": {Name: "cars.png", Data: pngOf(t, picture(1600, 900))}})
	objs := webtest.ObjectsOf(t, in, in.Actor("coop"))
	if len(objs) != 1 {
		t.Fatalf("%d objects, want 1\n%s", len(objs), body)
	}
	o := objs[0]
	webtest.WantRedirect(t, resp, body, o.ID)
	im := o.Image
	if im == nil || !model.IsMediaName(im.File) || !model.IsMediaName(im.Thumb) || im.Width != 1200 || im.Height != 675 ||
		im.MediaType != "image/jpeg" || im.Alt != "Three shared cars in front of the town hall" || im.URL != "" {
		t.Fatalf("stored image = %+v", im)
	}

	// The file: its type said and not to be sniffed, cached for good.
	r, data := b.Get("/media/" + im.File)
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "image/jpeg" ||
		r.Header.Get("X-Content-Type-Options") != "nosniff" ||
		r.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Errorf("GET /media/%s: %d %v", im.File, r.StatusCode, r.Header)
	}
	if cfg, err := jpeg.DecodeConfig(strings.NewReader(data)); err != nil || cfg.Width != 1200 || !media.CheckName(im.File, []byte(data)) {
		t.Errorf("served file: %v %+v, name matches content: %v", err, cfg, media.CheckName(im.File, []byte(data)))
	}
	head, _ := http.NewRequest(http.MethodHead, in.Base+"/media/"+im.File, nil)
	if r, data := b.Do(head); r.StatusCode != http.StatusOK || data != "" || r.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("HEAD /media/%s: %d %q", im.File, r.StatusCode, r.Header.Get("Content-Type"))
	}
	for _, bad := range []string{"/media/" + strings.Repeat("0", 64) + ".jpg", "/media/..%2fmaillage.db", "/media/" + im.File[:64] + ".gif",
		"/media/remote/" + strings.Repeat("0", 32) + ".jpg", "/media/remote/" + im.File} {
		if r, _ := b.Get(bad); r.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", bad, r.StatusCode)
		}
	}

	// The page shows it, with its alt text, and gives it to link previews.
	_, page := b.Get(strings.TrimPrefix(o.ID, in.Base))
	if !strings.Contains(page, `src="/media/`+im.File+`" alt="Three shared cars in front of the town hall"`) {
		t.Errorf("project page has no image:\n%s", page)
	}
	if !strings.Contains(page, `<meta property="og:image" content="`+in.Base+`/media/`+im.File+`">`) {
		t.Errorf("project page has no og:image")
	}
	// The directory card shows the small size.
	_, dir := b.Get("/directory")
	if !strings.Contains(dir, `class="thumb" src="/media/`+im.Thumb+`"`) {
		t.Errorf("directory card has no thumbnail")
	}
	// Its Note carries it as an attachment.
	var note map[string]any
	if s, raw := in.Get(o.ID, "application/activity+json"); s != http.StatusOK || json.Unmarshal(raw, &note) != nil {
		t.Fatalf("GET note: %d", s)
	}
	att, _ := note["attachment"].([]any)
	if len(att) != 1 || att[0].(map[string]any)["url"] != in.Base+"/media/"+im.File || att[0].(map[string]any)["name"] != im.Alt ||
		len(im.Blurhash) != 28 || att[0].(map[string]any)["blurhash"] != im.Blurhash {
		t.Errorf("attachment = %v", note["attachment"])
	}

	// Editing the text keeps the image (the form carries it), and the
	// remove box takes it away.
	editPath := "/admin" + strings.TrimPrefix(o.ID, in.Base) + "/edit"
	_, edit := b.Get(editPath)
	if !strings.Contains(edit, `name="image_ref" value="`+im.File+` `+im.Thumb+`"`) {
		t.Fatalf("edit form does not carry the image:\n%s", edit)
	}
	form.Set("title", "Shared cars in three valleys")
	form.Set("image_ref", im.File+" "+im.Thumb)
	resp, body = b.PostMultipart(editPath, form, nil)
	if got := webtest.ObjectsOf(t, in, in.Actor("coop"))[0]; resp.StatusCode != http.StatusSeeOther || got.Image == nil || got.Image.File != im.File ||
		got.Image.Blurhash != im.Blurhash {
		t.Errorf("after an edit: %d, image %+v\n%s", resp.StatusCode, got.Image, body)
	}
	// A refused new file leaves the image in place, and the form shown
	// again still carries it.
	resp, body = b.PostMultipart(editPath, form, map[string]webtest.File{"image": {Name: "notes.png", Data: []byte("text")}})
	webtest.WantFieldError(t, resp, body, "image", "not a JPEG")
	if !strings.Contains(body, `name="image_ref" value="`+im.File+` `+im.Thumb+`"`) {
		t.Errorf("the form shown again lost the image")
	}
	form.Set("image_remove", "1")
	b.PostMultipart(editPath, form, nil)
	if got := webtest.ObjectsOf(t, in, in.Actor("coop"))[0]; got.Image != nil {
		t.Errorf("after remove: image %+v", got.Image)
	}
}

// TestImageUploadRefused sends what must not become an image, each time
// with a message beside the field and nothing published.
func TestImageUploadRefused(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.32")
	for _, tc := range []struct {
		name, field, message string
		file                 webtest.File
		alt                  string
	}{
		{"text named .png", "image", "not a JPEG, PNG, GIF or WebP", webtest.File{Name: "logo.png", Data: []byte("I am a text file.\n")}, "alt"},
		{"html named .jpg", "image", "not a JPEG, PNG, GIF or WebP", webtest.File{Name: "x.jpg", Data: []byte("<html><script>alert(1)</script>")}, "alt"},
		{"png bomb", "image", "too large: at most", webtest.File{Name: "bomb.png", Data: bombPNG(t)}, "alt"},
		{"over 8 MB", "image", "over 8 MB", webtest.File{Name: "big.png", Data: append(pngOf(t, picture(4, 4)), make([]byte, media.MaxBytes)...)}, "alt"},
		{"no alt text", "image_alt", "required", webtest.File{Name: "ok.png", Data: pngOf(t, picture(40, 30))}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := validProject()
			form.Set("image_alt", tc.alt)
			resp, body := b.PostMultipart("/admin/orgs/coop/projects/new", form, map[string]webtest.File{"image": tc.file})
			webtest.WantFieldError(t, resp, body, tc.field, tc.message)
			if n := len(webtest.ObjectsOf(t, in, in.Actor("coop"))); n != 0 {
				t.Errorf("%d objects published", n)
			}
		})
	}
	// A form sent back for a missing alt text keeps the picture already
	// uploaded, so that it need not be chosen again.
	form := validProject()
	resp, body := b.PostMultipart("/admin/orgs/coop/projects/new", form,
		map[string]webtest.File{"image": {Name: "ok.png", Data: pngOf(t, picture(40, 30))}})
	m := regexp.MustCompile(`name="image_ref" value="([^"]+)"`).FindStringSubmatch(body)
	if resp.StatusCode != http.StatusUnprocessableEntity || m == nil {
		t.Fatalf("form shown again without the upload: %d\n%s", resp.StatusCode, body)
	}
	form.Set("image_ref", m[1])
	form.Set("image_alt", "A small test picture")
	resp, body = b.PostMultipart("/admin/orgs/coop/projects/new", form, nil)
	objs := webtest.ObjectsOf(t, in, in.Actor("coop"))
	if resp.StatusCode != http.StatusSeeOther || len(objs) != 1 || objs[0].Image == nil || objs[0].Image.Alt != "A small test picture" {
		t.Errorf("second send: %d, objects %+v\n%s", resp.StatusCode, objs, body)
	}
	// A forged reference to a file that is not there is no image.
	form.Set("title", "Another one")
	form.Set("image_ref", strings.Repeat("a", 64)+".jpg "+strings.Repeat("b", 64)+".jpg")
	b.PostMultipart("/admin/orgs/coop/projects/new", form, nil)
	for _, o := range webtest.ObjectsOf(t, in, in.Actor("coop")) {
		if o.Title == "Another one" && o.Image != nil {
			t.Errorf("forged reference kept: %+v", o.Image)
		}
	}
}

func TestPhotoLosesItsGPSPosition(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.33")
	photo := jpegWithGPS(t)
	if !bytes.Contains(photo, []byte("GPSLatitude")) {
		t.Fatal("the photo has no position to lose")
	}
	form := validProject()
	form.Set("image_alt", "The workshop")
	resp, body := b.PostMultipart("/admin/orgs/coop/projects/new", form, map[string]webtest.File{"image": {Name: "IMG_0001.JPG", Data: photo}})
	objs := webtest.ObjectsOf(t, in, in.Actor("coop"))
	if resp.StatusCode != http.StatusSeeOther || len(objs) != 1 || objs[0].Image == nil {
		t.Fatalf("upload: %d\n%s", resp.StatusCode, body)
	}
	for _, name := range []string{objs[0].Image.File, objs[0].Image.Thumb} {
		_, data := b.Get("/media/" + name)
		if strings.Contains(data, "Exif") || strings.Contains(data, "GPS") || strings.Contains(data, "45.7640") {
			t.Errorf("%s still holds the EXIF block", name)
		}
		if _, err := jpeg.DecodeConfig(strings.NewReader(data)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestProfileLogoAndBanner(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.34")
	form := url.Values{"display_name": {"Coop des Valons"}, "country": {"FR"}, "sectors": {"energy"}, "banner_alt": {"Solar roofs of the village"}}
	resp, body := b.PostMultipart("/admin/orgs/coop/profile", form, map[string]webtest.File{
		"logo":   {Name: "logo.png", Data: pngOf(t, picture(600, 600))},
		"banner": {Name: "banner.jpg", Data: pngOf(t, picture(3000, 1000))},
	})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save profile: %d\n%s", resp.StatusCode, body)
	}
	o := webtest.Org(t, in, "coop")
	if o.Logo == nil || o.Logo.Width != 400 || o.Banner == nil || o.Banner.Width != 1500 || o.Banner.Height != 500 {
		t.Fatalf("logo %+v, banner %+v", o.Logo, o.Banner)
	}
	_, page := b.Get("/orgs/coop")
	for _, want := range []string{
		`class="banner" src="/media/` + o.Banner.File + `" alt="Solar roofs of the village"`,
		`class="logo" src="/media/` + o.Logo.File + `" alt="Coop des Valons"`, // the name when no alt text is given
		`<meta property="og:image" content="` + in.Base + `/media/` + o.Banner.File + `">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("organisation page lacks %s", want)
		}
	}
	var actor map[string]any
	if _, raw := in.Get(in.Actor("coop"), "application/activity+json"); json.Unmarshal(raw, &actor) != nil {
		t.Fatal("actor JSON")
	}
	icon, _ := actor["icon"].(map[string]any)
	banner, _ := actor["image"].(map[string]any)
	if icon["url"] != in.Base+"/media/"+o.Logo.File || icon["mediaType"] != "image/jpeg" || banner["url"] != in.Base+"/media/"+o.Banner.File {
		t.Errorf("actor icon %v, image %v", actor["icon"], actor["image"])
	}
	if !mediaSrc.MatchString(page) {
		t.Error("no media path on the page")
	}
}
