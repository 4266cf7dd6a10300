package service

import (
	"context"
	"errors"
	"testing"

	"codeberg.org/maillage/maillage/internal/errs"
	"codeberg.org/maillage/maillage/internal/matching"
	"codeberg.org/maillage/maillage/internal/model"
)

// The principals of the authorisation table: accounts as a session knows
// them, the API token and the system, and the zero Principal.
var (
	pAdmin     = AccountPrincipal(Account{Username: "root", Role: RoleAdmin})
	pEditor    = AccountPrincipal(Account{Username: "ed", Role: RoleEditor, Orgs: []string{"acme"}})
	pEditorB   = AccountPrincipal(Account{Username: "eo", Role: RoleEditor, Orgs: []string{"other"}})
	pMember    = AccountPrincipal(Account{Username: "mia", Role: RoleMember, Orgs: []string{"acme"}})
	pMemberB   = AccountPrincipal(Account{Username: "mo", Role: RoleMember, Orgs: []string{"other"}})
	pDisabled  = AccountPrincipal(Account{Username: "old", Role: RoleAdmin, Disabled: true})
	pNamedless = AccountPrincipal(Account{Role: RoleAdmin}) // no username: not signed in
	pToken     = TokenPrincipal()
	pSystem    = System("test")
)

// authzEnv is a test env with the organisation "other", the accounts
// behind the principals, a pending sign-up, an object of acme, a pending
// follower and a follow of acme, and a remote actor to report.
func authzEnv(t *testing.T) (*testEnv, model.Object) {
	t.Helper()
	ctx := context.Background()
	e := newTestEnv(t)
	if _, err := e.svc.CreateOrg(ctx, pSystem, model.Org{Name: "other", Profile: model.Profile{DisplayName: "Other"}}); err != nil {
		t.Fatalf("CreateOrg: %v", err)
	}
	for _, a := range []struct {
		name string
		role Role
		orgs []string
	}{{"root", RoleAdmin, nil}, {"ed", RoleEditor, []string{"acme"}}, {"eo", RoleEditor, []string{"other"}},
		{"mia", RoleMember, []string{"acme"}}, {"target", RoleMember, []string{"acme"}}} {
		if _, err := e.svc.CreateAccount(ctx, pSystem, a.name, goodPassword, a.role, a.orgs); err != nil {
			t.Fatalf("CreateAccount %s: %v", a.name, err)
		}
	}
	if _, err := e.svc.SignUp(ctx, SignUpInput{Username: "pat", Password: goodPassword, Email: "pat@coop.example", Org: "acme"}); err != nil {
		t.Fatalf("SignUp: %v", err)
	}
	o := e.publish(t, "acme", projectInput())
	e.addFollower(t, "acme", bob, true)
	e.addFollowing(t, "acme", carol, model.FollowAccepted)
	e.resolve.actors["bob@b.example"] = bob
	return e, o
}

// TestUseCasesAuthoriseThemselves calls every use case that changes
// something for someone, or reads private data, directly (no web layer)
// with each principal: those the rule refuses get the forbidden kind and
// change nothing; the right one succeeds.
func TestUseCasesAuthoriseThemselves(t *testing.T) {
	ctx := context.Background()
	instance := []Principal{pEditor, pEditorB, pMember, pDisabled, pNamedless, {}} // refused instance-wide rights
	org := []Principal{pEditorB, pMember, pAdminless(), pDisabled, pNamedless, {}} // refused acme's publishing rights
	follow := []Principal{pEditorB, pDisabled, pNamedless, {}, pMemberB}           // refused following for acme
	self := []Principal{pMember, pEditor, pDisabledSelf, {}}                       // refused another account's own data
	tests := []struct {
		name    string
		refused []Principal
		allowed Principal
		call    func(e *testEnv, o model.Object, p Principal) error
	}{
		{"Publish", org, pEditor, func(e *testEnv, o model.Object, p Principal) error {
			_, err := e.svc.Publish(ctx, p, "acme", projectInput())
			return err
		}},
		{"Edit", org, pEditor, func(e *testEnv, o model.Object, p Principal) error {
			_, err := e.svc.Edit(ctx, p, "acme", o.ID, projectInput())
			return err
		}},
		{"Delete", org, pEditor, func(e *testEnv, o model.Object, p Principal) error { return e.svc.Delete(ctx, p, "acme", o.ID) }},
		{"Reply", org, pEditor, func(e *testEnv, o model.Object, p Principal) error {
			_, err := e.svc.Reply(ctx, p, "acme", o.ID, "Count us in.")
			return err
		}},
		{"UpdateProfile", org, pEditor, func(e *testEnv, o model.Object, p Principal) error {
			_, err := e.svc.UpdateProfile(ctx, p, "acme", ProfileInput{Profile: model.Profile{DisplayName: "Acme!"}})
			return err
		}},
		{"OrgInterests", org, pEditor, func(e *testEnv, o model.Object, p Principal) error {
			_, err := e.svc.OrgInterests(ctx, p, "acme")
			return err
		}},
		{"SetOrgInterests", org, pEditor, func(e *testEnv, o model.Object, p Principal) error {
			return e.svc.SetOrgInterests(ctx, p, "acme", matching.Interests{})
		}},
		{"ListDrafts", org, pEditor, func(e *testEnv, o model.Object, p Principal) error {
			_, err := e.svc.ListDrafts(ctx, p, "acme")
			return err
		}},
		{"Follow", follow, pMember, func(e *testEnv, o model.Object, p Principal) error {
			_, err := e.svc.Follow(ctx, p, "acme", "bob@b.example")
			return err
		}},
		{"Follow as oneself", []Principal{pEditor, pMember, pDisabled, {}}, AccountPrincipal(bobAcc), func(e *testEnv, o model.Object, p Principal) error {
			_, err := e.svc.Follow(ctx, p, model.PersonName("target"), "bob@b.example")
			return err
		}},
		{"Unfollow", follow, pEditor, func(e *testEnv, o model.Object, p Principal) error {
			return e.svc.Unfollow(ctx, p, "acme", carol.ID)
		}},
		{"ApproveFollower", follow, pEditor, func(e *testEnv, o model.Object, p Principal) error {
			return e.svc.ApproveFollower(ctx, p, "acme", bob.ID, true)
		}},
		{"Prefs", self, pSelf, func(e *testEnv, o model.Object, p Principal) error {
			_, _, err := e.svc.Prefs(ctx, p, "target")
			return err
		}},
		{"SetInterests", self, pSelf, func(e *testEnv, o model.Object, p Principal) error {
			return e.svc.SetInterests(ctx, p, "target", matching.Interests{})
		}},
		{"SetMailSettings", self, pSelf, func(e *testEnv, o model.Object, p Principal) error {
			return e.svc.SetMailSettings(ctx, p, "target", "target@coop.example", "off")
		}},
		{"NewFeedSecret", self, pSelf, func(e *testEnv, o model.Object, p Principal) error {
			_, err := e.svc.NewFeedSecret(ctx, p, "target")
			return err
		}},
		{"Notices", self, pSelf, func(e *testEnv, o model.Object, p Principal) error {
			_, err := e.svc.Notices(ctx, p, "target", 10)
			return err
		}},
		{"MarkAllRead", self, pSelf, func(e *testEnv, o model.Object, p Principal) error {
			return e.svc.MarkAllRead(ctx, p, "target")
		}},
		{"EmailStatusOf", self, pSelf, func(e *testEnv, o model.Object, p Principal) error {
			_, err := e.svc.EmailStatusOf(ctx, p, "target")
			return err
		}},
		{"SendEmailConfirmation", self, pSelf, func(e *testEnv, o model.Object, p Principal) error {
			return e.svc.SendEmailConfirmation(ctx, p, "target")
		}},
		{"Home", self, pSelf, func(e *testEnv, o model.Object, p Principal) error {
			_, err := e.svc.Home(ctx, p, "target", HomeFilter{}, t0)
			return err
		}},
		{"ProposeAnswer", []Principal{pEditorB, pMemberB, pDisabled, pToken, {}}, pMember, func(e *testEnv, o model.Object, p Principal) error {
			_, err := e.svc.ProposeAnswer(ctx, p, "acme", o.ID, "funder", "We fund.")
			if errors.Is(err, ErrNotFound) || errors.Is(err, errs.Invalid) {
				return nil // authorised, refused later: the call is acme's own
			}
			return err
		}},
		{"CreateOrg", instance, pAdmin, func(e *testEnv, o model.Object, p Principal) error {
			_, err := e.svc.CreateOrg(ctx, p, model.Org{Name: "third", Profile: model.Profile{DisplayName: "Third"}})
			return err
		}},
		{"CreateAccount", instance, pAdmin, func(e *testEnv, o model.Object, p Principal) error {
			_, err := e.svc.CreateAccount(ctx, p, "newbie", goodPassword, RoleMember, []string{"acme"})
			return err
		}},
		{"CreateAdmin", instance, pToken, func(e *testEnv, o model.Object, p Principal) error {
			_, err := e.svc.CreateAdmin(ctx, p, "boss", goodPassword)
			return err
		}},
		{"ListAccounts", instance, pAdmin, func(e *testEnv, o model.Object, p Principal) error {
			_, err := e.svc.ListAccounts(ctx, p)
			return err
		}},
		{"ListAdmins", instance, pAdmin, func(e *testEnv, o model.Object, p Principal) error {
			_, err := e.svc.ListAdmins(ctx, p)
			return err
		}},
		{"SetRole", instance, pAdmin, func(e *testEnv, o model.Object, p Principal) error {
			return e.svc.SetRole(ctx, p, "target", RoleEditor, []string{"acme"})
		}},
		{"DisableAccount", instance, pAdmin, func(e *testEnv, o model.Object, p Principal) error {
			return e.svc.DisableAccount(ctx, p, "target")
		}},
		{"EnableAccount", instance, pAdmin, func(e *testEnv, o model.Object, p Principal) error {
			return e.svc.EnableAccount(ctx, p, "target")
		}},
		{"DeleteAccount", instance, pAdmin, func(e *testEnv, o model.Object, p Principal) error {
			return e.svc.DeleteAccount(ctx, p, "target")
		}},
		{"EndSessions of another", instance, pAdmin, func(e *testEnv, o model.Object, p Principal) error {
			_, err := e.svc.EndSessions(ctx, p, "target")
			return err
		}},
		{"EndSessions of oneself", []Principal{pEditor, pMember, {}}, AccountPrincipal(bobAcc), func(e *testEnv, o model.Object, p Principal) error {
			_, err := e.svc.EndSessions(ctx, p, "target")
			return err
		}},
		{"Invite", instance, pAdmin, func(e *testEnv, o model.Object, p Principal) error {
			_, err := e.svc.Invite(ctx, p, RoleMember, []string{"acme"}, "root")
			return err
		}},
		{"ApproveAccount", instance, pAdmin, func(e *testEnv, o model.Object, p Principal) error {
			return e.svc.ApproveAccount(ctx, p, "pat")
		}},
		{"RefuseAccount", instance, pAdmin, func(e *testEnv, o model.Object, p Principal) error {
			return e.svc.RefuseAccount(ctx, p, "pat")
		}},
		{"MakeResetLink", instance, pAdmin, func(e *testEnv, o model.Object, p Principal) error {
			_, err := e.svc.MakeResetLink(ctx, p, "target")
			return err
		}},
		{"Block", instance, pAdmin, func(e *testEnv, o model.Object, p Principal) error {
			_, err := e.svc.Block(ctx, p, "evil.example")
			return err
		}},
		{"Unblock", instance, pAdmin, func(e *testEnv, o model.Object, p Principal) error {
			return e.svc.Unblock(ctx, p, "evil.example")
		}},
		{"Blocks", instance, pAdmin, func(e *testEnv, o model.Object, p Principal) error {
			_, err := e.svc.Blocks(ctx, p)
			return err
		}},
		{"Report", instance, pAdmin, func(e *testEnv, o model.Object, p Principal) error {
			_, err := e.svc.Report(ctx, p, ReportInput{Actor: bob.ID, Comment: "spam"})
			return err
		}},
		{"Reports", instance, pAdmin, func(e *testEnv, o model.Object, p Principal) error {
			_, err := e.svc.Reports(ctx, p)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, o := authzEnv(t)
			if tt.name == "Unblock" {
				if _, err := e.svc.Block(ctx, pSystem, "evil.example"); err != nil {
					t.Fatalf("Block: %v", err)
				}
			}
			before, queued := e.pokes.Load(), len(e.queue(t))
			for _, p := range tt.refused {
				err := tt.call(e, o, p)
				if !errors.Is(err, ErrForbidden) || errs.KindOf(err) != errs.Forbidden {
					t.Errorf("%s: err = %v, want forbidden", p, err)
				}
			}
			if e.pokes.Load() != before || len(e.queue(t)) != queued {
				t.Errorf("refused calls queued deliveries: pokes %d → %d, queue %d → %d", before, e.pokes.Load(), queued, len(e.queue(t)))
			}
			if err := tt.call(e, o, tt.allowed); err != nil {
				t.Errorf("%s: %v, want allowed", tt.allowed, err)
			}
		})
	}
}

// bobAcc is the account "target" as its own session knows it; pSelf is
// its principal, pDisabledSelf the same once disabled.
var (
	bobAcc        = Account{Username: "target", Role: RoleMember, Orgs: []string{"acme"}}
	pSelf         = AccountPrincipal(bobAcc)
	pDisabledSelf = AccountPrincipal(Account{Username: "target", Role: RoleMember, Orgs: []string{"acme"}, Disabled: true})
)

// pAdminless is an editor of acme whose role was taken away: a member
// without organisations.
func pAdminless() Principal { return AccountPrincipal(Account{Username: "ex", Role: RoleMember}) }

func TestZeroPrincipalMayDoNothing(t *testing.T) {
	var p Principal
	for _, act := range []Action{ActManageAccounts, ActModerate, ActSettings, ActReadAdmin, ActPublish, ActEditProfile, ActFollow, ActProposeAnswer} {
		if p.Can(act, "acme") || p.Can(act, "") {
			t.Errorf("zero Principal may %s", act)
		}
	}
	if p.canActAs(ActFollow, model.PersonName("")) {
		t.Errorf("zero Principal may follow as the nameless person")
	}
}
