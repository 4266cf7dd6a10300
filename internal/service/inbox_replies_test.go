package service

import (
	"context"
	"errors"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

func TestReceiveReply(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	live := e.publish(t, "acme", projectInput())
	gone := e.publish(t, "acme", callInput())
	if err := e.svc.Delete(ctx, asAdmin, "acme", gone.ID); err != nil {
		t.Fatal(err)
	}
	e.addFollowing(t, "acme", peerOrg, model.FollowAccepted)
	remote := remoteObject(peerOrg, 1, t0)
	if err := e.svc.ReceiveObject(ctx, "https://p.example/activities/1", peerOrg.ID, "", remote); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)

	reply := func(n, inReplyTo string, actor model.Actor, content string) model.Reply {
		return model.Reply{ID: actor.ID + "/notes/" + n, InReplyTo: inReplyTo, Actor: actor.ID, Content: content, Published: t0}
	}
	tests := []struct {
		name    string
		r       model.Reply
		wantErr error
		stored  bool
	}{
		{"to a live local object", reply("1", live.ID, bob, "first"), nil, true},
		{"to a deleted local object", reply("2", gone.ID, bob, "late"), nil, false},
		{"to a remote object", reply("3", remote.ID, bob, "elsewhere"), nil, false},
		{"to an unknown object", reply("4", live.ID+"x", bob, "lost"), nil, false},
		{"id on another host than the actor", model.Reply{ID: "https://d.example/notes/5", InReplyTo: live.ID, Actor: bob.ID}, ErrForbidden, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.svc.ReceiveReply(ctx, tt.r.ID+"#create", tt.r.Actor, tt.r, testActor(tt.r.Actor))
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			var stored bool
			e.view(t, func(tx *store.Tx) error {
				_, err := tx.Reply(tt.r.ID)
				stored = err == nil
				return nil
			})
			if stored != tt.stored {
				t.Errorf("stored = %t, want %t", stored, tt.stored)
			}
		})
	}

	rs, err := e.svc.Replies(ctx, live.ID)
	if err != nil || len(rs) != 1 || rs[0].Content != "first" || !rs[0].Received.Equal(t0.Add(time.Minute)) {
		t.Fatalf("Replies = %+v, %v; want bob's first, received at the clock's time", rs, err)
	}

	// An edit by the same actor replaces the text; another actor of the
	// same host cannot reuse the id.
	edited := reply("1", live.ID, bob, "edited")
	edited.Updated = t0.Add(time.Hour) // edits apply only when `updated` moves forward
	if err := e.svc.ReceiveReply(ctx, edited.ID+"#update", edited.Actor, edited, testActor(edited.Actor)); err != nil {
		t.Fatalf("edit by the author: %v", err)
	}
	stolen := edited
	stolen.Actor, stolen.Content = carol.ID, "stolen"
	if err := e.svc.ReceiveReply(ctx, edited.ID+"#steal", stolen.Actor, stolen, testActor(stolen.Actor)); !errors.Is(err, ErrForbidden) {
		t.Errorf("edit by another actor: err = %v, want ErrForbidden", err)
	}
	rs, _ = e.svc.Replies(ctx, live.ID)
	if len(rs) != 1 || rs[0].Content != "edited" || rs[0].Actor != bob.ID {
		t.Errorf("Replies after edits = %+v, want bob's edited one", rs)
	}
	if c, _ := e.svc.Counts(ctx, live.ID); c.Replies != 1 {
		t.Errorf("Counts.Replies = %d, want 1", c.Replies)
	}
	if _, err := e.svc.LocalReply(ctx, edited.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("LocalReply of a remote reply: err = %v, want ErrNotFound", err)
	}
}

func TestReceiveIsIdempotent(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	o := e.publish(t, "acme", projectInput())
	pokes := e.pokes.Load()
	first := model.Reply{ID: bob.ID + "/notes/1", InReplyTo: o.ID, Actor: bob.ID, Content: "first"}
	second := first
	second.Content = "second"
	const activityID = "https://b.example/activities/1"
	if err := e.svc.ReceiveReply(ctx, activityID, first.Actor, first, testActor(first.Actor)); err != nil {
		t.Fatal(err)
	}
	// The same activity id again, even with other content, is applied once.
	if err := e.svc.ReceiveReply(ctx, activityID, second.Actor, second, testActor(second.Actor)); err != nil {
		t.Fatal(err)
	}
	rs, _ := e.svc.Replies(ctx, o.ID)
	if len(rs) != 1 || rs[0].Content != "first" {
		t.Errorf("Replies = %+v, want only the first version", rs)
	}
	if got := e.pokes.Load() - pokes; got != 1 {
		t.Errorf("pokes = %d, want 1", got)
	}
}

func TestReceiveReaction(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	o := e.publish(t, "acme", projectInput())
	e.addFollowing(t, "acme", peerOrg, model.FollowAccepted)
	remote := remoteObject(peerOrg, 1, t0)
	if err := e.svc.ReceiveObject(ctx, "https://p.example/activities/1", peerOrg.ID, "", remote); err != nil {
		t.Fatal(err)
	}
	const like = "https://b.example/likes/1"
	steps := []struct {
		name, activityID, kind, reactionID, actor, object string
		undo                                              bool
		want                                              model.Counts
	}{
		{"like", like, model.ReactionLike, like, bob.ID, o.ID, false, model.Counts{Likes: 1}},
		{"same like redelivered", like, model.ReactionLike, like, bob.ID, o.ID, false, model.Counts{Likes: 1}},
		{"same like in a new envelope", like + "#again", model.ReactionLike, like, bob.ID, o.ID, false, model.Counts{Likes: 1}},
		{"boost", "https://d.example/boosts/1", model.ReactionAnnounce, "https://d.example/boosts/1", dave.ID, o.ID, false, model.Counts{Likes: 1, Announces: 1}},
		{"like of a remote object is ignored", "https://b.example/likes/2", model.ReactionLike, "https://b.example/likes/2", bob.ID, remote.ID, false, model.Counts{Likes: 1, Announces: 1}},
		{"like of an unknown object is ignored", "https://b.example/likes/3", model.ReactionLike, "https://b.example/likes/3", bob.ID, o.ID + "x", false, model.Counts{Likes: 1, Announces: 1}},
		{"undo by another actor", "https://c.example/undo/1", model.ReactionLike, like, carol.ID, o.ID, true, model.Counts{Likes: 1, Announces: 1}},
		{"undo by the liker", "https://b.example/undo/1", model.ReactionLike, like, bob.ID, o.ID, true, model.Counts{Announces: 1}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if err := e.svc.ReceiveReaction(ctx, s.activityID, s.kind, s.reactionID, s.actor, s.object, s.undo); err != nil {
				t.Fatalf("ReceiveReaction: %v", err)
			}
			c, err := e.svc.Counts(ctx, o.ID)
			if err != nil || c != s.want {
				t.Errorf("Counts = %+v, %v; want %+v", c, err, s.want)
			}
		})
	}
	if c, _ := e.svc.Counts(ctx, remote.ID); c != (model.Counts{}) {
		t.Errorf("Counts(remote) = %+v, want zero", c)
	}
}
