package service

import (
	"context"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// OrgCounts counts what an organisation publishes and what waits for it:
// replies to its calls of the last week (not older ones, not its own, not
// those of blocked actors), its members' drafts, and follow requests.
func TestOrgCounts(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.publish(t, "acme", projectInput())
	call := e.publish(t, "acme", callInput())
	closed := callInput()
	closed.Status = "closed"
	e.publish(t, "acme", closed)

	reply := func(n string, actor model.Actor) {
		t.Helper()
		r := model.Reply{ID: actor.ID + "/notes/" + n, InReplyTo: call.ID, Actor: actor.ID, Content: "We can help.", Published: e.clock.Now()}
		if err := e.svc.ReceiveReply(ctx, r.ID+"#create", actor.ID, r, testActor(actor.ID)); err != nil {
			t.Fatal(err)
		}
	}
	reply("old", bob)
	e.clock.Advance(NewAnswersWindow + time.Hour)
	reply("1", bob)
	reply("2", carol)
	reply("3", dave)
	if _, err := e.svc.Block(ctx, asAdmin, dave.ID); err != nil {
		t.Fatal(err)
	}

	// A member of beta drafts beta's answer to acme's call.
	if _, err := e.svc.CreateOrg(ctx, asAdmin, model.Org{Name: "beta", Profile: model.Profile{DisplayName: "Beta"}}); err != nil {
		t.Fatal(err)
	}
	member := Account{Username: "mia", Role: RoleMember, Orgs: []string{"beta"}}
	if _, err := e.svc.ProposeAnswer(ctx, AccountPrincipal(member), "beta", call.ID, "funder", "We fund."); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.UpdateProfile(ctx, asAdmin, "acme", ProfileInput{Profile: model.Profile{DisplayName: "Acme", Sectors: []string{"energy"}}, ManualApprove: true}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ReceiveFollow(ctx, erin.ID+"#follow", "acme", erin); err != nil {
		t.Fatal(err)
	}

	got, err := e.svc.OrgCounts(ctx, asAdmin, "acme")
	if err != nil {
		t.Fatal(err)
	}
	want := OrgCounts{Projects: 1, Calls: 2, OpenCalls: 1, NewAnswers: 2, FollowRequests: 1}
	if got != want {
		t.Errorf("acme's counts = %+v, want %+v", got, want)
	}
	if got, err := e.svc.OrgCounts(ctx, asAdmin, "beta"); err != nil || got != (OrgCounts{Drafts: 1}) {
		t.Errorf("beta's counts = %+v, %v, want one draft", got, err)
	}
	if _, err := e.svc.OrgCounts(ctx, AccountPrincipal(Account{Username: "x", Role: RoleEditor, Orgs: []string{"beta"}}), "acme"); err == nil {
		t.Error("an editor of another organisation read acme's counts")
	}
}
