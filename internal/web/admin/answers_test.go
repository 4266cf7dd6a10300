package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webtest"
	"codeberg.org/maillage/maillage/store"
)

// TestAnswerFormOnCallPage: the form shows for members of other local
// organisations only, and posting it needs a same-origin request.
func TestAnswerFormOnCallPage(t *testing.T) {
	t.Parallel()
	in, admin := webtest.StartAdmin(t, "127.0.0.172")
	resp, body := admin.Post("/admin/orgs", url.Values{"name": {"other"}, "display_name": {"Other coop"}})
	webtest.WantRedirect(t, resp, body, "/admin/orgs/other/profile")
	call := map[string]any{"kind": "call", "title": "Pilots wanted", "summary": "Two pilots.", "sectors": []string{"mobility"},
		"status": "open", "partner_roles": []string{"pilot-territory"}}
	var o model.Object
	if s := in.API("POST", "/api/v1/orgs/coop/objects", call, &o); s != http.StatusCreated {
		t.Fatalf("publish call: status %d", s)
	}
	page := strings.TrimPrefix(o.ID, in.Base)

	if _, body := webtest.NewBrowser(t, in).Get(page); strings.Contains(body, `action="/answer"`) {
		t.Error("anonymous visitor sees the answer form")
	}
	own := signIn(t, in, "cora", service.RoleMember, "coop")
	if _, body := own.Get(page); strings.Contains(body, `action="/answer"`) {
		t.Error("member of the calling organisation sees the answer form")
	}
	mia := signIn(t, in, "mia", service.RoleMember, "other")
	resp, body = mia.Get(page)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Propose an answer for Other coop") || strings.Contains(body, "Propose an answer for Coop") {
		t.Fatalf("member of other: status %d, body %s", resp.StatusCode, body)
	}
	form := url.Values{"call": {o.ID}, "org": {"other"}, "role": {"pilot-territory"}, "text": {"We can pilot."}}
	resp, _ = mia.PostFrom("/answer", form, "cross-site", "https://evil.example")
	wantStatus(t, "cross-site POST /answer", resp, http.StatusForbidden)
	resp, _ = mia.Post("/answer", webtest.Merge(form, url.Values{"org": {"coop"}}))
	wantStatus(t, "draft for coop by a member of other", resp, http.StatusForbidden)
	resp, _ = mia.Post("/answer", form)
	wantStatus(t, "POST /answer", resp, http.StatusSeeOther)
	drafts, err := in.Server.Service.ListDrafts(t.Context(), service.System("test"), "other")
	if err != nil || len(drafts) != 1 || drafts[0].Call != o.ID || drafts[0].Author != "mia" {
		t.Errorf("drafts = %+v, %v", drafts, err)
	}
}

// TestAnswerPageHidesCallsNotAddressed: /answer shows a received call only
// to an account that may see it; a followers-only call of an author the
// account does not follow is not found.
func TestAnswerPageHidesCallsNotAddressed(t *testing.T) {
	t.Parallel()
	in, _ := webtest.StartAdmin(t, "127.0.0.173")
	const author = "http://127.0.0.174:9/orgs/peer"
	call := model.Object{ID: author + "/calls/1", Kind: model.KindCall, AttributedTo: author, Title: "Secret budget call",
		Status: "open", Sectors: []string{"energy"}, Audience: model.AudienceFollowers}
	if err := in.Server.Store.Update(func(tx *store.Tx) error { return tx.PutObject(call) }); err != nil {
		t.Fatal(err)
	}
	mia := signIn(t, in, "mia", service.RoleMember, "coop")
	resp, body := mia.Get("/answer?call=" + url.QueryEscape(call.ID))
	if resp.StatusCode != http.StatusNotFound || strings.Contains(body, "Secret budget call") {
		t.Errorf("GET /answer of a followers-only call by a non-follower: status %d, shows the call %v",
			resp.StatusCode, strings.Contains(body, "Secret budget call"))
	}
}
