package service

import (
	"context"
	"errors"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

func TestReceiveFollowAutoAccepts(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	const followID = "https://b.example/follows/1"
	if err := e.svc.ReceiveFollow(ctx, followID, "acme", bob); err != nil {
		t.Fatalf("ReceiveFollow: %v", err)
	}
	f, err := e.follower(t, "acme", bob.ID)
	if err != nil {
		t.Fatalf("follower: %v", err)
	}
	if f.Pending || f.FollowID != followID || f.SharedInbox != bob.SharedInbox || f.Inbox != bob.Inbox {
		t.Errorf("follower = %+v", f)
	}
	// The Accept goes to the follower's own inbox.
	checkSent(t, e.sent(t), []sent{{"Accept", "acme", bob.Inbox}})
	q := e.queue(t)
	accept := e.activity(t, q[0].ActivityID)
	want := model.FollowRef{ID: followID, Actor: bob.ID, Object: e.u.Actor("acme")}
	if accept.Follow == nil || *accept.Follow != want || accept.ObjectID != followID {
		t.Errorf("Accept = %+v, want Follow %+v", accept, want)
	}
	if got := e.pokes.Load(); got != 1 {
		t.Errorf("pokes = %d, want 1", got)
	}

	// The same Follow delivered again changes nothing.
	if err := e.svc.ReceiveFollow(ctx, followID, "acme", bob); err != nil {
		t.Fatalf("repeated ReceiveFollow: %v", err)
	}
	if q := e.queue(t); len(q) != 1 {
		t.Errorf("repeated Follow queued %d deliveries, want still 1", len(q))
	}
	if got := e.pokes.Load(); got != 1 {
		t.Errorf("pokes after a repeated Follow = %d, want 1", got)
	}

	// Later publications reach the new follower.
	e.clearQueue(t)
	e.publish(t, "acme", projectInput())
	checkSent(t, e.sent(t), []sent{{"Create", "acme", bob.SharedInbox}})
}

func TestReceiveFollowUnknownLocal(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	const followID = "https://b.example/follows/1"
	if err := e.svc.ReceiveFollow(ctx, followID, "beta", bob); !errors.Is(err, ErrNotFound) {
		t.Fatalf("ReceiveFollow of an unknown org: err = %v, want ErrNotFound", err)
	}
	// The failure rolled back the seen mark: the same activity applies once
	// the org exists.
	if _, err := e.svc.CreateOrg(ctx, asAdmin, model.Org{Name: "beta", Profile: model.Profile{DisplayName: "Beta"}}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ReceiveFollow(ctx, followID, "beta", bob); err != nil {
		t.Fatalf("ReceiveFollow: %v", err)
	}
	if _, err := e.follower(t, "beta", bob.ID); err != nil {
		t.Errorf("follower after retry: %v", err)
	}
}

func setManualApprove(t *testing.T, e *testEnv) {
	t.Helper()
	if _, err := e.svc.UpdateProfile(context.Background(), asAdmin, "acme", ProfileInput{Profile: model.Profile{DisplayName: "Acme"}, ManualApprove: true}); err != nil {
		t.Fatal(err)
	}
	e.clearQueue(t)
}

func TestReceiveFollowManualApproval(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	setManualApprove(t, e)

	const bobFollow, carolFollow = "https://b.example/follows/bob", "https://b.example/follows/carol"
	for _, x := range []struct {
		id string
		a  model.Actor
	}{{bobFollow, bob}, {carolFollow, carol}} {
		if err := e.svc.ReceiveFollow(ctx, x.id, "acme", x.a); err != nil {
			t.Fatalf("ReceiveFollow: %v", err)
		}
	}
	for _, a := range []model.Actor{bob, carol} {
		if f, err := e.follower(t, "acme", a.ID); err != nil || !f.Pending {
			t.Errorf("follower %s = %+v, %v; want pending", a.Username, f, err)
		}
	}
	if q := e.sent(t); len(q) != 0 {
		t.Errorf("pending follows sent %+v, want nothing", q)
	}
	e.publish(t, "acme", projectInput())
	if q := e.sent(t); len(q) != 0 {
		t.Errorf("publication reached pending followers: %+v", q)
	}

	if err := e.svc.ApproveFollower(ctx, asAdmin, "acme", bob.ID, true); err != nil {
		t.Fatalf("ApproveFollower: %v", err)
	}
	if f, err := e.follower(t, "acme", bob.ID); err != nil || f.Pending {
		t.Errorf("approved follower = %+v, %v; want not pending", f, err)
	}
	if err := e.svc.ApproveFollower(ctx, asAdmin, "acme", carol.ID, false); err != nil {
		t.Fatalf("ApproveFollower(reject): %v", err)
	}
	if _, err := e.follower(t, "acme", carol.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("rejected follower: err = %v, want ErrNotFound", err)
	}
	checkSent(t, e.sent(t), []sent{{"Accept", "acme", bob.Inbox}, {"Reject", "acme", carol.Inbox}})
	for _, d := range e.queue(t) {
		a := e.activity(t, d.ActivityID)
		if want := map[string]string{"Accept": bobFollow, "Reject": carolFollow}[a.Type]; a.Follow == nil || a.Follow.ID != want {
			t.Errorf("%s refers to follow %+v, want %s", a.Type, a.Follow, want)
		}
	}
	if err := e.svc.ApproveFollower(ctx, asAdmin, "acme", dave.ID, true); !errors.Is(err, ErrNotFound) {
		t.Errorf("ApproveFollower of a non-follower: err = %v, want ErrNotFound", err)
	}

	e.clearQueue(t)
	e.publish(t, "acme", projectInput())
	checkSent(t, e.sent(t), []sent{{"Create", "acme", bob.SharedInbox}})
}

func TestReceiveFollowRepeatedByAcceptedFollower(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	setManualApprove(t, e)
	if err := e.svc.ReceiveFollow(ctx, "https://b.example/follows/1", "acme", bob); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ApproveFollower(ctx, asAdmin, "acme", bob.ID, true); err != nil {
		t.Fatal(err)
	}
	e.clearQueue(t)
	// Mastodon re-sends a Follow (new id) for an existing follow; it is
	// accepted again at once (app/lib/activitypub/activity/follow.rb).
	if err := e.svc.ReceiveFollow(ctx, "https://b.example/follows/2", "acme", bob); err != nil {
		t.Fatal(err)
	}
	if f, err := e.follower(t, "acme", bob.ID); err != nil || f.Pending {
		t.Errorf("follower after a repeated Follow = %+v, %v; want still accepted", f, err)
	}
	checkSent(t, e.sent(t), []sent{{"Accept", "acme", bob.Inbox}})
}

func TestReceiveUndoFollow(t *testing.T) {
	tests := []struct {
		name     string
		followID string
		wantKept bool
	}{
		{"matching follow id", "https://b.example/follows/1", false},
		{"no follow id", "", false},
		{"another follow id", "https://b.example/follows/2", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			ctx := context.Background()
			if err := e.svc.ReceiveFollow(ctx, "https://b.example/follows/1", "acme", bob); err != nil {
				t.Fatal(err)
			}
			if err := e.svc.ReceiveUndoFollow(ctx, "https://b.example/undo/1", "acme", bob.ID, tt.followID); err != nil {
				t.Fatalf("ReceiveUndoFollow: %v", err)
			}
			_, err := e.follower(t, "acme", bob.ID)
			if kept := err == nil; kept != tt.wantKept {
				t.Errorf("follower kept = %t (%v), want %t", kept, err, tt.wantKept)
			}
			// A replay of the original Follow is ignored as already seen.
			if err := e.svc.ReceiveFollow(ctx, "https://b.example/follows/1", "acme", bob); err != nil {
				t.Fatal(err)
			}
			if _, err := e.follower(t, "acme", bob.ID); (err == nil) != tt.wantKept {
				t.Errorf("replayed Follow changed the follower: %v", err)
			}
		})
	}
	e := newTestEnv(t)
	if err := e.svc.ReceiveUndoFollow(context.Background(), "https://b.example/undo/9", "acme", dave.ID, ""); err != nil {
		t.Errorf("undo of an unknown follow: %v, want nil", err)
	}
}

func TestReceiveUndoByIRI(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	if err := e.svc.ReceiveFollow(ctx, "https://b.example/follows/1", "acme", bob); err != nil {
		t.Fatal(err)
	}
	o := e.publish(t, "acme", projectInput())
	if err := e.svc.ReceiveReaction(ctx, "https://b.example/likes/1", model.ReactionLike, "https://b.example/likes/1", bob.ID, o.ID, false); err != nil {
		t.Fatal(err)
	}
	// Carol cannot undo bob's like or bob's follow.
	if err := e.svc.ReceiveUndo(ctx, "https://b.example/undo/c1", carol.ID, "https://b.example/likes/1"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ReceiveUndo(ctx, "https://b.example/undo/c2", carol.ID, "https://b.example/follows/1"); err != nil {
		t.Fatal(err)
	}
	if c, _ := e.svc.Counts(ctx, o.ID); c.Likes != 1 {
		t.Errorf("likes after carol's undo = %d, want 1", c.Likes)
	}
	if _, err := e.follower(t, "acme", bob.ID); err != nil {
		t.Errorf("follower after carol's undo: %v", err)
	}
	if err := e.svc.ReceiveUndo(ctx, "https://b.example/undo/1", bob.ID, "https://b.example/likes/1"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ReceiveUndo(ctx, "https://b.example/undo/2", bob.ID, "https://b.example/follows/1"); err != nil {
		t.Fatal(err)
	}
	if c, _ := e.svc.Counts(ctx, o.ID); c.Likes != 0 {
		t.Errorf("likes after bob's undo = %d, want 0", c.Likes)
	}
	if _, err := e.follower(t, "acme", bob.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("follower after bob's undo: err = %v, want ErrNotFound", err)
	}
}
