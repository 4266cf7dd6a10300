package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

// BackupSized is Backup that first tells size how many bytes follow, so that
// an HTTP handler can set Content-Length before the copy starts. The copy
// is one read transaction: writers go on, but a long copy keeps the file
// from reusing freed pages until it ends, so bound the time it may take.
func (s *Store) BackupSized(w io.Writer, size func(int64)) (int64, error) {
	var n int64
	err := s.db.View(func(tx *bolt.Tx) error {
		size(tx.Size())
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("store: backup: %w", err)
	}
	return n, nil
}

// Verify checks the database file at path, read-only, without running
// migrations: every page is reachable once, and the schema version is one
// this binary knows. `maillage backup` runs it on a copy before keeping it.
func Verify(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("store: verify: %w", err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return fmt.Errorf("store: verify %s: %w", path, err)
	}
	defer db.Close()
	return db.View(func(tx *bolt.Tx) error {
		// A truncated copy must be caught before any page past its end is
		// read: bbolt maps the file, and reading there is a SIGBUS.
		if tx.Size() > fi.Size() {
			return fmt.Errorf("store: verify %s: truncated: %d bytes of %d", path, fi.Size(), tx.Size())
		}
		var errs []error
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		if err := errors.Join(errs...); err != nil {
			return fmt.Errorf("store: verify %s: %w", path, err)
		}
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			return fmt.Errorf("store: verify %s: not a maillage database (no meta bucket)", path)
		}
		v, err := strconv.Atoi(string(meta.Get(keySchema)))
		if err != nil {
			return fmt.Errorf("store: verify %s: bad schema version %q", path, meta.Get(keySchema))
		}
		if v > SchemaVersion {
			return fmt.Errorf("store: verify %s: schema version %d: %w", path, v, ErrTooNew)
		}
		return nil
	})
}
