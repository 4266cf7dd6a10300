package cli_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/wire"
	"codeberg.org/maillage/maillage/store"
)

// An operator lists, confirms and refuses claims from the command line.
func TestCLIClaims(t *testing.T) {
	a := testenv.Start(t, "127.0.0.69", testenv.Options{})
	ctx := context.Background()
	svc := a.Server.Service
	for _, name := range []string{"bakery", "garage"} {
		if _, err := svc.CreateOrg(ctx, service.System("test"), model.Org{Name: name,
			Profile:    model.Profile{DisplayName: name, Website: "http://127.0.0.1:1/"},
			Provenance: &model.Provenance{Source: "Carteco", SourceID: name, Imported: time.Now()}}); err != nil {
			t.Fatal(err)
		}
	}
	open := func(org string) model.Claim {
		c, _, err := svc.OpenClaim(ctx, org, service.ClaimInput{Email: "x@" + org + ".example", Method: model.ClaimRelMe}, "cli-test")
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	pending, other := open("bakery"), open("garage")
	var listed []wire.Claim
	if err := json.Unmarshal([]byte(mustRun(t, a, "claims")), &listed); err != nil || len(listed) != 2 {
		t.Fatalf("claims = %+v, %v", listed, err)
	}
	if out := mustRun(t, a, "claims"); strings.Contains(out, "key_hash") {
		t.Errorf("the list shows the key's hash: %s", out)
	}
	if _, err := run(t, a, "claim-confirm", pending.ID); err == nil || !strings.Contains(err.Error(), "409") {
		t.Errorf("confirm before proof: %v, want a 409", err)
	}
	mustRun(t, a, "claim-refuse", other.ID)
	if _, err := run(t, a, "claim-confirm", "nope"); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("confirm of an unknown claim: %v, want a 404", err)
	}
	// Proven (as the website would prove it), then confirmed here.
	if err := a.Server.Store.Update(func(tx *store.Tx) error {
		c, err := tx.Claim(pending.ID)
		c.Status = model.ClaimProven
		if err == nil {
			err = tx.PutClaim(c)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var conf wire.ClaimConfirmation
	if err := json.Unmarshal([]byte(mustRun(t, a, "claim-confirm", pending.ID)), &conf); err != nil ||
		conf.Claim.Status != model.ClaimConfirmed || !strings.HasPrefix(conf.Invitation, a.Base+"/join?code=") {
		t.Fatalf("claim-confirm printed %+v (%v)", conf, err)
	}
	if err := svc.CheckInvitation(ctx, strings.TrimPrefix(conf.Invitation, a.Base+"/join?code=")); err != nil {
		t.Errorf("the invitation printed does not work: %v", err)
	}
}
