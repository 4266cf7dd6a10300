package service

import (
	"context"
	"errors"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

func TestReceiveActorDelete(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	local := e.publish(t, "acme", projectInput())
	e.addFollowing(t, "acme", peerOrg, model.FollowAccepted)
	if err := e.svc.ReceiveFollow(ctx, "https://p.example/follows/1", "acme", peerOrg); err != nil {
		t.Fatal(err)
	}
	o := remoteObject(peerOrg, 1, t0)
	if err := e.svc.ReceiveObject(ctx, "https://p.example/activities/1", peerOrg.ID, "", o); err != nil {
		t.Fatal(err)
	}
	r := model.Reply{ID: peerOrg.ID + "/notes/1", InReplyTo: local.ID, Actor: peerOrg.ID, Content: "hi"}
	if err := e.svc.ReceiveReply(ctx, "https://p.example/activities/2", r.Actor, r, testActor(r.Actor)); err != nil {
		t.Fatal(err)
	}

	for _, iri := range []string{e.u.Actor("acme"), e.u.Actor(model.InstanceName)} {
		if err := e.svc.ReceiveActorDelete(ctx, iri+"#delete", iri); !errors.Is(err, ErrForbidden) {
			t.Errorf("ReceiveActorDelete(%s): err = %v, want ErrForbidden", iri, err)
		}
	}
	if _, err := e.svc.Org(ctx, "acme"); err != nil {
		t.Errorf("local org after a refused actor delete: %v", err)
	}

	if err := e.svc.ReceiveActorDelete(ctx, "https://p.example/activities/delete", peerOrg.ID); err != nil {
		t.Fatalf("ReceiveActorDelete: %v", err)
	}
	e.view(t, func(tx *store.Tx) error {
		if _, err := tx.Actor(peerOrg.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("actor: err = %v, want ErrNotFound", err)
		}
		if _, err := tx.Follower("acme", peerOrg.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("follower: err = %v, want ErrNotFound", err)
		}
		return nil
	})
	if e.hasObject(t, o.ID) {
		t.Error("deleted actor's object still stored")
	}
	if rs, _ := e.svc.Replies(ctx, local.ID); len(rs) != 0 {
		t.Errorf("deleted actor's replies still stored: %+v", rs)
	}
}

func TestReceiveActorUpdateAndRemember(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	if err := e.svc.ReceiveActorUpdate(ctx, "https://b.example/u/1", bob.ID, bob); err != nil {
		t.Fatal(err)
	}
	e.view(t, func(tx *store.Tx) error {
		if _, err := tx.Actor(bob.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("untracked actor stored by an Update: %v", err)
		}
		return nil
	})
	if err := e.svc.RememberActor(ctx, bob); err != nil {
		t.Fatal(err)
	}
	rotated := bob
	rotated.Name, rotated.KeyID = "Bob B.", bob.ID+"#key2"
	if err := e.svc.ReceiveActorUpdate(ctx, "https://b.example/u/2", rotated.ID, rotated); err != nil {
		t.Fatal(err)
	}
	e.view(t, func(tx *store.Tx) error {
		a, err := tx.ActorByKeyID(rotated.KeyID)
		if err != nil || a.Name != "Bob B." {
			t.Errorf("actor after Update = %+v, %v", a, err)
		}
		return nil
	})
	if err := e.svc.RememberActor(ctx, model.Actor{ID: e.u.Actor("acme")}); err != nil {
		t.Fatal(err)
	}
	e.view(t, func(tx *store.Tx) error {
		if _, err := tx.Actor(e.u.Actor("acme")); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("local actor stored as a remote actor: %v", err)
		}
		return nil
	})
}
