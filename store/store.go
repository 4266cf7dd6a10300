package store

import (
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"codeberg.org/maillage/maillage/internal/errs"
	"codeberg.org/maillage/maillage/internal/model"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Sentinel errors callers branch on with errors.Is.
var (
	ErrNotFound = errs.New(errs.NotFound, "store: not found")
	ErrExists   = errs.New(errs.Conflict, "store: already exists")
	ErrLocked   = errors.New("store: database is locked by another process (is maillage serve running?)")
	ErrTooNew   = errors.New("store: database was written by a newer maillage")
	ErrTooLarge = errors.New("store: record too large")
)

// Store is an open bbolt database. It is safe for concurrent use.
type Store struct {
	db     *bolt.DB
	render atomic.Pointer[ObjectRenderer]
}

// ObjectRenderer renders a stored object exactly as an activity's JSON
// embeds it.
type ObjectRenderer func(model.Object) ([]byte, error)

// SetObjectRenderer lets activities stored from now on leave out the
// object they embed when it is the rendering of the stored object, and
// renders it back when they are read (Activity, Outbox). Without one,
// activities are stored whole.
func (s *Store) SetObjectRenderer(r ObjectRenderer) { s.render.Store(&r) }

func (s *Store) tx(tx *bolt.Tx) *Tx {
	t := &Tx{tx: tx}
	if r := s.render.Load(); r != nil {
		t.render = *r
	}
	return t
}

// Options tune Open.
type Options struct {
	// LockTimeout is how long Open waits for the file lock; bbolt allows one
	// process, so a CLI command run beside the server must fail fast.
	LockTimeout time.Duration
	// NoSync skips fsync on commit: only for benchmarks of other layers.
	NoSync bool
}

// Open opens (creating if needed) the database at path and runs migrations.
func Open(path string, o Options) (*Store, error) {
	if o.LockTimeout == 0 {
		o.LockTimeout = time.Second
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: o.LockTimeout, NoSync: o.NoSync})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("open %s: %w", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	// The inbox writes through Batch; bbolt's default 10 ms wait for more
	// writers to join a batch caps a lightly loaded inbox at ~100/s per
	// sender. 2 ms keeps most of the batching gain under load.
	db.MaxBatchDelay = 2 * time.Millisecond
	s := &Store{db: db}
	if err := s.migrate(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Tx is a read or read-write transaction.
type Tx struct {
	tx     *bolt.Tx
	render ObjectRenderer // nil: activities are stored whole
}

// View runs fn in a read-only transaction.
func (s *Store) View(fn func(*Tx) error) error {
	return s.db.View(func(tx *bolt.Tx) error { return fn(s.tx(tx)) })
}

// Update runs fn in a read-write transaction, committed if fn returns nil.
func (s *Store) Update(fn func(*Tx) error) error {
	return s.db.Update(func(tx *bolt.Tx) error { return fn(s.tx(tx)) })
}

// Batch is Update for many small concurrent writers (the inbox): bbolt
// groups them into one commit. fn may run more than once, so it must be
// idempotent and have no effect outside the transaction.
func (s *Store) Batch(fn func(*Tx) error) error {
	return s.db.Batch(func(tx *bolt.Tx) error { return fn(s.tx(tx)) })
}

// Backup writes a consistent copy of the database to w while others keep
// reading and writing.
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("store: backup: %w", err)
	}
	return n, nil
}

// Commits is bbolt's transaction id, which each commit increments: the
// difference between two calls is how many commits the writes between
// them took, which Batch makes fewer than its writers.
func (s *Store) Commits() int64 {
	var n int64
	_ = s.db.View(func(tx *bolt.Tx) error { n = int64(tx.ID()); return nil })
	return n
}

// Size is the size of the database file in bytes.
func (s *Store) Size() int64 {
	var n int64
	_ = s.db.View(func(tx *bolt.Tx) error { n = tx.Size(); return nil })
	return n
}

// InUse is the number of bytes the data of every bucket occupies in its
// pages (keys, values and page headers). Unlike Size, which is bbolt's
// high-water mark and never shrinks, it goes down when records are
// deleted: it is the measure of what the store holds.
func (s *Store) InUse() int64 {
	var n int64
	_ = s.db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
			st := b.Stats()
			n += int64(st.BranchInuse + st.LeafInuse + st.InlineBucketInuse)
			return nil
		})
	})
	return n
}
