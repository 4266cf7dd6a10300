package service

import (
	"net"
	"strings"

	"codeberg.org/maillage/maillage/internal/mail"
	"codeberg.org/maillage/maillage/internal/mail/smtptest"
	"context"
	"errors"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

const goodPassword = "correct horse battery staple"

// TestPendingSignupHasNoActor: a sign-up request is not public (no Person
// actor) until approved, and cannot be switched on by "enable".
func TestPendingSignupHasNoActor(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	if _, err := e.svc.SignUp(ctx, SignUpInput{Username: "pat", Password: goodPassword, Email: "pat@coop.example", Org: "acme"}); err != nil {
		t.Fatal(err)
	}
	hasPerson := func() bool {
		ok := false
		e.view(t, func(tx *store.Tx) error { _, err := tx.Org(model.PersonName("pat")); ok = err == nil; return nil })
		return ok
	}
	if hasPerson() {
		t.Error("pending account already has a Person actor")
	}
	var ve *model.ValidationError
	if err := e.svc.EnableAccount(ctx, asAdmin, "pat"); !errors.As(err, &ve) {
		t.Errorf("EnableAccount on a pending request: %v, want a validation error", err)
	}
	if err := e.svc.ApproveAccount(ctx, asAdmin, "pat"); err != nil {
		t.Fatal(err)
	}
	if !hasPerson() {
		t.Error("approved account has no Person actor")
	}
}

// TestInvitationsEndWithTheirInviter and a member's actor is never an
// organisation an account can belong to.
func TestInvitationsEndWithTheirInviter(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	if _, err := e.svc.CreateAccount(ctx, asAdmin, "ada", goodPassword, RoleAdmin, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CreateAccount(ctx, asAdmin, "bo", goodPassword, RoleAdmin, nil); err != nil {
		t.Fatal(err)
	}
	code, err := e.svc.Invite(ctx, asAdmin, RoleAdmin, nil, "bo")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.DisableAccount(ctx, asAdmin, "bo"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.RedeemInvitation(ctx, code, "eve", goodPassword); err == nil {
		t.Error("an invitation of a disabled administrator still works")
	}
	var ve *model.ValidationError
	if _, err := e.svc.CreateAccount(ctx, asAdmin, "cy", goodPassword, RoleEditor, []string{model.PersonName("ada")}); !errors.As(err, &ve) {
		t.Errorf("editor of a person's actor: err = %v, want a validation error", err)
	}
}

// TestDisabledAccountFeedCloses: the secret Atom feed of a disabled
// account answers not found.
func TestDisabledAccountFeedCloses(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	if _, err := e.svc.CreateAccount(ctx, asAdmin, "dee", goodPassword, RoleMember, []string{"acme"}); err != nil {
		t.Fatal(err)
	}
	secret, err := e.svc.NewFeedSecret(ctx, asAdmin, "dee")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.FeedNotices(ctx, secret); err != nil {
		t.Fatalf("feed of an enabled account: %v", err)
	}
	if err := e.svc.DisableAccount(ctx, asAdmin, "dee"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.FeedNotices(ctx, secret); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("feed of a disabled account: err = %v, want not found", err)
	}
}

// TestResetBySharedAddress: addresses are not verified, so two accounts may
// share one; a reset by that address mails each its own link.
func TestResetBySharedAddress(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := smtptest.Start(ln)
	t.Cleanup(srv.Close)
	gate := &gatedMailer{}
	e := newTestEnv(t, withMail(gate))
	gate.to = mail.SMTP{Addr: srv.Addr(), From: "maillage@local.example", Now: e.clock.Now}
	ctx := context.Background()
	for _, name := range []string{"vic", "mal"} {
		if _, err := e.svc.CreateAccount(ctx, asAdmin, name, goodPassword, RoleMember, []string{"acme"}); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.SetMailSettings(ctx, asAdmin, name, "vic@example.org", "off"); err != nil {
			t.Fatal(err)
		}
	}
	// Opened after the addresses, so that no confirmation e-mail is counted.
	gate.open()
	if err := e.svc.sendReset(ctx, "VIC@example.org"); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 2 {
		t.Fatalf("%d messages, want one per account", len(msgs))
	}
	for _, name := range []string{"vic", "mal"} {
		found := false
		for _, m := range msgs {
			found = found || strings.Contains(m.Data, "the account "+name+" on")
		}
		if !found {
			t.Errorf("no reset message for %s", name)
		}
	}
}
