package httpsign

import (
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// TestLazyKey: an organisation stored without a key (an import) gets one
// on first use, stored once, whoever asks first.
func TestLazyKey(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "m.db"), store.Options{LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Update(func(tx *store.Tx) error {
		return tx.CreateOrg(model.Org{Name: "imported", Profile: model.Profile{DisplayName: "Imported"}})
	}); err != nil {
		t.Fatal(err)
	}
	var made atomic.Int32
	keys := NewLazyLocalKeys(st, uris.URIs{Base: "https://a.example"}, func() (string, string, error) {
		made.Add(1)
		return generatePair()
	})
	var wg sync.WaitGroup
	pubs := make([]string, 4)
	for i := range pubs {
		wg.Go(func() {
			var err error
			if pubs[i], err = keys.Ensure("imported"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for _, p := range pubs[1:] {
		if p != pubs[0] || p == "" {
			t.Fatalf("Ensure gave different keys to concurrent callers")
		}
	}
	_, priv, err := keys.Key("imported")
	if err != nil {
		t.Fatal(err)
	}
	pub, err := EncodePublicKey(&priv.PublicKey)
	if err != nil || pub != pubs[0] {
		t.Errorf("signing key does not match the public key served (%v)", err)
	}
	n := made.Load()
	if n != 1 {
		t.Errorf("%d keys made for one actor, want 1", n)
	}
	if _, err := keys.Ensure("imported"); err != nil || made.Load() != n {
		t.Errorf("a second Ensure made another key (%d, %v)", made.Load(), err)
	}
	if _, err := keys.Ensure("nobody"); err == nil {
		t.Error("Ensure of an unknown actor succeeded")
	}
}
