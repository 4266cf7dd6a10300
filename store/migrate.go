package store

import (
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

// migrations[i] brings a database from schema version i to i+1. Append only;
// never edit a migration that has shipped.
var migrations = []func(tx *bolt.Tx) error{
	func(tx *bolt.Tx) error { // 1: initial buckets
		for _, b := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	},
	func(tx *bolt.Tx) error { // 2: remembered deletions of remote objects and replies
		_, err := tx.CreateBucketIfNotExists(bucketTombstones)
		return err
	},
	func(tx *bolt.Tx) error { // 3: administrators of the web interface and their sessions
		for _, b := range [][]byte{bucketAccounts, bucketSessions} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	},
	func(tx *bolt.Tx) error { // 4: moderation: blocked actors and servers, reports (Flag)
		for _, b := range [][]byte{bucketBlocks, bucketReports} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	},
	func(tx *bolt.Tx) error { // 5: invitations to create an account
		_, err := tx.CreateBucketIfNotExists(bucketInvites)
		return err
	},
	func(tx *bolt.Tx) error { // 6: answers to calls, drafted then sent as replies
		_, err := tx.CreateBucketIfNotExists(bucketAnswers)
		return err
	},
	func(tx *bolt.Tx) error { // 7: matching: interests and settings, notifications
		for _, b := range [][]byte{bucketPrefs, bucketFeedKeys, bucketNotes, bucketNotified} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	},
	func(tx *bolt.Tx) error { // 8: password reset tokens, organisation-wide interests
		for _, b := range [][]byte{bucketResets, bucketOrgInterests} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	},
	migrateSeen, // 9: seen activity ids hashed, indexed by time for pruning
	func(tx *bolt.Tx) error { // 10: progress of backfills after a follow
		_, err := tx.CreateBucketIfNotExists(bucketBackfills)
		return err
	},
	migrateListed, // 11: listed objects (the directory's source), shared activity contexts
	func(tx *bolt.Tx) error { // 12: moves applied, to limit how often an actor moves
		_, err := tx.CreateBucketIfNotExists(bucketMoves)
		return err
	},
	migrateClaims, // 13: verified websites, claims of imported organisations (claims.go)
	func(tx *bolt.Tx) error { // 14: relays joined, and organisations stored through them
		for _, b := range [][]byte{bucketRelays, bucketRelayedActors} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	},
	func(tx *bolt.Tx) error { // 15: the servers of the network page and their NodeInfo
		_, err := tx.CreateBucketIfNotExists(bucketPeers)
		return err
	},
	migrateBackfillOrgs, // 16: a backfill's organisations kept apart from its progress
	migrateOrgIndex,     // 17: the local organisations' names and number (org_index.go)
	migrateRelayHeld,    // 18: what relays brought and is still held, per relay and origin (relay_held.go)
	migrateFollowed,     // 19: the follows sent, by the actor followed (followed.go)
}

// SchemaVersion is the schema this binary writes.
var SchemaVersion = len(migrations)

var keySchema = []byte("schema_version")

func (s *Store) migrate() error {
	return s.db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return fmt.Errorf("store: migrate: %w", err)
		}
		current := 0
		if v := meta.Get(keySchema); v != nil {
			if current, err = strconv.Atoi(string(v)); err != nil {
				return fmt.Errorf("store: migrate: bad schema version %q", v)
			}
		}
		if current > len(migrations) {
			return fmt.Errorf("store: schema version %d, binary knows %d: %w", current, len(migrations), ErrTooNew)
		}
		for i := current; i < len(migrations); i++ {
			if err := migrations[i](tx); err != nil {
				return fmt.Errorf("store: migration %d: %w", i+1, err)
			}
		}
		return meta.Put(keySchema, []byte(strconv.Itoa(len(migrations))))
	})
}
