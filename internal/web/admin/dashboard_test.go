package admin_test

import (
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webtest"
)

// The dashboard says what waits, each count linked to the page where it
// is dealt with: new answers to a call, a member's draft answer, a follow
// request waiting for approval.
func TestDashboardWaiting(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.53")
	ctx := t.Context()
	svc := in.Server.Service
	admin := service.System("test")
	deadline := time.Now().AddDate(0, 2, 0)
	call, err := svc.Publish(ctx, admin, "coop", service.ObjectInput{Kind: model.KindCall, Title: "Pilot sites wanted",
		Sectors: []string{"energy"}, PartnerRoles: []string{"pilot-territory"}, Deadline: service.Time(deadline)})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"1", "2"} {
		actor := model.Actor{ID: "http://127.0.0.54:9/users/u" + n, Type: "Person", Inbox: "http://127.0.0.54:9/users/u" + n + "/inbox"}
		r := model.Reply{ID: actor.ID + "/notes/1", InReplyTo: call.ID, Actor: actor.ID, Content: "We can help.", Published: time.Now().UTC()}
		if err := svc.ReceiveReply(ctx, r.ID+"#create", actor.ID, r, actor); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.CreateOrg(ctx, admin, model.Org{Name: "beta", Profile: model.Profile{DisplayName: "Beta"}}); err != nil {
		t.Fatal(err)
	}
	mia := service.Account{Username: "mia", Role: service.RoleMember, Orgs: []string{"beta"}}
	if _, err := svc.ProposeAnswer(ctx, service.AccountPrincipal(mia), "beta", call.ID, "pilot-territory", "Our town."); err != nil {
		t.Fatal(err)
	}
	coop, err := svc.Org(ctx, "coop")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.UpdateProfile(ctx, admin, "coop", service.ProfileInput{Profile: coop.Profile, ManualApprove: true}); err != nil {
		t.Fatal(err)
	}
	erin := model.Actor{ID: "http://127.0.0.54:9/users/erin", Type: "Person", Inbox: "http://127.0.0.54:9/users/erin/inbox"}
	if err := svc.ReceiveFollow(ctx, erin.ID+"#follow", "coop", erin); err != nil {
		t.Fatal(err)
	}

	_, body := b.Get("/admin?lang=en")
	name := coop.DisplayName
	for _, want := range []string{
		`<a href="/admin/orgs/coop#calls">New answers to the calls of ` + name + ` (last 7 days) <strong class="count">2</strong></a>`,
		`<a href="/admin/orgs/beta/answers">Answers drafted by members of Beta, to send or withdraw <strong class="count">1</strong></a>`,
		`<a href="/admin/orgs/coop/network#requests">Follow requests to approve for ` + name + ` <strong class="count">1</strong></a>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("dashboard lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "Nothing waits for you.") {
		t.Error("the dashboard says nothing waits")
	}
}
