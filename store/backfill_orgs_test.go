package store

import (
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestMigrateBackfillOrgs opens a store whose backfill in progress holds
// its organisations in its progress record, as written before the list
// was kept apart: after the upgrade the record has a cursor, and the
// organisations left are listed in order, once each.
func TestMigrateBackfillOrgs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	before := 0
	for i, m := range migrations {
		if reflect.ValueOf(m).Pointer() == reflect.ValueOf(migrateBackfillOrgs).Pointer() {
			before = i
		}
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, m := range migrations[:before] {
			if err := m(tx); err != nil {
				return err
			}
		}
		old := `{"actor":"https://p.example/actor","orgs":["https://p.example/b","https://p.example/a","https://p.example/b"],"orgs_done":true,"pages":4}`
		if err := tx.Bucket(bucketBackfills).Put([]byte("https://p.example/actor"), []byte(old)); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, []byte(strconv.Itoa(before)))
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err := Open(path, Options{LockTimeout: time.Second})
	if err != nil {
		t.Fatalf("open old store: %v", err)
	}
	defer s.Close()
	_ = s.View(func(tx *Tx) error {
		b, err := tx.Backfill("https://p.example/actor")
		if err != nil || b.OrgsFound != 2 || b.NextOrg != 0 || !b.OrgsDone || b.Pages != 4 {
			t.Errorf("migrated backfill = %+v, %v", b, err)
		}
		for i, want := range []string{"https://p.example/b", "https://p.example/a"} {
			if got, err := tx.BackfillOrg(b.Actor, i); got != want || err != nil {
				t.Errorf("organisation %d = %q, %v; want %s", i, got, err, want)
			}
		}
		return nil
	})
}
