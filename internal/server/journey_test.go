package server_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/config"
	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/importer"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/wire"
	"codeberg.org/maillage/maillage/store"
)

// journeyTaxonomy is a GoGoCarto taxonomy with nested categories: an
// option under a subcategory under an option.
const journeyTaxonomy = `[{"id": 1, "name": "Catégories", "options": [
  {"id": 100, "name": "Agriculture & Alimentation", "subcategories": [
    {"id": 2, "name": "Type", "options": [
      {"id": 101, "name": "Epicerie & Supérette"},
      {"id": 102, "name": "Circuits courts", "subcategories": [
        {"id": 3, "name": "type", "options": [{"id": 103, "name": "AMAP/Paniers"}]}]}]}]},
  {"id": 200, "name": "Habitat", "subcategories": [
    {"id": 4, "name": "Catégories", "options": [{"id": 201, "name": "Ressourcerie"}]}]}]}]`

// journeyMap is a GoGoCarto export of three organisations; the AMAP's
// website is WEBSITE, served by the test.
const journeyMap = `{"ontology": "gogofull", "data": [
  {"id": "g1", "name": "AMAP du Marais", "geo": {"latitude": 46.3252, "longitude": -0.0339},
   "address": {"addressLocality": "Niort", "addressCountry": "FR"}, "description": "Paniers de légumes",
   "website": "WEBSITE", "email": "hidden", "sourceKey": "Colibris", "optionValues": [103]},
  {"id": "g2", "name": "Ressourcerie du Bocage", "geo": {"latitude": 49.1468, "longitude": 0.2262},
   "address": {"addressLocality": "Lisieux", "addressCountry": "FR"}, "description": "Réemploi",
   "sourceKey": "PDCN", "optionValues": [201]},
  {"id": "g3", "name": "Épicerie du Quartier", "geo": {"latitude": 45.7676, "longitude": 4.8344},
   "address": {"addressLocality": "Lyon", "addressCountry": "FR"}, "description": "Épicerie solidaire",
   "optionValues": [101]}]}`

// importGoGoCarto posts a GoGoCarto export and its taxonomy to in's
// import API as a multipart form.
func importGoGoCarto(t *testing.T, in *testenv.Instance, q url.Values, file, taxonomy string) (int, importer.Report, string) {
	t.Helper()
	return importParts(t, in, q, [3]string{"taxonomy", "taxonomy.json", taxonomy}, [3]string{"file", "elements.json", file})
}

// loopbackSite is an organisation's website served on ip (a loopback
// address), its home page set by the test.
type loopbackSite struct {
	*httptest.Server
	mu   sync.Mutex
	home string
}

func newLoopbackSite(t *testing.T, ip string) *loopbackSite {
	t.Helper()
	s := &loopbackSite{home: "<html><body>Welcome</body></html>"}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		fmt.Fprint(w, s.home)
	}))
	l, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Fatalf("listen on %s: %v", ip, err)
	}
	s.Listener.Close()
	s.Listener = l
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func (s *loopbackSite) setHome(body string) {
	s.mu.Lock()
	s.home = body
	s.mu.Unlock()
}

// directoryEntry returns in's directory entry id, if listed.
func directoryEntry(in *testenv.Instance, id string) (directory.Entry, bool) {
	var res directory.Result
	in.API("GET", "/directory.json?per_page=100&kind=org", nil, &res)
	for _, e := range res.Entries {
		if e.ID == id {
			return e, true
		}
	}
	return directory.Entry{}, false
}

// apiOrg returns the organisation name from in's API listing.
func apiOrg(t *testing.T, in *testenv.Instance, name string) wire.Org {
	t.Helper()
	var orgs []wire.Org
	if s := in.API("GET", "/api/v1/orgs?limit=100", nil, &orgs); s != http.StatusOK {
		t.Fatalf("%s: list organisations: %d", in.Host, s)
	}
	for _, o := range orgs {
		if o.Name == name {
			return o
		}
	}
	t.Fatalf("%s does not list %s", in.Host, name)
	return wire.Org{}
}

// TestJourneyImportClaimMove is issue #10's multi-instance test: A imports
// a GoGoCarto map; B follows A's instance and lists the imported
// organisations with their source, and one of B's organisations follows
// an imported one; that organisation claims its entry through its website
// (rel="me"), A's administrator confirms, and B drops the "listed by"
// mark; the organisation sets up its own instance C, A's administrator
// moves the entry there; B's follow ends up on C's actor, B's directory
// lists C's organisation and no longer A's, and a call
// published on C reaches B.
func TestJourneyImportClaimMove(t *testing.T) {
	ca := testenv.NewCA(t)
	a := testenv.Start(t, "127.0.5.1", testenv.Options{CA: ca})
	b := testenv.Start(t, "127.0.5.2", testenv.Options{CA: ca})
	site := newLoopbackSite(t, "127.0.5.9")

	// A imports the map through the API, the taxonomy nested.
	q := url.Values{"format": {"gogocarto"}, "source": {"Carteco"}, "licence": {"ODbL-1.0"}, "source_url": {"https://carteco-ess.org/"}}
	status, r, body := importGoGoCarto(t, a, q, strings.Replace(journeyMap, "WEBSITE", site.URL+"/", 1), journeyTaxonomy)
	if status != http.StatusOK || r.Counts != (importer.Counts{Added: 3}) {
		t.Fatalf("import: status %d, counts %+v, %s", status, r.Counts, body)
	}
	amap := a.Actor("amap-du-marais")
	view := apiOrg(t, a, "amap-du-marais")
	if view.Provenance == nil || view.Provenance.Source != "Carteco" || view.Provenance.SourceID != "g1" {
		t.Errorf("the API does not show the provenance: %+v", view.Provenance)
	}
	if len(view.Sectors) == 0 {
		t.Errorf("the nested category gave no sector: %+v", view.Profile)
	}

	// B follows A's instance and lists the three with their source; B's
	// organisation follows the AMAP.
	follow(t, b, "instance", a.Host)
	waitAccepted(t, b, "instance", a.Actor("instance"))
	want := []string{amap, a.Actor("ressourcerie-du-bocage"), a.Actor("epicerie-du-quartier")}
	testenv.WaitFor(t, wait, "B to list A's imported organisations", func() bool { return len(missing(t, b, want)) == 0 })
	for _, id := range want {
		if e, _ := directoryEntry(b, id); e.Provenance == nil || e.Provenance.Source != "Carteco" {
			t.Errorf("B lists %s without its source: %+v", id, e.Provenance)
		}
	}
	follow(t, b, "coop", a.Handle("amap-du-marais"))
	waitAccepted(t, b, "coop", amap)

	// The AMAP claims its entry: its website links to the actor.
	m := newMeClient(t, a)
	claim := openClaimPage(t, m, "amap-du-marais", "relme")
	_, _, claimPage := m.do(claim, nil)
	site.setHome(`<html><head><meta name="maillage-claim" content="` + claimMetaToken(claimPage) + `"></head><body><a rel="me" href="` + amap + `">Fédivers</a></body></html>`)
	m.do(claim, url.Values{})
	if _, _, page := m.do(claim, nil); !strings.Contains(page, "Proven by the website") {
		t.Fatalf("the rel=me proof is not accepted:\n%s", page)
	}
	root := session(t, a, "root", service.RoleAdmin)
	_, page := browse(t, a, root, "GET", "/admin/claims", nil)
	id := regexp.MustCompile(`/admin/claims/([0-9a-f]+)/confirm"><button type="submit">Confirm the claim of amap-du-marais`).FindStringSubmatch(page)
	if id == nil {
		t.Fatalf("no confirm button:\n%s", page)
	}
	if s, page := browse(t, a, root, "POST", "/admin/claims/"+id[1]+"/confirm", url.Values{}); s != http.StatusOK {
		t.Fatalf("confirm: %d\n%s", s, page)
	}
	// B drops the "listed by" mark: the actor's Update has no provenance.
	testenv.WaitFor(t, wait, "B to drop the claimed entry's provenance", func() bool {
		e, ok := directoryEntry(b, amap)
		return ok && e.Provenance == nil
	})

	// The organisation sets up its own instance C, whose organisation
	// names the imported actor; A's administrator moves the entry there.
	c := testenv.Start(t, "127.0.5.3", testenv.Options{CA: ca, Org: "amap"})
	newIRI := c.Actor("amap")
	var profile service.ProfileInput
	profile.DisplayName, profile.Website, profile.Country, profile.Sectors = "AMAP du Marais", site.URL+"/", "FR", view.Sectors
	if s := c.API("PUT", "/api/v1/orgs/amap", profile, nil); s != http.StatusOK {
		t.Fatalf("C's profile: %d", s)
	}
	if s := c.API("PUT", "/api/v1/orgs/amap/aliases", map[string]any{"also_known_as": []string{amap}}, nil); s != http.StatusOK {
		t.Fatalf("aliases: %d", s)
	}
	if s := a.API("POST", "/api/v1/orgs/amap-du-marais/move", map[string]string{"target": c.Handle("amap")}, &view); s != http.StatusOK {
		t.Fatalf("move: %d", s)
	}
	if view.MovedTo != newIRI {
		t.Fatalf("moved to %q, want %s", view.MovedTo, newIRI)
	}

	// B's follow ends up on C's actor; B's directory lists C's organisation
	// as active and A's as moved there.
	waitAccepted(t, b, "coop", newIRI)
	testenv.WaitFor(t, wait, "B's follow of the imported actor to be withdrawn", func() bool { return !follows(b, "coop", amap) })
	testenv.WaitFor(t, wait, "B to list C's organisation instead of A's", func() bool {
		_, old := directoryEntry(b, amap)
		_, ok := directoryEntry(b, newIRI)
		return ok && !old
	})
	if _, ok := directoryEntry(a, amap); ok {
		t.Errorf("A lists the moved organisation")
	}

	// A call published on C reaches B.
	call := publish(t, c, "amap", callInput())
	waitObject(t, b, newIRI, call.ID, func(model.Object) bool { return true })

	// A re-import of the same map leaves the claimed and moved entry alone.
	status, r, body = importGoGoCarto(t, a, q, strings.Replace(strings.Replace(journeyMap, "WEBSITE", site.URL+"/", 1), "Paniers de légumes", "Autre", 1), journeyTaxonomy)
	if status != http.StatusOK || r.Counts.Updated != 0 || r.Counts.Withdrawn != 0 {
		t.Errorf("re-import: status %d, counts %+v, %s", status, r.Counts, body)
	}
	view = apiOrg(t, a, "amap-du-marais")
	if view.Summary == "Autre" || view.MovedTo != newIRI {
		t.Errorf("the re-import changed the moved entry: %+v", view)
	}
}

// TestClaimReachesInstanceFollowers: B follows only A's instance, whose
// backfill brought the imported organisations; once an entry is claimed,
// B drops its "listed by" mark, since the claimed actor's Update (without
// mai:provenance) reaches the instance's followers too.
func TestClaimReachesInstanceFollowers(t *testing.T) {
	ca := testenv.NewCA(t)
	a := testenv.Start(t, "127.0.5.4", testenv.Options{CA: ca})
	b := testenv.Start(t, "127.0.5.5", testenv.Options{CA: ca})
	site := newLoopbackSite(t, "127.0.5.10")
	q := url.Values{"format": {"gogocarto"}, "source": {"Carteco"}}
	if status, r, body := importGoGoCarto(t, a, q, strings.Replace(journeyMap, "WEBSITE", site.URL+"/", 1), journeyTaxonomy); status != http.StatusOK || r.Counts.Added != 3 {
		t.Fatalf("import: %d %s", status, body)
	}
	amap := a.Actor("amap-du-marais")
	follow(t, b, "instance", a.Host)
	waitAccepted(t, b, "instance", a.Actor("instance"))
	bocage := a.Actor("ressourcerie-du-bocage")
	testenv.WaitFor(t, wait, "B to list the imported organisations with their source", func() bool {
		e, ok := directoryEntry(b, amap)
		f, ok2 := directoryEntry(b, bocage)
		return ok && ok2 && e.Provenance != nil && f.Provenance != nil
	})

	m := newMeClient(t, a)
	claim := openClaimPage(t, m, "amap-du-marais", "relme")
	_, _, claimPage := m.do(claim, nil)
	site.setHome(`<meta name="maillage-claim" content="` + claimMetaToken(claimPage) + `"><a rel="me" href="` + amap + `">Fédivers</a>`)
	m.do(claim, url.Values{})
	root := session(t, a, "root", service.RoleAdmin)
	_, page := browse(t, a, root, "GET", "/admin/claims", nil)
	id := regexp.MustCompile(`/admin/claims/([0-9a-f]+)/confirm"`).FindStringSubmatch(page)
	if id == nil {
		t.Fatalf("no claim to confirm:\n%s", page)
	}
	if s, page := browse(t, a, root, "POST", "/admin/claims/"+id[1]+"/confirm", url.Values{}); s != http.StatusOK {
		t.Fatalf("confirm: %d\n%s", s, page)
	}
	testenv.WaitFor(t, wait, "B to drop the claimed entry's source", func() bool {
		e, ok := directoryEntry(b, amap)
		return ok && e.Provenance == nil
	})
	if e, ok := directoryEntry(b, bocage); !ok || e.Provenance == nil {
		t.Errorf("B dropped the source of an entry not claimed")
	}
}

// TestReimportLeavesMovedEntry: an imported entry the administrator moved
// to another instance (without a claim) is neither updated nor withdrawn
// by a later import of its source.
func TestReimportLeavesMovedEntry(t *testing.T) {
	ca := testenv.NewCA(t)
	a := testenv.Start(t, "127.0.5.6", testenv.Options{CA: ca})
	c := testenv.Start(t, "127.0.5.7", testenv.Options{CA: ca})
	q := url.Values{"format": {"csv"}, "source": {"Transiscope"}}
	if status, r, body := importFile(t, a, q, strings.NewReader(importMap)); status != http.StatusOK || r.Counts.Added != 3 {
		t.Fatalf("import: %d %s", status, body)
	}
	old := a.Actor("energie-citoyenne-nantes")
	if s := c.API("PUT", "/api/v1/orgs/coop/aliases", map[string]any{"also_known_as": []string{old}}, nil); s != http.StatusOK {
		t.Fatalf("aliases: %d", s)
	}
	if s := a.API("POST", "/api/v1/orgs/energie-citoyenne-nantes/move", map[string]string{"target": c.Handle("coop")}, nil); s != http.StatusOK {
		t.Fatalf("move: %d", s)
	}
	moved := apiOrg(t, a, "energie-citoyenne-nantes")

	// Renamed in the source: not updated.
	next := strings.Replace(importMap, "Énergie Citoyenne Nantes", "Énergie Citoyenne de Nantes", 1)
	status, r, body := importFile(t, a, q, strings.NewReader(next))
	if status != http.StatusOK || r.Counts.Updated != 0 || r.Counts.Withdrawn != 0 {
		t.Errorf("re-import with the moved entry renamed: %d, counts %+v, %s", status, r.Counts, body)
	}
	// Gone from the source: not withdrawn.
	gone := strings.Replace(importMap, "t1,Énergie Citoyenne Nantes,Production d'électricité,Nantes,FR,47.2184,-1.5536,https://energie.example.org,contact@energie.example.org,02 40 00 00 00,Climat et énergie\n", "", 1)
	status, r, body = importFile(t, a, q, strings.NewReader(gone))
	if status != http.StatusOK || r.Counts.Withdrawn != 0 {
		t.Errorf("re-import without the moved entry: %d, counts %+v, %s", status, r.Counts, body)
	}
	got := apiOrg(t, a, "energie-citoyenne-nantes")
	if got.DisplayName != moved.DisplayName || got.MovedTo != c.Actor("coop") || got.Provenance == nil || !got.Provenance.Withdrawn.IsZero() {
		t.Errorf("the moved entry changed: %+v, was %+v", got, moved)
	}
}

// TestBackfillOrgsLimit: a followed instance listing more organisations
// than the backfill's limit (lowered here to 55; 20,000 by default) is read
// up to the limit, the backfill paused after each short time budget and
// resumed, and the backfill ends.
func TestBackfillOrgsLimit(t *testing.T) {
	const listed, limit = 70, 55
	a := testenv.Start(t, "127.0.5.11", testenv.Options{})
	b := testenv.Start(t, "127.0.5.12", testenv.Options{Configure: func(c *config.Config) {
		c.BackfillMaxOrgs = limit
		c.BackfillBudget, c.BackfillRetry = 20*time.Millisecond, 20*time.Millisecond
	}})
	for i := range listed - 1 { // and A's own organisation
		importOrg(t, a, fmt.Sprintf("org%03d", i), "")
	}
	var in service.ProfileInput
	in.DisplayName, in.Country, in.Sectors = "Coop", "FR", []string{"energy"} // a profile: listed in B's directory
	if s := a.API("PUT", "/api/v1/orgs/coop", in, nil); s != http.StatusOK {
		t.Fatalf("profile: %d", s)
	}
	fromA := func() int {
		var res directory.Result
		b.API("GET", "/directory.json?per_page=1&kind=org&source="+url.QueryEscape(a.Host), nil, &res)
		return res.Total
	}
	follow(t, b, "instance", a.Host)
	waitAccepted(t, b, "instance", a.Actor("instance"))
	testenv.WaitFor(t, 60*time.Second, "the backfill to end", func() bool {
		_, err := b.Server.Service.Backfill(context.Background(), a.Actor("instance"))
		return errors.Is(err, store.ErrNotFound)
	})
	if n := fromA(); n != limit {
		t.Errorf("B lists %d of A's %d organisations, want the limit, %d", n, listed, limit)
	}
}

// TestHomePageBounded: the home page lists the first organisations only,
// and links to the directory for all of them, whatever their number.
func TestHomePageBounded(t *testing.T) {
	a := testenv.Start(t, "127.0.5.13", testenv.Options{})
	err := a.Server.Store.Update(func(tx *store.Tx) error {
		for i := range 120 {
			if err := tx.CreateOrg(model.Org{Name: fmt.Sprintf("imported-%03d", i), Profile: model.Profile{DisplayName: fmt.Sprintf("Imported %03d", i)}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for lang, link := range map[string]string{"en": "All the organisations of this instance", "fr": "Toutes les organisations de cette instance"} {
		count := map[string]string{"en": "Organisations hosted here: 121", "fr": "Organisations hébergées ici : 121"}[lang]
		req, _ := http.NewRequest(http.MethodGet, a.Base+"/", nil)
		req.Header.Set("Accept-Language", lang)
		resp, err := a.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if n := strings.Count(string(page), `<span class="meta">@`); n != 100 {
			t.Errorf("%s: the home page lists %d organisations, want 100", lang, n)
		}
		if !strings.Contains(string(page), count) {
			t.Errorf("%s: the home page does not say %q", lang, count)
		}
		if !strings.Contains(string(page), link) || !strings.Contains(string(page), `href="/directory?kind=org&amp;source=`) {
			t.Errorf("%s: no link to the directory's organisations:\n%.3000s", lang, page)
		}
	}
}
