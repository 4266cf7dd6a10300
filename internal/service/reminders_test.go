package service

import (
	"context"
	"slices"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// followedCall is a call of peerOrg, due at t0 + 30 days.
func followedCall(n string, status string) model.Object {
	return model.Object{ID: peerOrg.ID + "/calls/" + n, Kind: model.KindCall, AttributedTo: peerOrg.ID,
		Title: "Remote call " + n, Sectors: []string{"energy"}, Status: status,
		Deadline: new(t0.Add(30 * 24 * time.Hour)), Published: t0, Updated: t0}
}

func (e *testEnv) reminders(t *testing.T, user string) []string {
	t.Helper()
	var out []string
	for _, n := range e.notices(t, user) {
		if n.Kind == NoticeReminder {
			out = append(out, n.Call)
		}
	}
	slices.Sort(out)
	return out
}

// TestRemindersOfFollowedCalls: an account whose Person actor follows an
// organisation is reminded of its open calls, without matching interests.
func TestRemindersOfFollowedCalls(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	for _, name := range []string{"fay", "gus", "hal"} {
		if _, err := e.svc.CreateAccount(ctx, asAdmin, name, "a long enough password", RoleMember, []string{"acme"}); err != nil {
			t.Fatalf("CreateAccount %s: %v", name, err)
		}
	}
	e.addFollowing(t, model.PersonName("fay"), peerOrg, model.FollowAccepted)
	e.addFollowing(t, model.PersonName("gus"), peerOrg, model.FollowPending)
	e.addFollowing(t, "acme", peerOrg, model.FollowAccepted) // the organisation's follow is not hal's
	open, filled, closed := followedCall("1", "open"), followedCall("2", "filled"), followedCall("3", "closed")
	late := followedCall("4", "open")
	late.Deadline = new(t0.Add(60 * 24 * time.Hour))
	e.update(t, func(tx *store.Tx) error {
		for _, o := range []model.Object{open, filled, closed, late} {
			if err := tx.PutObject(o); err != nil {
				return err
			}
		}
		return nil
	})

	e.clock.Advance(22 * 24 * time.Hour) // 8 days left: none yet
	if n, err := e.svc.SendReminders(ctx); err != nil || n != 0 {
		t.Fatalf("SendReminders 8 days before = %d, %v; want 0", n, err)
	}
	e.clock.Advance(24 * time.Hour) // 7 days left
	if n, err := e.svc.SendReminders(ctx); err != nil || n != 1 {
		t.Fatalf("SendReminders 7 days before = %d, %v; want 1", n, err)
	}
	if n, err := e.svc.SendReminders(ctx); err != nil || n != 0 {
		t.Fatalf("SendReminders again = %d, %v; want 0", n, err)
	}
	if got := e.reminders(t, "fay"); !slices.Equal(got, []string{open.ID}) {
		t.Errorf("fay's reminders = %v, want just %s", got, open.ID)
	}
	for _, name := range []string{"gus", "hal"} {
		if got := e.reminders(t, name); len(got) != 0 {
			t.Errorf("%s's reminders = %v, want none", name, got)
		}
	}

	// Once fay unfollows, the later call nears its deadline unnoticed.
	e.update(t, func(tx *store.Tx) error { return tx.DeleteFollowing(model.PersonName("fay"), peerOrg.ID) })
	e.clock.Advance(30 * 24 * time.Hour) // late's deadline is 7 days away
	if n, err := e.svc.SendReminders(ctx); err != nil || n != 0 {
		t.Errorf("SendReminders after unfollowing = %d, %v; want 0", n, err)
	}
}
