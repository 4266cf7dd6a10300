package service

import (
	"context"
	"slices"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// TestLegacyObjectAudience: a remote object stored before audiences were
// recorded is not public (no page lists it) but a following member still
// sees it, and an Update with the same timestamp records its audience.
func TestLegacyObjectAudience(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	if _, err := e.svc.CreateAccount(ctx, "alice", "correct horse battery staple", RoleMember, nil); err != nil {
		t.Fatal(err)
	}
	e.addFollowing(t, model.PersonName("alice"), peerOrg, model.FollowAccepted)
	legacy := remoteObject(peerOrg, 1, t0)
	legacy.Audience = ""
	e.update(t, func(tx *store.Tx) error { return tx.PutObject(legacy) })

	if objs, _ := e.svc.ObjectsBy(ctx, peerOrg.ID); len(objs) != 0 {
		t.Errorf("ObjectsBy lists %d objects of unknown audience, want none", len(objs))
	}
	home := func() []string {
		feed, err := e.svc.Home(ctx, "alice", HomeFilter{}, t0)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, it := range feed.Items {
			ids = append(ids, it.ID)
		}
		return ids
	}
	if !slices.Contains(home(), legacy.ID) {
		t.Errorf("a following member does not see the object of unknown audience")
	}

	again := remoteObject(peerOrg, 1, t0) // same updated, now with its audience
	if err := e.svc.ReceiveObject(ctx, peerOrg.ID+"/activities/again", peerOrg.ID, "", again); err != nil {
		t.Fatal(err)
	}
	if got := e.object(t, legacy.ID).Audience; got != model.AudiencePublic {
		t.Errorf("after the Update: audience %q, want %q", got, model.AudiencePublic)
	}
	if objs, _ := e.svc.ObjectsBy(ctx, peerOrg.ID); len(objs) != 1 {
		t.Errorf("ObjectsBy lists %d objects, want the now public one", len(objs))
	}
}

// TestNoticesFollowAudience: a member's notifications of a followers-only
// call disappear when the member stops following its author.
func TestNoticesFollowAudience(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	if _, err := e.svc.CreateAccount(ctx, "alice", "correct horse battery staple", RoleMember, nil); err != nil {
		t.Fatal(err)
	}
	e.addFollowing(t, model.PersonName("alice"), peerOrg, model.FollowAccepted)
	call := remoteCall(peerOrg, 1, "open", nil)
	call.Audience = model.AudienceFollowers
	if err := e.svc.ReceiveObject(ctx, "https://p.example/activities/c1", peerOrg.ID, "", call); err != nil {
		t.Fatal(err)
	}
	e.update(t, func(tx *store.Tx) error {
		_, err := tx.AddNotification("alice", NoticeMatch, call.ID, t0)
		return err
	})
	if ns, err := e.svc.Notices(ctx, "alice", 0); err != nil || len(ns) != 1 {
		t.Fatalf("notices while following: %d, %v; want 1", len(ns), err)
	}
	e.update(t, func(tx *store.Tx) error { return tx.DeleteFollowing(model.PersonName("alice"), peerOrg.ID) })
	if ns, _ := e.svc.Notices(ctx, "alice", 0); len(ns) != 0 {
		t.Errorf("notices after unfollowing: %d, want none of the followers-only call", len(ns))
	}
}
