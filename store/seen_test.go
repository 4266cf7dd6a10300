package store

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestPruneSeen: ids received before the cutoff are forgotten, in chunks,
// younger ones kept; a forgotten id can be recorded again.
func TestPruneSeen(t *testing.T) {
	s := openTestStore(t)
	mark := func(id string, at time.Time) bool {
		t.Helper()
		var first bool
		mustUpdate(t, s, func(tx *Tx) error {
			var err error
			first, err = tx.MarkSeen(id, at)
			return err
		})
		return first
	}
	for i := range 5 {
		mark("https://b.example/old/"+strings.Repeat("x", i), t0.Add(-10*24*time.Hour+time.Duration(i)*time.Minute))
	}
	mark("https://b.example/young", t0.Add(-time.Hour))
	cutoff := t0.Add(-7 * 24 * time.Hour)
	total := 0
	for {
		var n int
		mustUpdate(t, s, func(tx *Tx) error {
			var err error
			n, err = tx.PruneSeen(cutoff, 2)
			return err
		})
		if n > 2 {
			t.Fatalf("PruneSeen(limit 2) removed %d", n)
		}
		total += n
		if n < 2 {
			break
		}
	}
	if total != 5 {
		t.Errorf("pruned %d ids, want 5", total)
	}
	mustView(t, s, func(tx *Tx) error {
		if !tx.IsSeen("https://b.example/young") {
			t.Error("young id pruned")
		}
		if tx.IsSeen("https://b.example/old/") {
			t.Error("old id kept")
		}
		if n := tx.SeenCount(); n != 1 {
			t.Errorf("SeenCount = %d, want 1", n)
		}
		if n := tx.bucket(bucketSeenAt).Stats().KeyN; n != 1 {
			t.Errorf("seen_at index holds %d keys, want 1", n)
		}
		return nil
	})
	if mark("https://b.example/young", t0) {
		t.Error("young id recorded twice")
	}
	if !mark("https://b.example/old/", t0) {
		t.Error("pruned id not recorded again")
	}
}

// TestSeenEntrySize: an entry does not grow with the length of the id.
func TestSeenEntrySize(t *testing.T) {
	s := openTestStore(t)
	mustUpdate(t, s, func(tx *Tx) error {
		_, err := tx.MarkSeen("https://b.example/"+strings.Repeat("a", 100_000), t0)
		return err
	})
	mustView(t, s, func(tx *Tx) error {
		for _, b := range [][]byte{bucketSeen, bucketSeenAt} {
			if n := tx.bucket(b).Stats().LeafInuse; n > 1024 {
				t.Errorf("%s uses %d bytes for one id, want under 1 KiB", b, n)
			}
		}
		return nil
	})
}

// TestMigrateSeen: a schema 8 store's seen ids (raw id -> unix seconds)
// are kept, hashed and indexed, so that they stay idempotent and prunable.
func TestMigrateSeen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v8.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, m := range migrations[:8] {
			if err := m(tx); err != nil {
				return err
			}
		}
		b := tx.Bucket(bucketSeen)
		if err := b.Put([]byte("https://b.example/a/old"), u64(uint64(t0.Add(-30*24*time.Hour).Unix()))); err != nil {
			return err
		}
		if err := b.Put([]byte("https://b.example/a/new"), u64(uint64(t0.Unix()))); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, []byte("8"))
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(path, Options{LockTimeout: time.Second})
	if err != nil {
		t.Fatalf("open v8 store: %v", err)
	}
	defer s.Close()
	mustUpdate(t, s, func(tx *Tx) error {
		if !tx.IsSeen("https://b.example/a/old") || !tx.IsSeen("https://b.example/a/new") {
			t.Error("seen ids lost by the migration")
		}
		n, err := tx.PruneSeen(t0.Add(-7*24*time.Hour), 100)
		if n != 1 || tx.IsSeen("https://b.example/a/old") || !tx.IsSeen("https://b.example/a/new") {
			t.Errorf("PruneSeen after migration removed %d; old seen %v, new seen %v", n,
				tx.IsSeen("https://b.example/a/old"), tx.IsSeen("https://b.example/a/new"))
		}
		return err
	})
}
