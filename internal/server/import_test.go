package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/importer"
	"codeberg.org/maillage/maillage/internal/testenv"
)

// importMap is a map of three organisations, one with a personal e-mail
// address and a phone number, one with a role address on its website.
const importMap = `id,name,description,locality,country,lat,lon,website,email,telephone,categories
t1,Énergie Citoyenne Nantes,Production d'électricité,Nantes,FR,47.2184,-1.5536,https://energie.example.org,contact@energie.example.org,02 40 00 00 00,Climat et énergie
t2,Atelier Répar'Tout,Réparation de vélos,Lyon,FR,45.7676,4.8344,https://repartout.example.org,sophie.martin@repartout.example.org,06 00 00 00 00,
t3,Épicerie solidaire,Épicerie,Paris,FR,48.8589,2.3790,,,,
`

// importFile posts a CSV body to in's import endpoint with the query q and
// returns the status and the report (or error) decoded.
func importFile(t *testing.T, in *testenv.Instance, q url.Values, body io.Reader) (int, importer.Report, string) {
	t.Helper()
	return postImport(t, in, q, "text/csv", body)
}

// importParts posts a multipart body of parts, each {field, file name,
// content} in order (the file last), to in's import endpoint.
func importParts(t *testing.T, in *testenv.Instance, q url.Values, parts ...[3]string) (int, importer.Report, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, p := range parts {
		w, _ := mw.CreateFormFile(p[0], p[1])
		io.WriteString(w, p[2])
	}
	mw.Close()
	return postImport(t, in, q, mw.FormDataContentType(), &body)
}

// postImport posts body as contentType to in's import endpoint with the
// query q and returns the status and the report (or error) decoded.
func postImport(t *testing.T, in *testenv.Instance, q url.Values, contentType string, body io.Reader) (int, importer.Report, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, in.Base+"/api/v1/import?"+q.Encode(), body)
	req.Header.Set("Authorization", "Bearer "+in.Token)
	req.Header.Set("Content-Type", contentType)
	resp, err := in.Client().Do(req)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var r importer.Report
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatalf("import: %v in %s", err, data)
		}
	}
	return resp.StatusCode, r, string(data)
}

var emailRE = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[a-z]{2,}`)

// TestImportAcrossInstances: A imports a map; its organisations are
// actors Mastodon can find and follow (WebFinger, actor with a key made
// on first use, outbox); B follows A's instance and its directory lists
// them with their source; no export holds an e-mail address.
func TestImportAcrossInstances(t *testing.T) {
	a := testenv.Start(t, "127.0.0.220", testenv.Options{})
	b := testenv.Start(t, "127.0.0.221", testenv.Options{})
	q := url.Values{"format": {"csv"}, "source": {"Transiscope"}, "licence": {"ODbL-1.0"}, "source_url": {"transiscope.csv"}}

	dq := url.Values{"dry_run": {"1"}}
	for k, v := range q {
		dq[k] = v
	}
	status, r, body := importFile(t, a, dq, strings.NewReader(importMap))
	if status != http.StatusOK || r.Counts.Added != 3 {
		t.Fatalf("dry run: status %d, counts %+v, %s", status, r.Counts, body)
	}
	if s, _ := a.Get(a.Actor("energie-citoyenne-nantes"), asAccept); s != http.StatusNotFound {
		t.Fatalf("a dry run created an actor: status %d", s)
	}
	status, r, body = importFile(t, a, q, strings.NewReader(importMap))
	if status != http.StatusOK || r.Counts != (importer.Counts{Added: 3}) || r.Dropped.Phones != 2 || r.Dropped.Emails != 1 {
		t.Fatalf("import: status %d, counts %+v, dropped %+v, %s", status, r.Counts, r.Dropped, body)
	}

	// Followable from Mastodon: WebFinger, the actor, its outbox.
	name := "energie-citoyenne-nantes"
	wf := getJSON(t, a, a.Base+"/.well-known/webfinger?resource=acct:"+a.Handle(name), "application/jrd+json", http.StatusOK)
	if wf["subject"] != "acct:"+a.Handle(name) {
		t.Errorf("webfinger = %v", wf)
	}
	actor := getJSON(t, a, a.Actor(name), asAccept, http.StatusOK)
	key, _ := actor["publicKey"].(map[string]any)
	if pem, _ := key["publicKeyPem"].(string); !strings.Contains(pem, "PUBLIC KEY") {
		t.Errorf("imported actor has no public key: %v", actor["publicKey"])
	}
	prov, _ := actor["provenance"].(map[string]any)
	if prov["sourceName"] != "Transiscope" || prov["licence"] != "ODbL-1.0" || prov["sourceId"] != "t1" {
		t.Errorf("actor provenance = %v", actor["provenance"])
	}
	getJSON(t, a, a.Actor(name)+"/outbox", asAccept, http.StatusOK)

	// An organisation of B follows one imported on A: A's Accept is signed
	// with the key A made when first asked for the actor.
	follow(t, b, "coop", a.Handle("atelier-repar-tout"))
	waitAccepted(t, b, "coop", a.Actor("atelier-repar-tout"))

	// B follows A's instance: the backfill brings the organisations.
	follow(t, b, "instance", a.Host)
	waitAccepted(t, b, "instance", a.Actor("instance"))
	var want []string
	for _, n := range []string{"energie-citoyenne-nantes", "atelier-repar-tout", "epicerie-solidaire"} {
		want = append(want, a.Actor(n))
	}
	testenv.WaitFor(t, wait, "B to list A's imported organisations", func() bool { return len(missing(t, b, want)) == 0 })
	var res directory.Result
	b.API("GET", "/directory.json?per_page=100", nil, &res)
	for _, e := range res.Entries {
		if strings.HasPrefix(e.ID, a.Base) && e.ID != a.Actor("coop") &&
			(e.Provenance == nil || e.Provenance.Source != "Transiscope" || e.Provenance.Licence != "ODbL-1.0") {
			t.Errorf("B lists %s without its source: %+v", e.ID, e.Provenance)
		}
	}

	var self directory.Result
	b.API("GET", "/directory.json?per_page=100&self=1", nil, &self)
	for _, e := range self.Entries {
		if e.Provenance != nil {
			t.Errorf("self=1 lists %s, listed from %s", e.ID, e.Provenance.Source)
		}
	}

	// B's page of the organisation and its exports name the source.
	_, page := b.Get(b.Base+"/directory?q=Nantes", "text/html")
	if !bytes.Contains(page, []byte("Transiscope")) {
		t.Errorf("B's directory page does not name the source")
	}
	_, csv := b.Get(b.Base+"/directory.csv", "text/csv")
	if !bytes.Contains(csv, []byte("Transiscope")) {
		t.Errorf("B's CSV export lacks the source:\n%s", csv)
	}

	// No e-mail address in any export or federation document; the role
	// address is on the profile page only (checked below on the actor that
	// kept one).
	for _, in := range []*testenv.Instance{a, b} {
		for _, u := range []string{"/directory.csv", "/directory.geojson", "/directory.json"} {
			_, body := in.Get(in.Base+u, "*/*")
			if m := emailRE.FindAllString(string(body), -1); m != nil {
				t.Errorf("%s%s holds e-mail addresses %q", in.Host, u, m)
			}
		}
	}
	_, doc := a.Get(a.Actor("atelier-repar-tout"), asAccept)
	if bytes.Contains(doc, []byte("sophie")) || bytes.Contains(doc, []byte("06 00")) {
		t.Errorf("personal data in the actor: %s", doc)
	}
	// t1 kept its role address (on its website's domain): its page here
	// shows it, its actor document, which reaches every follower's server,
	// and the instance's collection of organisations do not.
	_, html := a.Get(a.Actor(name), "text/html")
	if !bytes.Contains(html, []byte("contact@energie.example.org")) {
		t.Fatalf("the role address was not kept: the test checks nothing")
	}
	for _, u := range []string{a.Actor(name), a.Actor("instance") + "/organisations", a.Actor("instance") + "/organisations?page=1"} {
		_, doc := a.Get(u, asAccept)
		if m := emailRE.FindAllString(string(doc), -1); m != nil {
			t.Errorf("%s holds e-mail addresses %q", u, m)
		}
	}
	for _, s := range []string{"Transiscope", "ODbL-1.0", "not self-published"} {
		if !bytes.Contains(html, []byte(s)) {
			t.Errorf("organisation page lacks %q", s)
		}
	}

	// A re-import renames t1 and no longer lists t3: both directories
	// follow, B's through the Update sent to the instance's followers.
	next := strings.Replace(importMap, "Énergie Citoyenne Nantes", "Énergie Citoyenne de Nantes", 1)
	next = strings.Replace(next, "t3,Épicerie solidaire,Épicerie,Paris,FR,48.8589,2.3790,,,,\n", "", 1)
	status, r, body = importFile(t, a, q, strings.NewReader(next))
	if status != http.StatusOK || r.Counts != (importer.Counts{Updated: 1, Unchanged: 1, Withdrawn: 1}) {
		t.Fatalf("re-import: status %d, counts %+v, %s", status, r.Counts, body)
	}
	gone := a.Actor("epicerie-solidaire")
	for _, in := range []*testenv.Instance{a, b} {
		testenv.WaitFor(t, wait, in.Host+" to drop the withdrawn entry and rename the other", func() bool {
			var res directory.Result
			in.API("GET", "/directory.json?per_page=100", nil, &res)
			renamed, withdrawn := false, false
			for _, e := range res.Entries {
				renamed = renamed || e.Title == "Énergie Citoyenne de Nantes"
				withdrawn = withdrawn || e.ID == gone
			}
			return renamed && !withdrawn
		})
	}
	if _, page := a.Get(gone, "text/html"); !bytes.Contains(page, []byte("Withdrawn: Transiscope no longer lists")) {
		t.Errorf("the withdrawn organisation's page does not say so")
	}
}

// TestImportBadInput: a file refused as a whole gets a clear 4xx and
// changes nothing; an entry with wrong coordinates is refused alone.
func TestImportBadInput(t *testing.T) {
	a := testenv.Start(t, "127.0.0.222", testenv.Options{})
	orgs := func() int {
		var res directory.Result
		a.API("GET", "/directory.json?per_page=100&kind=org", nil, &res)
		return res.Total
	}
	before := orgs()
	q := func(format string) url.Values {
		return url.Values{"format": {format}, "source": {"Map"}}
	}
	for name, tc := range map[string]struct {
		q      url.Values
		body   io.Reader
		status int
		says   string
	}{
		"invalid JSON":   {q("gogocarto"), strings.NewReader(`{"data": [{"id": "1", "name": "A"`), http.StatusBadRequest, "unexpected end"},
		"unknown format": {q("xlsx"), strings.NewReader(importMap), http.StatusBadRequest, "unknown format"},
		"no source":      {url.Values{"format": {"csv"}}, strings.NewReader(importMap), http.StatusBadRequest, "source name"},
		"long source":    {url.Values{"format": {"csv"}, "source": {strings.Repeat("x", 101)}}, strings.NewReader(importMap), http.StatusBadRequest, "too long"},
		"50 MB":          {q("csv"), io.MultiReader(strings.NewReader(importMap), zeros(importer.DefaultMaxBytes)), http.StatusRequestEntityTooLarge, ""},
	} {
		status, _, body := importFile(t, a, tc.q, tc.body)
		if status != tc.status || !strings.Contains(body, tc.says) {
			t.Errorf("%s: status %d, %s; want %d saying %q", name, status, body, tc.status, tc.says)
		}
	}
	if n := orgs(); n != before {
		t.Errorf("refused files changed the organisations: %d, was %d", n, before)
	}

	bad := importMap + "t4,Nowhere,,,FR,123.5,2.1,,,,\n"
	status, r, body := importFile(t, a, q("csv"), strings.NewReader(bad))
	if status != http.StatusOK || r.Counts.Added != 3 || r.Counts.Refused != 1 {
		t.Fatalf("wrong coordinates: status %d, counts %+v, %s", status, r.Counts, body)
	}

	// Only the admin token may import.
	req, _ := http.NewRequest(http.MethodPost, a.Base+"/api/v1/import?format=csv&source=Map", strings.NewReader(importMap))
	resp, err := a.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("import without a token: status %d", resp.StatusCode)
	}
	testenv.WaitFor(t, wait, "directory refreshed", func() bool { return orgs() == before+3 })
}

// zeros is n bytes of a CSV cell, streamed.
func zeros(n int64) io.Reader { return io.LimitReader(repeatReader('0'), n) }

type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// TestImportMappingAPI: a "mapping" part of the multipart body adds its
// rules to the built-in crosswalk: a category it does not know gets the
// sectors the file names, and a bad mapping file is refused with its line.
func TestImportMappingAPI(t *testing.T) {
	a := testenv.Start(t, "127.0.16.2", testenv.Options{})
	const csv = "id,name,locality,country,lat,lon,categories\n" +
		"r1,La Fabrique du Coin,Rennes,FR,48.1113,-1.6800,Tiers-lieux\n" +
		"r2,Boutique Seconde Main,Rennes,FR,48.1200,-1.6900,Mode & Beauté\n"
	post := func(mapping string, dryRun bool) (int, importer.Report, string) {
		q := url.Values{"format": {"csv"}, "source": {"Carte du réemploi"}}
		if dryRun {
			q.Set("dry_run", "1")
		}
		return importParts(t, a, q, [3]string{"mapping", "mapping.txt", mapping}, [3]string{"file", "reemploi.csv", csv})
	}
	// An empty mapping part, as a browser sends a file field left blank,
	// is no mapping: both categories are unmapped.
	status, r, body := post("", true)
	if status != http.StatusOK || len(r.Unmapped) != 2 {
		t.Fatalf("without a mapping: status %d, unmapped %+v, %s", status, r.Unmapped, body)
	}
	mapping, err := os.ReadFile(filepath.Join("..", "importer", "testdata", "mapping.txt"))
	if err != nil {
		t.Fatal(err)
	}
	status, r, body = post(string(mapping), false)
	if status != http.StatusOK || r.Counts.Added != 2 || len(r.Unmapped) != 0 {
		t.Fatalf("with the mapping: status %d, counts %+v, unmapped %+v, %s", status, r.Counts, r.Unmapped, body)
	}
	var res directory.Result
	a.API("GET", "/directory.json?kind=org&q=Fabrique", nil, &res)
	if len(res.Entries) != 1 || strings.Join(res.Entries[0].Sectors, " ") != "citizenship-local-development culture-media" {
		t.Errorf("imported with the mapping: %+v", res.Entries)
	}
	status, _, body = post("Tiers-lieux = culture-media\nthis line has no rule\n", true)
	if status != http.StatusBadRequest || !strings.Contains(body, "line 2") {
		t.Errorf("bad mapping file: status %d, %s", status, body)
	}
}
