package store

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"codeberg.org/maillage/maillage/internal/model"
)

// Buckets of claims and verified websites (issue #10, items 3 and 4).
var (
	bucketVerified = []byte("verified") // actor IRI (local or remote) -> model.Verification
	bucketClaims   = []byte("claims")   // claim ID -> model.Claim
)

// migrateClaims creates the buckets of verified websites and claims.
func migrateClaims(tx *bolt.Tx) error {
	for _, b := range [][]byte{bucketVerified, bucketClaims} {
		if _, err := tx.CreateBucketIfNotExists(b); err != nil {
			return err
		}
	}
	return nil
}

// Verification returns this instance's last check of the website of the
// actor iri.
func (t *Tx) Verification(iri string) (model.Verification, error) {
	var v model.Verification
	if err := t.getJSON(bucketVerified, []byte(iri), &v); err != nil {
		return v, fmt.Errorf("verification %q: %w", iri, err)
	}
	return v, nil
}

// PutVerification records a check of the website of the actor iri.
func (t *Tx) PutVerification(iri string, v model.Verification) error {
	return t.putJSON(bucketVerified, []byte(iri), v)
}

// DeleteVerification forgets the check of iri's website (none: no error).
func (t *Tx) DeleteVerification(iri string) error {
	if err := t.bucket(bucketVerified).Delete([]byte(iri)); err != nil {
		return fmt.Errorf("store: delete verification: %w", err)
	}
	return nil
}

// Verifications returns every check, by actor IRI.
func (t *Tx) Verifications() (map[string]model.Verification, error) {
	out := map[string]model.Verification{}
	err := t.eachPrefix(bucketVerified, nil, false, func(k, v []byte) (bool, error) {
		var ver model.Verification
		if err := decode(v, &ver); err != nil {
			return false, err
		}
		out[string(k)] = ver
		return true, nil
	})
	return out, err
}

// Claim returns the claim id.
func (t *Tx) Claim(id string) (model.Claim, error) {
	var c model.Claim
	if err := t.getJSON(bucketClaims, []byte(id), &c); err != nil {
		return c, fmt.Errorf("claim %q: %w", id, err)
	}
	return c, nil
}

// PutClaim stores c under its ID.
func (t *Tx) PutClaim(c model.Claim) error { return t.putJSON(bucketClaims, []byte(c.ID), c) }

// Claims lists every claim, by ID. The service bounds their number.
func (t *Tx) Claims() ([]model.Claim, error) {
	var out []model.Claim
	err := t.eachPrefix(bucketClaims, nil, false, func(k, v []byte) (bool, error) {
		var c model.Claim
		if err := decode(v, &c); err != nil {
			return false, err
		}
		out = append(out, c)
		return true, nil
	})
	return out, err
}

// DeleteClaimsBefore removes the claims opened before cutoff and returns
// how many it removed.
func (t *Tx) DeleteClaimsBefore(cutoff time.Time) (int, error) {
	all, err := t.Claims()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, c := range all {
		if c.Created.Before(cutoff) {
			if err := t.bucket(bucketClaims).Delete([]byte(c.ID)); err != nil {
				return n, fmt.Errorf("store: delete claim: %w", err)
			}
			n++
		}
	}
	return n, nil
}
