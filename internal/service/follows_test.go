package service

import (
	"context"
	"errors"
	"slices"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

func (e *testEnv) following(t *testing.T, local, target string) (model.Following, error) {
	t.Helper()
	var f model.Following
	err := e.st.View(func(tx *store.Tx) error {
		var err error
		f, err = tx.Following(local, target)
		return err
	})
	return f, err
}

func (e *testEnv) follower(t *testing.T, local, actor string) (model.Follower, error) {
	t.Helper()
	var f model.Follower
	err := e.st.View(func(tx *store.Tx) error {
		var err error
		f, err = tx.Follower(local, actor)
		return err
	})
	return f, err
}

func TestFollow(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.resolve.actors["bob@b.example"] = bob

	f, err := e.svc.Follow(ctx, asAdmin, "acme", "bob@b.example")
	if err != nil {
		t.Fatalf("Follow: %v", err)
	}
	if f.Target != bob.ID || f.State != model.FollowPending || f.FollowID == "" || !f.Since.Equal(t0) {
		t.Errorf("Follow = %+v", f)
	}
	if stored, err := e.following(t, "acme", bob.ID); err != nil || stored != f {
		t.Errorf("stored following = %+v, %v; want %+v", stored, err, f)
	}
	e.view(t, func(tx *store.Tx) error {
		if _, err := tx.Actor(bob.ID); err != nil {
			t.Errorf("actor not stored: %v", err)
		}
		return nil
	})
	// The Follow goes to bob's personal inbox, not the shared one.
	checkSent(t, e.sent(t), []sent{{"Follow", "acme", bob.Inbox}})
	a := e.activity(t, f.FollowID)
	if a.ObjectID != bob.ID || !slices.Equal(a.To, []string{bob.ID}) {
		t.Errorf("Follow activity = %+v", a)
	}
	if got := e.outbox(t, "acme"); len(got) != 0 {
		t.Errorf("Follow is in the public outbox: %+v", got)
	}
	if got := e.pokes.Load(); got != 1 {
		t.Errorf("pokes = %d, want 1", got)
	}
	local, target, err := e.svc.FollowFromActivity(ctx, f.FollowID)
	if err != nil || local != "acme" || target != bob.ID {
		t.Errorf("FollowFromActivity = %q, %q, %v; want acme, %s", local, target, err, bob.ID)
	}
	list, err := e.svc.FollowingList(ctx, "acme")
	if err != nil || len(list) != 1 {
		t.Errorf("FollowingList = %+v, %v", list, err)
	}
}

func TestFollowRefusals(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	self := model.Actor{ID: e.u.Actor("acme"), Inbox: e.u.Inbox("acme")}
	e.resolve.actors["acme@local.example"] = self
	e.resolve.actors["bob@b.example"] = bob

	_, err := e.svc.Follow(ctx, asAdmin, "acme", "acme@local.example")
	if got := validationFields(t, err); !slices.Equal(got, []string{"target"}) {
		t.Errorf("follow self: fields = %q, want [target]", got)
	}
	if _, err := e.svc.Follow(ctx, asAdmin, "acme", "nobody@x.example"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unresolvable target: err = %v, want ErrNotFound", err)
	}
	if _, err := e.svc.Follow(ctx, asAdmin, "ghost", "bob@b.example"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown local org: err = %v, want ErrNotFound", err)
	}
	boom := errors.New("network down")
	e.resolve.failure = boom
	if _, err := e.svc.Follow(ctx, asAdmin, "acme", "bob@b.example"); !errors.Is(err, boom) {
		t.Errorf("resolver failure: err = %v, want it wrapped", err)
	}
	if q := e.queue(t); len(q) != 0 {
		t.Errorf("refused follows queued %+v", q)
	}
	if _, err := e.following(t, "ghost", bob.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("following stored for an unknown org: %v", err)
	}
}

func TestFollowAlreadyAccepted(t *testing.T) {
	e := newTestEnv(t)
	e.resolve.actors[bob.ID] = bob
	e.addFollowing(t, "acme", bob, model.FollowAccepted)
	before, _ := e.following(t, "acme", bob.ID)
	f, err := e.svc.Follow(context.Background(), asAdmin, "acme", bob.ID)
	if err != nil {
		t.Fatal(err)
	}
	if f != before {
		t.Errorf("Follow of an accepted target = %+v, want unchanged %+v", f, before)
	}
	if q := e.queue(t); len(q) != 0 {
		t.Errorf("Follow of an accepted target queued %+v", q)
	}
}

func TestReceiveFollowAnswer(t *testing.T) {
	tests := []struct {
		name      string
		followID  func(f model.Following) string
		accepted  bool
		wantState string // "" means the following is gone
	}{
		{"accept with the matching id", func(f model.Following) string { return f.FollowID }, true, model.FollowAccepted},
		{"accept without an id", func(f model.Following) string { return "" }, true, model.FollowAccepted},
		{"accept of another follow id", func(f model.Following) string { return f.FollowID + "x" }, true, model.FollowPending},
		{"reject with the matching id", func(f model.Following) string { return f.FollowID }, false, ""},
		{"reject of another follow id", func(f model.Following) string { return "https://b.example/other" }, false, model.FollowPending},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			ctx := context.Background()
			e.resolve.actors[bob.ID] = bob
			f, err := e.svc.Follow(ctx, asAdmin, "acme", bob.ID)
			if err != nil {
				t.Fatal(err)
			}
			e.clearQueue(t)
			if _, err := e.svc.ReceiveFollowAnswer(ctx, "https://b.example/answers/1", "acme", bob.ID, tt.followID(f), tt.accepted); err != nil {
				t.Fatalf("ReceiveFollowAnswer: %v", err)
			}
			got, err := e.following(t, "acme", bob.ID)
			switch {
			case tt.wantState == "" && !errors.Is(err, store.ErrNotFound):
				t.Errorf("following = %+v, %v; want gone", got, err)
			case tt.wantState != "" && got.State != tt.wantState:
				t.Errorf("following state = %q (%v), want %q", got.State, err, tt.wantState)
			}
			if q := e.queue(t); len(q) != 0 {
				t.Errorf("an answer queued %+v", q)
			}
		})
	}
}

func TestReceiveFollowAnswerUnknown(t *testing.T) {
	e := newTestEnv(t)
	if _, err := e.svc.ReceiveFollowAnswer(context.Background(), "https://b.example/answers/1", "acme", bob.ID, "", true); err != nil {
		t.Errorf("answer to a withdrawn follow: %v, want nil", err)
	}
	if _, err := e.following(t, "acme", bob.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("answer created a following: %v", err)
	}
}

func TestUnfollow(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.addFollowing(t, "acme", bob, model.FollowAccepted)
	f, _ := e.following(t, "acme", bob.ID)
	if err := e.svc.Unfollow(ctx, asAdmin, "acme", "bob@b.example"); err != nil {
		t.Fatalf("Unfollow by handle: %v", err)
	}
	if _, err := e.following(t, "acme", bob.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("following after Unfollow: %v, want ErrNotFound", err)
	}
	q := e.queue(t)
	if len(q) != 1 || q[0].Inbox != bob.Inbox {
		t.Fatalf("queue = %+v, want one Undo to bob's inbox", q)
	}
	undo := e.activity(t, q[0].ActivityID)
	if undo.Type != "Undo" || undo.Follow == nil || undo.Follow.ID != f.FollowID || undo.Follow.Object != bob.ID {
		t.Errorf("Undo = %+v", undo)
	}
	if err := e.svc.Unfollow(ctx, asAdmin, "acme", bob.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Unfollow: err = %v, want ErrNotFound", err)
	}
}
