package store

import "fmt"

// DeleteClaim removes the claim id; a missing one is no error.
func (t *Tx) DeleteClaim(id string) error {
	if err := t.bucket(bucketClaims).Delete([]byte(id)); err != nil {
		return fmt.Errorf("store: delete claim: %w", err)
	}
	return nil
}
