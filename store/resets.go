package store

import (
	"encoding/json"
	"fmt"
	"time"

	"codeberg.org/maillage/maillage/internal/secret"
)

// Reset lets whoever holds its random token set a new password for
// Username until Expires. It is keyed by the token's SHA-256, so a copy of
// the database gives no usable link.
type Reset struct {
	Username string    `json:"username"`
	Expires  time.Time `json:"expires"`
	Email    string    `json:"email,omitempty"` // the address it was e-mailed to; "" if made by an administrator
}

func resetKey(token string) []byte {
	h := secret.Hash(token)
	return h[:]
}

// PutReset stores the reset whose token is token, dropping the expired
// ones on the way.
func (t *Tx) PutReset(token string, r Reset, now time.Time) error {
	if err := t.deleteResets(func(o Reset) bool { return !now.Before(o.Expires) }); err != nil {
		return err
	}
	return t.putJSON(bucketResets, resetKey(token), r)
}

// Reset returns the reset whose token is token, expired or not.
func (t *Tx) Reset(token string) (Reset, error) {
	var r Reset
	if err := t.getJSON(bucketResets, resetKey(token), &r); err != nil {
		return r, fmt.Errorf("reset: %w", err)
	}
	return r, nil
}

// DeleteResetsOf removes every reset of username (one was used, or the
// account is gone).
func (t *Tx) DeleteResetsOf(username string) error {
	return t.deleteResets(func(r Reset) bool { return r.Username == username })
}

func (t *Tx) deleteResets(doomed func(Reset) bool) error {
	var keys [][]byte
	err := t.eachPrefix(bucketResets, nil, false, func(k, v []byte) (bool, error) {
		var r Reset
		if err := decode(v, &r); err != nil {
			return false, err
		}
		if doomed(r) {
			keys = append(keys, append([]byte(nil), k...))
		}
		return true, nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := t.bucket(bucketResets).Delete(k); err != nil {
			return fmt.Errorf("store: delete reset: %w", err)
		}
	}
	return nil
}

// OrgInterests returns org's interests as JSON (nil when it has none).
func (t *Tx) OrgInterests(org string) (json.RawMessage, error) {
	v := t.bucket(bucketOrgInterests).Get([]byte(org))
	return append(json.RawMessage(nil), v...), nil
}

// PutOrgInterests replaces org's interests (nil or empty: removes them).
func (t *Tx) PutOrgInterests(org string, raw json.RawMessage) error {
	b := t.bucket(bucketOrgInterests)
	if len(raw) == 0 {
		if err := b.Delete([]byte(org)); err != nil {
			return fmt.Errorf("store: delete org interests: %w", err)
		}
		return nil
	}
	if err := b.Put([]byte(org), raw); err != nil {
		return fmt.Errorf("store: put org interests: %w", err)
	}
	return nil
}

// EachOrgInterests calls fn for every organisation with interests.
func (t *Tx) EachOrgInterests(fn func(org string, raw json.RawMessage) error) error {
	return t.eachPrefix(bucketOrgInterests, nil, false, func(k, v []byte) (bool, error) {
		return true, fn(string(k), append(json.RawMessage(nil), v...))
	})
}
