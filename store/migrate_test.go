package store

import (
	"path/filepath"
	"strconv"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"codeberg.org/maillage/maillage/internal/model"
)

// TestMigrateFromVersion1 opens a store written by schema version 1 (no
// tombstones bucket) and checks it is upgraded, data kept.
func TestMigrateFromVersion1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		if err := migrations[0](tx); err != nil {
			return err
		}
		if err := (&Tx{tx: tx}).CreateOrg(model.Org{Name: "old", Profile: model.Profile{DisplayName: "Old coop"}}); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, []byte("1"))
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err := Open(path, Options{LockTimeout: time.Second})
	if err != nil {
		t.Fatalf("open v1 store: %v", err)
	}
	defer s.Close()
	err = s.Update(func(tx *Tx) error {
		if got := string(tx.bucket(bucketMeta).Get(keySchema)); got != strconv.Itoa(SchemaVersion) {
			t.Errorf("schema version = %s, want %d", got, SchemaVersion)
		}
		if o, err := tx.Org("old"); err != nil || o.DisplayName != "Old coop" {
			t.Errorf("org after migration = %+v, %v", o, err)
		}
		if err := tx.PutTombstone("https://b.example/notes/1", "https://b.example/users/bob", time.Now()); err != nil {
			t.Errorf("tombstones bucket missing after migration: %v", err)
		}
		if !tx.IsTombstoned("https://b.example/notes/1", "https://b.example/users/bob") || tx.IsTombstoned("https://b.example/notes/1", "https://b.example/users/eve") {
			t.Error("tombstone not recorded for its author only")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestMigrateFromVersion2 opens a store written by schema version 2 (no
// admins or sessions buckets) and checks it is upgraded, data kept.
func TestMigrateFromVersion2(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v2.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, m := range migrations[:2] {
			if err := m(tx); err != nil {
				return err
			}
		}
		if err := (&Tx{tx: tx}).CreateOrg(model.Org{Name: "old", Profile: model.Profile{DisplayName: "Old coop"}}); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, []byte("2"))
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err := Open(path, Options{LockTimeout: time.Second})
	if err != nil {
		t.Fatalf("open v2 store: %v", err)
	}
	defer s.Close()
	if SchemaVersion < 3 {
		t.Errorf("SchemaVersion = %d, want at least 3", SchemaVersion)
	}
	err = s.Update(func(tx *Tx) error {
		if got := string(tx.bucket(bucketMeta).Get(keySchema)); got != strconv.Itoa(SchemaVersion) {
			t.Errorf("schema version = %s, want %d", got, SchemaVersion)
		}
		if o, err := tx.Org("old"); err != nil || o.DisplayName != "Old coop" {
			t.Errorf("org after migration = %+v, %v", o, err)
		}
		if err := tx.CreateAccount(Account{Username: "alice", Hash: "h", Created: t0}); err != nil {
			t.Errorf("admins bucket missing after migration: %v", err)
		}
		if err := tx.PutSession("id", Session{Username: "alice", Expires: t0}); err != nil {
			t.Errorf("sessions bucket missing after migration: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestPruneTombstones(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "t.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	err = s.Update(func(tx *Tx) error {
		if err := tx.PutTombstone("https://b.example/old", "https://b.example/users/bob", now.Add(-60*24*time.Hour)); err != nil {
			return err
		}
		if err := tx.PutTombstone("https://b.example/new", "https://b.example/users/bob", now.Add(-time.Hour)); err != nil {
			return err
		}
		n, err := tx.PruneTombstones(now.Add(-30 * 24 * time.Hour))
		if n != 1 {
			t.Errorf("pruned %d, want 1", n)
		}
		if tx.IsTombstoned("https://b.example/old", "https://b.example/users/bob") || !tx.IsTombstoned("https://b.example/new", "https://b.example/users/bob") {
			t.Error("wrong tombstone pruned")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
