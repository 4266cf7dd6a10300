package service

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeMailer records the e-mails a test sends.
type fakeMailer struct {
	mu   sync.Mutex // guards msgs
	msgs []fakeMail
}

type fakeMail struct{ to, subject, body string }

func (m *fakeMailer) Send(ctx context.Context, to, subject, body string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.msgs = append(m.msgs, fakeMail{to, subject, body})
	return nil
}

// take returns the e-mails sent since the last take.
func (m *fakeMailer) take() []fakeMail {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := m.msgs
	m.msgs = nil
	return out
}

// TestResetLimitPerMailbox checks that reset requests, from however many
// clients, mail one address at most mailboxMaxLinks times an hour, by
// username or by address, and that accounts sharing the address count
// once per request.
func TestResetLimitPerMailbox(t *testing.T) {
	m := &fakeMailer{}
	e := newTestEnv(t, withMail(m))
	ctx := context.Background()
	for name, addr := range map[string]string{"vic": "vic@example.org", "mal": "Vic@Example.org", "oli": "oli@example.org"} {
		if _, err := e.svc.CreateAccount(ctx, asAdmin, name, goodPassword, RoleMember, []string{"acme"}); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.SetMailSettings(ctx, asAdmin, name, addr, "off"); err != nil {
			t.Fatal(err)
		}
	}
	m.take() // the confirmation e-mails
	if err := e.svc.sendReset(ctx, "vic@example.org"); err != nil {
		t.Fatal(err)
	}
	if got := m.take(); len(got) != 2 {
		t.Fatalf("reset by a shared address: %d e-mails, want one per account", len(got))
	}
	for _, who := range []string{"vic", "mal"} {
		if err := e.svc.sendReset(ctx, who); err != nil {
			t.Fatal(err)
		}
	}
	if got := m.take(); len(got) != 2 {
		t.Fatalf("second and third requests: %d e-mails, want 2", len(got))
	}
	for _, who := range []string{"vic", "mal", "VIC@EXAMPLE.ORG"} {
		if err := e.svc.sendReset(ctx, who); err != nil {
			t.Fatal(err)
		}
	}
	if got := m.take(); len(got) != 0 {
		t.Errorf("over the limit: %d e-mails sent to %v, want none", len(got), got)
	}
	// Another mailbox is not affected.
	if err := e.svc.sendReset(ctx, "oli"); err != nil {
		t.Fatal(err)
	}
	if got := m.take(); len(got) != 1 || got[0].to != "oli@example.org" {
		t.Errorf("another mailbox: %v, want one e-mail to oli", got)
	}
	// An hour after the first, one more may go.
	e.clock.Advance(mailboxWindow)
	if err := e.svc.sendReset(ctx, "vic"); err != nil {
		t.Fatal(err)
	}
	if got := m.take(); len(got) != 1 || !strings.Contains(got[0].body, "the account vic on") {
		t.Errorf("after an hour: %v, want vic's link", got)
	}
}

// TestMailboxLimitBounded checks that the limit remembers at most its size
// of mailboxes: idle ones go first, then the least recently written to.
func TestMailboxLimitBounded(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	l := newMailboxLimit(1, time.Hour, 2)
	l.allow("a@x.example", now)
	l.allow("b@x.example", now.Add(time.Minute))
	l.allow("c@x.example", now.Add(2*time.Minute))
	if _, kept := l.sent["a@x.example"]; kept || len(l.sent) != 2 {
		t.Errorf("full: remembers %v, want b and c", l.sent)
	}
	if l.allow("C@X.example", now.Add(3*time.Minute)) {
		t.Error("second e-mail to c in the hour allowed")
	}
	l.allow("d@x.example", now.Add(2*time.Hour))
	if len(l.sent) != 1 {
		t.Errorf("after the window: remembers %v, want only d", l.sent)
	}
}
