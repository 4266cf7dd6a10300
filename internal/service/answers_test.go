package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// remoteCall is an open call by actor, seeking a pilot territory.
func remoteCall(actor model.Actor, n int, status string, deadline *time.Time) model.Object {
	return model.Object{ID: fmt.Sprintf("%s/calls/%d", actor.ID, n), Kind: model.KindCall, AttributedTo: actor.ID,
		Title: fmt.Sprintf("Call %d", n), Sectors: []string{"energy"}, Status: status, Deadline: deadline, PartnerRoles: []string{"pilot-territory", "funder"},
		Audience: model.AudiencePublic, Published: t0.Add(-time.Hour)}
}

func TestAnswerDraftAndSend(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.addFollowing(t, "acme", peerOrg, model.FollowAccepted)
	call := remoteCall(peerOrg, 1, "open", nil)
	if err := e.svc.ReceiveObject(ctx, "https://p.example/activities/c1", peerOrg.ID, "", call); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CreateOrg(ctx, asAdmin, model.Org{Name: "beta", Profile: model.Profile{DisplayName: "Beta"}}); err != nil {
		t.Fatal(err)
	}
	member := Account{Username: "mia", Role: RoleMember, Orgs: []string{"acme"}}
	editor := Account{Username: "ed", Role: RoleEditor, Orgs: []string{"acme"}}
	other := Account{Username: "olga", Role: RoleMember, Orgs: []string{"beta"}}

	if _, err := e.svc.ProposeAnswer(ctx, AccountPrincipal(other), "acme", call.ID, "funder", "We fund."); !errors.Is(err, ErrForbidden) {
		t.Errorf("member of beta drafts for acme: err %v, want ErrForbidden", err)
	}
	var verr *model.ValidationError
	if _, err := e.svc.ProposeAnswer(ctx, AccountPrincipal(member), "acme", call.ID, "lender", "We lend."); !errors.As(err, &verr) || verr.Fields["role"].Key == "" {
		t.Errorf("role the call does not seek: err %v, want a role error", err)
	}
	if _, err := e.svc.ProposeAnswer(ctx, AccountPrincipal(member), "acme", call.ID, "funder", strings.Repeat("x", MaxAnswerText+1)); !errors.As(err, &verr) {
		t.Errorf("long text: err %v, want a validation error", err)
	}
	d, err := e.svc.ProposeAnswer(ctx, AccountPrincipal(member), "acme", call.ID, "pilot-territory", "  Our valley has 12 villages.  ")
	if err != nil {
		t.Fatalf("ProposeAnswer: %v", err)
	}
	if d.Status != store.AnswerDraft || d.Author != "mia" || d.Text != "Our valley has 12 villages." || d.ID == "" {
		t.Errorf("draft = %+v", d)
	}
	if len(e.sent(t)) != 0 {
		t.Errorf("a draft sent something: %+v", e.sent(t))
	}
	if _, err := e.svc.SendAnswer(ctx, AccountPrincipal(member), "acme", d.ID); !errors.Is(err, ErrForbidden) {
		t.Errorf("member sends: err %v, want ErrForbidden", err)
	}
	a, err := e.svc.SendAnswer(ctx, AccountPrincipal(editor), "acme", d.ID)
	if err != nil {
		t.Fatalf("SendAnswer: %v", err)
	}
	if a.Status != store.AnswerSent || a.ReplyIRI == "" || a.SentBy != "ed" {
		t.Errorf("sent answer = %+v", a)
	}
	r, err := e.svc.LocalReply(ctx, a.ReplyIRI)
	if err != nil {
		t.Fatal(err)
	}
	if r.InReplyTo != call.ID || r.ToActor != peerOrg.ID || r.ToHandle != "zed@p.example" {
		t.Errorf("reply = %+v, want a reply to the call mentioning zed", r)
	}
	if want := "We offer: Pilot territory.\n\nOur valley has 12 villages."; r.Text != want {
		t.Errorf("reply text = %q, want %q", r.Text, want)
	}
	checkSent(t, e.sent(t), []sent{{"Create", "acme", "https://p.example/inbox"}})

	// Twice: nothing more is sent.
	again, err := e.svc.SendAnswer(ctx, AccountPrincipal(editor), "acme", d.ID)
	if err != nil || again.ReplyIRI != a.ReplyIRI {
		t.Errorf("second send = %+v, %v", again, err)
	}
	checkSent(t, e.sent(t), []sent{{"Create", "acme", "https://p.example/inbox"}})
	if err := e.svc.WithdrawDraft(ctx, AccountPrincipal(editor), "acme", d.ID); !errors.Is(err, ErrConflict) {
		t.Errorf("withdraw a sent answer: err %v, want ErrConflict", err)
	}

	// A second draft, withdrawn by its author, cannot be sent.
	e.clock.Advance(time.Minute)
	d2, err := e.svc.ProposeAnswer(ctx, AccountPrincipal(member), "acme", call.ID, "funder", "Maybe.")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.WithdrawDraft(ctx, AccountPrincipal(other), "acme", d2.ID); !errors.Is(err, ErrForbidden) {
		t.Errorf("withdraw by another org's member: err %v, want ErrForbidden", err)
	}
	if err := e.svc.WithdrawDraft(ctx, AccountPrincipal(member), "acme", d2.ID); err != nil {
		t.Fatalf("WithdrawDraft: %v", err)
	}
	if _, err := e.svc.SendAnswer(ctx, AccountPrincipal(editor), "acme", d2.ID); !errors.Is(err, ErrConflict) {
		t.Errorf("send a withdrawn answer: err %v, want ErrConflict", err)
	}
	list, err := e.svc.ListDrafts(ctx, asAdmin, "acme")
	if err != nil || len(list) != 2 || list[0].ID != d2.ID || list[0].Status != store.AnswerWithdrawn || list[1].Status != store.AnswerSent {
		t.Errorf("ListDrafts = %+v, %v", list, err)
	}

	// The calling side's view names the sender with its profile.
	got, err := e.svc.AnswersReceived(ctx, call.ID)
	if err != nil || len(got) != 1 || got[0].Profile == nil || got[0].Profile.DisplayName != "Acme" {
		t.Errorf("AnswersReceived = %+v, %v", got, err)
	}
}

func TestAnswerRefusedCalls(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.addFollowing(t, "acme", peerOrg, model.FollowAccepted)
	past := t0.Add(-24 * time.Hour)
	filled, expired := remoteCall(peerOrg, 1, "filled", nil), remoteCall(peerOrg, 2, "open", &past)
	project := remoteObject(peerOrg, 3, t0)
	for i, o := range []model.Object{filled, expired, project} {
		if err := e.svc.ReceiveObject(ctx, fmt.Sprintf("https://p.example/activities/%d", i), peerOrg.ID, "", o); err != nil {
			t.Fatal(err)
		}
	}
	member := Account{Username: "mia", Role: RoleMember, Orgs: []string{"acme"}}
	for _, iri := range []string{filled.ID, expired.ID} {
		var verr *model.ValidationError
		if _, err := e.svc.ProposeAnswer(ctx, AccountPrincipal(member), "acme", iri, "funder", "Yes"); !errors.As(err, &verr) || verr.Fields["call"].Key == "" {
			t.Errorf("draft on %s: err %v, want a call error", iri, err)
		}
	}
	if _, err := e.svc.ProposeAnswer(ctx, AccountPrincipal(member), "acme", project.ID, "funder", "Yes"); !errors.Is(err, ErrNotFound) {
		t.Errorf("draft on a project: err %v, want ErrNotFound", err)
	}

	// A draft on a call filled before it is sent is not sent.
	open := remoteCall(peerOrg, 4, "open", nil)
	if err := e.svc.ReceiveObject(ctx, "https://p.example/activities/4", peerOrg.ID, "", open); err != nil {
		t.Fatal(err)
	}
	d, err := e.svc.ProposeAnswer(ctx, AccountPrincipal(member), "acme", open.ID, "funder", "Yes")
	if err != nil {
		t.Fatal(err)
	}
	open.Status, open.Updated = "filled", t0
	if err := e.svc.ReceiveObject(ctx, "https://p.example/activities/5", peerOrg.ID, "", open); err != nil {
		t.Fatal(err)
	}
	editor := Account{Username: "ed", Role: RoleEditor, Orgs: []string{"acme"}}
	if _, err := e.svc.SendAnswer(ctx, AccountPrincipal(editor), "acme", d.ID); err == nil {
		t.Error("sent an answer to a filled call")
	}
	if len(e.sent(t)) != 0 {
		t.Errorf("sent %+v", e.sent(t))
	}

	// An organisation does not answer its own call.
	own, err := e.svc.Publish(ctx, asAdmin, "acme", ObjectInput{Kind: model.KindCall, Title: "Own call", Summary: "x", Status: "open", Sectors: []string{"energy"}})
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	var verr *model.ValidationError
	if _, err := e.svc.ProposeAnswer(ctx, AccountPrincipal(editor), "acme", own.ID, "funder", "Yes"); !errors.As(err, &verr) || verr.Fields["call"].Key == "" {
		t.Errorf("acme drafts an answer to its own call: err %v, want a call error", err)
	}
}

// TestAnswerNeedsAVisibleCall: a call that is not public can be answered
// only by an account that may see it (model.Object.VisibleTo).
func TestAnswerNeedsAVisibleCall(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.addFollowing(t, "acme", peerOrg, model.FollowAccepted)
	call := remoteCall(peerOrg, 1, "open", nil)
	call.Audience, call.Addressed = model.AudienceDirect, []string{e.u.Actor(model.PersonName("zoe"))}
	if err := e.svc.ReceiveObject(ctx, "https://p.example/activities/c1", peerOrg.ID, "", call); err != nil {
		t.Fatal(err)
	}
	mia := Account{Username: "mia", Role: RoleMember, Orgs: []string{"acme"}}
	if _, err := e.svc.ProposeAnswer(ctx, AccountPrincipal(mia), "acme", call.ID, "funder", "We fund."); !errors.Is(err, ErrNotFound) {
		t.Errorf("answer to a direct call addressed to another account: err %v, want ErrNotFound", err)
	}
	zoe := Account{Username: "zoe", Role: RoleMember, Orgs: []string{"acme"}}
	if _, err := e.svc.ProposeAnswer(ctx, AccountPrincipal(zoe), "acme", call.ID, "funder", "We fund."); err != nil {
		t.Errorf("answer by the account the call addresses: %v", err)
	}
}
