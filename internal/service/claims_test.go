package service

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/sitecheck"
	"codeberg.org/maillage/maillage/store"
)

// imported creates the organisation name as an import would: listed by
// this instance, with site as its website.
func imported(t *testing.T, e *testEnv, name, site string) model.Org {
	t.Helper()
	o, err := e.svc.CreateOrg(context.Background(), System("test"), model.Org{Name: name,
		Profile:    model.Profile{DisplayName: "Imported " + name, Website: site, Country: "FR"},
		Provenance: &model.Provenance{Source: "Transiscope", SourceID: "t-" + name, Licence: "ODbL-1.0", Imported: t0}})
	if err != nil {
		t.Fatalf("CreateOrg: %v", err)
	}
	return o
}

func TestClaimRelMeConfirmedByAdmin(t *testing.T) {
	e := newTestEnv(t, withSites)
	ctx := context.Background()
	site := newWebsite(t)
	site.set("/", "<html><body>La boulangerie</body></html>")
	imported(t, e, "bakery", site.URL+"/")
	bakery := e.u.Actor("bakery")

	if _, _, err := e.svc.OpenClaim(ctx, "acme", ClaimInput{Email: "a@b.example", Method: model.ClaimRelMe}, "c1"); !errors.Is(err, ErrNotClaimable) {
		t.Fatalf("claim of a self-published organisation: %v, want ErrNotClaimable", err)
	}
	c, key, err := e.svc.OpenClaim(ctx, "bakery", ClaimInput{Email: " contact@bakery.example ", Message: "C'est nous.", Method: model.ClaimRelMe}, "c1")
	if err != nil {
		t.Fatalf("OpenClaim: %v", err)
	}
	if c.Email != "contact@bakery.example" || c.Status != model.ClaimPending || strings.Contains(string(c.KeyHash), key) {
		t.Errorf("claim = %+v", c)
	}
	if _, _, err := e.svc.ClaimFor(ctx, c.ID, key+"x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("wrong key: %v, want ErrNotFound", err)
	}
	_, proof, err := e.svc.ClaimFor(ctx, c.ID, key)
	if err != nil || proof.Actor != bakery || proof.Token == "" || proof.TokenURL != "" {
		t.Fatalf("ClaimFor = %+v, %v", proof, err)
	}

	c, code, err := e.svc.CheckClaim(ctx, c.ID, key)
	if err != nil || c.Status != model.ClaimPending || c.Problem != "missing" || code != "" {
		t.Fatalf("check without proof: %+v, %q, %v", c, code, err)
	}
	if _, _, err := e.svc.CheckClaim(ctx, c.ID, key); !errors.Is(err, ErrTooManyClaims) {
		t.Errorf("check again at once: %v, want ErrTooManyClaims", err)
	}
	if _, _, err := e.svc.ConfirmClaim(ctx, System("test"), c.ID, "root"); !errors.Is(err, ErrClaimState) {
		t.Errorf("confirm before proof: %v, want ErrClaimState", err)
	}
	site.set("/", relMeClaim(bakery, proof.Token))
	e.clock.Advance(claimCheckSpacing)
	if c, code, err = e.svc.CheckClaim(ctx, c.ID, key); err != nil || c.Status != model.ClaimProven || code != "" {
		t.Fatalf("check with proof: %+v, %q, %v", c, code, err)
	}

	editor := AccountPrincipal(Account{Username: "ed", Role: RoleEditor, Orgs: []string{"bakery"}})
	if _, _, err := e.svc.ConfirmClaim(ctx, editor, c.ID, "ed"); !errors.Is(err, ErrForbidden) {
		t.Errorf("confirm by an editor: %v, want ErrForbidden", err)
	}
	if list, err := e.svc.Claims(ctx, System("test")); err != nil || len(list) != 1 || list[0].Status != model.ClaimProven {
		t.Errorf("Claims = %+v, %v", list, err)
	}
	before := len(e.render.types())
	c, code, err = e.svc.ConfirmClaim(ctx, System("test"), c.ID, "root")
	if err != nil || code == "" || c.Status != model.ClaimConfirmed {
		t.Fatalf("ConfirmClaim = %+v, %q, %v", c, code, err)
	}
	o, _ := e.svc.Org(ctx, "bakery")
	if o.Provenance == nil || o.Provenance.Listed() || o.Provenance.Source != "Transiscope" {
		t.Errorf("provenance after confirmation = %+v", o.Provenance)
	}
	if types := e.render.types(); len(types) != before+1 || types[len(types)-1] != "Update" {
		t.Errorf("activities rendered = %v, want an Update of the actor", types[before:])
	}
	if _, _, err := e.svc.ConfirmClaim(ctx, System("test"), c.ID, "root"); !errors.Is(err, ErrClaimState) {
		t.Errorf("confirm twice: %v", err)
	}
	if _, _, err := e.svc.OpenClaim(ctx, "bakery", ClaimInput{Email: "x@y.example", Method: model.ClaimRelMe}, "c2"); !errors.Is(err, ErrNotClaimable) {
		t.Errorf("claim of a claimed organisation: %v, want ErrNotClaimable", err)
	}

	acc, err := e.svc.RedeemInvitation(ctx, code, "boulanger", "correct horse battery")
	if err != nil {
		t.Fatalf("RedeemInvitation: %v", err)
	}
	if acc.Role != RoleEditor || len(acc.Orgs) != 1 || acc.Orgs[0] != "bakery" {
		t.Errorf("account = %+v, want editor of bakery", acc)
	}
	in := ProfileInput{Profile: o.Profile}
	in.Summary = "Pain au levain depuis 1987."
	if _, err := e.svc.UpdateProfile(ctx, AccountPrincipal(acc), "bakery", in); err != nil {
		t.Errorf("the new editor cannot edit its organisation: %v", err)
	}
}

func TestClaimTokenAutoConfirmed(t *testing.T) {
	e := newTestEnv(t, withSites, func(_ *testEnv, d *Deps) { d.AutoConfirmClaims = true })
	ctx := context.Background()
	site := newWebsite(t)
	imported(t, e, "garage", site.URL+"/atelier/")
	c, key, err := e.svc.OpenClaim(ctx, "garage", ClaimInput{Email: "g@garage.example", Method: model.ClaimToken}, "c1")
	if err != nil {
		t.Fatal(err)
	}
	_, proof, _ := e.svc.ClaimFor(ctx, c.ID, key)
	if proof.TokenURL != site.URL+sitecheck.WellKnownPath || !strings.HasPrefix(proof.Token, "maillage-claim-") || strings.Contains(proof.Token, key) {
		t.Fatalf("proof = %+v", proof)
	}
	site.set(sitecheck.WellKnownPath, "maillage-claim-0000\n"+proof.Token+"\n")
	c, code, err := e.svc.CheckClaim(ctx, c.ID, key)
	if err != nil || c.Status != model.ClaimConfirmed || c.ConfirmedBy != ClaimedByInstance || code == "" {
		t.Fatalf("auto-confirmed claim = %+v, %q, %v", c, code, err)
	}
	if err := e.svc.CheckInvitation(ctx, code); err != nil {
		t.Errorf("invitation: %v", err)
	}
}

func TestClaimInputAndBounds(t *testing.T) {
	e := newTestEnv(t, withSites)
	ctx := context.Background()
	imported(t, e, "shop", "https://127.0.0.1:1/")
	imported(t, e, "nosite", "")

	var ve *model.ValidationError
	_, _, err := e.svc.OpenClaim(ctx, "shop", ClaimInput{Email: "not an address\r\nBcc: x@y.example",
		Message: strings.Repeat("é", MaxClaimMessage+1), Method: "dns"}, "c")
	if !errors.As(err, &ve) || len(ve.Fields) != 3 {
		t.Fatalf("bad input: %v, want 3 field errors", err)
	}
	if _, _, err := e.svc.OpenClaim(ctx, "nosite", ClaimInput{Email: "a@b.example", Method: model.ClaimRelMe}, "c"); !errors.As(err, &ve) || ve.Fields["method"].Key != "claims.validation.no_website" {
		t.Errorf("no website: %v", err)
	}
	if _, _, err := e.svc.OpenClaim(ctx, "missing", ClaimInput{Email: "a@b.example", Method: model.ClaimRelMe}, "c"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown organisation: %v", err)
	}
	if _, _, err := e.svc.OpenClaim(ctx, "instance", ClaimInput{Email: "a@b.example", Method: model.ClaimRelMe}, "c"); !errors.Is(err, ErrNotClaimable) {
		t.Errorf("instance actor: %v", err)
	}
	moved := imported(t, e, "moved", "https://127.0.0.1:1/")
	moved.MovedTo = "https://127.0.0.9/orgs/moved"
	if err := e.st.Update(func(tx *store.Tx) error { return tx.PutOrg(moved) }); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.OpenClaim(ctx, "moved", ClaimInput{Email: "a@b.example", Method: model.ClaimRelMe}, "c"); !errors.Is(err, ErrNotClaimable) {
		t.Errorf("moved organisation: %v", err)
	}

	// Per client: claimsPerClient an hour.
	for i := range claimsPerClient {
		if _, _, err := e.svc.OpenClaim(ctx, "shop", ClaimInput{Email: "a@b.example", Method: model.ClaimRelMe}, "one-client"); err != nil && i < claimsPerOrg {
			t.Fatalf("claim %d: %v", i, err)
		}
	}
	if _, _, err := e.svc.OpenClaim(ctx, "shop", ClaimInput{Email: "a@b.example", Method: model.ClaimRelMe}, "one-client"); !errors.Is(err, ErrTooManyClaims) {
		t.Errorf("one client past its limit: %v", err)
	}
	// Per organisation: claimsPerOrg open at once, whatever the client; a
	// new one replaces the oldest pending (claims_bounds_review_test.go).
	if _, _, err := e.svc.OpenClaim(ctx, "shop", ClaimInput{Email: "a@b.example", Method: model.ClaimRelMe}, "another"); err != nil {
		t.Errorf("organisation past its limit: %v, want the oldest pending claim replaced", err)
	}
	if list, _ := e.svc.Claims(ctx, System("test")); len(list) != claimsPerOrg {
		t.Errorf("claims kept = %d, want %d", len(list), claimsPerOrg)
	}
	// Claims expire: after ClaimTTL they are gone, and room is made.
	list, _ := e.svc.Claims(ctx, System("test"))
	e.clock.Advance(ClaimTTL + time.Minute)
	if _, _, err := e.svc.ClaimFor(ctx, list[0].ID, "whatever"); !errors.Is(err, ErrNotFound) {
		t.Errorf("expired claim: %v", err)
	}
	if _, _, err := e.svc.OpenClaim(ctx, "shop", ClaimInput{Email: "a@b.example", Method: model.ClaimRelMe}, "another"); err != nil {
		t.Errorf("claim after the old ones expired: %v", err)
	}
	if list, _ := e.svc.Claims(ctx, System("test")); len(list) != 1 {
		t.Errorf("claims kept = %d, want 1", len(list))
	}
}

// Confirming sends the invitation to the claimant when the instance sends
// mail; the key of the claim's page is in no e-mail.
func TestClaimConfirmationMailed(t *testing.T) {
	m := &fakeMailer{}
	e := newTestEnv(t, withSites, withMail(m))
	ctx := context.Background()
	site := newWebsite(t)
	imported(t, e, "bakery", site.URL+"/")
	c, key, err := e.svc.OpenClaim(ctx, "bakery", ClaimInput{Email: "contact@bakery.example", Method: model.ClaimRelMe}, "c")
	if err != nil {
		t.Fatal(err)
	}
	_, proof, _ := e.svc.ClaimFor(ctx, c.ID, key)
	site.set("/", relMeClaim(e.u.Actor("bakery"), proof.Token))
	if _, _, err := e.svc.CheckClaim(ctx, c.ID, key); err != nil {
		t.Fatal(err)
	}
	if got := m.take(); len(got) != 0 {
		t.Errorf("mail before confirmation: %+v", got)
	}
	_, code, err := e.svc.ConfirmClaim(ctx, System("test"), c.ID, "root")
	if err != nil {
		t.Fatal(err)
	}
	got := m.take()
	if len(got) != 1 || got[0].to != "contact@bakery.example" || !strings.Contains(got[0].body, e.u.Join(code)) || strings.Contains(got[0].body, key) {
		t.Errorf("mails = %+v, want the invitation %s to the claimant", got, e.u.Join(code))
	}
}

// Refusing closes a claim: it can be neither checked nor confirmed, and
// no longer counts against the organisation's open claims.
func TestRefuseClaim(t *testing.T) {
	e := newTestEnv(t, withSites)
	ctx := context.Background()
	site := newWebsite(t)
	imported(t, e, "bakery", site.URL+"/")
	site.set("/", relMe(e.u.Actor("bakery")))
	c, key, err := e.svc.OpenClaim(ctx, "bakery", ClaimInput{Email: "x@y.example", Method: model.ClaimRelMe}, "c")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.RefuseClaim(ctx, AccountPrincipal(Account{Username: "m", Role: RoleMember}), c.ID); !errors.Is(err, ErrForbidden) {
		t.Errorf("refused by a member: %v", err)
	}
	if err := e.svc.RefuseClaim(ctx, System("test"), c.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.CheckClaim(ctx, c.ID, key); !errors.Is(err, ErrClaimState) {
		t.Errorf("check of a refused claim: %v", err)
	}
	if _, _, err := e.svc.ConfirmClaim(ctx, System("test"), c.ID, "root"); !errors.Is(err, ErrClaimState) {
		t.Errorf("confirm a refused claim: %v", err)
	}
	if err := e.svc.RefuseClaim(ctx, System("test"), c.ID); !errors.Is(err, ErrClaimState) {
		t.Errorf("refuse twice: %v", err)
	}
}
