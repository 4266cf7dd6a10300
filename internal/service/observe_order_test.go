package service

import (
	"context"
	"sync"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// TestObserversApplyInCommitOrder: what the observers make of one commit
// is applied before the next commit's observers read, so that the
// directory ends with the state last committed. Here a received project's
// Create is read by the observers, then held before its entry is applied;
// meanwhile its author deletes it. The Delete's observers must not run
// until the Create's entry is in, or that entry, applied last, would list
// a deleted project until the next restart.
func TestObserversApplyInCommitOrder(t *testing.T) {
	ix := directory.New()
	o := remoteObject(peerOrg, 1, t0)
	held, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	e := newTestEnv(t, func(e *testEnv, d *Deps) {
		d.OnCommit = append(d.OnCommit,
			func(_ *store.Tx, ids ...string) func() {
				if len(ids) != 1 || ids[0] != o.ID {
					return nil
				}
				hold := false
				once.Do(func() { hold = true }) // the Create: the first commit of o
				if !hold {
					return nil
				}
				return func() { close(held); <-release }
			},
			func(tx *store.Tx, ids ...string) func() {
				apply, err := ix.Changes(tx, e.u, ids...)
				if err != nil {
					t.Error(err)
				}
				return apply
			})
	})
	ctx := context.Background()
	e.addFollowing(t, "acme", peerOrg, model.FollowAccepted)

	created := make(chan error, 1)
	go func() {
		_, err := e.svc.ReceiveCreate(ctx, o.ID+"/create", peerOrg.ID, peerOrg.ID, o)
		created <- err
	}()
	select { // the Create is committed and read; its entry is not applied yet
	case <-held:
	case err := <-created:
		t.Fatalf("ReceiveCreate returned (%v) before its observers held", err)
	}
	deleted := make(chan error, 1)
	go func() { deleted <- e.svc.ReceiveDelete(ctx, o.ID+"/delete", peerOrg.ID, o.ID) }()
	deadline := time.Now().Add(10 * time.Second)
	for gone := false; !gone; {
		_ = e.st.View(func(tx *store.Tx) error {
			stored, err := tx.Object(o.ID)
			gone = err == nil && stored.IsDeleted() // a received Delete leaves a tombstone
			return nil
		})
		select {
		case err := <-deleted:
			if err != nil {
				close(release)
				t.Fatalf("ReceiveDelete: %v", err)
			}
			deleted <- err
		default:
		}
		if time.Now().After(deadline) {
			close(release)
			t.Fatal("the Delete was not committed")
		}
		time.Sleep(time.Millisecond)
	}
	// The Delete is committed. Give its observers the time to run if
	// nothing holds them (the fault this test is for), then let the
	// Create's entry in.
	select {
	case err := <-deleted:
		deleted <- err
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	for _, ch := range []chan error{created, deleted} {
		if err := <-ch; err != nil {
			t.Fatal(err)
		}
	}
	if en, ok := ix.Get(o.ID); ok {
		t.Errorf("directory lists %q, deleted after its Create", en.Title)
	}
}
