package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"codeberg.org/maillage/maillage/internal/secret"
)

// MaxNotifications is how many notifications an account keeps; the oldest
// go first.
const MaxNotifications = 500

// Prefs are an account's matching settings (issue #5): its interests (the
// JSON of matching.Interests, which this package does not interpret), the
// address and frequency of its e-mail digest, and the secret of its Atom
// feed. The secret is kept plainly because the page shows it again; it is
// looked up by its SHA-256 and compared in constant time.
type Prefs struct {
	Interests  json.RawMessage `json:"interests,omitempty"`
	Email      string          `json:"email,omitempty"`
	Digest     string          `json:"digest,omitempty"` // "", "off", "daily", "weekly"
	LastDigest time.Time       `json:"last_digest,omitzero"`
	FeedSecret string          `json:"feed_secret,omitempty"`
	// ConfirmedEmail is the address whose owner opened its confirmation
	// link; Email is confirmed only while the two are equal. ConfirmHash
	// is the SHA-256 (hex) of the one live confirmation token, sent to
	// ConfirmFor and valid until ConfirmExpires.
	ConfirmedEmail string    `json:"confirmed_email,omitempty"`
	ConfirmHash    string    `json:"confirm_hash,omitempty"`
	ConfirmFor     string    `json:"confirm_for,omitempty"`
	ConfirmExpires time.Time `json:"confirm_expires,omitzero"`
}

// EmailConfirmed reports whether p has an address and its owner confirmed
// it: only then may digests and reminders be sent to it.
func (p Prefs) EmailConfirmed() bool { return p.Email != "" && p.ConfirmedEmail == p.Email }

// Notification tells an account about a call: it matched the account's
// interests ("match") or its deadline is near ("reminder").
type Notification struct {
	ID       uint64    `json:"id"`
	Call     string    `json:"call"`
	Kind     string    `json:"kind"`
	Created  time.Time `json:"created"`
	Read     bool      `json:"read,omitempty"`
	Digested bool      `json:"digested,omitempty"`
}

// Prefs returns username's settings; the zero Prefs when it has none.
func (t *Tx) Prefs(username string) (Prefs, error) {
	var p Prefs
	if err := t.getJSON(bucketPrefs, []byte(username), &p); err != nil && err != ErrNotFound {
		return p, fmt.Errorf("prefs %q: %w", username, err)
	}
	return p, nil
}

// PutPrefs replaces username's settings and keeps the feed secret index
// in step.
func (t *Tx) PutPrefs(username string, p Prefs) error {
	old, err := t.Prefs(username)
	if err != nil {
		return err
	}
	if old.FeedSecret != "" && old.FeedSecret != p.FeedSecret {
		if err := t.bucket(bucketFeedKeys).Delete(secretKey(old.FeedSecret)); err != nil {
			return fmt.Errorf("store: delete feed secret: %w", err)
		}
	}
	if p.FeedSecret != "" {
		if err := t.bucket(bucketFeedKeys).Put(secretKey(p.FeedSecret), []byte(username)); err != nil {
			return fmt.Errorf("store: put feed secret: %w", err)
		}
	}
	return t.putJSON(bucketPrefs, []byte(username), p)
}

// EachPrefs calls fn for every account with settings, by name.
func (t *Tx) EachPrefs(fn func(username string, p Prefs) error) error {
	return t.eachPrefix(bucketPrefs, nil, false, func(k, v []byte) (bool, error) {
		var p Prefs
		if err := decode(v, &p); err != nil {
			return false, err
		}
		return true, fn(string(k), p)
	})
}

// FeedAccount returns the account whose feed secret is token;
// ErrNotFound when none is.
func (t *Tx) FeedAccount(token string) (string, error) {
	if token == "" {
		return "", ErrNotFound
	}
	name := t.bucket(bucketFeedKeys).Get(secretKey(token))
	if name == nil {
		return "", fmt.Errorf("feed secret: %w", ErrNotFound)
	}
	p, err := t.Prefs(string(name))
	if err != nil {
		return "", err
	}
	if !secret.Equal(p.FeedSecret, token) {
		return "", fmt.Errorf("feed secret: %w", ErrNotFound)
	}
	return string(name), nil
}

func secretKey(s string) []byte {
	h := secret.Hash(s)
	return h[:]
}

// AddNotification stores a notification of kind about call for username
// unless one of the same kind about the same call was stored before (ever:
// the mark outlives the notification). It reports whether it added one,
// and drops the oldest beyond MaxNotifications.
func (t *Tx) AddNotification(username, kind, call string, now time.Time) (bool, error) {
	mark := join(call, kind, username)
	if t.bucket(bucketNotified).Get(mark) != nil {
		return false, nil
	}
	if err := t.bucket(bucketNotified).Put(mark, []byte{}); err != nil {
		return false, fmt.Errorf("store: mark notified: %w", err)
	}
	b := t.bucket(bucketNotes)
	seq, err := b.NextSequence()
	if err != nil {
		return false, fmt.Errorf("store: notification sequence: %w", err)
	}
	n := Notification{ID: seq, Call: call, Kind: kind, Created: now}
	if err := t.putJSON(bucketNotes, noteKey(username, seq), n); err != nil {
		return false, err
	}
	var keys [][]byte
	err = t.eachPrefix(bucketNotes, join(username, ""), true, func(k, _ []byte) (bool, error) {
		keys = append(keys, append([]byte(nil), k...))
		return true, nil
	})
	if err != nil {
		return false, err
	}
	for _, k := range keys[min(len(keys), MaxNotifications):] {
		if err := b.Delete(k); err != nil {
			return false, fmt.Errorf("store: drop notification: %w", err)
		}
	}
	return true, nil
}

// WasNotified lists the accounts that got a notification of kind about call.
func (t *Tx) WasNotified(call, kind string) ([]string, error) {
	prefix := join(call, kind, "")
	var out []string
	err := t.eachPrefix(bucketNotified, prefix, false, func(k, _ []byte) (bool, error) {
		out = append(out, string(k[len(prefix):]))
		return true, nil
	})
	return out, err
}

// Notifications returns username's notifications, newest first, at most
// limit (0: all).
func (t *Tx) Notifications(username string, limit int) ([]Notification, error) {
	var out []Notification
	err := t.eachPrefix(bucketNotes, join(username, ""), true, func(_, v []byte) (bool, error) {
		var n Notification
		if err := decode(v, &n); err != nil {
			return false, err
		}
		out = append(out, n)
		return limit == 0 || len(out) < limit, nil
	})
	return out, err
}

// UpdateNotifications applies change to each of username's notifications
// and stores those for which it returns true.
func (t *Tx) UpdateNotifications(username string, change func(n *Notification) bool) error {
	ns, err := t.Notifications(username, 0)
	if err != nil {
		return err
	}
	for _, n := range ns {
		if change(&n) {
			if err := t.putJSON(bucketNotes, noteKey(username, n.ID), n); err != nil {
				return err
			}
		}
	}
	return nil
}

// DeletePrefs removes username's settings, feed secret and notifications
// (the account is deleted).
func (t *Tx) DeletePrefs(username string) error {
	p, err := t.Prefs(username)
	if err != nil {
		return err
	}
	if p.FeedSecret != "" {
		if err := t.bucket(bucketFeedKeys).Delete(secretKey(p.FeedSecret)); err != nil {
			return fmt.Errorf("store: delete feed secret: %w", err)
		}
	}
	if err := t.bucket(bucketPrefs).Delete([]byte(username)); err != nil {
		return fmt.Errorf("store: delete prefs: %w", err)
	}
	return t.deletePrefix(bucketNotes, join(username, ""))
}

func noteKey(username string, seq uint64) []byte {
	k := join(username, "")
	return binary.BigEndian.AppendUint64(k, seq)
}
