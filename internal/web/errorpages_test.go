package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webtest"
)

// Every area answers its errors with a page of the site, in the visitor's
// language, with a way back to where the visitor was; unknown routes
// included (they were net/http's bare "404 page not found").
func TestErrorPagesByArea(t *testing.T) {
	t.Parallel()
	in, admin := webtest.StartAdmin(t, "127.0.0.231")
	if _, err := in.Server.Service.CreateAccount(context.Background(), service.System("test"), "mo", webtest.AdminPassword, service.RoleMember, nil); err != nil {
		t.Fatal(err)
	}
	member := webtest.NewBrowser(t, in)
	member.Login("mo", webtest.AdminPassword, http.StatusSeeOther)
	anon := webtest.NewBrowser(t, in)
	anonFR := webtest.NewBrowser(t, in)
	anonFR.Header.Set("Accept-Language", "fr-FR,fr;q=0.9")
	chooser := webtest.NewBrowser(t, in)

	for _, c := range []struct {
		who          string
		b            *webtest.Browser
		method, path string
		status       int
		heading      string
		back         string
	}{
		{"visitor", anon, "GET", "/no/such/page", 404, "Page not found", `href="/"`},
		{"visitor", anon, "GET", "/orgs/nobody", 404, "Page not found", `href="/"`},
		{"visitor", anon, "GET", "/orgs/coop/calls/nothing", 404, "Page not found", `href="/"`},
		{"visitor in French", anonFR, "GET", "/no/such/page", 404, "Page introuvable", "Retour à l’accueil"},
		{"visitor choosing French", chooser, "GET", "/no/such/page?lang=fr", 404, "Page introuvable", "Retour à l’accueil"},
		{"visitor", anon, "POST", "/directory", 405, "This address does not accept this request", `href="/"`},
		{"visitor", anon, "CROSS", "/login", 403, "You may not open this page", `href="/"`},
		{"member", member, "GET", "/me/no/such/page", 404, "Page not found", `href="/me"`},
		{"member", member, "GET", "/me/read", 405, "This address does not accept this request", `href="/me"`},
		{"member", member, "GET", "/admin", 403, "You may not open this page", `href="/me"`},
		{"member", member, "GET", "/admin/orgs/coop/profile", 403, "You may not open this page", `href="/me"`},
		{"administrator", admin, "GET", "/admin/no/such/page", 404, "Page not found", `href="/admin"`},
		{"administrator", admin, "GET", "/admin/orgs/nobody/profile", 404, "Page not found", `href="/admin"`},
		{"administrator", admin, "GET", "/admin/moderation/unblock", 405, "This address does not accept this request", `href="/admin"`},
	} {
		var resp *http.Response
		var body string
		switch c.method {
		case "GET":
			resp, body = c.b.Get(c.path)
		case "POST":
			resp, body = c.b.Post(c.path, url.Values{})
		case "CROSS":
			resp, body = c.b.PostFrom(c.path, url.Values{}, "cross-site", "https://elsewhere.example")
		}
		what := c.who + " " + c.method + " " + c.path
		if resp.StatusCode != c.status {
			t.Errorf("%s: status %d, want %d", what, resp.StatusCode, c.status)
			continue
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("%s: Content-Type %q, want a page", what, ct)
		}
		for _, want := range []string{`<link rel="stylesheet" href="/static/style.css">`, c.heading, c.back, `href="/directory"`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: page lacks %q:\n%s", what, want, body)
			}
		}
	}
}

// Programs keep their short answers: the JSON API, ActivityPub clients,
// inboxes and the exports never get an HTML page.
func TestErrorPagesNotForPrograms(t *testing.T) {
	t.Parallel()
	in, _ := webtest.StartAdmin(t, "127.0.0.232")
	for _, c := range []struct{ path, accept string }{
		{"/orgs/nobody", "application/activity+json"},
		{"/orgs/coop/calls/nothing", `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`},
		{"/orgs/nobody/outbox", ""},
		{"/activities/nothing", ""},
		{"/api/v1/orgs", "application/json"}, // no token: 401
		{"/api/v1/no/such/route", "application/json"},
		{"/.well-known/webfinger?resource=acct:nobody@" + in.Host, ""},
		{"/directory/nothing.csv", ""},
		{"/orgs/nobody/feed.atom", ""},
		{"/static/nothing.css", ""},
		{"/media/nothing.jpg", ""},
	} {
		status, body := in.Get(in.Base+c.path, c.accept)
		if status < 400 {
			t.Errorf("GET %s: status %d, want an error", c.path, status)
		}
		if strings.Contains(string(body), "<html") {
			t.Errorf("GET %s (%s): an HTML page for a program:\n%s", c.path, c.accept, body)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, in.Base+"/inbox", strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/activity+json")
	resp, err := in.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode < 400 || strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("POST /inbox unsigned: status %d, %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// Too many password resets asked for get the 429 page, which says to wait
// (the login form answers its own 429 with the form).
func TestErrorPageTooManyAttempts(t *testing.T) {
	t.Parallel()
	in, _ := webtest.StartAdmin(t, "127.0.0.233")
	b := webtest.NewBrowser(t, in)
	var resp *http.Response
	var body string
	for range 10 {
		if resp, body = b.Post("/reset", url.Values{"who": {"alice"}}); resp.StatusCode == http.StatusTooManyRequests {
			break
		}
	}
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("status %d after 10 resets asked for, want 429", resp.StatusCode)
	}
	if !strings.Contains(body, "Too many attempts") || !strings.Contains(body, "Wait a few minutes") {
		t.Errorf("429 page:\n%s", body)
	}
}
