package service

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// TestSeenIDsExpire: the id of an applied activity makes its replay a
// no-op for SeenRetention; the daily housekeeping then forgets it, and
// keeps the younger ones.
func TestSeenIDsExpire(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	o := e.publish(t, "acme", projectInput())
	like, undo := dave.ID+"/likes/1", dave.ID+"/likes/1/undo"
	likes := func() int {
		t.Helper()
		c, err := e.svc.Counts(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		return c.Likes
	}
	if err := e.svc.ReceiveReaction(ctx, like, model.ReactionLike, like, dave.ID, o.ID, false); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Hour)
	if err := e.svc.ReceiveReaction(ctx, undo, model.ReactionLike, like, dave.ID, o.ID, true); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(SeenRetention - 2*time.Hour)
	if n, err := e.svc.PruneSeen(ctx); err != nil || n != 0 {
		t.Fatalf("PruneSeen inside the window = %d, %v; want 0", n, err)
	}
	// A replay inside the window is still a no-op.
	if err := e.svc.ReceiveReaction(ctx, like, model.ReactionLike, like, dave.ID, o.ID, false); err != nil {
		t.Fatal(err)
	}
	if n := likes(); n != 0 {
		t.Fatalf("likes after a replayed Like = %d, want 0", n)
	}
	e.clock.Advance(90 * time.Minute) // the Like is now older than the window, the Undo not
	if n, err := e.svc.PruneSeen(ctx); err != nil || n != 1 {
		t.Fatalf("PruneSeen after the window = %d, %v; want 1", n, err)
	}
	e.view(t, func(tx *store.Tx) error {
		if tx.IsSeen(like) || !tx.IsSeen(undo) {
			t.Errorf("after pruning: Like seen %v (want false), Undo seen %v (want true)", tx.IsSeen(like), tx.IsSeen(undo))
		}
		return nil
	})
	if err := e.svc.ReceiveReaction(ctx, undo, model.ReactionLike, like, dave.ID, o.ID, true); err != nil {
		t.Fatal(err)
	}
}

// TestIgnoredActivitiesLeaveNoTrace: a Delete of an id this instance never
// held, from an actor it has no follow with, writes nothing (no tombstone,
// no seen id); from an actor followed either way it leaves a tombstone, in
// case the Delete overtook its Create.
func TestIgnoredActivitiesLeaveNoTrace(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.addFollowing(t, "acme", peerOrg, model.FollowPending)
	e.addFollower(t, "acme", carol, true)
	before := e.st.InUse()
	for i := range 200 {
		id := fmt.Sprintf("%s/statuses/%d", dave.ID, i)
		if err := e.svc.ReceiveDelete(ctx, id+"#delete", dave.ID, id); err != nil {
			t.Fatal(err)
		}
		// Nor is a Create from someone not followed, or a Like of
		// something not ours.
		o := remoteObject(dave, i, t0)
		if err := e.svc.ReceiveObject(ctx, o.ID+"#create", dave.ID, "", o); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.ReceiveReaction(ctx, id+"#like", model.ReactionLike, id+"#like", dave.ID, o.ID, false); err != nil {
			t.Fatal(err)
		}
	}
	if after := e.st.InUse(); after != before {
		t.Errorf("store content grew from %d to %d bytes with ignored activities", before, after)
	}
	e.view(t, func(tx *store.Tx) error {
		if id := dave.ID + "/statuses/0"; tx.IsTombstoned(id, dave.ID) || tx.IsSeen(id+"#delete") {
			t.Errorf("Delete by a stranger recorded: tombstone %v, seen %v", tx.IsTombstoned(id, dave.ID), tx.IsSeen(id+"#delete"))
		}
		return nil
	})
	for _, a := range []model.Actor{peerOrg, carol} {
		id := a.ID + "/statuses/1"
		if err := e.svc.ReceiveDelete(ctx, id+"#delete", a.ID, id); err != nil {
			t.Fatal(err)
		}
		e.view(t, func(tx *store.Tx) error {
			if !tx.IsTombstoned(id, a.ID) || !tx.IsSeen(id+"#delete") {
				t.Errorf("Delete by %s (a follow with acme): tombstone %v, seen %v; want both", a.ID, tx.IsTombstoned(id, a.ID), tx.IsSeen(id+"#delete"))
			}
			return nil
		})
	}
}

// TestActorsStoredWithTheirRelationship: a fetched actor is refreshed only
// if stored; a reply kept stores its author.
func TestActorsStoredWithTheirRelationship(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	stored := func(id string) bool {
		t.Helper()
		ok := false
		e.view(t, func(tx *store.Tx) error {
			_, err := tx.Actor(id)
			ok = err == nil
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			return nil
		})
		return ok
	}
	if err := e.svc.RefreshActor(ctx, dave); err != nil {
		t.Fatal(err)
	}
	if stored(dave.ID) {
		t.Error("RefreshActor stored an actor that was not stored")
	}
	e.addFollower(t, "acme", carol, false)
	renamed := carol
	renamed.Name = "Carol C."
	if err := e.svc.RefreshActor(ctx, renamed); err != nil {
		t.Fatal(err)
	}
	e.view(t, func(tx *store.Tx) error {
		if a, err := tx.Actor(carol.ID); err != nil || a.Name != "Carol C." {
			t.Errorf("stored follower after RefreshActor = %+v, %v", a, err)
		}
		return nil
	})
	o := e.publish(t, "acme", projectInput())
	r := model.Reply{ID: dave.ID + "/statuses/1", InReplyTo: o.ID, Actor: dave.ID, Content: "hi", Published: t0}
	if err := e.svc.ReceiveReply(ctx, r.ID+"#create", r.Actor, r, dave); err != nil {
		t.Fatal(err)
	}
	if !stored(dave.ID) {
		t.Error("author of a kept reply not stored")
	}
	r2 := model.Reply{ID: erin.ID + "/statuses/1", InReplyTo: o.ID + "-gone", Actor: erin.ID, Content: "hi", Published: t0}
	if err := e.svc.ReceiveReply(ctx, r2.ID+"#create", r2.Actor, r2, erin); err != nil {
		t.Fatal(err)
	}
	if stored(erin.ID) {
		t.Error("author of an ignored reply stored")
	}
}

// TestEarlyDeleteByStranger: a stranger's Delete that overtakes its reply
// leaves nothing in the store but still stops the reply, for
// earlyDeleteTTL; the memory it takes is bounded.
func TestEarlyDeleteByStranger(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	o := e.publish(t, "acme", projectInput())
	r := model.Reply{ID: dave.ID + "/statuses/1", InReplyTo: o.ID, Actor: dave.ID, Content: "hi", Published: t0}
	if err := e.svc.ReceiveDelete(ctx, r.ID+"#delete", dave.ID, r.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ReceiveReply(ctx, r.ID+"#create", r.Actor, r, dave); err != nil {
		t.Fatal(err)
	}
	e.view(t, func(tx *store.Tx) error {
		if _, err := tx.Reply(r.ID); err == nil {
			t.Error("reply kept although its Delete arrived first")
		}
		if tx.IsTombstoned(r.ID, dave.ID) {
			t.Error("stranger's Delete of an unknown id stored as a tombstone")
		}
		return nil
	})
	early := &earlyDeletes{m: make(map[string]time.Time)}
	for i := range 2 * maxEarlyDeletes {
		early.add(dave.ID, fmt.Sprintf("%s/statuses/x%d", dave.ID, i), t0)
	}
	if n := len(early.m); n > maxEarlyDeletes {
		t.Errorf("%d early Deletes in memory, want at most %d", n, maxEarlyDeletes)
	}
	if !early.has(dave.ID, fmt.Sprintf("%s/statuses/x%d", dave.ID, 2*maxEarlyDeletes-1), t0.Add(earlyDeleteTTL)) {
		t.Error("the newest early Delete was evicted or expired too soon")
	}
	if early.has(dave.ID, fmt.Sprintf("%s/statuses/x%d", dave.ID, 2*maxEarlyDeletes-1), t0.Add(earlyDeleteTTL+time.Second)) {
		t.Error("an early Delete outlived earlyDeleteTTL")
	}
}

// TestPruneActors: housekeeping forgets the stored actors nothing refers
// to (one stored before actors were kept only with a relationship, one
// unfollowed), and keeps followers, follows, authors and reported actors.
func TestPruneActors(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.addFollower(t, "acme", carol, true)                    // a pending follower
	e.addFollowing(t, "acme", peerOrg, model.FollowAccepted) // followed, with an object
	if err := e.svc.ReceiveObject(ctx, peerOrg.ID+"/activities/1", peerOrg.ID, "", remoteObject(peerOrg, 1, t0)); err != nil {
		t.Fatal(err)
	}
	o := e.publish(t, "acme", projectInput())
	r := model.Reply{ID: dave.ID + "/statuses/1", InReplyTo: o.ID, Actor: dave.ID, Content: "hi", Published: t0}
	if err := e.svc.ReceiveReply(ctx, r.ID+"#create", r.Actor, r, dave); err != nil {
		t.Fatal(err)
	}
	e.addFollowing(t, "acme", frank, model.FollowAccepted)
	e.update(t, func(tx *store.Tx) error {
		if err := tx.DeleteFollowing("acme", frank.ID); err != nil { // unfollowed
			return err
		}
		if err := tx.PutActor(erin); err != nil { // a stranger stored by an older version
			return err
		}
		if err := tx.PutActor(bob); err != nil {
			return err
		}
		_, err := tx.AddReport(model.Report{Activity: e.u.Flag("1"), Actor: e.u.Actor("instance"), Target: bob.ID, Local: true, Received: t0})
		return err
	})
	n, err := e.svc.PruneActors(ctx)
	if err != nil || n != 2 {
		t.Errorf("PruneActors = %d, %v; want 2 (erin, frank)", n, err)
	}
	e.view(t, func(tx *store.Tx) error {
		for _, a := range []model.Actor{carol, peerOrg, dave, bob} {
			if _, err := tx.Actor(a.ID); err != nil {
				t.Errorf("needed actor %s forgotten: %v", a.ID, err)
			}
		}
		for _, a := range []model.Actor{erin, frank} {
			if _, err := tx.Actor(a.ID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("unneeded actor %s kept: %v", a.ID, err)
			}
			if _, err := tx.ActorByKeyID(a.KeyID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("key of unneeded actor %s kept: %v", a.ID, err)
			}
		}
		return nil
	})
}

// TestKeepAuthor: the author of kept content (here relayed by a followed
// instance, so never stored by a follow) is stored; a stranger is not.
func TestKeepAuthor(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.addFollowing(t, "acme", peer, model.FollowAccepted)
	if err := e.svc.ReceiveObject(ctx, peerOrg.ID+"/activities/1", peerOrg.ID, "", remoteObject(peerOrg, 1, t0)); err != nil {
		t.Fatal(err)
	}
	if !e.svc.NeedsAuthor(ctx, peerOrg.ID) || e.svc.NeedsAuthor(ctx, erin.ID) || e.svc.NeedsAuthor(ctx, peer.ID) {
		t.Errorf("NeedsAuthor: author of kept content %v (want true), stranger %v, stored %v (want false)",
			e.svc.NeedsAuthor(ctx, peerOrg.ID), e.svc.NeedsAuthor(ctx, erin.ID), e.svc.NeedsAuthor(ctx, peer.ID))
	}
	for _, a := range []model.Actor{peerOrg, erin} {
		if err := e.svc.KeepAuthor(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	e.view(t, func(tx *store.Tx) error {
		if _, err := tx.Actor(peerOrg.ID); err != nil {
			t.Errorf("author of kept content not stored: %v", err)
		}
		if _, err := tx.Actor(erin.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("stranger stored by KeepAuthor: %v", err)
		}
		return nil
	})
}
