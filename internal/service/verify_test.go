package service

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/federation/safehttp"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/sitecheck"
)

// website is a site on 127.0.0.1 whose pages a test rewrites.
type website struct {
	*httptest.Server
	mu    sync.Mutex // guards pages
	pages map[string]string
}

func newWebsite(t *testing.T) *website {
	t.Helper()
	w := &website{pages: map[string]string{}}
	w.Server = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		body, ok := w.pages[r.URL.Path]
		w.mu.Unlock()
		if !ok {
			http.NotFound(rw, r)
			return
		}
		fmt.Fprint(rw, body)
	}))
	t.Cleanup(w.Close)
	return w
}

func (w *website) set(path, body string) {
	w.mu.Lock()
	w.pages[path] = body
	w.mu.Unlock()
}

// withSites gives the Service a website checker allowed to reach loopback.
func withSites(e *testEnv, d *Deps) {
	d.Sites = &sitecheck.Checker{HTTP: safehttp.NewClient(safehttp.Options{AllowPrivate: true})}
}

func relMe(iri string) string {
	return `<!doctype html><html><head><title>Acme</title></head><body><a rel="me" href="` + iri + `">Fediverse</a></body></html>`
}

func setWebsite(t *testing.T, e *testEnv, name, site string) {
	t.Helper()
	o, err := e.svc.Org(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	in := ProfileInput{Profile: o.Profile}
	in.Website = site
	if _, err := e.svc.UpdateProfile(context.Background(), System("test"), name, in); err != nil {
		t.Fatalf("UpdateProfile: %v", err)
	}
}

func verified(t *testing.T, e *testEnv, iri string) bool {
	t.Helper()
	m, err := e.svc.VerifiedWebsites(context.Background(), iri)
	if err != nil {
		t.Fatal(err)
	}
	return m[iri]
}

func TestCheckWebsiteLocal(t *testing.T) {
	e := newTestEnv(t, withSites)
	ctx := context.Background()
	acme := e.u.Actor("acme")
	site := newWebsite(t)
	site.set("/", relMe(acme))
	site.set("/other", relMe("https://elsewhere.example/orgs/acme"))
	site.set("/big", "<html>"+strings.Repeat("<p>padding</p>", sitecheck.MaxBytes/14+1)+relMe(acme))

	for _, tc := range []struct {
		path    string
		want    bool
		problem string
	}{
		{"/", true, ""},
		{"/other", false, "no link back"},
		{"/big", false, "unreachable"},
		{"/missing", false, "unreachable"},
	} {
		setWebsite(t, e, "acme", site.URL+tc.path)
		v, err := e.svc.CheckWebsite(ctx, acme)
		if err != nil {
			t.Fatalf("%s: CheckWebsite: %v", tc.path, err)
		}
		if got := verified(t, e, acme); got != tc.want || v.Problem != tc.problem {
			t.Errorf("%s: verified %v (problem %q), want %v (%q)", tc.path, got, v.Problem, tc.want, tc.problem)
		}
	}
}

// A verification is of one address: once the organisation gives another
// website, the old check proves nothing until the new one is read.
func TestVerificationFollowsTheWebsite(t *testing.T) {
	e := newTestEnv(t, withSites)
	acme := e.u.Actor("acme")
	site := newWebsite(t)
	site.set("/", relMe(acme))
	site.set("/new", relMe(acme))
	setWebsite(t, e, "acme", site.URL+"/")
	if _, err := e.svc.CheckWebsite(context.Background(), acme); err != nil {
		t.Fatal(err)
	}
	if !verified(t, e, acme) {
		t.Fatal("not verified")
	}
	setWebsite(t, e, "acme", site.URL+"/new")
	if verified(t, e, acme) {
		t.Error("a new website is verified before it is read")
	}
}

// The periodic check drops the mark when the link disappears, and keeps
// it through a short outage.
func TestVerifyDueDropsTheMark(t *testing.T) {
	e := newTestEnv(t, withSites)
	ctx := context.Background()
	acme := e.u.Actor("acme")
	site := newWebsite(t)
	site.set("/", relMe(acme))
	setWebsite(t, e, "acme", site.URL+"/")
	if n, err := e.svc.VerifyDue(ctx); err != nil || n != 1 {
		t.Fatalf("VerifyDue = %d, %v; want 1 (never checked)", n, err)
	}
	if !verified(t, e, acme) {
		t.Fatal("not verified")
	}
	if n, _ := e.svc.VerifyDue(ctx); n != 0 {
		t.Errorf("VerifyDue right after = %d, want 0", n)
	}

	site.mu.Lock()
	delete(site.pages, "/") // down: 404
	site.mu.Unlock()
	e.clock.Advance(VerifyEvery)
	if n, _ := e.svc.VerifyDue(ctx); n != 1 {
		t.Fatalf("VerifyDue a period later = %d, want 1", n)
	}
	if !verified(t, e, acme) {
		t.Error("a website down once lost its mark")
	}

	site.set("/", "<html><body>no link any more</body></html>")
	e.clock.Advance(VerifyEvery)
	if n, _ := e.svc.VerifyDue(ctx); n != 1 {
		t.Fatalf("VerifyDue = %d, want 1", n)
	}
	if verified(t, e, acme) {
		t.Error("still verified after the link disappeared")
	}
}

// A remote organisation is verified by this instance's own check of its
// website, never by what its server says.
func TestCheckWebsiteRemote(t *testing.T) {
	e := newTestEnv(t, withSites)
	ctx := context.Background()
	site := newWebsite(t)
	const honest, liar = "https://127.0.0.2:8443/orgs/honest", "https://127.0.0.3:8443/orgs/liar"
	site.set("/honest", relMe(honest))
	site.set("/liar", relMe("https://127.0.0.9/orgs/somebody-else"))
	for _, a := range []model.Actor{
		{ID: honest, Type: "Organization", Username: "honest", Host: "127.0.0.2:8443", Inbox: honest + "/inbox",
			Profile: &model.Profile{DisplayName: "Honest", Website: site.URL + "/honest"}},
		// A url on another host than the id is not a target: the
		// actor would borrow the link the website gives someone else.
		{ID: liar, Type: "Organization", Username: "liar", Host: "127.0.0.3:8443", Inbox: liar + "/inbox",
			URL: "https://127.0.0.9/orgs/somebody-else", Profile: &model.Profile{DisplayName: "Liar", Website: site.URL + "/liar"}},
	} {
		if err := e.svc.RememberActor(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := e.svc.VerifyDue(ctx); err != nil || n != 2 {
		t.Fatalf("VerifyDue = %d, %v; want 2", n, err)
	}
	got, err := e.svc.VerifiedWebsites(ctx, honest, liar)
	if err != nil {
		t.Fatal(err)
	}
	if !got[honest] || got[liar] {
		t.Errorf("verified = %v, want honest only", got)
	}
}

// Saving a profile queues its website's check: RunVerifications does it
// in the background, and the save does not wait for it.
func TestRunVerificationsAfterSave(t *testing.T) {
	e := newTestEnv(t, withSites)
	acme := e.u.Actor("acme")
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
		fmt.Fprint(w, relMe(acme))
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(func() {
		select {
		case <-release:
		default:
			close(release)
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.svc.RunVerifications(ctx, VerifyOptions{Spacing: -1, Sweep: time.Hour}); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	setWebsite(t, e, "acme", slow.URL+"/") // returns while the website has not answered
	if verified(t, e, acme) {
		t.Fatal("verified before the website answered")
	}
	close(release)
	deadline := time.Now().Add(10 * time.Second)
	for !verified(t, e, acme) {
		if time.Now().After(deadline) {
			t.Fatal("the saved website was never checked")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
