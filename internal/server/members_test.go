package server_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/config"
	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/mail/smtptest"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/store"
)

// TestMemberJourney is issue #5's scenario from end to end: B's
// administrator invites a member of B's organisation, who joins, states
// interests and a digest, and follows A's organisation; A publishes a call
// that fits; the member finds it at /me, in the Atom feed and in the
// e-mail digest, drafts an answer that B's editor sends; A lists it from
// B's organisation, then marks the call filled, which B shows, and no
// reminder follows for it.
func TestMemberJourney(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.200:0")
	if err != nil {
		t.Fatal(err)
	}
	smtp := smtptest.Start(ln)
	t.Cleanup(smtp.Close)
	a := testenv.Start(t, "127.0.0.200", testenv.Options{})
	b := testenv.Start(t, "127.0.0.201", testenv.Options{Configure: func(c *config.Config) {
		c.SMTPAddr, c.SMTPFrom = smtp.Addr(), "maillage@127.0.0.201"
		c.ReminderDays = 60 // every call below is due within it
	}})
	ctx := context.Background()

	// B's administrator invites a member of coop, who joins and signs in.
	root := session(t, b, "root", service.RoleAdmin)
	s, page := browse(t, b, root, "POST", "/admin/accounts/invite", url.Values{"role": {"member"}, "orgs": {"coop"}})
	code := regexp.MustCompile(`/join\?code=([A-Za-z0-9_-]+)`).FindStringSubmatch(page)
	if s != http.StatusOK || code == nil {
		t.Fatalf("invite: status %d, no join link in %.500s", s, page)
	}
	m := newMeClient(t, b)
	if s, _, _ := m.do("/join?code="+code[1], nil); s != http.StatusOK {
		t.Fatalf("GET /join: %d", s)
	}
	const password = "a long enough password"
	join := url.Values{"code": {code[1]}, "username": {"nina"}, "password": {password}, "password_again": {password}}
	if s, loc, _ := m.do("/join", join); s != http.StatusSeeOther || loc != "/login" {
		t.Fatalf("POST /join: %d to %q, want 303 to /login", s, loc)
	}
	if s, _, _ := m.do("/join", join); s != http.StatusNotFound {
		t.Errorf("second use of the invitation: %d, want 404", s)
	}
	if s, loc, _ := m.do("/login", url.Values{"username": {"nina"}, "password": {password}}); s != http.StatusSeeOther || loc != "/me" {
		t.Fatalf("login: %d to %q, want 303 to /me", s, loc)
	}

	// Interests, e-mail and daily digest, the feed's secret address.
	if s, _, _ := m.do("/me/interests", url.Values{"sectors": {"mobility"}, "roles": {"pilot-territory"}, "countries": {"fr"}}); s != http.StatusSeeOther {
		t.Fatalf("save interests: %d", s)
	}
	if s, _, _ := m.do("/me/settings", url.Values{"email": {"nina@example.org"}, "digest": {"daily"}}); s != http.StatusSeeOther {
		t.Fatalf("save settings: %d", s)
	}
	confirmAddress(t, m, smtp, "nina@example.org")
	if s, _, _ := m.do("/me/settings/secret", url.Values{}); s != http.StatusSeeOther {
		t.Fatalf("new feed secret: %d", s)
	}
	_, _, page = m.do("/me/settings", nil)
	feed := regexp.MustCompile(`<code id="feed-url">([^<]+)</code>`).FindStringSubmatch(page)
	if feed == nil || !strings.HasPrefix(feed[1], b.Base+"/me/feed/") {
		t.Fatalf("no feed URL on the settings page:\n%s", page)
	}

	// The member follows A's organisation by handle, as a person: B's
	// organisation follows nobody.
	if s, loc, body := m.do("/me/following", url.Values{"target": {a.Handle("coop")}}); s != http.StatusSeeOther || loc != "/me/following" {
		t.Fatalf("follow %s: %d to %q, body %.300s", a.Handle("coop"), s, loc, body)
	}
	testenv.WaitFor(t, wait, "nina's follow of A's coop accepted", func() bool {
		var accepted bool
		_ = b.Server.Store.View(func(tx *store.Tx) error {
			fs, err := tx.FollowingList(model.PersonName("nina"))
			for _, f := range fs {
				accepted = accepted || (f.Target == a.Actor("coop") && f.State == model.FollowAccepted)
			}
			return err
		})
		return accepted
	})

	// A publishes a call that fits, and one that does not.
	in := callInput()
	in.Deadline = service.Time(time.Now().Add(30 * 24 * time.Hour).Truncate(time.Minute))
	call := publish(t, a, "coop", in)
	other := in
	other.Title, other.Sectors = "Unrelated call", []string{"energy"}
	unrelated := publish(t, a, "coop", other)
	waitObject(t, b, a.Actor("coop"), unrelated.ID, func(model.Object) bool { return true })
	waitObject(t, b, a.Actor("coop"), call.ID, func(model.Object) bool { return true })

	// In-app, in the feed, in the digest.
	testenv.WaitFor(t, wait, "the call at /me", func() bool {
		_, _, body := m.do("/me", nil)
		return strings.Contains(body, call.Title)
	})
	if s, _, body := newMeClient(t, b).do(strings.TrimPrefix(feed[1], b.Base), nil); s != http.StatusOK || !strings.Contains(body, call.ID) {
		t.Errorf("feed: %d, has the call: %v", s, strings.Contains(body, call.ID))
	}
	if n, err := b.Server.Service.SendDigests(ctx); err != nil || n != 1 {
		t.Fatalf("SendDigests = %d, %v; want 1", n, err)
	}
	msgs := smtp.Messages()[1:] // after the confirmation
	if len(msgs) != 1 || len(msgs[0].To) != 1 || msgs[0].To[0] != "nina@example.org" || !strings.Contains(msgs[0].Data, call.Title) {
		t.Fatalf("digest messages = %+v", msgs)
	}
	if strings.Contains(msgs[0].Data, "Unrelated call") {
		t.Errorf("the digest names a call that does not match:\n%s", msgs[0].Data)
	}

	// The member drafts an answer; an editor of B's coop sends it.
	answer := url.Values{"call": {call.ID}, "org": {"coop"}, "role": {"pilot-territory"}, "text": {"Our valley has twelve villages."}}
	if s, _, body := m.do("/answer", answer); s != http.StatusSeeOther {
		t.Fatalf("POST /answer: %d, body %.300s", s, body)
	}
	drafts, err := b.Server.Service.ListDrafts(ctx, service.System("test"), "coop")
	if err != nil || len(drafts) != 1 || drafts[0].Author != "nina" || drafts[0].Status != store.AnswerDraft {
		t.Fatalf("drafts on B = %+v, %v", drafts, err)
	}
	editor := session(t, b, "ed", service.RoleEditor)
	if s, _ := browse(t, b, editor, "POST", "/admin/orgs/coop/answers/"+drafts[0].ID+"/send", url.Values{}); s != http.StatusSeeOther {
		t.Fatalf("editor sends: status %d", s)
	}
	drafts, _ = b.Server.Service.ListDrafts(ctx, service.System("test"), "coop")
	if len(drafts) != 1 || drafts[0].Status != store.AnswerSent || drafts[0].ReplyIRI == "" {
		t.Fatalf("drafts on B after sending = %+v", drafts)
	}

	// A lists the answer under its call, from B's organisation.
	testenv.WaitFor(t, wait, "A to list B's answer", func() bool {
		var rs []model.Reply
		a.API("GET", apiPath(a, call.ID)+"/replies", nil, &rs)
		return len(rs) == 1 && rs[0].ID == drafts[0].ReplyIRI && rs[0].Actor == b.Actor("coop")
	})

	// A marks the call filled; B shows it filled.
	filled := in
	filled.Status = "filled"
	if s := a.API("PUT", apiPath(a, call.ID), filled, nil); s != http.StatusOK {
		t.Fatalf("mark filled: status %d", s)
	}
	waitObject(t, b, a.Actor("coop"), call.ID, func(o model.Object) bool { return o.Status == "filled" })
	// The directory index is refreshed after the store commit: wait for it too.
	testenv.WaitFor(t, wait, "B's directory.json to show the call filled", func() bool {
		return directoryStatus(t, m, call.ID) == "filled"
	})

	// Reminders: the unrelated call, reached through the follow only, gets
	// one; the filled call none.
	if n, err := b.Server.Service.SendReminders(ctx); err != nil || n != 1 {
		t.Fatalf("SendReminders = %d, %v; want 1", n, err)
	}
	notices, err := b.Server.Service.Notices(ctx, service.System("test"), "nina", 0)
	if err != nil {
		t.Fatalf("Notices: %v", err)
	}
	var reminded []string
	for _, n := range notices {
		if n.Kind == service.NoticeReminder {
			reminded = append(reminded, n.Call.ID)
		}
	}
	if !slices.Equal(reminded, []string{unrelated.ID}) {
		t.Errorf("reminders = %v, want only %s (none for the filled %s)", reminded, unrelated.ID, call.ID)
	}
}

// directoryStatus returns the status /directory.json gives id, "" if absent.
func directoryStatus(t *testing.T, m *meClient, id string) string {
	t.Helper()
	s, _, body := m.do("/directory.json?kind=call&per_page=100", nil)
	var res directory.Result
	if err := json.Unmarshal([]byte(body), &res); s != http.StatusOK || err != nil {
		t.Fatalf("directory.json: status %d, %v", s, err)
	}
	for _, e := range res.Entries {
		if e.ID == id {
			return e.Status
		}
	}
	return ""
}
