package service

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// Strangers cannot lock an entry's claims (found in review): once an
// organisation has claimsPerOrg open claims, a new one replaces the oldest
// unproven one, and a proven claim is never dropped for it.
func TestClaimsPerOrgCannotBeLocked(t *testing.T) {
	e := newTestEnv(t, withSites)
	ctx := context.Background()
	imported(t, e, "shop", "https://127.0.0.1:1/")
	var first model.Claim
	for i := range claimsPerOrg {
		c, _, err := e.svc.OpenClaim(ctx, "shop", ClaimInput{Email: "x@evil.example", Method: model.ClaimRelMe}, fmt.Sprint("stranger", i))
		if err != nil {
			t.Fatalf("claim %d: %v", i, err)
		}
		if i == 0 {
			first = c
		}
		e.clock.Advance(1)
	}
	owner, key, err := e.svc.OpenClaim(ctx, "shop", ClaimInput{Email: "contact@shop.example", Method: model.ClaimRelMe}, "owner")
	if err != nil {
		t.Fatalf("the owner's claim after %d strangers': %v", claimsPerOrg, err)
	}
	if _, _, err := e.svc.ClaimFor(ctx, owner.ID, key); err != nil {
		t.Errorf("owner's claim: %v", err)
	}
	list, _ := e.svc.Claims(ctx, System("test"))
	if len(list) != claimsPerOrg {
		t.Errorf("claims kept = %d, want %d", len(list), claimsPerOrg)
	}
	for _, c := range list {
		if c.ID == first.ID {
			t.Error("the oldest unproven claim was kept")
		}
	}
	// All open claims proven: nothing to replace, refused.
	if err := e.st.Update(func(tx *store.Tx) error {
		all, err := tx.Claims()
		for _, c := range all {
			c.Status = model.ClaimProven
			err = errors.Join(err, tx.PutClaim(c))
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.OpenClaim(ctx, "shop", ClaimInput{Email: "a@b.example", Method: model.ClaimRelMe}, "late"); !errors.Is(err, ErrTooManyClaims) {
		t.Errorf("claim when all open ones are proven: %v, want ErrTooManyClaims", err)
	}
}

// Closed claims do not fill the instance's bound, and a full bound of
// unproven claims makes room by dropping the oldest (found in review).
func TestClaimsTotalCountsOpenOnly(t *testing.T) {
	e := newTestEnv(t, withSites)
	ctx := context.Background()
	imported(t, e, "shop", "https://127.0.0.1:1/")
	fill := func(status string, n int) {
		t.Helper()
		if err := e.st.Update(func(tx *store.Tx) error {
			for i := range n {
				c := model.Claim{ID: fmt.Sprintf("%s%04d", status, i), Org: fmt.Sprintf("org%d", i), Email: "x@y.example",
					Method: model.ClaimRelMe, Status: status, Website: "https://127.0.0.1:1/", Created: e.clock.Now().UTC()}
				if err := tx.PutClaim(c); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(1)
	}
	fill(model.ClaimRefused, claimsTotal)
	if _, _, err := e.svc.OpenClaim(ctx, "shop", ClaimInput{Email: "a@b.example", Method: model.ClaimRelMe}, "c1"); err != nil {
		t.Fatalf("claim with %d refused claims kept: %v", claimsTotal, err)
	}
	fill(model.ClaimPending, claimsTotal-1) // with c1: full
	if _, _, err := e.svc.OpenClaim(ctx, "shop", ClaimInput{Email: "a@b.example", Method: model.ClaimRelMe}, "c2"); err != nil {
		t.Fatalf("claim with %d pending claims kept: %v", claimsTotal, err)
	}
	open := 0
	_ = e.st.View(func(tx *store.Tx) error {
		all, _ := tx.Claims()
		for _, c := range all {
			if isOpenClaim(c, e.clock.Now()) {
				open++
			}
		}
		return nil
	})
	if open != claimsTotal {
		t.Errorf("open claims = %d, want %d", open, claimsTotal)
	}
}
