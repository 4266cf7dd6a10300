package admin_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webtest"
)

const pageMap = `id,name,description,locality,country,lat,lon,website
p1,Ressourcerie du Port,Réemploi,Marseille,FR,43.2965,5.3698,https://port.example.org
p2,Vélo-école de Lille,Apprendre le vélo,Lille,FR,50.6292,3.0573,https://velo.example.org
`

// postImport submits the import form as a browser does: the fields, an
// empty taxonomy and mapping file, then the file.
func postImport(b *webtest.Browser, fields map[string]string, file string) (*http.Response, string) {
	return postImportMapping(b, fields, "", file)
}

// postImportMapping is postImport with a mapping file.
func postImportMapping(b *webtest.Browser, fields map[string]string, mapping, file string) (*http.Response, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, k := range []string{"format", "source", "licence"} {
		mw.WriteField(k, fields[k])
	}
	tw, _ := mw.CreateFormFile("taxonomy", "")
	tw.Write(nil)
	name := ""
	if mapping != "" {
		name = "mapping.txt"
	}
	mp, _ := mw.CreateFormFile("mapping", name)
	mp.Write([]byte(mapping))
	fw, _ := mw.CreateFormFile("file", "carte.csv")
	fw.Write([]byte(file))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.In.Base+"/admin/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", b.In.Base)
	return b.Do(req)
}

// TestImportPage: the preview shows the report and changes nothing; its
// button applies it; a refused file says why; French too.
func TestImportPage(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.223")
	ctx := context.Background()
	if _, dash := b.Get("/admin"); !strings.Contains(dash, `href="/admin/import"`) {
		t.Error("the admin pages do not link to the import page")
	}
	resp, body := b.Get("/admin/import")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `enctype="multipart/form-data"`) {
		t.Fatalf("import page: status %d\n%s", resp.StatusCode, body)
	}

	fields := map[string]string{"format": "csv", "source": "Carte des Colibris", "licence": "ODbL-1.0"}
	resp, body = postImport(b, fields, pageMap)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "nothing has been changed yet") ||
		!strings.Contains(body, "Added 2, updated 0") || !strings.Contains(body, "Ressourcerie du Port") {
		t.Fatalf("preview: status %d\n%s", resp.StatusCode, body)
	}
	if orgs, _ := in.Server.Service.Orgs(ctx); len(orgs) != 1 {
		t.Fatalf("the preview created organisations: %d", len(orgs))
	}
	i := strings.Index(body, `name="token" value="`)
	if i < 0 {
		t.Fatal("no apply form")
	}
	token := body[i+len(`name="token" value="`):]
	token = token[:strings.IndexByte(token, '"')]

	// An editor can neither see the page nor apply the preview; a
	// cross-site form is refused.
	ed := signIn(t, in, "ed", service.RoleEditor, "coop")
	if resp, _ := ed.Get("/admin/import"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("editor GET: status %d", resp.StatusCode)
	}
	if resp, _ := postImport(ed, fields, pageMap); resp.StatusCode != http.StatusForbidden {
		t.Errorf("editor preview: status %d", resp.StatusCode)
	}
	if resp, _ := ed.Post("/admin/import/apply", url.Values{"token": {token}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("editor apply: status %d", resp.StatusCode)
	}
	if resp, _ := b.PostFrom("/admin/import/apply", url.Values{"token": {token}}, "cross-site", ""); resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site apply: status %d", resp.StatusCode)
	}
	resp, body = b.Post("/admin/import/apply", url.Values{"token": {token}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Import applied") {
		t.Fatalf("apply: status %d\n%s", resp.StatusCode, body)
	}
	orgs, _ := in.Server.Service.Orgs(ctx)
	if len(orgs) != 3 {
		t.Fatalf("after apply: %d organisations, want 3", len(orgs))
	}
	for _, o := range orgs {
		if o.Name == "ressourcerie-du-port" && (o.Provenance == nil || o.Provenance.Source != "Carte des Colibris" || o.Provenance.SourceURL != "carte.csv") {
			t.Errorf("provenance = %+v", o.Provenance)
		}
	}
	// The token works once.
	if resp, _ := b.Post("/admin/import/apply", url.Values{"token": {token}}); resp.StatusCode != http.StatusConflict {
		t.Errorf("second apply: status %d, want 409", resp.StatusCode)
	}

	// A refused file: the reason, in French when asked.
	b.Header.Set("Accept-Language", "fr")
	fields["format"] = "gogocarto"
	resp, body = postImport(b, fields, `{"data": [`)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Le fichier a été refusé") {
		t.Errorf("refused file: status %d\n%s", resp.StatusCode, body)
	}
	_, page := b.Get("/orgs/ressourcerie-du-port")
	if !strings.Contains(page, "Référencée par cette instance d&#39;après Carte des Colibris (ODbL-1.0), non auto-publiée") {
		t.Errorf("French organisation page lacks the badge")
	}
}

// TestImportPageMapping: the page's mapping file field gives sectors to a
// category the built-in crosswalk does not know, in the preview and in
// what the apply creates from it.
func TestImportPageMapping(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.16.3")
	if _, body := b.Get("/admin/import"); !strings.Contains(body, `name="mapping" type="file"`) {
		t.Fatal("the import page has no mapping file field")
	}
	const csv = "id,name,locality,country,lat,lon,categories\n" +
		"r1,La Fabrique du Coin,Rennes,FR,48.1113,-1.6800,Tiers-lieux\n"
	fields := map[string]string{"format": "csv", "source": "Carte du réemploi"}
	if _, body := postImport(b, fields, csv); !strings.Contains(body, "Tiers-lieux (1)") {
		t.Fatalf("without a mapping, the preview does not list Tiers-lieux as unmapped:\n%s", body)
	}
	mapping, err := os.ReadFile(filepath.Join("..", "..", "importer", "testdata", "mapping.txt"))
	if err != nil {
		t.Fatal(err)
	}
	resp, body := postImportMapping(b, fields, string(mapping), csv)
	if resp.StatusCode != http.StatusOK || strings.Contains(body, "Tiers-lieux (1)") || !strings.Contains(body, "Added 1,") {
		t.Fatalf("preview with the mapping: status %d\n%s", resp.StatusCode, body)
	}
	i := strings.Index(body, `name="token" value="`)
	if i < 0 {
		t.Fatal("no apply form")
	}
	token := body[i+len(`name="token" value="`):]
	token = token[:strings.IndexByte(token, '"')]
	if resp, _ := b.Post("/admin/import/apply", url.Values{"token": {token}}); resp.StatusCode != http.StatusOK {
		t.Fatalf("apply: status %d", resp.StatusCode)
	}
	o, err := in.Server.Service.Org(context.Background(), "la-fabrique-du-coin")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(o.Sectors, " "); got != "citizenship-local-development culture-media" {
		t.Errorf("sectors after apply = %q", got)
	}

	resp, body = postImportMapping(b, fields, "Tiers-lieux = nowhere\n", csv)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "unknown sector") {
		t.Errorf("bad mapping file: status %d\n%s", resp.StatusCode, body)
	}
}
