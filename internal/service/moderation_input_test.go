package service

import (
	"context"
	"errors"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// TestReportsNameOnlyExistingThings: a received Flag keeps only IRIs of
// our actors and objects that exist, and only IRIs of a sane length, so
// that Flags cannot be used to fill the store.
func TestReportsNameOnlyExistingThings(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	o := e.publish(t, "acme", projectInput())
	ghost := e.u.Base + "/orgs/acme/projects/doesnotexist"
	long := e.u.Base + "/orgs/acme/projects/" + strings.Repeat("x", 3000)
	if err := e.svc.ReceiveFlag(ctx, bob.ID+"#flag-1", bob.ID, []string{ghost, long}, "spam"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ReceiveFlag(ctx, bob.ID+"#flag-2", bob.ID, []string{ghost, o.ID, long}, "real"); err != nil {
		t.Fatal(err)
	}
	rs, err := e.svc.Reports(ctx, asAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 || len(rs[0].Objects) != 1 || rs[0].Objects[0] != o.ID || rs[0].Target != e.u.Actor("acme") {
		t.Errorf("reports = %+v, want one report about %s only", rs, o.ID)
	}
}

// TestBlockActorSpellings: an actor block typed with another spelling of
// its address, or as its profile page, blocks the actor as stored.
func TestBlockActorSpellings(t *testing.T) {
	for _, target := range []string{"https://B.example/users/bob", "https://b.example:443/users/bob/", "https://b.example/@bob"} {
		t.Run(target, func(t *testing.T) {
			e := newTestEnv(t)
			a := bob
			a.URL = "https://b.example/@bob"
			e.update(t, func(tx *store.Tx) error { return tx.PutActor(a) })
			b, err := e.svc.Block(context.Background(), asAdmin, target)
			if err != nil {
				t.Fatal(err)
			}
			if b.Target != bob.ID || !e.svc.IsBlocked(context.Background(), bob.ID) {
				t.Errorf("block %+v: bob blocked = %t, want the block stored as %s", b, e.svc.IsBlocked(context.Background(), bob.ID), bob.ID)
			}
		})
	}
	var ve *model.ValidationError
	e := newTestEnv(t)
	if _, err := e.svc.Block(context.Background(), asAdmin, "https://b.example/users/"+strings.Repeat("x", 3000)); !errors.As(err, &ve) {
		t.Errorf("overlong target: err = %.80v, want a validation error", err)
	}
}
