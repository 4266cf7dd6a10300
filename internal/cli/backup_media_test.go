package cli_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/media"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/web/webtest"
)

// TestBackupCarriesMedia: a backup holds the uploaded images beside the
// database, later backups fetch only new ones, and restore puts both in a
// new data directory, where an instance serves the page with its image.
func TestBackupCarriesMedia(t *testing.T) {
	in := testenv.Start(t, "127.0.0.82", testenv.Options{})
	admin := webtest.AdminOn(t, in)
	img := image.NewRGBA(image.Rect(0, 0, 600, 400)) // larger than the small size: two files
	for i := range img.Pix {
		img.Pix[i] = uint8(i)
	}
	img.Set(0, 0, color.RGBA{1, 2, 3, 255})
	var pic bytes.Buffer
	if err := png.Encode(&pic, img); err != nil {
		t.Fatal(err)
	}
	resp, body := admin.PostMultipart("/admin/orgs/coop/projects/new",
		url.Values{"title": {"Backed-up project"}, "sectors": {"energy"}, "image_alt": {"A test pattern"}},
		map[string]webtest.File{"image": {Name: "pattern.png", Data: pic.Bytes()}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", resp.StatusCode, body)
	}
	page := resp.Header.Get("Location")
	objs := webtest.ObjectsOf(t, in, in.Actor("coop"))
	im := objs[0].Image

	dir := t.TempDir()
	file := filepath.Join(dir, "maillage-1.db")
	out := mustRun(t, in, "backup", "-o", file)
	mediaDir := filepath.Join(dir, media.Dir)
	if !strings.Contains(out, mediaDir+": 2 media files, 2 new") {
		t.Errorf("backup printed %q", out)
	}
	for _, name := range []string{im.File, im.Thumb} {
		data, err := os.ReadFile(filepath.Join(mediaDir, name))
		if err != nil || !media.CheckName(name, data) {
			t.Errorf("backup media %s: %v", name, err)
		}
	}
	// The next night's backup shares the directory and fetches nothing.
	if out := mustRun(t, in, "backup", "-o", filepath.Join(dir, "maillage-2.db")); !strings.Contains(out, "2 media files, 0 new") {
		t.Errorf("second backup printed %q", out)
	}

	// A tampered image is refused, and nothing is written.
	tampered := t.TempDir()
	if err := os.CopyFS(filepath.Join(tampered, media.Dir), os.DirFS(mediaDir)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tampered, media.Dir, im.Thumb), []byte("changed"), 0o600); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "data")
	if _, err := run(t, in, "restore", "-i", file, "-media", filepath.Join(tampered, media.Dir), "-data", target); err == nil ||
		!strings.Contains(err.Error(), "does not match") {
		t.Errorf("restore of a tampered image: %v", err)
	}
	if _, err := os.Stat(filepath.Join(target, "maillage.db")); !os.IsNotExist(err) {
		t.Errorf("a refused restore wrote the database: %v", err)
	}

	out = mustRun(t, in, "restore", "-i", file, "-data", target)
	if !strings.Contains(out, "2 media files") {
		t.Errorf("restore printed %q", out)
	}
	if _, err := run(t, in, "restore", "-i", file, "-data", target); err == nil {
		t.Error("restore over an existing database succeeded")
	}

	in.Stop()
	var port int
	if _, err := fmt.Sscan(in.Host[strings.LastIndexByte(in.Host, ':')+1:], &port); err != nil {
		t.Fatal(err)
	}
	restored := testenv.Start(t, in.IP, testenv.Options{Port: port, DataDir: target})
	status, data := restored.Get(restored.Base+"/media/"+im.File, "image/*")
	if status != http.StatusOK || !media.CheckName(im.File, data) {
		t.Errorf("restored instance: GET /media/%s = %d", im.File, status)
	}
	status, html := restored.Get(page, "text/html")
	if status != http.StatusOK || !strings.Contains(string(html), `src="/media/`+im.File+`"`) {
		t.Errorf("restored page: %d, image shown: %v", status, strings.Contains(string(html), im.File))
	}
}
