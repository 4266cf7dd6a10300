package service

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// TestReceiveCreateNeedsAuthor checks that ReceiveCreate answers, from its
// own transaction, what NeedsAuthor answers after it: whether the author
// of a kept object is still to be fetched.
func TestReceiveCreateNeedsAuthor(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	// Objects of peerOrg come through its followed instance actor: peerOrg
	// itself is not stored.
	inst := model.Actor{ID: "https://p.example/actor", Type: "Application", Username: "p.example", Host: "p.example",
		Inbox: "https://p.example/actor/inbox", KeyID: "https://p.example/actor#main-key"}
	e.addFollowing(t, "acme", inst, model.FollowAccepted)
	create := func(n int, want bool) {
		t.Helper()
		got, err := e.svc.ReceiveCreate(ctx, peerOrg.ID+"/activities/create-"+strconv.Itoa(n), peerOrg.ID, inst.ID, remoteObject(peerOrg, n, t0))
		if err != nil {
			t.Fatal(err)
		}
		if need := e.svc.NeedsAuthor(ctx, peerOrg.ID); got != want || need != want {
			t.Errorf("Create of object %d: needAuthor %v, NeedsAuthor %v; want %v", n, got, need, want)
		}
	}
	create(1, true)
	create(1, true) // the same Create again: nothing stored, the author still missing
	if err := e.svc.KeepAuthor(ctx, peerOrg); err != nil {
		t.Fatal(err)
	}
	create(2, false)
	create(1, false)
}

// TestReceiveCreateObservedBeforeEffects: a received Create's observers
// read the object in the write's own transaction, and what they return
// runs only once that write is committed: a read opened then finds the
// object (a document cache forgetting it earlier could be refilled from
// the state before the commit). A repeated Create tells no observer.
func TestReceiveCreateObservedBeforeEffects(t *testing.T) {
	type seen struct {
		id                    string
		inTx, afterCommit, ok bool
	}
	o := remoteObject(peerOrg, 1, t0)
	var got []seen
	e := newTestEnv(t, func(e *testEnv, d *Deps) {
		d.OnCommit = append(d.OnCommit, func(tx *store.Tx, ids ...string) func() {
			if !slices.Contains(ids, o.ID) {
				return nil // the set-up's organisation
			}
			s := seen{id: o.ID, inTx: tx.HasObject(o.ID)}
			return func() {
				s.ok = true
				_ = e.st.View(func(tx *store.Tx) error { s.afterCommit = tx.HasObject(s.id); return nil })
				got = append(got, s)
			}
		})
	})
	ctx := context.Background()
	e.addFollowing(t, "acme", peerOrg, model.FollowAccepted)
	for range 2 {
		if _, err := e.svc.ReceiveCreate(ctx, peerOrg.ID+"/activities/create-1", peerOrg.ID, peerOrg.ID, o); err != nil {
			t.Fatal(err)
		}
	}
	want := []seen{{id: o.ID, inTx: true, afterCommit: true, ok: true}}
	if !slices.Equal(got, want) {
		t.Errorf("observer saw %+v, want %+v", got, want)
	}
}
