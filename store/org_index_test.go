package store

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"codeberg.org/maillage/maillage/internal/model"
)

// TestOrgIndex: the index follows creations, deletions and actors that
// stop or start being organisations; a store from before the index gets
// it filled by its migration.
func TestOrgIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	before := len(migrations) - 1 // the index's migration is the last one here
	err = db.Update(func(tx *bolt.Tx) error {
		for _, m := range migrations[:before] {
			if err := m(tx); err != nil {
				return err
			}
		}
		st := &Tx{tx: tx}
		for _, o := range []model.Org{{Name: "b"}, {Name: "a"}, {Name: model.PersonName("ann"), Person: true}} {
			if err := st.CreateOrg(o); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchema, fmt.Appendf(nil, "%d", before))
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(path, Options{LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	check := func(want ...string) {
		t.Helper()
		_ = s.View(func(tx *Tx) error {
			if n, got := tx.OrgCount(), tx.OrgNames(0, 100); n != len(want) || !slices.Equal(got, want) {
				t.Errorf("count %d, names %q; want %q", n, got, want)
			}
			return nil
		})
	}
	check("a", "b")
	mustUpdate(t, s, func(tx *Tx) error {
		if err := tx.CreateOrg(model.Org{Name: "c"}); err != nil {
			return err
		}
		if err := tx.PutOrg(model.Org{Name: "c", Profile: model.Profile{DisplayName: "C"}}); err != nil { // again: counted once
			return err
		}
		return tx.DeleteOrg("a")
	})
	check("b", "c")
	_ = s.View(func(tx *Tx) error {
		if got := tx.OrgNames(1, 5); !slices.Equal(got, []string{"c"}) {
			t.Errorf("OrgNames(1, 5) = %q", got)
		}
		if got := tx.OrgNames(2, 5); len(got) != 0 {
			t.Errorf("OrgNames past the end = %q", got)
		}
		return nil
	})
	mustUpdate(t, s, func(tx *Tx) error { return tx.DeleteOrg("nobody") })
	check("b", "c")
}
