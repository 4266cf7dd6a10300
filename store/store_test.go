package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	bolt "go.etcd.io/bbolt"
)

// t0 is a fixed instant the store tests build their times from.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// openTestStore opens a fresh store in a temporary directory, closed when
// the test ends.
func openTestStore(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "maillage.db"), Options{LockTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// mustUpdate runs fn in a read-write transaction and fails the test on error.
func mustUpdate(t testing.TB, s *Store, fn func(tx *Tx) error) {
	t.Helper()
	if err := s.Update(fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// mustView runs fn in a read-only transaction and fails the test on error.
func mustView(t *testing.T, s *Store, fn func(tx *Tx) error) {
	t.Helper()
	if err := s.View(fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

func schemaVersion(t *testing.T, path string) string {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("bolt.Open: %v", err)
	}
	defer db.Close()
	var v string
	err = db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketMeta); b != nil {
			v = string(b.Get(keySchema))
		}
		return nil
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
	return v
}

func TestOpenCreatesBucketsAndSchemaVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "maillage.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if tx.Bucket(b) == nil {
				t.Errorf("bucket %q missing after Open", b)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if got, want := schemaVersion(t, path), strconv.Itoa(len(migrations)); got != want {
		t.Errorf("schema_version = %q, want %q", got, want)
	}
	if SchemaVersion != len(migrations) {
		t.Errorf("SchemaVersion = %d, want %d", SchemaVersion, len(migrations))
	}
}

func TestReopenIsIdempotentAndKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "maillage.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	mustUpdate(t, s, func(tx *Tx) error {
		return tx.CreateOrg(model.Org{Name: "acme", Profile: model.Profile{DisplayName: "Acme"}})
	})
	s.Close()

	for i := range 2 {
		s, err := Open(path, Options{})
		if err != nil {
			t.Fatalf("reopen %d: %v", i, err)
		}
		mustView(t, s, func(tx *Tx) error {
			o, err := tx.Org("acme")
			if err != nil {
				t.Errorf("reopen %d: Org(acme): %v", i, err)
			}
			if got, want := o.DisplayName, "Acme"; got != want {
				t.Errorf("reopen %d: DisplayName = %q, want %q", i, got, want)
			}
			return nil
		})
		s.Close()
		if got, want := schemaVersion(t, path), strconv.Itoa(len(migrations)); got != want {
			t.Errorf("reopen %d: schema_version = %q, want %q", i, got, want)
		}
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "maillage.db")
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("bolt.Open: %v", err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		return b.Put(keySchema, []byte(strconv.Itoa(len(migrations)+1)))
	})
	db.Close()
	if err != nil {
		t.Fatalf("write schema version: %v", err)
	}

	s, err := Open(path, Options{LockTimeout: 100 * time.Millisecond})
	if err == nil {
		s.Close()
		t.Fatal("Open of a newer database succeeded, want ErrTooNew")
	}
	if !errors.Is(err, ErrTooNew) {
		t.Errorf("Open error = %v, want ErrTooNew", err)
	}
	// The refused database is left as it was and unlocked.
	if got, want := schemaVersion(t, path), strconv.Itoa(len(migrations)+1); got != want {
		t.Errorf("schema_version after refusal = %q, want %q", got, want)
	}
}

func TestOpenRejectsGarbageSchemaVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "maillage.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatalf("bolt.Open: %v", err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		return b.Put(keySchema, []byte("one"))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{})
	if err == nil {
		s.Close()
		t.Fatal("Open with schema_version \"one\" succeeded, want an error")
	}
}

func TestOpenLockedFailsFast(t *testing.T) {
	path := filepath.Join(t.TempDir(), "maillage.db")
	first, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("first Open: %v", err)
	}
	defer first.Close()

	second, err := Open(path, Options{LockTimeout: 100 * time.Millisecond})
	if err == nil {
		second.Close()
		t.Fatal("second Open succeeded while the first holds the lock")
	}
	if !errors.Is(err, ErrLocked) {
		t.Errorf("second Open error = %v, want ErrLocked", err)
	}
}

func TestBackupOpensAndHoldsData(t *testing.T) {
	s := openTestStore(t)
	mustUpdate(t, s, func(tx *Tx) error {
		if err := tx.CreateOrg(model.Org{Name: "acme", Profile: model.Profile{DisplayName: "Acme"}}); err != nil {
			return err
		}
		return tx.PutObject(model.Object{ID: "https://a.example/o/1", AttributedTo: "https://a.example/u", Title: "One", Published: t0})
	})

	var buf bytes.Buffer
	n, err := s.Backup(&buf)
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if n != int64(buf.Len()) || n == 0 {
		t.Errorf("Backup returned %d, wrote %d bytes", n, buf.Len())
	}
	if s.Size() <= 0 {
		t.Errorf("Size = %d, want > 0", s.Size())
	}

	path := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := Open(path, Options{LockTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("Open backup: %v", err)
	}
	defer b.Close()
	mustView(t, b, func(tx *Tx) error {
		if _, err := tx.Org("acme"); err != nil {
			t.Errorf("backup: Org(acme): %v", err)
		}
		o, err := tx.Object("https://a.example/o/1")
		if err != nil {
			t.Errorf("backup: Object: %v", err)
		}
		if got, want := o.Title, "One"; got != want {
			t.Errorf("backup: Title = %q, want %q", got, want)
		}
		return nil
	})
}

func TestUpdateRollsBackOnError(t *testing.T) {
	s := openTestStore(t)
	boom := errors.New("boom")
	err := s.Update(func(tx *Tx) error {
		if err := tx.CreateOrg(model.Org{Name: "acme"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update error = %v, want boom", err)
	}
	mustView(t, s, func(tx *Tx) error {
		if _, err := tx.Org("acme"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Org after rollback: err = %v, want ErrNotFound", err)
		}
		return nil
	})
}
