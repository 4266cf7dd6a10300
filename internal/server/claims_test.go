package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/federation"
	"codeberg.org/maillage/maillage/internal/config"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/sanitize"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/sitecheck"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/store"
)

// orgSite is an organisation's website on 127.0.0.1, rewritten by the test.
type orgSite struct {
	*httptest.Server
	mu    sync.Mutex // guards pages
	pages map[string]string
}

func newOrgSite(t *testing.T) *orgSite {
	t.Helper()
	s := &orgSite{pages: map[string]string{"/": "<html><body><h1>Welcome</h1></body></html>"}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		body, ok := s.pages[r.URL.Path]
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *orgSite) set(path, body string) {
	s.mu.Lock()
	s.pages[path] = body
	s.mu.Unlock()
}

// importOrg creates name on in as an import does: listed by the instance,
// with website.
func importOrg(t *testing.T, in *testenv.Instance, name, website string) {
	t.Helper()
	_, err := in.Server.Service.CreateOrg(context.Background(), service.System("test"), model.Org{Name: name,
		Profile:    model.Profile{DisplayName: "Imported " + name, Website: website, Country: "FR", Sectors: []string{"food-agriculture"}},
		Provenance: &model.Provenance{Source: "Carteco", SourceID: "c-" + name, Licence: "ODbL-1.0", Imported: time.Now()}})
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
}

var claimLinkRE = regexp.MustCompile(`^/claims/[0-9a-f]+/[A-Za-z0-9_-]+$`)

// openClaimPage fills the claim form of org as a stranger and returns the
// claim page's path.
func openClaimPage(t *testing.T, m *meClient, org, method string) string {
	t.Helper()
	s, loc, body := m.do("/claims/new/"+org, url.Values{"email": {"contact@" + org + ".example"}, "message": {"Nous sommes la coopérative."}, "method": {method}})
	if s != http.StatusSeeOther || !claimLinkRE.MatchString(loc) {
		t.Fatalf("open claim of %s: %d to %q, body %.300s", org, s, loc, body)
	}
	return loc
}

// TestClaimJourney is issue #10 item 3 through the pages: a stranger claims
// two imported organisations, one proven by a rel="me" link and one by a
// well-known token; the administrator confirms; the invitation makes an
// editor who edits the organisation, whose "listed by this instance" mark
// is gone.
func TestClaimJourney(t *testing.T) {
	clock := testenv.NewClock(time.Now())
	a := testenv.Start(t, "127.0.0.64", testenv.Options{Now: clock.Now})
	site, garageSite := newOrgSite(t), newOrgSite(t)
	importOrg(t, a, "bakery", site.URL+"/")
	importOrg(t, a, "garage", garageSite.URL+"/contact")
	bakery := a.Actor("bakery")
	m := newMeClient(t, a)

	// Only an imported entry offers (and accepts) a claim.
	if _, _, page := m.do("/orgs/bakery", nil); !strings.Contains(page, `href="/claims/new/bakery"`) || !strings.Contains(page, "Carteco") {
		t.Fatalf("the imported organisation's page offers no claim:\n%s", page)
	}
	if _, _, page := m.do("/orgs/coop", nil); strings.Contains(page, "/claims/new/") {
		t.Error("a self-published organisation offers a claim")
	}
	if s, _, _ := m.do("/claims/new/coop", nil); s != http.StatusNotFound {
		t.Errorf("claim form of a self-published organisation: %d, want 404", s)
	}
	if s, _, _ := m.do("/claims/new/coop", url.Values{"email": {"x@y.example"}, "method": {"relme"}}); s != http.StatusNotFound {
		t.Errorf("claim of a self-published organisation: %d, want 404", s)
	}
	if s, _, page := m.do("/claims/new/bakery", url.Values{"email": {"<script>"}, "method": {"dns"}}); s != http.StatusUnprocessableEntity ||
		!strings.Contains(page, "give an e-mail address") || !strings.Contains(page, "choose how you will prove it") || strings.Contains(page, "<script>") {
		t.Errorf("bad claim: %d\n%.2000s", s, page)
	}

	// rel="me": the page tells what to add; a check without it fails.
	relme := openClaimPage(t, m, "bakery", "relme")
	_, _, relmePage := m.do(relme, nil)
	relmeTok := claimMetaToken(relmePage)
	if !strings.Contains(relmePage, `&lt;a href="`+bakery+`" rel="me"&gt;`) || relmeTok == "" {
		t.Fatalf("the claim page does not give the link and the meta line to add:\n%s", relmePage)
	}
	if s, loc, _ := m.do(relme, url.Values{}); s != http.StatusSeeOther || loc != relme {
		t.Fatalf("check: %d to %q", s, loc)
	}
	if _, _, page := m.do(relme, nil); !strings.Contains(page, "the proof was not found") {
		t.Errorf("no proof, no problem shown:\n%s", page)
	}
	site.set("/", `<html><body><footer><a rel="me" href="`+bakery+`">Fediverse</a></footer></body></html>`)
	clock.Advance(time.Minute)
	m.do(relme, url.Values{})
	if _, _, page := m.do(relme, nil); !strings.Contains(page, "the proof was not found") {
		t.Fatalf("the link without the claim's meta line was accepted:\n%s", page)
	}
	site.set("/", `<html><head><meta name="maillage-claim" content="`+relmeTok+`"></head><body><footer><a rel="me" href="`+bakery+`">Fediverse</a></footer></body></html>`)
	clock.Advance(time.Minute)
	m.do(relme, url.Values{})
	if _, _, page := m.do(relme, nil); !strings.Contains(page, "Proven by the website") {
		t.Fatalf("rel=me proof not accepted:\n%s", page)
	}
	if s, _, _ := m.do(strings.TrimSuffix(relme, relme[len(relme)-3:])+"xyz", nil); s != http.StatusNotFound {
		t.Errorf("claim page with a wrong key: %d, want 404", s)
	}

	// Token: the page gives the token and where to serve it.
	token := openClaimPage(t, m, "garage", "token")
	_, _, page := m.do(token, nil)
	tok := regexp.MustCompile(`maillage-claim-[0-9a-f]{32}`).FindString(page)
	if tok == "" || !strings.Contains(page, garageSite.URL+sitecheck.WellKnownPath) {
		t.Fatalf("the claim page gives no token or no URL:\n%s", page)
	}
	garageSite.set(sitecheck.WellKnownPath, tok+"\n")
	m.do(token, url.Values{})
	if _, _, page := m.do(token, nil); !strings.Contains(page, "Proven by the website") {
		t.Fatalf("token proof not accepted:\n%s", page)
	}

	// The administrator confirms the rel=me claim: an invitation link.
	root := session(t, a, "root", service.RoleAdmin)
	s, page := browse(t, a, root, "GET", "/admin/claims", nil)
	if s != http.StatusOK || !strings.Contains(page, "contact@bakery.example") || !strings.Contains(page, "contact@garage.example") {
		t.Fatalf("admin claims page: %d\n%s", s, page)
	}
	id := regexp.MustCompile(`/admin/claims/([0-9a-f]+)/confirm"><button type="submit">Confirm the claim of bakery`).FindStringSubmatch(page)
	if id == nil {
		t.Fatalf("no confirm button for bakery:\n%s", page)
	}
	s, page = browse(t, a, root, "POST", "/admin/claims/"+id[1]+"/confirm", url.Values{})
	code := regexp.MustCompile(`/join\?code=([A-Za-z0-9_-]+)`).FindStringSubmatch(page)
	if s != http.StatusOK || code == nil {
		t.Fatalf("confirm: %d, no invitation link in\n%s", s, page)
	}
	if !strings.Contains(page, `href="/admin/orgs/bakery/move"`) {
		t.Errorf("the confirmation does not point to the move page:\n%s", page)
	}
	if s, _ := browse(t, a, root, "POST", "/admin/claims/"+id[1]+"/confirm", url.Values{}); s != http.StatusConflict {
		t.Errorf("second confirmation: %d, want 409", s)
	}

	// The claimant joins as the editor of bakery and edits it.
	const password = "a long enough password"
	editor := newMeClient(t, a)
	if s, loc, _ := editor.do("/join", url.Values{"code": {code[1]}, "username": {"boulanger"}, "password": {password}, "password_again": {password}}); s != http.StatusSeeOther || loc != "/login" {
		t.Fatalf("join: %d to %q", s, loc)
	}
	if s, _, _ := editor.do("/login", url.Values{"username": {"boulanger"}, "password": {password}}); s != http.StatusSeeOther {
		t.Fatalf("login: %d", s)
	}
	if s, _, page := editor.do("/admin/orgs/bakery/profile", url.Values{"display_name": {"La Boulangerie"}, "website": {site.URL + "/"},
		"summary": {"Pain au levain, tenu à jour par nous."}, "country": {"FR"}}); s != http.StatusSeeOther {
		t.Fatalf("the editor's profile save: %d\n%.2000s", s, page)
	}
	if s, _, _ := editor.do("/admin/orgs/garage/profile", nil); s != http.StatusForbidden {
		t.Errorf("the editor opens another organisation's profile: %d, want 403", s)
	}
	_, _, page = m.do("/orgs/bakery", nil)
	if !strings.Contains(page, "tenu à jour par nous") || strings.Contains(page, `class="claim"`) || strings.Contains(page, "/claims/new/bakery") {
		t.Errorf("after the claim, the page still shows the import mark or misses the edit:\n%s", page)
	}
	if s, _, _ := m.do("/claims/new/bakery", nil); s != http.StatusNotFound {
		t.Errorf("claim form of a claimed organisation: %d, want 404", s)
	}
}

// TestVerifiedMark is issue #10 item 4 through the pages: the mark appears
// on the organisation's page and its directory card once the website links
// back, and goes with the periodic check after the link is removed.
func TestVerifiedMark(t *testing.T) {
	clock := testenv.NewClock(time.Now())
	a := testenv.Start(t, "127.0.0.65", testenv.Options{Now: clock.Now, CheckWebsites: true})
	site := newOrgSite(t)
	coop := a.Actor("coop")
	site.set("/", `<html><head><link rel="me" href="`+coop+`"></head><body>Coop</body></html>`)
	m := newMeClient(t, a)
	const mark = `class="verified"`
	var in service.ProfileInput
	in.DisplayName, in.Website, in.Country = "Coop", site.URL+"/", "FR"
	if s := a.API("PUT", "/api/v1/orgs/coop", in, nil); s != http.StatusOK {
		t.Fatalf("profile: %d", s)
	}
	// Checked in the background after the save.
	testenv.WaitFor(t, wait, "the verified mark on the organisation's page", func() bool {
		_, _, page := m.do("/orgs/coop", nil)
		return strings.Contains(page, mark)
	})
	if _, _, page := m.do("/directory?kind=org", nil); !strings.Contains(page, mark) {
		t.Errorf("no verified mark on the directory card:\n%s", page)
	}
	if e, _ := directoryEntry(a, coop); !e.Verified {
		t.Errorf("the JSON directory does not mark the organisation verified: %+v", e)
	}
	if !apiOrg(t, a, "coop").Verified {
		t.Errorf("the API's organisation listing does not mark it verified")
	}
	site.set("/", `<html><body>Coop, no link</body></html>`)
	clock.Advance(service.VerifyEvery)
	if _, err := a.Server.Service.VerifyDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, _, page := m.do("/orgs/coop", nil); strings.Contains(page, mark) {
		t.Error("the mark stayed after the link was removed")
	}
	if _, _, page := m.do("/directory?kind=org", nil); strings.Contains(page, mark) {
		t.Error("the directory card kept the mark after the link was removed")
	}
}

// card returns the directory card (its <li>) whose title is title.
func card(page, title string) string {
	for _, c := range strings.Split(page, `<li class="entry `)[1:] {
		if strings.Contains(c, ">"+title+"</a>") {
			return c
		}
	}
	return ""
}

// TestRemoteVerification: B verifies A's organisation itself, by reading
// its website, and an actor that says it is verified is not shown so
// unless B's own check finds the link back.
func TestRemoteVerification(t *testing.T) {
	a := testenv.Start(t, "127.0.0.66", testenv.Options{})
	b := testenv.Start(t, "127.0.0.67", testenv.Options{Org: "local", CheckWebsites: true})
	ctx := context.Background()
	site, liarSite := newOrgSite(t), newOrgSite(t)
	site.set("/", `<a rel="me" href="`+a.Actor("coop")+`">us</a>`)
	// The website links to an actor on another server, whose page the
	// liar names as its own url.
	liarSite.set("/", `<a rel="me" href="https://127.0.0.98/@someone-else">them</a>`)
	var in service.ProfileInput
	in.DisplayName, in.Website, in.Country, in.Sectors = "Honest coop", site.URL+"/", "FR", []string{"energy"}
	if s := a.API("PUT", "/api/v1/orgs/coop", in, nil); s != http.StatusOK {
		t.Fatalf("profile: %d", s)
	}
	follow(t, b, "local", a.Handle("coop"))
	waitAccepted(t, b, "local", a.Actor("coop"))

	// An actor as a lying server would send it: maillage's profile, a
	// "verified" flag and Mastodon's verified_at on its website field.
	const liar = "https://127.0.0.99/orgs/liar"
	raw := map[string]any{"id": liar, "type": "Organization", "preferredUsername": "liar", "name": "Liar coop",
		"inbox": liar + "/inbox", "url": "https://127.0.0.98/@someone-else", "verified": true,
		"publicKey": map[string]any{"id": liar + "#main-key", "owner": liar, "publicKeyPem": "-----BEGIN PUBLIC KEY-----\nZmFrZQ==\n-----END PUBLIC KEY-----\n"},
		"sector":    []any{"energy"}, "country": "FR", "website": liarSite.URL + "/",
		"attachment": []any{map[string]any{"type": "PropertyValue", "name": "Website", "verified_at": "2026-01-01T00:00:00Z",
			"value": `<a href="` + liarSite.URL + `/" rel="me">` + liarSite.URL + `/</a>`}}}
	actor, err := federation.ASToActor(raw, sanitize.New(), time.Now())
	if err != nil {
		t.Fatalf("ASToActor: %v", err)
	}
	if err := b.Server.Service.RememberActor(ctx, actor); err != nil {
		t.Fatal(err)
	}
	checked := func(iri string) bool {
		var done bool
		_ = b.Server.Store.View(func(tx *store.Tx) error {
			v, err := tx.Verification(iri)
			done = err == nil && !v.Checked.IsZero()
			return nil
		})
		return done
	}
	testenv.WaitFor(t, wait, "B checks both websites", func() bool { return checked(a.Actor("coop")) && checked(liar) })
	m := newMeClient(t, b)
	_, _, page := m.do("/directory?kind=org", nil)
	honest, lying := card(page, "Honest coop"), card(page, "Liar coop")
	if honest == "" || lying == "" {
		t.Fatalf("B's directory lacks a card:\n%s", page)
	}
	if !strings.Contains(honest, `class="verified"`) {
		t.Errorf("A's organisation, whose website links back, is not verified on B:\n%s", honest)
	}
	if strings.Contains(lying, `class="verified"`) {
		t.Errorf("an actor claiming verification is shown verified:\n%s", lying)
	}
	if e, ok := directoryEntry(b, a.Actor("coop")); !ok || !e.Verified {
		t.Errorf("B's JSON directory does not mark A's organisation verified: %+v", e)
	}
	if e, ok := directoryEntry(b, liar); !ok || e.Verified {
		t.Errorf("B's JSON directory marks the liar verified, or lacks it: %+v", e)
	}
}

// TestClaimHostileInput: unknown claims and keys are 404s, input past its
// bounds is refused with the field named, and a client opening claim after
// claim is stopped.
func TestClaimHostileInput(t *testing.T) {
	a := testenv.Start(t, "127.0.0.68", testenv.Options{})
	importOrg(t, a, "bakery", "http://127.0.0.1:1/")
	for i := range 4 {
		importOrg(t, a, fmt.Sprintf("shop%d", i), "http://127.0.0.1:1/")
	}
	m := newMeClient(t, a)
	for _, path := range []string{"/claims/0000000000000000/nokey", "/claims/../../admin/x", "/claims/new/nobody", "/claims/new/~root"} {
		if s, _, _ := m.do(path, nil); s != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, s)
		}
		if s, _, _ := m.do(path, url.Values{"email": {"a@b.example"}, "method": {"relme"}}); s != http.StatusNotFound {
			t.Errorf("POST %s: %d, want 404", path, s)
		}
	}
	long := url.Values{"email": {"a@b.example"}, "method": {"relme"}, "message": {strings.Repeat("x", service.MaxClaimMessage+1)}}
	if s, _, page := m.do("/claims/new/bakery", long); s != http.StatusUnprocessableEntity || !strings.Contains(page, `id="message"`) || !strings.Contains(page, "use at most") {
		t.Errorf("long message: %d\n%.1500s", s, page)
	}
	// One client: five claims an hour, whatever the organisations.
	for i := range 5 {
		org := "bakery"
		if i > 0 {
			org = fmt.Sprintf("shop%d", i-1)
		}
		openClaimPage(t, m, org, "token")
	}
	if s, _, page := m.do("/claims/new/bakery", url.Values{"email": {"a@b.example"}, "method": {"relme"}}); s != http.StatusTooManyRequests || !strings.Contains(page, "Too many claims") {
		t.Errorf("sixth claim from one client: %d", s)
	}
}

// With claims-auto-confirm, the claim's page gives the invitation as soon
// as the website proves it, and the entry is claimed.
func TestClaimAutoConfirmed(t *testing.T) {
	a := testenv.Start(t, "127.0.0.62", testenv.Options{Configure: func(c *config.Config) { c.ClaimsAutoConfirm = true }})
	site := newOrgSite(t)
	importOrg(t, a, "bakery", site.URL+"/")
	m := newMeClient(t, a)
	claim := openClaimPage(t, m, "bakery", "relme")
	_, _, page := m.do(claim, nil)
	site.set("/", `<meta name="maillage-claim" content="`+claimMetaToken(page)+`"><a rel="me" href="`+a.Actor("bakery")+`">fediverse</a>`)
	s, _, page := m.do(claim, url.Values{})
	if s != http.StatusOK || !regexp.MustCompile(`/join\?code=[A-Za-z0-9_-]+`).MatchString(page) {
		t.Fatalf("check with automatic confirmation: %d, no invitation in\n%s", s, page)
	}
	if _, _, page := m.do(claim, nil); !strings.Contains(page, "Confirmed") || strings.Contains(page, "/join?code=") {
		t.Errorf("the claim page shows the invitation again, or not the confirmation:\n%s", page)
	}
	if _, _, page := m.do("/orgs/bakery", nil); strings.Contains(page, "/claims/new/bakery") {
		t.Error("the entry is still offered for claiming")
	}
}
