package service

import (
	"context"
	"errors"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// The Receive* methods check who may touch what from the activity's
// (verified) actor and what the activity claims, whatever federation did.
func TestReceiveRefusesWhatTheSenderDoesNotOwn(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t)
	live := e.publish(t, "acme", projectInput())
	e.addFollower(t, "acme", bob, false)
	e.addFollowing(t, "acme", dave, model.FollowAccepted)

	// An Update of bob's profile sent by carol.
	forged := bob
	forged.Name = "Not Bob"
	if err := e.svc.ReceiveActorUpdate(ctx, "https://b.example/activities/u1", carol.ID, forged); !errors.Is(err, ErrForbidden) {
		t.Errorf("actor update by another: err = %v, want forbidden", err)
	}
	// A reply attributed to bob sent by carol.
	r := model.Reply{ID: bob.ID + "/notes/1", InReplyTo: live.ID, Actor: bob.ID, Content: "not mine", Published: t0}
	if err := e.svc.ReceiveReply(ctx, r.ID+"#create", carol.ID, r, testActor(carol.ID)); !errors.Is(err, ErrForbidden) {
		t.Errorf("reply attributed to another: err = %v, want forbidden", err)
	}
	// An Undo by carol of bob's Follow.
	u := Undone{ID: bob.ID + "/follows/1", Type: "Follow", Actor: bob.ID, Object: e.u.Actor("acme")}
	if err := e.svc.ReceiveUndoActivity(ctx, "https://b.example/activities/undo1", carol.ID, u); !errors.Is(err, ErrForbidden) {
		t.Errorf("undo of another's follow: err = %v, want forbidden", err)
	}
	// An Undo of an unknown type by another is refused too.
	if err := e.svc.ReceiveUndoActivity(ctx, "https://b.example/activities/undo2", carol.ID, Undone{ID: "https://b.example/x", Type: "Block", Actor: bob.ID}); !errors.Is(err, ErrForbidden) {
		t.Errorf("undo of another's block: err = %v, want forbidden", err)
	}
	e.view(t, func(tx *store.Tx) error {
		if a, err := tx.Actor(bob.ID); err != nil || a.Name != bob.Name {
			t.Errorf("bob after the forged update = %+v, %v", a, err)
		}
		if _, err := tx.Reply(r.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("forged reply stored: %v", err)
		}
		if _, err := tx.Follower("acme", bob.ID); err != nil {
			t.Errorf("bob no longer follows after carol's undo: %v", err)
		}
		return nil
	})

	// The owner may.
	if err := e.svc.ReceiveUndoActivity(ctx, "https://b.example/activities/undo3", bob.ID, u); err != nil {
		t.Fatalf("undo of one's own follow: %v", err)
	}
	if err := e.svc.ReceiveReply(ctx, r.ID+"#create", bob.ID, r, testActor(bob.ID)); err != nil {
		t.Fatalf("own reply: %v", err)
	}
	e.view(t, func(tx *store.Tx) error {
		if _, err := tx.Follower("acme", bob.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("bob still follows after his undo: %v", err)
		}
		if _, err := tx.Reply(r.ID); err != nil {
			t.Errorf("own reply not stored: %v", err)
		}
		return nil
	})
}

func TestReceiveRelayed(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t)
	obj := Relayed{ID: "https://p.example/activities/1", Actor: peerOrg.ID, Object: "https://p.example/orgs/zed/projects/1"}
	if ok, err := e.svc.ReceiveRelayed(ctx, peer.ID, obj); ok || err != nil {
		t.Errorf("relay not followed: %v, %v; want false, nil", ok, err)
	}
	e.addFollowing(t, "acme", peer, model.FollowAccepted)
	if ok, err := e.svc.ReceiveRelayed(ctx, peer.ID, obj); !ok || err != nil {
		t.Errorf("followed relay: %v, %v; want true, nil", ok, err)
	}
	for name, in := range map[string]Relayed{
		"actor on another server": {ID: obj.ID, Actor: bob.ID, Object: obj.Object},
		"id on another server":    {ID: "https://b.example/activities/1", Actor: peerOrg.ID, Object: obj.Object},
		"about an actor":          {ID: obj.ID, Actor: peerOrg.ID, Object: peerOrg.ID, AboutActor: true},
	} {
		if ok, err := e.svc.ReceiveRelayed(ctx, peer.ID, in); ok || !errors.Is(err, ErrForbidden) {
			t.Errorf("%s: %v, %v; want false, forbidden", name, ok, err)
		}
	}
	// A followed actor that is not an instance actor relays nothing.
	e.addFollowing(t, "acme", dave, model.FollowAccepted)
	if ok, err := e.svc.ReceiveRelayed(ctx, dave.ID, Relayed{ID: "https://d.example/activities/1", Actor: dave.ID}); ok || err != nil {
		t.Errorf("relay by a Person: %v, %v; want false, nil", ok, err)
	}
}
