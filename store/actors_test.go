package store

import (
	"errors"
	"slices"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
)

func TestCreateOrg(t *testing.T) {
	s := openTestStore(t)
	mustUpdate(t, s, func(tx *Tx) error {
		for _, name := range []string{"zeta", "acme", model.InstanceName} {
			if err := tx.CreateOrg(model.Org{Name: name, Profile: model.Profile{DisplayName: "D " + name}}); err != nil {
				t.Errorf("CreateOrg(%s): %v", name, err)
			}
		}
		return nil
	})

	err := s.Update(func(tx *Tx) error {
		return tx.CreateOrg(model.Org{Name: "acme", Profile: model.Profile{DisplayName: "Other"}})
	})
	if !errors.Is(err, ErrExists) {
		t.Errorf("CreateOrg of a taken name: err = %v, want ErrExists", err)
	}

	mustView(t, s, func(tx *Tx) error {
		orgs, err := tx.Orgs()
		if err != nil {
			t.Fatalf("Orgs: %v", err)
		}
		var got []string
		for _, o := range orgs {
			got = append(got, o.Name)
		}
		if want := []string{"acme", model.InstanceName, "zeta"}; !slices.Equal(got, want) {
			t.Errorf("Orgs = %q, want %q", got, want)
		}
		o, err := tx.Org("acme")
		if err != nil {
			t.Fatalf("Org(acme): %v", err)
		}
		if got, want := o.DisplayName, "D acme"; got != want {
			t.Errorf("DisplayName after refused CreateOrg = %q, want %q", got, want)
		}
		if _, err := tx.Org("nobody"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Org(nobody): err = %v, want ErrNotFound", err)
		}
		return nil
	})

	mustUpdate(t, s, func(tx *Tx) error {
		return tx.PutOrg(model.Org{Name: "acme", Profile: model.Profile{DisplayName: "Renamed"}})
	})
	mustView(t, s, func(tx *Tx) error {
		o, err := tx.Org("acme")
		if err != nil || o.DisplayName != "Renamed" {
			t.Errorf("Org(acme) after PutOrg = %q, %v; want Renamed", o.DisplayName, err)
		}
		return nil
	})
}

func TestPutActorAndKeyIndex(t *testing.T) {
	s := openTestStore(t)
	a := model.Actor{ID: "https://b.example/users/bob", Username: "bob", Host: "b.example",
		Inbox: "https://b.example/users/bob/inbox", KeyID: "https://b.example/users/bob#key1", PublicKeyPEM: "PEM1"}
	mustUpdate(t, s, func(tx *Tx) error { return tx.PutActor(a) })
	mustView(t, s, func(tx *Tx) error {
		got, err := tx.ActorByKeyID(a.KeyID)
		if err != nil {
			t.Fatalf("ActorByKeyID: %v", err)
		}
		if got.ID != a.ID || got.PublicKeyPEM != "PEM1" {
			t.Errorf("ActorByKeyID = %+v, want %+v", got, a)
		}
		if _, err := tx.ActorByKeyID("https://b.example/users/bob#other"); !errors.Is(err, ErrNotFound) {
			t.Errorf("ActorByKeyID(unknown): err = %v, want ErrNotFound", err)
		}
		if _, err := tx.Actor("https://b.example/users/nobody"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Actor(unknown): err = %v, want ErrNotFound", err)
		}
		return nil
	})

	// Key rotation: the old key id no longer resolves, the new one does.
	rotated := a
	rotated.KeyID, rotated.PublicKeyPEM = "https://b.example/users/bob#key2", "PEM2"
	mustUpdate(t, s, func(tx *Tx) error { return tx.PutActor(rotated) })
	mustView(t, s, func(tx *Tx) error {
		if _, err := tx.ActorByKeyID(a.KeyID); !errors.Is(err, ErrNotFound) {
			t.Errorf("ActorByKeyID(old key): err = %v, want ErrNotFound", err)
		}
		got, err := tx.ActorByKeyID(rotated.KeyID)
		if err != nil {
			t.Fatalf("ActorByKeyID(new key): %v", err)
		}
		if got.PublicKeyPEM != "PEM2" {
			t.Errorf("PublicKeyPEM = %q, want PEM2", got.PublicKeyPEM)
		}
		actors, err := tx.Actors()
		if err != nil || len(actors) != 1 {
			t.Errorf("Actors = %d actors, %v; want 1", len(actors), err)
		}
		return nil
	})
}

func TestActorsInIRIOrder(t *testing.T) {
	s := openTestStore(t)
	ids := []string{"https://c.example/u/c", "https://a.example/u/a", "https://b.example/u/b"}
	mustUpdate(t, s, func(tx *Tx) error {
		for _, id := range ids {
			if err := tx.PutActor(model.Actor{ID: id}); err != nil {
				return err
			}
		}
		return nil
	})
	mustView(t, s, func(tx *Tx) error {
		actors, err := tx.Actors()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range actors {
			got = append(got, a.ID)
		}
		if want := []string{ids[1], ids[2], ids[0]}; !slices.Equal(got, want) {
			t.Errorf("Actors = %q, want %q", got, want)
		}
		return nil
	})
}

func TestDeleteActor(t *testing.T) {
	s := openTestStore(t)
	const (
		bob   = "https://b.example/users/bob"
		carol = "https://b.example/users/carol"
		ours  = "https://local.example/orgs/acme/projects/1"
	)
	mustUpdate(t, s, func(tx *Tx) error {
		for _, name := range []string{"acme", "beta"} {
			if err := tx.CreateOrg(model.Org{Name: name}); err != nil {
				return err
			}
		}
		for _, id := range []string{bob, carol} {
			if err := tx.PutActor(model.Actor{ID: id, KeyID: id + "#key"}); err != nil {
				return err
			}
			for _, org := range []string{"acme", "beta"} {
				if err := tx.PutFollower(org, model.Follower{Actor: id, Inbox: id + "/inbox", FollowID: id + "/follow"}); err != nil {
					return err
				}
			}
			if err := tx.PutFollowing("acme", model.Following{Target: id, State: model.FollowAccepted}); err != nil {
				return err
			}
		}
		objs := []model.Object{
			{ID: bob + "/p/1", AttributedTo: bob, Published: t0},
			{ID: bob + "/p/2", AttributedTo: bob, Published: t0.Add(1)},
			{ID: carol + "/p/1", AttributedTo: carol, Published: t0},
			{ID: ours, AttributedTo: "https://local.example/orgs/acme", Local: true, Published: t0},
		}
		for _, o := range objs {
			if err := tx.PutObject(o); err != nil {
				return err
			}
		}
		replies := []model.Reply{
			{ID: bob + "/r/1", InReplyTo: ours, Actor: bob},
			{ID: carol + "/r/1", InReplyTo: ours, Actor: carol},
			{ID: bob + "/r/2", InReplyTo: carol + "/p/1", Actor: bob},
		}
		for _, r := range replies {
			if err := tx.PutReply(r); err != nil {
				return err
			}
		}
		return nil
	})

	mustUpdate(t, s, func(tx *Tx) error { return tx.DeleteActor(bob) })

	mustView(t, s, func(tx *Tx) error {
		if _, err := tx.Actor(bob); !errors.Is(err, ErrNotFound) {
			t.Errorf("Actor(bob): err = %v, want ErrNotFound", err)
		}
		if _, err := tx.ActorByKeyID(bob + "#key"); !errors.Is(err, ErrNotFound) {
			t.Errorf("ActorByKeyID(bob's key): err = %v, want ErrNotFound", err)
		}
		if objs, err := tx.ObjectsBy(bob, 0); err != nil || len(objs) != 0 {
			t.Errorf("ObjectsBy(bob) = %d objects, %v; want none", len(objs), err)
		}
		for _, id := range []string{bob + "/p/1", bob + "/p/2"} {
			if _, err := tx.Object(id); !errors.Is(err, ErrNotFound) {
				t.Errorf("Object(%s): err = %v, want ErrNotFound", id, err)
			}
		}
		for _, id := range []string{bob + "/r/1", bob + "/r/2"} {
			if _, err := tx.Reply(id); !errors.Is(err, ErrNotFound) {
				t.Errorf("Reply(%s): err = %v, want ErrNotFound", id, err)
			}
		}
		for _, org := range []string{"acme", "beta"} {
			if _, err := tx.Follower(org, bob); !errors.Is(err, ErrNotFound) {
				t.Errorf("Follower(%s, bob): err = %v, want ErrNotFound", org, err)
			}
			if _, err := tx.Follower(org, carol); err != nil {
				t.Errorf("Follower(%s, carol): %v, want kept", org, err)
			}
		}
		// Carol and her content are untouched.
		if _, err := tx.Actor(carol); err != nil {
			t.Errorf("Actor(carol): %v", err)
		}
		if _, err := tx.Object(carol + "/p/1"); err != nil {
			t.Errorf("Object(carol's): %v", err)
		}
		rs, err := tx.Replies(ours)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != 1 || rs[0].Actor != carol {
			t.Errorf("Replies(ours) = %+v, want only carol's", rs)
		}
		// Our follow of bob goes too: there is nobody left to follow.
		if _, err := tx.Following("acme", bob); !errors.Is(err, ErrNotFound) {
			t.Errorf("Following(acme, bob): %v, want ErrNotFound", err)
		}
		return nil
	})

	// Deleting an unknown actor is harmless.
	mustUpdate(t, s, func(tx *Tx) error { return tx.DeleteActor("https://z.example/nobody") })
}
