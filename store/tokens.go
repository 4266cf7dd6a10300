package store

import (
	"encoding/json"
	"fmt"
	"time"

	"codeberg.org/maillage/maillage/internal/secret"
)

type tokenRecord struct {
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
}

// The admin API token is a random 32-byte secret; only its SHA-256 is
// stored (a slow hash adds nothing for a high-entropy secret).

// PutToken stores the hash of an API token.
func (t *Tx) PutToken(token, name string, now time.Time) error {
	h := secret.Hash(token)
	return t.putJSON(bucketTokens, h[:], tokenRecord{name, now})
}

// HasTokens reports whether any API token exists.
func (t *Tx) HasTokens() bool {
	k, _ := t.bucket(bucketTokens).Cursor().First()
	return k != nil
}

// CheckToken reports the token's name if it is valid.
func (t *Tx) CheckToken(token string) (string, bool) {
	h := secret.Hash(token)
	v := t.bucket(bucketTokens).Get(h[:])
	if v == nil { // lookup by hash: timing reveals nothing about the token
		return "", false
	}
	var r tokenRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return "", false
	}
	return r.Name, true
}

func decode(v []byte, dst any) error {
	if err := json.Unmarshal(v, dst); err != nil {
		return fmt.Errorf("store: decode: %w", err)
	}
	return nil
}
