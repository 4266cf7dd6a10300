package admin_test

import (
	"net/http"
	"net/url"
	"testing"

	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webtest"
)

// An editor is refused the instance's forms and another organisation's,
// even with empty or invalid input: the account and moderation routes carry
// no route check any more (the service refuses), and the organisation's
// area lets through only those who may see it.
func TestEditorRefusedWithAnyForm(t *testing.T) {
	t.Parallel()
	in, admin := webtest.StartAdmin(t, "127.0.0.199")
	resp, body := admin.Post("/admin/orgs", url.Values{"name": {"other"}, "display_name": {"Other coop"}})
	webtest.WantRedirect(t, resp, body, "/admin/orgs/other/profile")
	theirs := publish(t, admin, "other")
	ed := signIn(t, in, "ed", service.RoleEditor, "coop")
	for _, p := range []string{"/admin/orgs", "/admin/admins/alice/delete", "/admin/moderation/block", "/admin/moderation/unblock", "/admin/moderation/report",
		"/admin/accounts/invite", "/admin/accounts/mia/role", "/admin/accounts/alice/disable", "/admin/accounts/alice/enable", "/admin/accounts/alice/delete",
		"/admin/accounts/alice/reset", "/admin/accounts/alice/approve", "/admin/accounts/alice/refuse",
		"/admin/orgs/other/profile", "/admin/orgs/other/interests", "/admin/orgs/other/follow", "/admin/orgs/other/unfollow", "/admin/orgs/other/followers/approve",
		"/admin/orgs/other/projects/new", theirs + "/edit", theirs + "/delete", "/admin/orgs/other/calls/x/close", "/admin/orgs/other/answers/x/send"} {
		resp, _ := ed.Post(p, url.Values{})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("editor POST %s: status %d, want 403", p, resp.StatusCode)
		}
	}
	sys := service.System("test")
	if bs, err := in.Server.Service.Blocks(t.Context(), sys); err != nil || len(bs) != 0 {
		t.Errorf("blocks after the editor's attempts: %+v, %v", bs, err)
	}
	if all, err := in.Server.Service.ListAccounts(t.Context(), sys); err != nil || len(all) != 2 || all[0].Disabled {
		t.Errorf("accounts after the editor's attempts: %+v, %v", all, err)
	}
	for _, p := range []string{"/admin/orgs/other/interests", "/admin/moderation", "/admin/accounts/"} {
		resp, _ := ed.Get(p)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("editor GET %s: status %d, want 403", p, resp.StatusCode)
		}
	}
}
