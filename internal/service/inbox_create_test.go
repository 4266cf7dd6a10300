package service

import (
	"context"
	"strconv"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
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
