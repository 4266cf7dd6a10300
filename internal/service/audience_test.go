package service

import (
	"context"
	"slices"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// TestLegacyObjectAudience: a remote object stored before audiences were
// recorded. A project or call (maillage's vocabulary, only ever published
// to the Public collection) stays public, so an upgraded instance keeps its
// directory; any other post is not public (no page lists it) but a
// following member still sees it, and an Update with the same timestamp
// records its audience.
func TestLegacyObjectAudience(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	if _, err := e.svc.CreateAccount(ctx, asAdmin, "alice", "correct horse battery staple", RoleMember, nil); err != nil {
		t.Fatal(err)
	}
	e.addFollowing(t, model.PersonName("alice"), peerOrg, model.FollowAccepted)
	project := remoteObject(peerOrg, 1, t0)
	project.Audience = ""
	note := remoteObject(peerOrg, 2, t0)
	note.Audience, note.Kind, note.ID = "", model.KindNote, peerOrg.ID+"/statuses/2"
	e.update(t, func(tx *store.Tx) error {
		if err := tx.PutObject(project); err != nil {
			return err
		}
		return tx.PutObject(note)
	})

	listed := func() []string {
		objs, err := e.svc.ObjectsBy(ctx, peerOrg.ID)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, o := range objs {
			ids = append(ids, o.ID)
		}
		return ids
	}
	if got := listed(); !slices.Equal(got, []string{project.ID}) {
		t.Errorf("ObjectsBy lists %q, want only the legacy project %s (a legacy note is not public)", got, project.ID)
	}
	home := func() []string {
		feed, err := e.svc.Home(ctx, asAdmin, "alice", HomeFilter{}, t0)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, it := range feed.Items {
			ids = append(ids, it.ID)
		}
		return ids
	}
	if h := home(); !slices.Contains(h, note.ID) || !slices.Contains(h, project.ID) {
		t.Errorf("a following member's home feed %q misses a legacy object", h)
	}

	again := note // same updated, now with its audience
	again.Audience = model.AudiencePublic
	if err := e.svc.ReceiveObject(ctx, peerOrg.ID+"/activities/again", peerOrg.ID, "", again); err != nil {
		t.Fatal(err)
	}
	if got := e.object(t, note.ID).Audience; got != model.AudiencePublic {
		t.Errorf("after the Update: audience %q, want %q", got, model.AudiencePublic)
	}
	if got := listed(); len(got) != 2 {
		t.Errorf("ObjectsBy lists %q, want the project and the now public note", got)
	}
}

// TestNoticesFollowAudience: a member's notifications of a followers-only
// call disappear when the member stops following its author.
func TestNoticesFollowAudience(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	if _, err := e.svc.CreateAccount(ctx, asAdmin, "alice", "correct horse battery staple", RoleMember, nil); err != nil {
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
	if ns, err := e.svc.Notices(ctx, asAdmin, "alice", 0); err != nil || len(ns) != 1 {
		t.Fatalf("notices while following: %d, %v; want 1", len(ns), err)
	}
	e.update(t, func(tx *store.Tx) error { return tx.DeleteFollowing(model.PersonName("alice"), peerOrg.ID) })
	if ns, _ := e.svc.Notices(ctx, asAdmin, "alice", 0); len(ns) != 0 {
		t.Errorf("notices after unfollowing: %d, want none of the followers-only call", len(ns))
	}
}
