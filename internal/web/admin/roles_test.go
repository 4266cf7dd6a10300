package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/web/webtest"
)

// signIn creates an account with role and orgs on in, and a browser
// signed in with it.
func signIn(t *testing.T, in *testenv.Instance, user string, role service.Role, orgs ...string) *webtest.Browser {
	t.Helper()
	if _, err := in.Server.Service.CreateAccount(context.Background(), service.System("test"), user, webtest.AdminPassword, role, orgs); err != nil {
		t.Fatal(err)
	}
	b := webtest.NewBrowser(t, in)
	b.Login(user, webtest.AdminPassword, http.StatusSeeOther)
	return b
}

// publish makes a project of org through the admin form and returns its
// admin path (/admin/orgs/ORG/projects/ID).
func publish(t *testing.T, b *webtest.Browser, org string) string {
	t.Helper()
	resp, body := b.Post("/admin/orgs/"+org+"/projects/new", validProject())
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish for %s: status %d\n%s", org, resp.StatusCode, body)
	}
	return "/admin" + strings.TrimPrefix(resp.Header.Get("Location"), b.In.Base)
}

func wantStatus(t *testing.T, what string, resp *http.Response, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Errorf("%s: status %d, want %d", what, resp.StatusCode, want)
	}
}

func TestEditorOnlyItsOrganisations(t *testing.T) {
	t.Parallel()
	in, admin := webtest.StartAdmin(t, "127.0.0.150")
	resp, body := admin.Post("/admin/orgs", url.Values{"name": {"other"}, "display_name": {"Other coop"}})
	webtest.WantRedirect(t, resp, body, "/admin/orgs/other/profile")
	theirs := publish(t, admin, "other")
	ed := signIn(t, in, "ed", service.RoleEditor, "coop")

	// Org B (other): every page and form is 403, and nothing changes.
	for _, p := range []string{"/admin/orgs/other/", "/admin/orgs/other/profile", "/admin/orgs/other/network",
		"/admin/orgs/other/projects/new", theirs + "/edit", theirs + "/delete", theirs + "/replies",
		"/admin/orgs/instance/network", "/admin/moderation", "/admin/accounts/"} {
		resp, _ := ed.Get(p)
		wantStatus(t, "editor GET "+p, resp, http.StatusForbidden)
	}
	for _, c := range []struct {
		path string
		form url.Values
	}{
		{"/admin/orgs/other/profile", validProfile()},
		{"/admin/orgs/other/projects/new", validProject()},
		{theirs + "/edit", validProject()},
		{theirs + "/delete", nil},
		{"/admin/orgs/other/follow", url.Values{"target": {"x@example.org"}}},
		{"/admin/orgs/other/followers/approve", nil},
		{"/admin/orgs", url.Values{"name": {"third"}, "display_name": {"Third"}}},
		{"/admin/moderation/block", url.Values{"target": {"evil.example"}}},
		{"/admin/accounts/invite", url.Values{"role": {"admin"}}},
		{"/admin/accounts/alice/delete", nil},
		{"/admin/admins/alice/delete", nil},
	} {
		resp, _ := ed.Post(c.path, c.form)
		wantStatus(t, "editor POST "+c.path, resp, http.StatusForbidden)
	}
	if n := len(webtest.ObjectsOf(t, in, in.Actor("other"))); n != 1 {
		t.Errorf("other has %d objects after the editor's attempts, want 1", n)
	}
	if admins, _ := in.Server.Service.ListAdmins(context.Background(), service.System("test")); len(admins) != 1 {
		t.Errorf("administrators = %+v", admins)
	}

	// Org A (coop): the editor works.
	for _, p := range []string{"/admin", "/admin/orgs/coop/", "/admin/orgs/coop/profile", "/admin/orgs/coop/network",
		"/admin/orgs/coop/projects/new", "/admin/account"} {
		resp, body := ed.Get(p)
		wantStatus(t, "editor GET "+p, resp, http.StatusOK)
		if p == "/admin" && (strings.Contains(body, "/admin/orgs/other") || strings.Contains(body, `action="/admin/orgs"`)) {
			t.Errorf("editor's dashboard shows another organisation or the new-organisation form")
		}
	}
	ours := publish(t, ed, "coop")
	resp, body = ed.Post(ours+"/edit", validProject())
	wantStatus(t, "editor edits its own: "+body, resp, http.StatusSeeOther)
	resp, body = ed.Post("/admin/orgs/coop/profile", validProfile())
	wantStatus(t, "editor saves its profile: "+body, resp, http.StatusSeeOther)
	resp, _ = ed.Post(ours+"/delete", nil)
	wantStatus(t, "editor deletes its own", resp, http.StatusSeeOther)
	if n := len(webtest.ObjectsOf(t, in, in.Actor("coop"))); n != 0 {
		t.Errorf("coop has %d objects after delete, want 0", n)
	}
}

func TestMemberForbiddenEverywhere(t *testing.T) {
	t.Parallel()
	in, admin := webtest.StartAdmin(t, "127.0.0.151")
	path := publish(t, admin, "coop")
	m := signIn(t, in, "mia", service.RoleMember, "coop")
	for _, p := range []string{"/admin", "/admin/", "/admin/account", "/admin/moderation", "/admin/accounts/",
		"/admin/orgs/coop/", "/admin/orgs/coop/profile", "/admin/orgs/coop/network", "/admin/orgs/coop/projects/new",
		path + "/edit", path + "/delete", path + "/replies"} {
		resp, _ := m.Get(p)
		wantStatus(t, "member GET "+p, resp, http.StatusForbidden)
	}
	for _, p := range []string{"/admin/orgs", "/admin/account/password", "/admin/account/sessions/end",
		"/admin/admins/alice/delete", "/admin/moderation/block", "/admin/moderation/unblock", "/admin/moderation/report",
		"/admin/accounts/invite", "/admin/accounts/mia/role", "/admin/accounts/alice/disable", "/admin/accounts/alice/delete",
		"/admin/orgs/coop/profile", "/admin/orgs/coop/follow", "/admin/orgs/coop/unfollow", "/admin/orgs/coop/followers/approve",
		"/admin/orgs/coop/projects/new", path + "/edit", path + "/delete", "/admin/orgs/coop/calls/x/close"} {
		resp, _ := m.Post(p, url.Values{"role": {"admin"}, "name": {"x"}, "display_name": {"X"}})
		wantStatus(t, "member POST "+p, resp, http.StatusForbidden)
	}
	all, _ := in.Server.Service.ListAccounts(context.Background(), service.System("test"))
	if len(all) != 2 || all[1].Username != "mia" || all[1].Role != service.RoleMember || len(webtest.ObjectsOf(t, in, in.Actor("coop"))) != 1 {
		t.Errorf("after the member's attempts: accounts %+v", all)
	}
}

func TestDisabledAccountCannotSignIn(t *testing.T) {
	t.Parallel()
	in, admin := webtest.StartAdmin(t, "127.0.0.152")
	ed := signIn(t, in, "ed", service.RoleEditor, "coop")
	resp, body := admin.Post("/admin/accounts/ed/disable", nil)
	webtest.WantRedirect(t, resp, body, "/admin/accounts")
	resp, _ = ed.Get("/admin/orgs/coop/")
	wantStatus(t, "disabled editor's old session", resp, http.StatusSeeOther)
	_, body = ed.Post("/login", url.Values{"username": {"ed"}, "password": {webtest.AdminPassword}})
	if !strings.Contains(body, "Wrong username or password") {
		t.Errorf("disabled login does not answer like a wrong password:\n%s", body)
	}
	ed.Login("ed", webtest.AdminPassword, http.StatusUnauthorized)
	resp, body = admin.Post("/admin/accounts/ed/enable", nil)
	webtest.WantRedirect(t, resp, body, "/admin/accounts")
	ed.Login("ed", webtest.AdminPassword, http.StatusSeeOther)

	// The last administrator can be neither disabled, demoted nor deleted.
	for _, p := range []string{"/admin/accounts/alice/disable", "/admin/accounts/alice/role", "/admin/accounts/alice/delete", "/admin/admins/alice/delete"} {
		resp, _ := admin.Post(p, url.Values{"role": {"member"}})
		wantStatus(t, "POST "+p, resp, http.StatusUnprocessableEntity)
	}
	if admins, _ := in.Server.Service.ListAdmins(context.Background(), service.System("test")); len(admins) != 1 {
		t.Errorf("administrators = %+v", admins)
	}
	resp, body = admin.Post("/admin/accounts/ed/delete", nil)
	webtest.WantRedirect(t, resp, body, "/admin/accounts")
	ed.Login("ed", webtest.AdminPassword, http.StatusUnauthorized)
}

var joinLink = regexp.MustCompile(`/join\?code=([A-Za-z0-9_-]{43})`)

func TestInvitationPages(t *testing.T) {
	t.Parallel()
	in, admin := webtest.StartAdmin(t, "127.0.0.153")
	resp, body := admin.Get("/admin/accounts/")
	wantStatus(t, "accounts page", resp, http.StatusOK)
	if !strings.Contains(body, "alice") || !strings.Contains(body, "Administrator") {
		t.Errorf("accounts page does not list alice:\n%s", body)
	}
	resp, body = admin.Post("/admin/accounts/invite", url.Values{"role": {"editor"}})
	webtest.WantFieldError(t, resp, body, "orgs", "organisation")
	resp, body = admin.Post("/admin/accounts/invite", url.Values{"role": {"editor"}, "orgs": {"coop"}})
	m := joinLink.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("invite: status %d, no link\n%s", resp.StatusCode, body)
	}
	code := m[1]
	if _, again := admin.Get("/admin/accounts/"); strings.Contains(again, code) {
		t.Error("the invitation code is shown twice")
	}

	guest := webtest.NewBrowser(t, in)
	resp, _ = guest.Get("/join?code=" + code)
	wantStatus(t, "join page", resp, http.StatusOK)
	resp, _ = guest.Get("/join?code=wrong")
	wantStatus(t, "join page, wrong code", resp, http.StatusNotFound)
	form := url.Values{"code": {code}, "username": {"ed"}, "password": {webtest.AdminPassword}, "password_again": {"other"}}
	resp, body = guest.Post("/join", form)
	webtest.WantFieldError(t, resp, body, "password_again", "differ")
	form.Set("password_again", webtest.AdminPassword)
	resp, _ = guest.PostFrom("/join", form, "cross-site", "https://evil.example")
	wantStatus(t, "cross-site join", resp, http.StatusForbidden)
	resp, body = guest.Post("/join", form)
	webtest.WantRedirect(t, resp, body, "/login")
	form.Set("username", "ed2")
	resp, _ = guest.Post("/join", form)
	wantStatus(t, "second use of the code", resp, http.StatusNotFound)

	guest.Login("ed", webtest.AdminPassword, http.StatusSeeOther)
	resp, _ = guest.Get("/admin/orgs/coop/profile")
	wantStatus(t, "invited editor on its organisation", resp, http.StatusOK)
	resp, _ = guest.Get("/admin/accounts/")
	wantStatus(t, "invited editor on the accounts page", resp, http.StatusForbidden)

	// Change of role by the administrator takes effect at once.
	resp, body = admin.Post("/admin/accounts/ed/role", url.Values{"role": {"member"}, "orgs": {"coop"}})
	webtest.WantRedirect(t, resp, body, "/admin/accounts")
	resp, _ = guest.Get("/admin/orgs/coop/profile")
	wantStatus(t, "demoted to member", resp, http.StatusForbidden)
}
