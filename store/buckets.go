package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Bucket names, all top level. Keys joining several parts use a NUL
// separator (IRIs and names never contain one).
var (
	bucketMeta       = []byte("meta")        // schema_version, ...
	bucketOrgs       = []byte("orgs")        // name -> model.Org
	bucketActors     = []byte("actors")      // actor IRI -> model.Actor
	bucketKeys       = []byte("keys")        // key id -> actor IRI
	bucketObjects    = []byte("objects")     // object IRI -> model.Object
	bucketByActor    = []byte("by_actor")    // actor IRI \0 published(8) \0 object IRI -> nil
	bucketReplies    = []byte("replies")     // object IRI \0 reply IRI -> model.Reply
	bucketReplyIndex = []byte("reply_of")    // reply IRI -> object IRI
	bucketReactions  = []byte("reactions")   // object IRI \0 kind \0 actor IRI -> activity IRI
	bucketFollowers  = []byte("followers")   // local name \0 actor IRI -> model.Follower
	bucketFollowing  = []byte("following")   // local name \0 actor IRI -> model.Following
	bucketActivities = []byte("activities")  // activity IRI -> record (model.Activity + JSON)
	bucketOutbox     = []byte("outbox")      // local name \0 seq(8) -> activity IRI
	bucketSeen       = []byte("seen")        // sha256(incoming activity IRI) -> received unix seconds (since migration 9)
	bucketQueue      = []byte("queue")       // next attempt(8) seq(8) -> model.Delivery
	bucketTokens     = []byte("tokens")      // sha256(token) -> token record
	bucketTombstones = []byte("tombstones")  // deleted remote IRI -> deletion unix seconds
	bucketAccounts   = []byte("admins")      // username -> Account (argon2id hash)
	bucketSessions   = []byte("sessions")    // sha256(session id) -> Session
	bucketBlocks     = []byte("blocks")      // actor IRI or host[:port] -> model.Block
	bucketReports    = []byte("reports")     // seq(8) -> model.Report
	bucketInvites    = []byte("invitations") // sha256(code) -> Invitation
	bucketAnswers    = []byte("answers")     // org \0 id -> Answer
)

// Buckets of matching (issue #5, item 4).
var (
	bucketPrefs    = []byte("prefs")         // username -> Prefs (interests, digest, feed secret)
	bucketFeedKeys = []byte("feed_keys")     // sha256(feed secret) -> username
	bucketNotes    = []byte("notifications") // username \0 seq(8) -> Notification
	bucketNotified = []byte("notified")      // call IRI \0 kind \0 username -> nil (dedupe)
)

// bucketSeenAt indexes the seen bucket by time, for pruning (migration 9).
var bucketSeenAt = []byte("seen_at") // received unix seconds(8) sha256(activity IRI) -> nil

// Buckets of password reset and organisation-wide interests (issue #5).
var (
	bucketResets       = []byte("resets")        // sha256(token) -> Reset
	bucketOrgInterests = []byte("org_interests") // org name -> matching.Interests JSON
)

// bucketBackfills holds the progress of reading what a followed actor
// already holds (migration 10).
var bucketBackfills = []byte("backfills") // followed actor IRI -> model.Backfill

// Buckets of migration 11: what start-up and the stored activities need
// without decoding every object or repeating every document's @context.
var (
	bucketListed   = []byte("listed")   // object IRI -> nil: live projects and calls (the directory, matching, reminders)
	bucketContexts = []byte("contexts") // sha256(@context JSON)[:8] -> that JSON, shared by stored activities
)

// bucketMoves remembers the Moves applied, by the IRI of each actor they
// involve, to limit how often one actor moves (migration 12).
var bucketMoves = []byte("moves") // actor IRI -> model.MoveRecord
// Buckets of relays (issue #11).
var (
	bucketRelays        = []byte("relays")         // relay URL -> model.Relay
	bucketRelayedActors = []byte("relayed_actors") // organisation IRI -> relay URL it came through
)

// bucketPeers holds the servers the network page lists, with what their
// NodeInfo said (issue #11).
var bucketPeers = []byte("peers") // host[:port] -> model.Peer

var allBuckets = [][]byte{
	bucketMeta, bucketOrgs, bucketActors, bucketKeys, bucketObjects, bucketByActor,
	bucketReplies, bucketReplyIndex, bucketReactions, bucketFollowers, bucketFollowing,
	bucketActivities, bucketOutbox, bucketSeen, bucketQueue, bucketTokens,
}

func join(parts ...string) []byte {
	n := 0
	for _, p := range parts {
		n += len(p) + 1
	}
	b := make([]byte, 0, n)
	for i, p := range parts {
		if i > 0 {
			b = append(b, 0)
		}
		b = append(b, p...)
	}
	return b
}

func u64(v uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	return b[:]
}

func (t *Tx) bucket(name []byte) *bolt.Bucket { return t.tx.Bucket(name) }

// appendBucket is bucket for writes whose keys mostly come after every key
// already there (time-ordered IRIs, sequences): bbolt splits a full page
// at FillPercent, 50% by default, which leaves every page of an
// append-only bucket half empty.
func (t *Tx) appendBucket(name []byte) *bolt.Bucket {
	b := t.tx.Bucket(name)
	b.FillPercent = 0.9
	return b
}

func (t *Tx) getJSON(bucket, key []byte, v any) error {
	data := t.bucket(bucket).Get(key)
	if data == nil {
		return ErrNotFound
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("store: decode %s/%q: %w", bucket, key, err)
	}
	return nil
}

func (t *Tx) putJSON(bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: encode %s/%q: %w", bucket, key, err)
	}
	if err := t.bucket(bucket).Put(key, data); err != nil {
		return fmt.Errorf("store: put %s/%q: %w", bucket, key, err)
	}
	return nil
}

// eachPrefix calls fn for every key/value under prefix, in key order, or in
// reverse order when reverse is true, until fn returns false.
func (t *Tx) eachPrefix(bucket, prefix []byte, reverse bool, fn func(k, v []byte) (bool, error)) error {
	c := t.bucket(bucket).Cursor()
	var k, v []byte
	if reverse {
		end := append(append([]byte{}, prefix...), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)
		k, v = c.Seek(end)
		if k == nil {
			k, v = c.Last()
		}
		for k != nil && string(k) > string(end) {
			k, v = c.Prev()
		}
	} else {
		k, v = c.Seek(prefix)
	}
	for k != nil && hasPrefix(k, prefix) {
		more, err := fn(k, v)
		if err != nil || !more {
			return err
		}
		if reverse {
			k, v = c.Prev()
		} else {
			k, v = c.Next()
		}
	}
	return nil
}

func hasPrefix(k, p []byte) bool { return len(k) >= len(p) && string(k[:len(p)]) == string(p) }
