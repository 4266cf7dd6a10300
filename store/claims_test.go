package store

import (
	"errors"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

func TestClaimsAndVerifications(t *testing.T) {
	s := openTestStore(t)
	t0 := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	err := s.Update(func(tx *Tx) error {
		for i, id := range []string{"old", "new"} {
			if err := tx.PutClaim(model.Claim{ID: id, Org: "o", Created: t0.Add(time.Duration(i) * time.Hour)}); err != nil {
				return err
			}
		}
		if err := tx.PutVerification("https://a.example/orgs/x", model.Verification{Website: "https://x.example", Checked: t0, Verified: t0}); err != nil {
			return err
		}
		n, err := tx.DeleteClaimsBefore(t0.Add(time.Minute))
		if n != 1 || err != nil {
			t.Errorf("DeleteClaimsBefore = %d, %v; want 1", n, err)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = s.View(func(tx *Tx) error {
		if _, err := tx.Claim("old"); !errors.Is(err, ErrNotFound) {
			t.Errorf("old claim: %v, want ErrNotFound", err)
		}
		if c, err := tx.Claim("new"); err != nil || c.Org != "o" {
			t.Errorf("new claim = %+v, %v", c, err)
		}
		all, err := tx.Verifications()
		if err != nil || !all["https://a.example/orgs/x"].IsVerified("https://x.example") {
			t.Errorf("Verifications = %v, %v", all, err)
		}
		return nil
	})
}
