package httpsign

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/errs"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// importedStore is a store of n organisations without keys, as an import
// leaves them.
func importedStore(t *testing.T, n int) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "m.db"), store.Options{LockTimeout: time.Second, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Update(func(tx *store.Tx) error {
		for i := range n {
			if err := tx.CreateOrg(model.Org{Name: fmt.Sprintf("org%d", i), Profile: model.Profile{DisplayName: "Imported"}}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return st
}

// blockedKeys is LocalKeys whose generator waits for release, with one
// generation under way for org0.
func blockedKeys(t *testing.T, st *store.Store) (*LocalKeys, chan struct{}) {
	release := make(chan struct{})
	started := make(chan struct{}, 1)
	keys := NewLazyLocalKeys(st, uris.URIs{Base: "https://a.example"}, func() (string, string, error) {
		select {
		case started <- struct{}{}:
		default:
		}
		<-release
		return generatePair()
	})
	go func() { _, _ = keys.Ensure("org0") }()
	<-started
	return keys, release
}

// A caller waiting for the generation slot leaves when its context ends
// (the client went away): waiters do not pile up behind Background (found
// in review).
func TestEnsureHonoursContext(t *testing.T) {
	st := importedStore(t, 2)
	keys, release := blockedKeys(t, st)
	defer close(release)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := keys.EnsureContext(ctx, "org1"); done <- err }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("EnsureContext after its context ended: %v, want context.Canceled", err)
	}
}

// At most maxKeyWaiters wait for the slot; more are told to come back
// (429), never queued.
func TestEnsureWaitersBounded(t *testing.T) {
	st := importedStore(t, maxKeyWaiters+3)
	keys, release := blockedKeys(t, st)
	defer close(release)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for i := range maxKeyWaiters {
		go func() { _, _ = keys.EnsureContext(ctx, fmt.Sprintf("org%d", i+1)) }()
	}
	deadline := time.Now().Add(10 * time.Second)
	for keys.waiters.Load() < maxKeyWaiters && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	_, err := keys.EnsureContext(ctx, fmt.Sprintf("org%d", maxKeyWaiters+1))
	if errs.KindOf(err) != errs.RateLimited {
		t.Errorf("one waiter too many: %v, want RateLimited", err)
	}
}
