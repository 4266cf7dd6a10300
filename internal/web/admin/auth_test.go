package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/web/webtest"
)

// TestNoSession checks that every admin page and form sends a visitor
// without a session to the login page, and changes nothing.
func TestNoSession(t *testing.T) {
	t.Parallel()
	in := testenv.NewHandler(t, "127.0.0.24", testenv.Options{})
	b := webtest.NewBrowser(t, in)
	gets := []string{"/admin", "/admin/orgs/coop", "/admin/orgs/coop/profile", "/admin/orgs/coop/network",
		"/admin/orgs/coop/calls/new", "/admin/orgs/coop/projects/new", "/admin/orgs/coop/calls/x/edit",
		"/admin/orgs/coop/calls/x/delete", "/admin/orgs/coop/calls/x/replies"}
	for _, p := range gets {
		resp, _ := b.Get(p)
		webtest.WantRedirect(t, resp, "", "/login?next="+url.QueryEscape(p))
	}
	posts := []string{"/admin/orgs", "/admin/orgs/coop/profile", "/admin/orgs/coop/follow", "/admin/orgs/coop/unfollow",
		"/admin/orgs/coop/followers/approve", "/admin/orgs/coop/calls/new", "/admin/orgs/coop/projects/new",
		"/admin/orgs/coop/calls/x/edit", "/admin/orgs/coop/calls/x/close", "/admin/orgs/coop/calls/x/delete"}
	form := url.Values{"display_name": {"Hijacked"}, "name": {"hijack"}, "title": {"Hijacked"}, "sectors": {"energy"}}
	for _, p := range posts {
		resp, _ := b.Post(p, form)
		webtest.WantRedirect(t, resp, "", "/login?next=%2Fadmin")
	}
	if o := webtest.Org(t, in, "coop"); o.DisplayName == "Hijacked" {
		t.Error("profile changed without a session")
	}
	if objs := webtest.ObjectsOf(t, in, in.Actor("coop")); len(objs) != 0 {
		t.Errorf("objects published without a session: %v", objs)
	}
	// A forged cookie is no session either.
	b.Client.Jar.SetCookies(mustParse(t, in.Base), []*http.Cookie{{Name: "maillage_session", Value: strings.Repeat("A", 43)}})
	resp, _ := b.Get("/admin")
	webtest.WantRedirect(t, resp, "", "/login?next=%2Fadmin")
}

func mustParse(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
