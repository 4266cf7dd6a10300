package service

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/mail/smtptest"
	"codeberg.org/maillage/maillage/internal/matching"
	"codeberg.org/maillage/maillage/store"
)

// newMatchingEnv is a testEnv with a member "mia" interested in finance
// calls seeking funders.
func newMatchingEnv(t *testing.T, opts ...func(e *testEnv, d *Deps)) *testEnv {
	t.Helper()
	e := newTestEnv(t, opts...)
	ctx := context.Background()
	if _, err := e.svc.CreateAccount(ctx, asAdmin, "mia", "a long enough password", RoleMember, []string{"acme"}); err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	if err := e.svc.SetInterests(ctx, asAdmin, "mia", matching.Interests{Sectors: []string{"finance"}, Roles: []string{"funder"}}); err != nil {
		t.Fatalf("SetInterests: %v", err)
	}
	return e
}

func (e *testEnv) notices(t *testing.T, user string) []store.Notification {
	t.Helper()
	var ns []store.Notification
	e.view(t, func(tx *store.Tx) (err error) { ns, err = tx.Notifications(user, 0); return err })
	return ns
}

func TestMatchNotifiesOnce(t *testing.T) {
	e := newMatchingEnv(t)
	ctx := context.Background()
	call := e.publish(t, "acme", callInput())
	other := callInput()
	other.Sectors, other.PartnerRoles = []string{"energy"}, []string{"supplier"}
	e.publish(t, "acme", other)
	ns := e.notices(t, "mia")
	if len(ns) != 1 || ns[0].Call != call.ID || ns[0].Kind != NoticeMatch {
		t.Fatalf("notifications = %+v, want one match of %s", ns, call.ID)
	}
	in := callInput()
	in.Title = "Looking for funders (edited)"
	if _, err := e.svc.Edit(ctx, asAdmin, "acme", call.ID, in); err != nil {
		t.Fatalf("Edit: %v", err)
	}
	if got := len(e.notices(t, "mia")); got != 1 {
		t.Errorf("after an edit: %d notifications, want 1", got)
	}
	if err := e.svc.SetInterests(ctx, asAdmin, "mia", matching.Interests{Sectors: []string{"nowhere"}}); err == nil {
		t.Errorf("SetInterests with an unknown sector: no error")
	}
}

func TestSetInterestsMatchesKnownCalls(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	call := e.publish(t, "acme", callInput())
	if _, err := e.svc.CreateAccount(ctx, asAdmin, "max", "a long enough password", RoleMember, nil); err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	if err := e.svc.SetInterests(ctx, asAdmin, "max", matching.Interests{Roles: []string{"funder"}}); err != nil {
		t.Fatalf("SetInterests: %v", err)
	}
	if ns := e.notices(t, "max"); len(ns) != 1 || ns[0].Call != call.ID {
		t.Errorf("notifications = %+v, want the known call", ns)
	}
}

func TestReminders(t *testing.T) {
	e := newMatchingEnv(t)
	ctx := context.Background()
	open := e.publish(t, "acme", callInput()) // deadline t0 + 30 days
	filled := callInput()
	filled.Title = "Filled"
	filledCall := e.publish(t, "acme", filled)
	if got := len(e.notices(t, "mia")); got != 2 {
		t.Fatalf("%d match notifications, want 2", got)
	}
	filled.Status = "filled"
	if _, err := e.svc.Edit(ctx, asAdmin, "acme", filledCall.ID, filled); err != nil {
		t.Fatalf("Edit: %v", err)
	}
	e.clock.Advance(22 * 24 * time.Hour) // 8 days left: none yet
	if n, err := e.svc.SendReminders(ctx); err != nil || n != 0 {
		t.Fatalf("SendReminders 8 days before = %d, %v; want 0", n, err)
	}
	e.clock.Advance(24 * time.Hour) // 7 days left
	for range 2 {
		if _, err := e.svc.SendReminders(ctx); err != nil {
			t.Fatalf("SendReminders: %v", err)
		}
	}
	var reminders []string
	for _, n := range e.notices(t, "mia") {
		if n.Kind == NoticeReminder {
			reminders = append(reminders, n.Call)
		}
	}
	if len(reminders) != 1 || reminders[0] != open.ID {
		t.Errorf("reminders = %v, want just %s (none for the filled call)", reminders, open.ID)
	}
}

func TestDigest(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.160:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := smtptest.Start(ln)
	t.Cleanup(srv.Close)
	e := newMatchingEnv(t, withSMTP(srv.Addr()))
	ctx := context.Background()
	if err := e.svc.SetMailSettings(ctx, asAdmin, "mia", "mia@example.org", "daily"); err != nil {
		t.Fatalf("SetMailSettings: %v", err)
	}
	// Digests go to confirmed addresses only.
	if msgs := srv.Messages(); len(msgs) != 1 {
		t.Fatalf("messages = %+v, want the confirmation", msgs)
	} else if err := e.svc.ConfirmEmail(ctx, "mia", confirmToken(t, msgs[0].Data)); err != nil {
		t.Fatalf("ConfirmEmail: %v", err)
	}
	e.publish(t, "acme", callInput())
	if n, err := e.svc.SendDigests(ctx); err != nil || n != 1 {
		t.Fatalf("SendDigests = %d, %v; want 1", n, err)
	}
	msgs := srv.Messages()[1:]
	if len(msgs) != 1 || len(msgs[0].To) != 1 || msgs[0].To[0] != "mia@example.org" {
		t.Fatalf("messages = %+v", msgs)
	}
	if !strings.Contains(msgs[0].Data, "Looking for funders") {
		t.Errorf("digest does not name the call:\n%s", msgs[0].Data)
	}
	e.clock.Advance(25 * time.Hour)
	if n, err := e.svc.SendDigests(ctx); err != nil || n != 0 {
		t.Errorf("second digest with nothing new = %d, %v; want 0", n, err)
	}
	if err := e.svc.SetMailSettings(ctx, asAdmin, "mia", "not an address", "hourly"); err == nil {
		t.Errorf("bad settings accepted")
	}
}

func TestFeedSecret(t *testing.T) {
	e := newMatchingEnv(t)
	ctx := context.Background()
	call := e.publish(t, "acme", callInput())
	secret, err := e.svc.NewFeedSecret(ctx, asAdmin, "mia")
	if err != nil {
		t.Fatalf("NewFeedSecret: %v", err)
	}
	user, ns, err := e.svc.FeedNotices(ctx, secret)
	if err != nil || user != "mia" || len(ns) != 1 || ns[0].Call.ID != call.ID {
		t.Fatalf("FeedNotices = %q, %d, %v", user, len(ns), err)
	}
	if _, _, err := e.svc.FeedNotices(ctx, secret+"x"); err == nil {
		t.Errorf("a wrong secret was accepted")
	}
	if _, err := e.svc.NewFeedSecret(ctx, asAdmin, "mia"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.FeedNotices(ctx, secret); err == nil {
		t.Errorf("the old secret still works")
	}
}

// TestNoDigestToUnconfirmedAddress: an address nobody confirmed gets no
// digest, however due.
func TestNoDigestToUnconfirmedAddress(t *testing.T) {
	m := &fakeMailer{}
	e := newMatchingEnv(t, withMail(m))
	ctx := context.Background()
	if err := e.svc.SetMailSettings(ctx, asAdmin, "mia", "victim@example.org", "daily"); err != nil {
		t.Fatal(err)
	}
	m.take()
	e.publish(t, "acme", callInput())
	if n, err := e.svc.SendDigests(ctx); err != nil || n != 0 {
		t.Errorf("SendDigests = %d, %v; want 0", n, err)
	}
	if got := m.take(); len(got) != 0 {
		t.Errorf("e-mails to an unconfirmed address: %v", got)
	}
}
