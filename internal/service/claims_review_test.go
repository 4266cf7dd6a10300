package service

import (
	"context"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
)

// relMeClaim is the page a claimant puts up for a rel="me" claim: the link
// to the actor and the claim's own token (ClaimProof.Token).
func relMeClaim(actor, token string) string {
	return `<!doctype html><html><head><meta name="maillage-claim" content="` + token + `"></head><body><a rel="me" href="` +
		actor + `">Fediverse</a></body></html>`
}

// A rel="me" proof is tied to one claimant (found in review): the link the
// owner puts up does not prove a stranger's claim opened beforehand, and a
// claim is not confirmed automatically while another is open on the same
// organisation.
func TestClaimRelMeBoundToClaimant(t *testing.T) {
	e := newTestEnv(t, withSites, func(_ *testEnv, d *Deps) { d.AutoConfirmClaims = true })
	ctx := context.Background()
	site := newWebsite(t)
	site.set("/", "<html><body>La boulangerie</body></html>")
	imported(t, e, "bakery", site.URL+"/")
	bakery := e.u.Actor("bakery")

	stranger, skey, err := e.svc.OpenClaim(ctx, "bakery", ClaimInput{Email: "x@evil.example", Method: model.ClaimRelMe}, "c1")
	if err != nil {
		t.Fatal(err)
	}
	owner, okey, err := e.svc.OpenClaim(ctx, "bakery", ClaimInput{Email: "contact@bakery.example", Method: model.ClaimRelMe}, "c2")
	if err != nil {
		t.Fatal(err)
	}
	_, sproof, _ := e.svc.ClaimFor(ctx, stranger.ID, skey)
	_, oproof, _ := e.svc.ClaimFor(ctx, owner.ID, okey)
	if oproof.Token == "" || oproof.Token == sproof.Token || !strings.HasPrefix(oproof.Token, "maillage-claim-") {
		t.Fatalf("rel=me proofs: owner %+v, stranger %+v: want a token of each claim", oproof, sproof)
	}

	site.set("/", relMe(bakery)) // the bare link proves no claim
	if c, code, err := e.svc.CheckClaim(ctx, owner.ID, okey); err != nil || c.Status != model.ClaimPending || code != "" {
		t.Fatalf("owner's check with the link alone: %+v, %q, %v; want pending", c, code, err)
	}
	site.set("/", relMeClaim(bakery, oproof.Token))
	if c, code, err := e.svc.CheckClaim(ctx, stranger.ID, skey); err != nil || c.Status != model.ClaimPending || code != "" {
		t.Fatalf("stranger's check of the owner's page: %+v, %q, %v; want pending, no invitation", c, code, err)
	}
	e.clock.Advance(claimCheckSpacing)
	c, code, err := e.svc.CheckClaim(ctx, owner.ID, okey)
	if err != nil || c.Status != model.ClaimProven || code != "" {
		t.Fatalf("owner's check: %+v, %q, %v; want proven and left to an administrator (another claim is open)", c, code, err)
	}
	if _, code, err := e.svc.ConfirmClaim(ctx, System("test"), owner.ID, "root"); err != nil || code == "" {
		t.Fatalf("administrator confirms: %q, %v", code, err)
	}
}

// A single open rel="me" claim, proven with its token, is still confirmed
// automatically.
func TestClaimRelMeAutoConfirmedAlone(t *testing.T) {
	e := newTestEnv(t, withSites, func(_ *testEnv, d *Deps) { d.AutoConfirmClaims = true })
	ctx := context.Background()
	site := newWebsite(t)
	imported(t, e, "bakery", site.URL+"/")
	c, key, err := e.svc.OpenClaim(ctx, "bakery", ClaimInput{Email: "contact@bakery.example", Method: model.ClaimRelMe}, "c1")
	if err != nil {
		t.Fatal(err)
	}
	_, proof, _ := e.svc.ClaimFor(ctx, c.ID, key)
	site.set("/", relMeClaim(proof.Actor, proof.Token))
	if c, code, err := e.svc.CheckClaim(ctx, c.ID, key); err != nil || c.Status != model.ClaimConfirmed || code == "" {
		t.Fatalf("auto-confirmed claim = %+v, %q, %v", c, code, err)
	}
}
