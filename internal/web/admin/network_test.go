package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/web/webtest"
)

// TestAdminNetwork runs two instances: A, driven through its admin pages,
// and B, through its API. A follows B, approves and rejects B's follow
// requests, publishes a call that B receives, reads B's answer, and
// unfollows.
func TestAdminNetwork(t *testing.T) {
	a := testenv.Start(t, "127.0.0.23", testenv.Options{})
	b := webtest.AdminOn(t, a)
	peer := testenv.Start(t, "127.0.0.24", testenv.Options{})
	ctx := context.Background()

	// Follow by handle: pending, then accepted.
	resp, body := b.Post("/admin/orgs/coop/follow", url.Values{"target": {peer.Handle("coop")}})
	webtest.WantRedirect(t, resp, body, "/admin/orgs/coop/network")
	testenv.WaitFor(t, webtest.Wait, "A's follow of B accepted", func() bool {
		fs, _ := a.Server.Service.FollowingList(ctx, "coop")
		return len(fs) == 1 && fs[0].Target == peer.Actor("coop") && fs[0].State == model.FollowAccepted
	})
	_, body = b.Get("/admin/orgs/coop/network")
	for _, s := range []string{"@" + peer.Handle("coop"), "accepted", `name="target" value="` + peer.Actor("coop") + `"`} {
		if !strings.Contains(body, s) {
			t.Errorf("network page lacks %q", s)
		}
	}

	// Follow form errors.
	resp, body = b.Post("/admin/orgs/coop/follow", url.Values{"target": {" "}})
	webtest.WantFieldError(t, resp, body, "target", "is required")
	resp, body = b.Post("/admin/orgs/coop/follow", url.Values{"target": {a.Handle("coop")}})
	webtest.WantFieldError(t, resp, body, "target", "cannot follow itself")
	resp, body = b.Post("/admin/orgs/coop/follow", url.Values{"target": {"nobody@" + peer.Host}})
	if resp.StatusCode != http.StatusBadGateway || !strings.Contains(body, `<span id="err-target"`) ||
		!strings.Contains(body, "Could not find nobody@"+peer.Host) || !strings.Contains(body, `value="nobody@`+peer.Host+`"`) {
		t.Errorf("follow of an unknown actor: status %d, want 502 with the message by the field\n%s", resp.StatusCode, body)
	}

	// Manual approval: B's organisation and B's instance ask to follow.
	resp, body = b.Post("/admin/orgs/coop/profile", webtest.Merge(validProfile(), url.Values{"manual_approve": {"1"}}))
	webtest.WantRedirect(t, resp, body, "/admin/orgs/coop")
	for _, local := range []string{"coop", "instance"} {
		if s := peer.API("POST", "/api/v1/orgs/"+local+"/follow", map[string]string{"target": a.Actor("coop")}, nil); s != http.StatusAccepted {
			t.Fatalf("B %s follows A: status %d", local, s)
		}
	}
	testenv.WaitFor(t, webtest.Wait, "two pending follow requests on A", func() bool {
		fs, _ := a.Server.Service.Followers(ctx, "coop")
		return len(fs) == 2 && fs[0].Pending && fs[1].Pending
	})
	_, body = b.Get("/admin/orgs/coop/network")
	if strings.Count(body, `name="decision" value="approve"`) != 2 || !strings.Contains(body, `value="`+peer.Actor("instance")+`"`) {
		t.Errorf("network page does not offer to approve both requests:\n%s", body)
	}
	resp, body = b.Post("/admin/orgs/coop/followers/approve", url.Values{"actor": {peer.Actor("coop")}, "decision": {"approve"}})
	webtest.WantRedirect(t, resp, body, "/admin/orgs/coop/network")
	resp, body = b.Post("/admin/orgs/coop/followers/approve", url.Values{"actor": {peer.Actor("instance")}, "decision": {"reject"}})
	webtest.WantRedirect(t, resp, body, "/admin/orgs/coop/network")
	if resp, _ := b.Post("/admin/orgs/coop/followers/approve", url.Values{"actor": {peer.Actor("coop")}, "decision": {"maybe"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("decision maybe: status %d, want 400", resp.StatusCode)
	}
	fs, _ := a.Server.Service.Followers(ctx, "coop")
	if len(fs) != 1 || fs[0].Actor != peer.Actor("coop") || fs[0].Pending {
		t.Errorf("A's followers after approve and reject = %+v", fs)
	}
	testenv.WaitFor(t, webtest.Wait, "B told of the approval and the rejection", func() bool {
		coop, _ := peer.Server.Service.FollowingList(ctx, "coop")
		inst, _ := peer.Server.Service.FollowingList(ctx, "instance")
		return len(coop) == 1 && coop[0].State == model.FollowAccepted && len(inst) == 0
	})

	// A call published through the form reaches B.
	resp, body = b.Post("/admin/orgs/coop/calls/new", validCall())
	call := only(t, a, model.KindCall)
	webtest.WantRedirect(t, resp, body, call.ID)
	got := waitHolds(t, peer, a.Actor("coop"), call.ID)
	if got.Title != call.Title || !got.Deadline.Equal(*call.Deadline) || !slices.Equal(got.PartnerRoles, call.PartnerRoles) ||
		got.HowToRespond != call.HowToRespond || got.Local {
		t.Errorf("B holds %+v\nA published %+v", got, call)
	}

	// B answers; A's responses page shows who, from which server, and the
	// sanitised text.
	reply := map[string]string{"in_reply_to": call.ID, "text": "We can be a pilot territory. <script>alert(1)</script>"}
	if s := peer.API("POST", "/api/v1/orgs/coop/replies", reply, nil); s != http.StatusCreated {
		t.Fatalf("B replies: status %d", s)
	}
	testenv.WaitFor(t, webtest.Wait, "A to receive B's reply", func() bool {
		rs, _ := a.Server.Service.Replies(ctx, call.ID)
		return len(rs) == 1
	})
	path := "/admin" + strings.TrimPrefix(call.ID, a.Base)
	resp, body = b.Get(path + "/replies")
	for _, s := range []string{"@" + peer.Handle("coop"), peer.Actor("coop"), "server " + peer.Host, "We can be a pilot territory."} {
		if !strings.Contains(body, s) {
			t.Errorf("responses page lacks %q", s)
		}
	}
	if resp.StatusCode != http.StatusOK || strings.Contains(body, "<script>alert") {
		t.Errorf("responses page: status %d, unsanitised content:\n%s", resp.StatusCode, body)
	}

	// Unfollow.
	resp, body = b.Post("/admin/orgs/coop/unfollow", url.Values{"target": {peer.Actor("coop")}})
	webtest.WantRedirect(t, resp, body, "/admin/orgs/coop/network")
	if fs, _ := a.Server.Service.FollowingList(ctx, "coop"); len(fs) != 0 {
		t.Errorf("A still follows %+v", fs)
	}
	testenv.WaitFor(t, webtest.Wait, "B to drop A from its followers", func() bool {
		fs, _ := peer.Server.Service.Followers(ctx, "coop")
		return len(fs) == 0
	})
}
