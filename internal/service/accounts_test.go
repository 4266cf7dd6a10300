package service

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// withOrgs adds local organisations to e.
func withOrgs(t *testing.T, e *testEnv, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := e.svc.CreateOrg(context.Background(), asAdmin, model.Org{Name: n, Profile: model.Profile{DisplayName: n}}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCan(t *testing.T) {
	admin := Account{Username: "a", Role: RoleAdmin}
	editor := Account{Username: "e", Role: RoleEditor, Orgs: []string{"acme"}}
	member := Account{Username: "m", Role: RoleMember, Orgs: []string{"acme"}}
	off := admin
	off.Disabled = true
	tests := []struct {
		acc  Account
		act  Action
		org  string
		want bool
	}{
		{admin, ActManageAccounts, "", true},
		{admin, ActPublish, "beta", true},
		{off, ActReadAdmin, "", false},
		{off, ActPublish, "acme", false},
		{editor, ActReadAdmin, "", true},
		{editor, ActReadAdmin, "acme", true},
		{editor, ActReadAdmin, "beta", false},
		{editor, ActPublish, "acme", true},
		{editor, ActPublish, "beta", false},
		{editor, ActEditProfile, "acme", true},
		{editor, ActEditProfile, "beta", false},
		{editor, ActFollow, "acme", true},
		{editor, ActFollow, model.InstanceName, false},
		{editor, ActModerate, "", false},
		{editor, ActSettings, "", false},
		{editor, ActManageAccounts, "", false},
		{member, ActReadAdmin, "", false},
		{member, ActReadAdmin, "acme", false},
		{member, ActPublish, "acme", false},
		{member, ActFollow, "acme", true},
		{member, ActProposeAnswer, "acme", true},
		{member, ActProposeAnswer, "beta", false},
		{Account{}, ActFollow, "", false},
	}
	for _, tt := range tests {
		if got := Can(tt.acc, tt.act, tt.org); got != tt.want {
			t.Errorf("Can(%s %s, %s, %q) = %v, want %v", tt.acc.Role, tt.acc.Username, tt.act, tt.org, got, tt.want)
		}
	}
}

func TestCreateAccountRoles(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	withOrgs(t, e, "beta")
	a, err := e.svc.CreateAccount(ctx, asAdmin, "ed", alicePassword, RoleEditor, []string{"beta", " acme", "beta"})
	if err != nil || !slices.Equal(a.Orgs, []string{"acme", "beta"}) {
		t.Fatalf("CreateAccount(editor) = %+v, %v", a, err)
	}
	for _, c := range []struct {
		role  Role
		orgs  []string
		field string
	}{{"boss", nil, "role"}, {RoleEditor, nil, "orgs"}, {RoleMember, []string{"nope"}, "orgs"}, {RoleEditor, []string{model.InstanceName}, "orgs"}} {
		_, err := e.svc.CreateAccount(ctx, asAdmin, "x", alicePassword, c.role, c.orgs)
		if got := validationFields(t, err); !slices.Equal(got, []string{c.field}) {
			t.Errorf("CreateAccount(%s, %v) fields = %v, want %s", c.role, c.orgs, got, c.field)
		}
	}
	// An admin record from before roles reads as an administrator.
	if _, err := e.svc.CreateAdmin(ctx, asAdmin, "root", alicePassword); err != nil {
		t.Fatal(err)
	}
	all, _ := e.svc.ListAccounts(ctx, asAdmin)
	if len(all) != 2 || all[1].Username != "root" || all[1].Role != RoleAdmin || all[1].Orgs != nil {
		t.Errorf("ListAccounts = %+v", all)
	}
	if admins, _ := e.svc.ListAdmins(ctx, asAdmin); len(admins) != 1 || admins[0].Username != "root" {
		t.Errorf("ListAdmins = %+v, want root only", admins)
	}
}

func TestDisableAccount(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	for _, u := range []string{"alice", "bob"} {
		if _, err := e.svc.CreateAdmin(ctx, asAdmin, u, alicePassword); err != nil {
			t.Fatal(err)
		}
	}
	ids := sessions(t, e.svc, "bob", 2)
	if err := e.svc.DisableAccount(ctx, asAdmin, "bob"); err != nil {
		t.Fatal(err)
	}
	if got := live(e.svc, ids...); !slices.Equal(got, []bool{false, false}) {
		t.Errorf("sessions after disabling = %v, want all ended", got)
	}
	if err := e.svc.CheckLogin(ctx, "bob", alicePassword); !errors.Is(err, ErrBadLogin) {
		t.Errorf("CheckLogin(disabled) = %v, want ErrBadLogin", err)
	}
	if _, _, err := e.svc.NewSession(ctx, "bob"); err == nil {
		t.Error("NewSession(disabled) succeeded")
	}
	// alice is now the last enabled administrator.
	for name, err := range map[string]error{
		"disable": e.svc.DisableAccount(ctx, asAdmin, "alice"),
		"demote":  e.svc.SetRole(ctx, asAdmin, "alice", RoleMember, []string{"acme"}),
		"delete":  e.svc.DeleteAccount(ctx, asAdmin, "alice"),
	} {
		if got := validationFields(t, err); !slices.Equal(got, []string{"username"}) {
			t.Errorf("%s the last administrator: fields %v", name, got)
		}
	}
	if err := e.svc.EnableAccount(ctx, asAdmin, "bob"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.CheckLogin(ctx, "bob", alicePassword); err != nil {
		t.Errorf("CheckLogin(enabled again) = %v", err)
	}
	if err := e.svc.SetRole(ctx, asAdmin, "alice", RoleEditor, []string{"acme"}); err != nil {
		t.Errorf("demote alice beside bob: %v", err)
	}
	if err := e.svc.SetRole(ctx, asAdmin, "bob", RoleMember, nil); err == nil {
		t.Error("demoted the last administrator")
	}
	if err := e.svc.DeleteAccount(ctx, asAdmin, "alice"); err != nil {
		t.Errorf("DeleteAccount(editor) = %v", err)
	}
}

func TestInvitation(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	withOrgs(t, e, "beta")
	code, err := e.svc.Invite(ctx, asAdmin, RoleEditor, []string{"beta"}, "alice")
	if err != nil || len(code) != 43 {
		t.Fatalf("Invite = %q, %v", code, err)
	}
	if _, err := e.svc.Invite(ctx, asAdmin, RoleEditor, nil, "alice"); !slices.Equal(validationFields(t, err), []string{"orgs"}) {
		t.Errorf("Invite(editor, no org) = %v", err)
	}
	// A bad password leaves the code usable.
	if _, err := e.svc.RedeemInvitation(ctx, code, "ed", "short"); !slices.Equal(validationFields(t, err), []string{"password"}) {
		t.Errorf("Redeem(short password) = %v", err)
	}
	a, err := e.svc.RedeemInvitation(ctx, code, "ed", alicePassword)
	if err != nil || a.Role != RoleEditor || !slices.Equal(a.Orgs, []string{"beta"}) {
		t.Fatalf("Redeem = %+v, %v; want an editor of beta", a, err)
	}
	all, _ := e.svc.ListAccounts(ctx, asAdmin)
	if len(all) != 1 || all[0].Role != RoleEditor || !slices.Equal(all[0].Orgs, []string{"beta"}) {
		t.Errorf("accounts = %+v", all)
	}
	if err := e.svc.CheckLogin(ctx, "ed", alicePassword); err != nil {
		t.Errorf("login of the new account: %v", err)
	}
	// Single use.
	if _, err := e.svc.RedeemInvitation(ctx, code, "ed2", alicePassword); !errors.Is(err, ErrBadInvitation) {
		t.Errorf("second Redeem = %v, want ErrBadInvitation", err)
	}
	// Expiry, on the service clock.
	late, _ := e.svc.Invite(ctx, asAdmin, RoleMember, nil, "alice")
	e.clock.Advance(InvitationTTL - time.Second)
	if err := e.svc.CheckInvitation(ctx, late); err != nil {
		t.Errorf("invitation just before expiry: %v", err)
	}
	e.clock.Advance(time.Second)
	if _, err := e.svc.RedeemInvitation(ctx, late, "mo", alicePassword); !errors.Is(err, ErrBadInvitation) || !errors.Is(err, ErrNotFound) {
		t.Errorf("Redeem(expired) = %v, want ErrBadInvitation", err)
	}
	if _, err := e.svc.RedeemInvitation(ctx, "made-up", "mo", alicePassword); !errors.Is(err, ErrBadInvitation) {
		t.Errorf("Redeem(unknown) = %v", err)
	}
}
