package service

import (
	"context"
	"errors"
	"slices"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// An account and an organisation never share a name, so that name@host
// names one actor; every account has a Person actor, gone with it.
func TestMemberNamesAndPerson(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	// newTestEnv made the organisation acme.
	_, err := e.svc.CreateAccount(ctx, asAdmin, "acme", "a long enough password", RoleMember, nil)
	if got := validationFields(t, err); !slices.Equal(got, []string{"username"}) {
		t.Fatalf("account named like an organisation: fields %v, err %v", got, err)
	}
	if _, err := e.svc.CreateAccount(ctx, asAdmin, "bob", "a long enough password", RoleMember, nil); err != nil {
		t.Fatal(err)
	}
	p, err := e.svc.Org(ctx, model.PersonName("bob"))
	if err != nil || !p.Person || p.PublicKeyPEM == "" || p.PrivateKeyPEM == "" || p.Handle() != "bob" {
		t.Fatalf("person of bob = %+v, %v", p.Name, err)
	}
	if _, err := e.svc.CreateOrg(ctx, asAdmin, model.Org{Name: "bob", Profile: model.Profile{DisplayName: "Bob"}}); !slices.Equal(validationFields(t, err), []string{"name"}) {
		t.Fatalf("organisation named like an account: %v", err)
	}
	orgs, err := e.svc.Orgs(ctx)
	if err != nil || len(orgs) != 1 || orgs[0].Name != "acme" {
		t.Fatalf("Orgs = %v, %v; want acme alone", orgs, err)
	}
	// An account made before Person actors gets one on demand.
	e.update(t, func(tx *store.Tx) error {
		return tx.CreateAccount(store.Account{Username: "old", Hash: "x", Role: string(RoleMember)})
	})
	if name, err := e.svc.MemberActor(ctx, "old"); err != nil || name != "~old" {
		t.Fatalf("MemberActor(old) = %q, %v", name, err)
	}
	if _, err := e.svc.Org(ctx, "~old"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.DeleteAccount(ctx, asAdmin, "bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Org(ctx, model.PersonName("bob")); !errors.Is(err, ErrNotFound) {
		t.Fatalf("person of a deleted account: %v", err)
	}
}
