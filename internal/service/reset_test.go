package service

import (
	"context"
	"errors"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/matching"
	"codeberg.org/maillage/maillage/internal/model"
)

func TestResetLinkSingleUseAndExpiry(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	if _, err := e.svc.CreateAccount(ctx, asAdmin, "mia", "a long enough password", RoleMember, []string{"acme"}); err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	sid, _, err := e.svc.NewSession(ctx, "mia")
	if err != nil {
		t.Fatalf("NewSession: %v", err)
	}
	token, err := e.svc.MakeResetLink(ctx, asAdmin, "mia")
	if err != nil {
		t.Fatalf("MakeResetLink: %v", err)
	}
	var ve *model.ValidationError
	if err := e.svc.ResetPassword(ctx, token, "short"); !errors.As(err, &ve) {
		t.Errorf("weak password: %v, want a ValidationError", err)
	}
	if err := e.svc.ResetPassword(ctx, token, "a brand new password"); err != nil {
		t.Fatalf("ResetPassword: %v", err)
	}
	if err := e.svc.CheckLogin(ctx, "mia", "a brand new password"); err != nil {
		t.Errorf("login with the new password: %v", err)
	}
	if _, err := e.svc.SessionAccount(ctx, sid); !errors.Is(err, ErrNotFound) {
		t.Errorf("old session after reset: %v, want ended", err)
	}
	if err := e.svc.ResetPassword(ctx, token, "yet another password"); !errors.Is(err, ErrBadReset) {
		t.Errorf("second use: %v, want ErrBadReset", err)
	}

	token, _ = e.svc.MakeResetLink(ctx, asAdmin, "mia")
	e.clock.Advance(ResetTTL - time.Second)
	if err := e.svc.CheckReset(ctx, token); err != nil {
		t.Errorf("just before an hour: %v", err)
	}
	e.clock.Advance(time.Second)
	if err := e.svc.ResetPassword(ctx, token, "yet another password"); !errors.Is(err, ErrBadReset) {
		t.Errorf("after an hour: %v, want ErrBadReset", err)
	}
	if err := e.svc.CheckReset(ctx, ""); !errors.Is(err, ErrBadReset) {
		t.Errorf("empty token: %v", err)
	}
}

func TestSignUpApproveRefuse(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	in := SignUpInput{Username: "ana", Password: "a long enough password", Email: "ana@example.org", Org: "acme", Message: "hello"}
	if _, err := e.svc.SignUp(ctx, in); err != nil {
		t.Fatalf("SignUp: %v", err)
	}
	if err := e.svc.CheckLogin(ctx, "ana", in.Password); !errors.Is(err, ErrBadLogin) {
		t.Errorf("pending login: %v, want ErrBadLogin", err)
	}
	var ve *model.ValidationError
	bad := in
	bad.Username, bad.Org = "bob", "nowhere"
	if _, err := e.svc.SignUp(ctx, bad); !errors.As(err, &ve) || ve.Fields["org"].Key == "" {
		t.Errorf("unknown org: %v", err)
	}
	if err := e.svc.ApproveAccount(ctx, asAdmin, "ana"); err != nil {
		t.Fatalf("ApproveAccount: %v", err)
	}
	if err := e.svc.CheckLogin(ctx, "ana", in.Password); err != nil {
		t.Errorf("approved login: %v", err)
	}
	if err := e.svc.RefuseAccount(ctx, asAdmin, "ana"); !errors.Is(err, ErrNotFound) {
		t.Errorf("refusing an approved account: %v, want ErrNotFound", err)
	}
	in.Username = "eve"
	if _, err := e.svc.SignUp(ctx, in); err != nil {
		t.Fatalf("SignUp: %v", err)
	}
	if err := e.svc.RefuseAccount(ctx, asAdmin, "eve"); err != nil {
		t.Fatalf("RefuseAccount: %v", err)
	}
	accs, _ := e.svc.ListAccounts(ctx, asAdmin)
	for _, a := range accs {
		if a.Username == "eve" {
			t.Errorf("refused account still listed")
		}
	}
}

func TestOrgInterestsNotifyMembers(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	for _, n := range []string{"mia", "max"} {
		if _, err := e.svc.CreateAccount(ctx, asAdmin, n, "a long enough password", RoleMember, []string{"acme"}); err != nil {
			t.Fatalf("CreateAccount: %v", err)
		}
	}
	if _, err := e.svc.CreateAccount(ctx, asAdmin, "out", "a long enough password", RoleMember, nil); err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	// mia also states the same interests herself: one notification only.
	if err := e.svc.SetInterests(ctx, asAdmin, "mia", matching.Interests{Roles: []string{"funder"}}); err != nil {
		t.Fatalf("SetInterests: %v", err)
	}
	if err := e.svc.SetOrgInterests(ctx, asAdmin, "acme", matching.Interests{Sectors: []string{"finance"}, Roles: []string{"funder"}}); err != nil {
		t.Fatalf("SetOrgInterests: %v", err)
	}
	if got, err := e.svc.OrgInterests(ctx, asAdmin, "acme"); err != nil || len(got.Sectors) != 1 {
		t.Errorf("OrgInterests = %+v, %v", got, err)
	}
	call := e.publish(t, "acme", callInput())
	for _, n := range []string{"mia", "max"} {
		if ns := e.notices(t, n); len(ns) != 1 || ns[0].Call != call.ID {
			t.Errorf("%s: notifications = %+v, want the call once", n, ns)
		}
	}
	if ns := e.notices(t, "out"); len(ns) != 0 {
		t.Errorf("account outside the org notified: %+v", ns)
	}
	// Loaded again at start, the index still holds the organisation.
	e.svc.match.ix.Remove(orgSubscriber("acme"))
	if err := e.svc.LoadInterests(ctx); err != nil {
		t.Fatalf("LoadInterests: %v", err)
	}
	if names := e.svc.match.ix.Match(call, e.clock.Now()); len(names) != 2 {
		t.Errorf("index after load: %v, want mia and org/acme", names)
	}
	if err := e.svc.SetOrgInterests(ctx, asAdmin, "nowhere", matching.Interests{Roles: []string{"funder"}}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown org: %v", err)
	}
}
