package service

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// peerInstance is the instance actor of p.example, where peerOrg lives.
var peerInstance = model.Actor{ID: "https://p.example/actor", Type: "Application", Username: "instance", Host: "p.example",
	Inbox: "https://p.example/actor/inbox", KeyID: "https://p.example/actor#main-key"}

// TestBackfillLifecycle: an accepted follow starts a backfill (once, even
// if the Accept is repeated under another id), its progress is saved, and
// it is forgotten when the follow goes.
func TestBackfillLifecycle(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.resolve.actors[peerInstance.ID] = peerInstance
	f, err := e.svc.Follow(ctx, asAdmin, "acme", peerInstance.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Backfill(ctx, peerInstance.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a backfill before the Accept: %v", err)
	}
	if started, err := e.svc.ReceiveFollowAnswer(ctx, "https://p.example/accepts/1", "acme", peerInstance.ID, f.FollowID, true); err != nil || !started {
		t.Fatalf("the Accept: backfill started %t, %v; want started", started, err)
	}
	b, err := e.svc.Backfill(ctx, peerInstance.ID)
	if err != nil || b.Actor != peerInstance.ID {
		t.Fatalf("backfill after the Accept: %+v, %v", b, err)
	}
	b.Found, b.Pages = []string{peerOrg.ID, peerOrg.ID}, 3
	b, keep, err := e.svc.SaveBackfill(ctx, b)
	if !keep || err != nil {
		t.Fatalf("SaveBackfill: %v, %v", keep, err)
	}
	if org, err := e.svc.BackfillOrg(ctx, peerInstance.ID, 0); b.OrgsFound != 1 || org != peerOrg.ID || err != nil {
		t.Fatalf("SaveBackfill listed %d organisations, the first %q (%v); want %s once", b.OrgsFound, org, err, peerOrg.ID)
	}
	// A second Accept (another id) does not restart it.
	if started, err := e.svc.ReceiveFollowAnswer(ctx, "https://p.example/accepts/2", "acme", peerInstance.ID, f.FollowID, true); err != nil || started {
		t.Fatalf("a second Accept: backfill started %t, %v; want not started", started, err)
	}
	if got, _ := e.svc.Backfill(ctx, peerInstance.ID); got.Pages != 3 || got.OrgsFound != 1 {
		t.Errorf("backfill after a second Accept: %+v, want the saved progress", got)
	}
	if all, err := e.svc.Backfills(ctx); err != nil || len(all) != 1 {
		t.Errorf("Backfills = %+v, %v", all, err)
	}
	// Nor does one after the backfill ended, under a fresh id or with no
	// follow id: otherwise a followed server could start its backfill over,
	// with fresh limits, as often as it likes.
	if err := e.svc.EndBackfill(ctx, peerInstance.ID); err != nil {
		t.Fatal(err)
	}
	for i, id := range []string{f.FollowID, ""} {
		started, err := e.svc.ReceiveFollowAnswer(ctx, fmt.Sprintf("https://p.example/accepts/%d", 3+i), "acme", peerInstance.ID, id, true)
		if err != nil || started {
			t.Fatalf("an Accept after the backfill ended (follow id %q): started %t, %v; want not started", id, started, err)
		}
		if _, err := e.svc.Backfill(ctx, peerInstance.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("an Accept after the backfill ended (follow id %q) made a new one: %v", id, err)
		}
	}
	if err := e.svc.Unfollow(ctx, asAdmin, "acme", peerInstance.ID); err != nil {
		t.Fatal(err)
	}
	if _, keep, err := e.svc.SaveBackfill(ctx, b); keep || err != nil {
		t.Errorf("SaveBackfill after the unfollow: %v, %v; want stopped", keep, err)
	}
	if _, err := e.svc.Backfill(ctx, peerInstance.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("the backfill of an unfollowed actor is kept: %v", err)
	}
}

// TestReceiveHostedOrg: an organisation listed by a followed instance is
// stored, and kept by the housekeeping; one of an unfollowed server, on
// another origin, not an organisation, or blocked is not.
func TestReceiveHostedOrg(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	other := remoteActor("q.example", "orgq", false)
	other.Type = "Organization"
	if err := e.svc.ReceiveHostedOrg(ctx, peerInstance.ID, peerOrg); err != nil {
		t.Fatalf("not following: %v", err)
	}
	if stored(t, e, peerOrg.ID) {
		t.Fatalf("an organisation of a server not followed was stored")
	}
	e.addFollowing(t, "acme", peerInstance, model.FollowAccepted)
	person := remoteActor("p.example", "pat", false)
	for _, a := range []model.Actor{other, person} {
		if err := e.svc.ReceiveHostedOrg(ctx, peerInstance.ID, a); !errors.Is(err, ErrForbidden) {
			t.Errorf("ReceiveHostedOrg(%s) = %v, want forbidden", a.ID, err)
		}
	}
	if err := e.svc.ReceiveHostedOrg(ctx, peerInstance.ID, peerOrg); err != nil || !stored(t, e, peerOrg.ID) {
		t.Fatalf("hosted organisation: %v, stored %v", err, stored(t, e, peerOrg.ID))
	}
	if _, err := e.svc.PruneActors(ctx); err != nil || !stored(t, e, peerOrg.ID) {
		t.Errorf("the housekeeping forgot a hosted organisation of a followed server (%v)", err)
	}
	blocked := peerOrg
	blocked.ID, blocked.Username = "https://p.example/orgs/blocked", "blocked"
	if _, err := e.svc.Block(ctx, asAdmin, blocked.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ReceiveHostedOrg(ctx, peerInstance.ID, blocked); err != nil || stored(t, e, blocked.ID) {
		t.Errorf("a blocked organisation: %v, stored %v", err, stored(t, e, blocked.ID))
	}
}

func stored(t *testing.T, e *testEnv, id string) bool {
	t.Helper()
	ok := false
	e.view(t, func(tx *store.Tx) error {
		_, err := tx.Actor(id)
		ok = err == nil
		return nil
	})
	return ok
}
