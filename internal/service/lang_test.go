package service

import (
	"context"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// TestDefaultLanguage: an object without a language takes its
// organisation's first working language; a stated one is kept.
func TestDefaultLanguage(t *testing.T) {
	e := newTestEnv(t)
	if _, err := e.svc.UpdateProfile(context.Background(), asAdmin, "acme", ProfileInput{Profile: model.Profile{
		DisplayName: "Acme", Languages: []string{"fr", "en"}}}); err != nil {
		t.Fatal(err)
	}
	in := projectInput()
	in.Lang = ""
	if o := e.publish(t, "acme", in); o.Lang != "fr" || e.object(t, o.ID).Lang != "fr" {
		t.Errorf("stored language = %q, want the organisation's fr", e.object(t, o.ID).Lang)
	}
	in.Lang = "en"
	if o := e.publish(t, "acme", in); e.object(t, o.ID).Lang != "en" {
		t.Errorf("stated language replaced: %q", e.object(t, o.ID).Lang)
	}
}

// TestPruneTombstones: a remote deletion is remembered for
// TombstoneRetention, then forgotten by the daily housekeeping. (A Delete
// of an unknown id leaves a tombstone only from an actor acme follows.)
func TestPruneTombstones(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.addFollowing(t, "acme", bob, model.FollowAccepted)
	ghost := bob.ID + "/statuses/1"
	if err := e.svc.ReceiveDelete(ctx, bob.ID+"#delete-1", bob.ID, ghost); err != nil {
		t.Fatal(err)
	}
	if n, err := e.svc.PruneTombstones(ctx); err != nil || n != 0 {
		t.Fatalf("fresh tombstone pruned: %d, %v", n, err)
	}
	e.clock.Advance(TombstoneRetention + time.Hour)
	if n, err := e.svc.PruneTombstones(ctx); err != nil || n != 1 {
		t.Errorf("PruneTombstones after the retention = %d, %v; want 1", n, err)
	}
}

// TestCountsHideBlockedReplies: a blocked actor's reply is neither listed
// nor counted.
func TestCountsHideBlockedReplies(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	o := e.publish(t, "acme", projectInput())
	r := model.Reply{ID: bob.ID + "/statuses/9", InReplyTo: o.ID, Actor: bob.ID, Content: "<p>hi</p>", Published: time.Now()}
	if err := e.svc.ReceiveReply(ctx, r.ID+"#create", r.Actor, r, testActor(r.Actor)); err != nil {
		t.Fatal(err)
	}
	if c, _ := e.svc.Counts(ctx, o.ID); c.Replies != 1 {
		t.Fatalf("replies before the block = %d, want 1", c.Replies)
	}
	if _, err := e.svc.Block(ctx, asAdmin, "b.example"); err != nil {
		t.Fatal(err)
	}
	if c, _ := e.svc.Counts(ctx, o.ID); c.Replies != 0 {
		t.Errorf("replies after blocking b.example = %d, want 0", c.Replies)
	}
}
