package service

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// memberAccount stores an account and its Person actor, and returns it as
// the service lists it.
func (e *testEnv) memberAccount(t *testing.T, username string, role Role, orgs ...string) Account {
	t.Helper()
	a := store.Account{Username: username, Hash: "x", Role: string(role), Orgs: orgs, Created: t0}
	e.update(t, func(tx *store.Tx) error { return e.svc.addAccount(tx, a) })
	return accountOf(a)
}

// MyAnswers lists only the account's own answers, to itself (or to who
// manages accounts), newest first.
func TestMyAnswers(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.addFollowing(t, "acme", peerOrg, model.FollowAccepted)
	call := remoteCall(peerOrg, 1, "open", nil)
	if err := e.svc.ReceiveObject(ctx, "https://p.example/activities/c1", peerOrg.ID, "", call); err != nil {
		t.Fatal(err)
	}
	mia, olga := e.memberAccount(t, "mia", RoleMember, "acme"), e.memberAccount(t, "olga", RoleMember, "acme")
	for _, text := range []string{"First.", "Second."} {
		if _, err := e.svc.ProposeAnswer(ctx, AccountPrincipal(mia), "acme", call.ID, "funder", text); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(1)
	}
	if _, err := e.svc.ProposeAnswer(ctx, AccountPrincipal(olga), "acme", call.ID, "funder", "Olga's."); err != nil {
		t.Fatal(err)
	}
	list, err := e.svc.MyAnswers(ctx, AccountPrincipal(mia), "mia")
	if err != nil || len(list) != 2 || list[0].Text != "Second." || list[1].Text != "First." ||
		list[0].CallTitle != call.Title || list[0].OrgName != "Acme" {
		t.Fatalf("MyAnswers(mia) = %+v, %v", list, err)
	}
	if _, err := e.svc.MyAnswers(ctx, AccountPrincipal(olga), "mia"); !errors.Is(err, ErrForbidden) {
		t.Errorf("olga lists mia's answers: err %v, want ErrForbidden", err)
	}
	if list, err := e.svc.MyAnswers(ctx, asAdmin, "olga"); err != nil || len(list) != 1 {
		t.Errorf("MyAnswers(olga) as the API = %+v, %v", list, err)
	}
}

// A member's name and bio go on its Person actor and to its followers in
// one Update; saving them unchanged sends nothing; limits are checked.
func TestSetMemberProfile(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	mia := e.memberAccount(t, "mia", RoleMember, "acme")
	follower := remoteActor("m.example", "fan", true)
	e.addFollower(t, model.PersonName("mia"), follower, false)
	e.clearQueue(t)
	in := MemberProfile{DisplayName: " Mia Rossi ", Bio: "Repairs bikes."}
	if err := e.svc.SetMemberProfile(ctx, AccountPrincipal(mia), "mia", in); err != nil {
		t.Fatal(err)
	}
	p, err := e.svc.MemberProfile(ctx, AccountPrincipal(mia), "mia")
	if err != nil || p.DisplayName != "Mia Rossi" || p.Bio != "Repairs bikes." {
		t.Errorf("MemberProfile = %+v, %v", p, err)
	}
	q := e.queue(t)
	if len(q) != 1 || q[0].Inbox != follower.SharedInbox {
		t.Fatalf("queue after the change = %+v, want one delivery to the follower", q)
	}
	if a := e.activity(t, q[0].ActivityID); a.Type != "Update" || a.ObjectID != e.u.Actor(model.PersonName("mia")) {
		t.Errorf("activity = %+v", a)
	}
	e.clearQueue(t)
	if err := e.svc.SetMemberProfile(ctx, AccountPrincipal(mia), "mia", in); err != nil || len(e.queue(t)) != 0 {
		t.Errorf("unchanged profile: err %v, queue %v", err, e.queue(t))
	}
	if names := e.svc.MemberNames(ctx, "mia", "nobody"); names["mia"] != "Mia Rossi" || len(names) != 1 {
		t.Errorf("MemberNames = %v", names)
	}
	long := make([]byte, model.MaxSummary+1)
	for i := range long {
		long[i] = 'x'
	}
	if err := e.svc.SetMemberProfile(ctx, AccountPrincipal(mia), "mia", MemberProfile{Bio: string(long)}); len(validationFields(t, err)) != 1 {
		t.Errorf("long bio: err %v", err)
	}
	olga := e.memberAccount(t, "olga", RoleMember, "acme")
	if err := e.svc.SetMemberProfile(ctx, AccountPrincipal(olga), "mia", in); !errors.Is(err, ErrForbidden) {
		t.Errorf("olga edits mia: err %v, want ErrForbidden", err)
	}
}

// HeldObject shows a received object only to who may see it, never when
// its author is blocked.
func TestHeldObject(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	mia := e.memberAccount(t, "mia", RoleMember, "acme")
	e.addFollowing(t, "acme", peerOrg, model.FollowAccepted)
	public := remoteCall(peerOrg, 1, "open", nil)
	private := remoteCall(peerOrg, 2, "open", nil)
	private.Audience = model.AudienceFollowers
	for i, o := range []model.Object{public, private} {
		if err := e.svc.ReceiveObject(ctx, peerOrg.ID+"/activities/"+string(rune('a'+i)), peerOrg.ID, "", o); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.HeldObject(ctx, Principal{}, public.ID); err != nil {
		t.Errorf("public object for a visitor: %v", err)
	}
	if _, err := e.svc.HeldObject(ctx, AccountPrincipal(mia), private.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("followers-only object, mia not following: err %v, want ErrNotFound", err)
	}
	e.addFollowing(t, model.PersonName("mia"), peerOrg, model.FollowAccepted)
	if _, err := e.svc.HeldObject(ctx, AccountPrincipal(mia), private.ID); err != nil {
		t.Errorf("followers-only object, mia following: %v", err)
	}
	if _, err := e.svc.Block(ctx, asAdmin, peerOrg.Host); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.HeldObject(ctx, Principal{}, public.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("blocked author: err %v, want ErrNotFound", err)
	}
}

// A digest links each call's answer form on this instance, where the
// member is signed in.
func TestDigestLinksAnswer(t *testing.T) {
	m := &fakeMailer{}
	e := newMatchingEnv(t, withMail(m))
	ctx := context.Background()
	if err := e.svc.SetMailSettings(ctx, asAdmin, "mia", "mia@example.org", "daily"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ConfirmEmail(ctx, "mia", confirmToken(t, m.take()[0].body)); err != nil {
		t.Fatal(err)
	}
	call := e.publish(t, "acme", callInput())
	if n, err := e.svc.SendDigests(ctx); err != nil || n != 1 {
		t.Fatalf("SendDigests = %d, %v", n, err)
	}
	got := m.take()
	if want := "Answer: https://local.example/answer?call=" + url.QueryEscape(call.ID); len(got) != 1 || !strings.Contains(got[0].body, want) {
		t.Errorf("digest = %v, want a line %q", got, want)
	}
}
