package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	bolt "go.etcd.io/bbolt"
)

func TestBackupSizedAndVerify(t *testing.T) {
	s := openTestStore(t)
	mustUpdate(t, s, func(tx *Tx) error {
		return tx.PutObject(model.Object{ID: "https://a.example/o/1", AttributedTo: "https://a.example/u", Title: "One", Published: t0})
	})
	var buf bytes.Buffer
	var announced int64 = -1
	n, err := s.BackupSized(&buf, func(size int64) {
		if buf.Len() != 0 {
			t.Error("size told after the copy started")
		}
		announced = size
	})
	if err != nil {
		t.Fatalf("BackupSized: %v", err)
	}
	if announced != n || n != int64(buf.Len()) {
		t.Errorf("size told %d, returned %d, written %d: want all equal", announced, n, buf.Len())
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	if err := os.WriteFile(good, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Verify(good); err != nil {
		t.Errorf("Verify(backup): %v", err)
	}

	truncated := filepath.Join(dir, "truncated.db")
	if err := os.WriteFile(truncated, buf.Bytes()[:buf.Len()/2], 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Verify(truncated); err == nil {
		t.Error("Verify(truncated copy) = nil, want an error")
	}

	// A bbolt file that is not ours, and one from a newer maillage.
	other := filepath.Join(dir, "other.db")
	db, err := bolt.Open(other, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := Verify(other); err == nil || !strings.Contains(err.Error(), "not a maillage database") {
		t.Errorf("Verify(other bbolt file) = %v, want 'not a maillage database'", err)
	}
	newer := filepath.Join(dir, "newer.db")
	if err := os.WriteFile(newer, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err = bolt.Open(newer, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchema, []byte("9999")) })
	db.Close()
	if err := Verify(newer); !errors.Is(err, ErrTooNew) {
		t.Errorf("Verify(newer schema) = %v, want ErrTooNew", err)
	}
}
