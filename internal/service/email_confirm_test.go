package service

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/store"
)

var confirmLinkRE = regexp.MustCompile(`https://local\.example/confirm/([a-z0-9_.-]+)/([A-Za-z0-9_-]+)`)

// confirmToken is the token of the confirmation link in body.
func confirmToken(t *testing.T, body string) string {
	t.Helper()
	m := confirmLinkRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no confirmation link in\n%s", body)
	}
	return m[2]
}

// TestEmailConfirmation checks that a new or changed address gets no
// digest until its owner opens the single-use link e-mailed to it, that
// the link expires after ConfirmTTL, that only its hash is stored, and
// that links are limited per mailbox.
func TestEmailConfirmation(t *testing.T) {
	m := &fakeMailer{}
	e := newMatchingEnv(t, withMail(m))
	ctx := context.Background()
	if err := e.svc.SetMailSettings(ctx, asAdmin, "mia", "mia@example.org", "daily"); err != nil {
		t.Fatal(err)
	}
	sent := m.take()
	if len(sent) != 1 || sent[0].to != "mia@example.org" {
		t.Fatalf("after setting the address: %v, want one confirmation e-mail to it", sent)
	}
	token := confirmToken(t, sent[0].body)
	var p store.Prefs
	e.view(t, func(tx *store.Tx) (err error) { p, err = tx.Prefs("mia"); return err })
	if p.EmailConfirmed() || p.ConfirmHash == "" || strings.Contains(p.ConfirmHash, token) {
		t.Errorf("stored prefs = %+v: want unconfirmed, with the token's hash only", p)
	}
	if st, _ := e.svc.EmailStatusOf(ctx, asAdmin, "mia"); st.Confirmed || !st.Sent {
		t.Errorf("status = %+v, want sent, not confirmed", st)
	}

	// No digest to an unconfirmed address.
	e.publish(t, "acme", callInput())
	if n, err := e.svc.SendDigests(ctx); err != nil || n != 0 {
		t.Errorf("SendDigests before confirmation = %d, %v; want 0", n, err)
	}
	if got := m.take(); len(got) != 0 {
		t.Errorf("e-mails to an unconfirmed address: %v", got)
	}

	for _, bad := range []string{"", token + "x", strings.ToUpper(token)} {
		if err := e.svc.ConfirmEmail(ctx, "mia", bad); !errors.Is(err, ErrBadConfirm) {
			t.Errorf("ConfirmEmail(%q) = %v, want ErrBadConfirm", bad, err)
		}
	}
	if err := e.svc.ConfirmEmail(ctx, "nobody", token); !errors.Is(err, ErrBadConfirm) {
		t.Errorf("token for another account: %v, want ErrBadConfirm", err)
	}
	if err := e.svc.CheckEmailConfirmation(ctx, "mia", token); err != nil {
		t.Fatalf("CheckEmailConfirmation: %v", err)
	}
	if err := e.svc.ConfirmEmail(ctx, "mia", token); err != nil {
		t.Fatalf("ConfirmEmail: %v", err)
	}
	if err := e.svc.ConfirmEmail(ctx, "mia", token); !errors.Is(err, ErrBadConfirm) {
		t.Errorf("second use: %v, want ErrBadConfirm", err)
	}
	if n, err := e.svc.SendDigests(ctx); err != nil || n != 1 {
		t.Errorf("SendDigests after confirmation = %d, %v; want 1", n, err)
	}
	if got := m.take(); len(got) != 1 || got[0].to != "mia@example.org" {
		t.Errorf("digest e-mails = %v", got)
	}
	// Changing only the frequency keeps the confirmation, and sends nothing.
	if err := e.svc.SetMailSettings(ctx, asAdmin, "mia", "mia@example.org", "weekly"); err != nil {
		t.Fatal(err)
	}
	if st, _ := e.svc.EmailStatusOf(ctx, asAdmin, "mia"); !st.Confirmed || len(m.take()) != 0 {
		t.Errorf("frequency change: status %+v, want still confirmed and no e-mail", st)
	}

	// A changed address is unconfirmed again, even a return to the old one.
	if err := e.svc.SetMailSettings(ctx, asAdmin, "mia", "mia@other.example", "daily"); err != nil {
		t.Fatal(err)
	}
	sent = m.take()
	if len(sent) != 1 || sent[0].to != "mia@other.example" {
		t.Fatalf("after changing the address: %v, want one confirmation e-mail to the new one", sent)
	}
	old := confirmToken(t, sent[0].body)
	if err := e.svc.SetMailSettings(ctx, asAdmin, "mia", "mia@example.org", "daily"); err != nil {
		t.Fatal(err)
	}
	if st, _ := e.svc.EmailStatusOf(ctx, asAdmin, "mia"); st.Confirmed {
		t.Error("back to the old address: confirmed without a new link")
	}
	if err := e.svc.ConfirmEmail(ctx, "mia", old); !errors.Is(err, ErrBadConfirm) {
		t.Errorf("link for the previous address: %v, want ErrBadConfirm", err)
	}
	e.publish(t, "acme", callInput())
	e.clock.Advance(25 * time.Hour)
	if n, _ := e.svc.SendDigests(ctx); n != 0 {
		t.Errorf("digest to a changed, unconfirmed address: %d", n)
	}

	// The link expires after ConfirmTTL.
	token = confirmToken(t, m.take()[0].body)
	e.clock.Advance(ConfirmTTL)
	if err := e.svc.ConfirmEmail(ctx, "mia", token); !errors.Is(err, ErrBadConfirm) {
		t.Errorf("after %v: %v, want ErrBadConfirm", ConfirmTTL, err)
	}

	// Resending is limited per mailbox.
	for i := range mailboxMaxLinks {
		if err := e.svc.SendEmailConfirmation(ctx, asAdmin, "mia"); err != nil {
			t.Fatalf("resend %d: %v", i+1, err)
		}
	}
	if err := e.svc.SendEmailConfirmation(ctx, asAdmin, "mia"); !errors.Is(err, ErrTooManyMails) {
		t.Errorf("resend over the limit: %v, want ErrTooManyMails", err)
	}
	sent = m.take()
	if len(sent) != mailboxMaxLinks {
		t.Fatalf("%d e-mails, want %d", len(sent), mailboxMaxLinks)
	}
	// Only the newest link works.
	if err := e.svc.ConfirmEmail(ctx, "mia", confirmToken(t, sent[0].body)); !errors.Is(err, ErrBadConfirm) {
		t.Errorf("superseded link: %v, want ErrBadConfirm", err)
	}
	if err := e.svc.ConfirmEmail(ctx, "mia", confirmToken(t, sent[len(sent)-1].body)); err != nil {
		t.Errorf("newest link: %v", err)
	}
}

// TestResetConfirmsAddress: reset links may go to an unconfirmed address;
// using one proves its owner reads the mailbox, so the address is then
// confirmed (if the account still has it). A link an administrator made
// confirms nothing.
func TestResetConfirmsAddress(t *testing.T) {
	m := &fakeMailer{}
	e := newMatchingEnv(t, withMail(m))
	ctx := context.Background()
	if err := e.svc.SetMailSettings(ctx, asAdmin, "mia", "mia@example.org", "daily"); err != nil {
		t.Fatal(err)
	}
	m.take()
	token, err := e.svc.MakeResetLink(ctx, asAdmin, "mia")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ResetPassword(ctx, token, "a brand new password"); err != nil {
		t.Fatal(err)
	}
	if st, _ := e.svc.EmailStatusOf(ctx, asAdmin, "mia"); st.Confirmed {
		t.Error("an administrator's reset link confirmed the address")
	}
	if err := e.svc.sendReset(ctx, "mia"); err != nil {
		t.Fatal(err)
	}
	sent := m.take()
	if len(sent) != 1 {
		t.Fatalf("reset e-mails = %v", sent)
	}
	token = regexp.MustCompile(`/reset/([A-Za-z0-9_-]+)`).FindStringSubmatch(sent[0].body)[1]
	if err := e.svc.ResetPassword(ctx, token, "yet another password"); err != nil {
		t.Fatal(err)
	}
	if st, _ := e.svc.EmailStatusOf(ctx, asAdmin, "mia"); !st.Confirmed {
		t.Error("a reset link e-mailed to the address, used, did not confirm it")
	}
}

// TestConfirmationMailsPerAccount: an account that changes its address
// again and again makes the instance mail at most accountMaxConfirmations
// addresses an hour, so it cannot use the confirmation to mail strangers.
func TestConfirmationMailsPerAccount(t *testing.T) {
	m := &fakeMailer{}
	e := newMatchingEnv(t, withMail(m))
	ctx := context.Background()
	for i := range 20 {
		if err := e.svc.SetMailSettings(ctx, asAdmin, "mia", fmt.Sprintf("victim%d@example.org", i), "daily"); err != nil {
			t.Fatal(err)
		}
	}
	if sent := m.take(); len(sent) != accountMaxConfirmations {
		t.Errorf("20 address changes sent %d confirmation e-mails, want %d", len(sent), accountMaxConfirmations)
	}
}
